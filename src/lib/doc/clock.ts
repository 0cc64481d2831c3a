// The server's clock as this device best knows it: times written into a table (changes, comments)
// and the moments they are filtered against ("today", "since your last visit") follow one clock,
// not each device's. The server stamps what it accepts with its own time anyway (server/sync.ts);
// a device whose clock is off writes near-right times in the meantime and filters rightly.
//
// The offset is learnt from the server's time in /api/me and /api/login, and kept for offline
// starts. Where nothing was learnt (the server's own code, tests), it is 0: the local clock.

const KEY = 'shinko:clock-offset';
/** Farther than this from the device's clock, a reported time is not believed (ten years). */
const MAX_OFFSET_MS = 10 * 365 * 86_400_000;

let offset = readStored();

function readStored(): number {
	try {
		const n = Number(globalThis.localStorage?.getItem(KEY) ?? 0);
		return Number.isFinite(n) && Math.abs(n) < MAX_OFFSET_MS ? n : 0;
	} catch {
		return 0;
	}
}

/** Milliseconds since the epoch by the server's clock (the device's, corrected). */
export function serverNow(): number {
	return Date.now() + offset;
}

/**
 * Learns the offset from a server time read by a request sent at `sentAt` and answered at
 * `receivedAt` (device clock): the server's moment is taken to be the middle of the two.
 */
export function learnServerTime(serverTime: unknown, sentAt: number, receivedAt: number): void {
	if (typeof serverTime !== 'number' || !Number.isFinite(serverTime)) return;
	const learnt = Math.round(serverTime - (sentAt + receivedAt) / 2);
	if (Math.abs(learnt) >= MAX_OFFSET_MS) return;
	offset = learnt;
	try {
		globalThis.localStorage?.setItem(KEY, String(learnt));
	} catch {
		// Private mode: the offset lasts for this page.
	}
}
