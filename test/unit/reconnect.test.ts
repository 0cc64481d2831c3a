import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { en } from '../../src/lib/i18n/en.ts';
import { ja } from '../../src/lib/i18n/ja.ts';
import { CLOSE } from '../../src/lib/sync/protocol.ts';
import {
	asksToBackOff,
	backoffDelay,
	Reconnector,
	refusalOf
} from '../../src/lib/sync/reconnect.ts';

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

describe('a server that closes right after each sync', () => {
	// random 1: every wait is the whole window, 1 s · 2^n.
	const options = { baseMs: 1000, maxMs: 60_000, stableMs: 30_000, random: () => 1 };
	let connects = 0;
	let r: Reconnector;
	beforeEach(() => {
		vi.useFakeTimers();
		connects = 0;
		r = new Reconnector(() => connects++, options);
	});
	afterEach(() => vi.useRealTimers());

	/** The connection syncs, lasts `lastedMs`, is closed with `code`; returns the wait before the next try. */
	function syncThenClose(code: number, lastedMs = 200): number {
		r.succeeded();
		vi.advanceTimersByTime(lastedMs);
		const before = connects;
		r.schedule(code);
		let waited = 0;
		while (connects === before) {
			vi.advanceTimersByTime(100);
			waited += 100;
		}
		return waited;
	}

	it.each([CLOSE.tryAgainLater, CLOSE.storeFailed, CLOSE.tooLarge])(
		'backs off on repeated %i closes instead of returning every half second',
		(code) => {
			expect([1, 2, 3, 4, 5].map(() => syncThenClose(code))).toEqual([
				1000, 2000, 4000, 8000, 16_000
			]);
		}
	);

	it('starts from a short wait again after a lost network, or a back-off close of a lasting connection', () => {
		syncThenClose(CLOSE.tryAgainLater);
		syncThenClose(CLOSE.tryAgainLater);
		expect(syncThenClose(CLOSE.tryAgainLater)).toBe(4000);
		// The network dropped (1006): the server did not ask for anything, the connection was good.
		expect(syncThenClose(1006)).toBe(1000);
		// After that short wait, closes right after syncing make the waits grow again.
		expect(syncThenClose(CLOSE.storeFailed)).toBe(2000);
		// A store failure after half a minute of work is a new incident, not the same one again.
		expect(syncThenClose(CLOSE.storeFailed, 30_000)).toBe(1000);
	});

	it('keeps growing while attempts fail without syncing', () => {
		const waits: number[] = [];
		for (let i = 0; i < 4; i++) {
			const before = connects;
			r.schedule(CLOSE.tryAgainLater);
			let waited = 0;
			while (connects === before) {
				vi.advanceTimersByTime(100);
				waited += 100;
			}
			waits.push(waited);
		}
		expect(waits).toEqual([1000, 2000, 4000, 8000]);
	});
});

describe('closes the client does not retry', () => {
	it('maps each 44xx refusal to its reason, and leaves the rest to reconnection or login', () => {
		expect(refusalOf(CLOSE.malformed)).toBe('malformed');
		expect(refusalOf(CLOSE.forbidden)).toBe('forbidden');
		expect(refusalOf(CLOSE.notFound)).toBe('notFound');
		expect(refusalOf(CLOSE.docTooLarge)).toBe('docTooLarge');
		expect(refusalOf(4499)).toBe('other');
		// 4401 ends with a new login, not a refusal; the others are retried with back-off.
		for (const code of [CLOSE.unauthorized, CLOSE.storeFailed, CLOSE.tryAgainLater, 1000, 1006])
			expect(refusalOf(code), String(code)).toBeNull();
		expect(asksToBackOff(CLOSE.tryAgainLater)).toBe(true);
		expect(asksToBackOff(CLOSE.storeFailed)).toBe(true);
		expect(asksToBackOff(1006)).toBe(false);
	});

	it('explains each refusal in plain Japanese and in English: what happened, that edits stay, what to do', () => {
		const reasons = [CLOSE.malformed, CLOSE.forbidden, CLOSE.notFound, CLOSE.docTooLarge, 4499].map(
			(code) => refusalOf(code)!
		);
		const jaMessages = reasons.map((r) => ja.syncRefusedMessage(r));
		const enMessages = reasons.map((r) => en.syncRefusedMessage(r));
		for (const m of jaMessages) {
			expect(m).not.toMatch(/[A-Za-z]/);
			expect(m).toContain('この端末での編集は消えずに残って');
			expect(m).toMatch(/管理者/);
		}
		for (const m of enMessages) {
			expect(m).toContain('Your edits are kept on this device');
			expect(m).toMatch(/administrator/);
		}
		expect(new Set(jaMessages).size).toBe(reasons.length);
		expect(new Set(enMessages).size).toBe(reasons.length);
		expect(ja.syncRefusedMessage('docTooLarge')).toContain('上限');
		expect(ja.syncRefusedMessage('notFound')).toContain('表の一覧にありません');
		expect(ja.syncRefusedMessage('forbidden')).toContain('ログインし直す');
		expect(ja.syncRefused).not.toBe(ja.syncOffline);
		expect(ja.syncRefusedCode(4413)).toBe('（コード 4413）');
	});
});
