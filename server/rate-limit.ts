// Attempt throttling: at most `limit` attempts per key within a sliding window.
//
// An attempt is counted when it starts, not when it is known to have failed: a check that takes
// time (scrypt, a snapshot) would otherwise let every request that arrives during it through, so
// 60 parallel guesses would all be checked. An attempt that turns out well may give its slot back.

export class RateLimiter {
	private readonly attempts = new Map<string, number[]>();

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

	/**
	 * Counts an attempt for the key, whether or not it may try now: callers that check several
	 * limiters ask `retryAfter` of each first, then reserve in all, in one synchronous step.
	 * The returned function gives the slot back (at most once).
	 */
	reserve(key: string, now = Date.now()): () => void {
		const recent = this.recent(key, now);
		recent.push(now);
		this.attempts.set(key, recent);
		if (this.attempts.size > 10_000) this.sweep(now);
		let released = false;
		return () => {
			if (released) return;
			released = true;
			const times = this.attempts.get(key);
			const at = times?.lastIndexOf(now) ?? -1;
			if (!times || at < 0) return; // expired and swept meanwhile
			times.splice(at, 1);
			if (times.length === 0) this.attempts.delete(key);
		};
	}

	private recent(key: string, now: number): number[] {
		return (this.attempts.get(key) ?? []).filter((t) => t > now - this.windowMs);
	}

	private sweep(now: number): void {
		for (const [key, times] of this.attempts) {
			if (times.every((t) => t <= now - this.windowMs)) this.attempts.delete(key);
		}
	}
}

/**
 * Checks every (limiter, key) pair and, only if all allow it, reserves an attempt in each.
 * Returns the milliseconds to wait when one refuses, else the function that gives all slots back.
 */
export function reserveAll(
	pairs: readonly (readonly [RateLimiter, string])[],
	now = Date.now()
): { wait: number } | { release: () => void } {
	const wait = Math.max(0, ...pairs.map(([limiter, key]) => limiter.retryAfter(key, now)));
	if (wait > 0) return { wait };
	const releases = pairs.map(([limiter, key]) => limiter.reserve(key, now));
	return { release: () => releases.forEach((release) => release()) };
}
