// /healthz's eventLoopDelayMs: how late the loop ran, not the interval it was sampled at.
import { afterEach, describe, expect, it } from 'vitest';
import { loopDelay } from '../../server/loop-delay.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const block = (ms: number) => {
	const end = performance.now() + ms;
	while (performance.now() < end);
};

describe('loop delay', () => {
	let watch: ReturnType<typeof loopDelay> | undefined;
	afterEach(() => watch?.stop());

	it('says zeros until a window has passed', () => {
		watch = loopDelay({ windowMs: 1000 });
		expect(watch.last()).toEqual({ p50: 0, p99: 0, max: 0 });
	});

	it('reports a stall as lateness, and a loop that keeps up as about 0', async () => {
		watch = loopDelay({ windowMs: 1500 });
		await sleep(300);
		block(400);
		await sleep(1000);
		const { p50, max } = watch.last();
		// The sample due during the 400 ms stall came 300–400 ms late (more on a busy machine).
		expect(max).toBeGreaterThanOrEqual(290);
		expect(max).toBeLessThan(1000);
		// The other samples were on time: the 100 ms between samples is not lateness.
		expect(p50).toBeLessThan(50);
	});
});
