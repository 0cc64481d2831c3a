// Failed-login throttling: at most `limit` failures per key within a sliding window.

export class RateLimiter {
	private readonly failures = new Map<string, number[]>();

	constructor(
		private readonly limit: number,
		private readonly windowMs: number
	) {}

	/** Milliseconds until the key may try again, 0 when it may try now. */
	retryAfter(key: string, now = Date.now()): number {
		const recent = this.recent(key, now);
		if (recent.length < this.limit) return 0;
		return recent[recent.length - this.limit]! + this.windowMs - now;
	}

	fail(key: string, now = Date.now()): void {
		const recent = this.recent(key, now);
		recent.push(now);
		this.failures.set(key, recent);
		if (this.failures.size > 10_000) this.sweep(now);
	}

	reset(key: string): void {
		this.failures.delete(key);
	}

	private recent(key: string, now: number): number[] {
		return (this.failures.get(key) ?? []).filter((t) => t > now - this.windowMs);
	}

	private sweep(now: number): void {
		for (const [key, times] of this.failures) {
			if (times.every((t) => t <= now - this.windowMs)) this.failures.delete(key);
		}
	}
}
