// How late the event loop runs, for /healthz: over the last full window, the p50, p99 and max of
// how much later than due a periodic sample came (0 on a loop that keeps up), in ms.
import { monitorEventLoopDelay } from 'node:perf_hooks';

export interface LoopDelay {
	p50: number;
	p99: number;
	max: number;
}

const WINDOW_MS = 10_000;
/**
 * How often the lateness is sampled: 100 samples a window. A stall longer than this is always
 * seen, as the lateness of the sample due during it (the stall less up to this much). Node's
 * default of 10 ms wakes the process 100 times a second, which cost 3–7 ms of CPU a second on an
 * idle server here (perf stat), a third of what 200 idle clients cost.
 */
const SAMPLE_MS = 100;

export function loopDelay(options: { windowMs?: number; sampleMs?: number } = {}) {
	const sampleMs = options.sampleMs ?? SAMPLE_MS;
	const histogram = monitorEventLoopDelay({ resolution: sampleMs });
	histogram.enable();
	let last: LoopDelay = { p50: 0, p99: 0, max: 0 };
	// The histogram holds the time between samples; what is late is that time less the interval.
	const lateMs = (ns: number) => Math.max(0, Math.round((ns - sampleMs * 1e6) / 1e4) / 100);
	const timer = setInterval(() => {
		last =
			histogram.count === 0
				? { p50: 0, p99: 0, max: 0 }
				: {
						p50: lateMs(histogram.percentile(50)),
						p99: lateMs(histogram.percentile(99)),
						max: lateMs(histogram.max)
					};
		histogram.reset();
	}, options.windowMs ?? WINDOW_MS);
	timer.unref();
	return {
		/** The last full window's figures (zeros until one has passed). */
		last: (): LoopDelay => last,
		stop() {
			clearInterval(timer);
			histogram.disable();
		}
	};
}
