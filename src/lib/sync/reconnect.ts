// When to try the server again after a lost connection: exponential back-off with jitter, so a
// restarted server is not hit by every tablet in the same millisecond, and at once when the
// network or the page comes back. And which closes not to retry at all.
import { CLOSE } from './protocol.ts';

export interface BackoffOptions {
	baseMs: number;
	maxMs: number;
	/**
	 * A connection the server closes asking for back-off counts as a success only if it stayed
	 * synced this long; a shorter one keeps the wait growing.
	 */
	stableMs?: number;
	random?: () => number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 500, maxMs: 30_000, stableMs: 30_000 };

/** The wait before attempt `attempt` (0-based): between half and all of base·2^attempt, capped. */
export function backoffDelay(attempt: number, options: BackoffOptions = DEFAULT_BACKOFF): number {
	const random = options.random ?? Math.random;
	const ceiling = Math.min(options.maxMs, options.baseMs * 2 ** Math.min(attempt, 30));
	return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

/**
 * Closes by which the server says "not now": its store failed (1011), this connection let too much
 * pile up or asked too often (1013), or a message was too large (1009). Each can come right after
 * a successful sync, so that sync must not reset the back-off, or the client would be back in
 * half a second, every time.
 */
export function asksToBackOff(code: number): boolean {
	return code === CLOSE.storeFailed || code === CLOSE.tryAgainLater || code === CLOSE.tooLarge;
}

/** Why the server refused us, for the closes the client cannot get past by reconnecting. */
export type Refusal = 'malformed' | 'forbidden' | 'notFound' | 'docTooLarge' | 'other';

/**
 * The refusal a close means, or null for a close to retry (or 4401, which a new login ends).
 * The server answers a 44xx again to every attempt, so the client stops and says why.
 */
export function refusalOf(code: number): Refusal | null {
	if (code < 4400 || code >= 4500 || code === CLOSE.unauthorized) return null;
	switch (code) {
		case CLOSE.malformed:
			return 'malformed';
		case CLOSE.forbidden:
			return 'forbidden';
		case CLOSE.notFound:
			return 'notFound';
		case CLOSE.docTooLarge:
			return 'docTooLarge';
		default:
			return 'other';
	}
}

export class Reconnector {
	private attempt = 0;
	private timer: ReturnType<typeof setTimeout> | null = null;
	/** When the current connection synced, until the next loss. */
	private syncedAt: number | null = null;

	constructor(
		private readonly connect: () => void,
		private readonly options: BackoffOptions = DEFAULT_BACKOFF
	) {}

	get pending(): boolean {
		return this.timer !== null;
	}

	/** After a failed or lost connection; `code` is the server's close code, if it closed it. */
	schedule(code?: number): void {
		this.cancel();
		if (this.syncedAt !== null) {
			const lasted = Date.now() - this.syncedAt;
			this.syncedAt = null;
			const stableMs = this.options.stableMs ?? this.options.maxMs;
			// The connection synced since the last loss: start again from a short wait, unless the
			// server soon closed it asking for back-off (it would do the same again).
			if (code === undefined || !asksToBackOff(code) || lasted >= stableMs) this.attempt = 0;
		}
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

	/** A connection synced: the next loss starts from a short wait again (see schedule). */
	succeeded(): void {
		this.syncedAt ??= Date.now();
	}

	cancel(): void {
		if (this.timer) clearTimeout(this.timer);
		this.timer = null;
	}
}
