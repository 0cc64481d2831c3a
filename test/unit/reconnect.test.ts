import { describe, expect, it, vi } from 'vitest';
import { backoffDelay, Reconnector } from '../../src/lib/sync/reconnect.ts';

describe('reconnection back-off', () => {
	it('grows exponentially, is capped, and always keeps half of the window as jitter', () => {
		const low = { baseMs: 500, maxMs: 30_000, random: () => 0 };
		const high = { baseMs: 500, maxMs: 30_000, random: () => 0.999999 };
		expect([0, 1, 2, 3].map((a) => backoffDelay(a, low))).toEqual([250, 500, 1000, 2000]);
		expect([0, 1, 2, 3].map((a) => backoffDelay(a, high))).toEqual([500, 1000, 2000, 4000]);
		expect(backoffDelay(40, low)).toBe(15_000);
		expect(backoffDelay(40, high)).toBe(30_000);
	});

	it('spreads 1000 clients reconnecting to a restarted server over the window', () => {
		const delays = Array.from({ length: 1000 }, () => backoffDelay(3));
		const perSecondBucket = new Map<number, number>();
		for (const d of delays) {
			expect(d).toBeGreaterThanOrEqual(2000);
			expect(d).toBeLessThanOrEqual(4000);
			const bucket = Math.floor(d / 100);
			perSecondBucket.set(bucket, (perSecondBucket.get(bucket) ?? 0) + 1);
		}
		// No 100 ms slot gets more than a small share of the herd.
		expect(Math.max(...perSecondBucket.values())).toBeLessThan(120);
	});

	it('retries at once when the network comes back, and resets after a success', () => {
		vi.useFakeTimers();
		try {
			const connect = vi.fn();
			const r = new Reconnector(connect, { baseMs: 1000, maxMs: 60_000, random: () => 1 });
			r.schedule();
			r.schedule();
			expect(r.pending).toBe(true);
			vi.advanceTimersByTime(1999);
			expect(connect).not.toHaveBeenCalled();
			r.now();
			expect(connect).toHaveBeenCalledTimes(1);
			expect(r.pending).toBe(false);
			r.succeeded();
			r.schedule();
			vi.advanceTimersByTime(1000);
			expect(connect).toHaveBeenCalledTimes(2);
		} finally {
			vi.useRealTimers();
		}
	});
});
