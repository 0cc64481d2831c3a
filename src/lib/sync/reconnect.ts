// When to try the server again after a lost connection: exponential back-off with jitter, so a
// restarted server is not hit by every tablet in the same millisecond, and at once when the
// network or the page comes back.

export interface BackoffOptions {
	baseMs: number;
	maxMs: number;
	random?: () => number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 500, maxMs: 30_000 };

/** The wait before attempt `attempt` (0-based): between half and all of base·2^attempt, capped. */
export function backoffDelay(attempt: number, options: BackoffOptions = DEFAULT_BACKOFF): number {
	const random = options.random ?? Math.random;
	const ceiling = Math.min(options.maxMs, options.baseMs * 2 ** Math.min(attempt, 30));
	return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

export class Reconnector {
	private attempt = 0;
	private timer: ReturnType<typeof setTimeout> | null = null;

	constructor(
		private readonly connect: () => void,
		private readonly options: BackoffOptions = DEFAULT_BACKOFF
	) {}

	get pending(): boolean {
		return this.timer !== null;
	}

	/** After a failed or lost connection. */
	schedule(): void {
		this.cancel();
		const delay = backoffDelay(this.attempt++, this.options);
		this.timer = setTimeout(() => {
			this.timer = null;
			this.connect();
		}, delay);
	}

	/** The network or the page is back: do not wait out the back-off. */
	now(): void {
		if (!this.timer) return;
		this.cancel();
		this.connect();
	}

	/** A connection synced: the next loss starts from a short wait again. */
	succeeded(): void {
		this.attempt = 0;
	}

	cancel(): void {
		if (this.timer) clearTimeout(this.timer);
		this.timer = null;
	}
}
