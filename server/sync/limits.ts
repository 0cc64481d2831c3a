// What one connection may send, and how fast: every input is bounded before it costs anything.

/** Presence messages a connection may send per second (bursts up to twice that). */
export const AWARENESS_PER_SECOND = 20;
/**
 * Requests for the doc (sync step 1): a client sends one when it connects, and the answer can be
 * the whole table. Each costs the table's size in the store (at least STEP1_MIN_COST), from a
 * budget of STEP1_BUDGET refilled at STEP1_REFILL a second: a few answers of a big table at once
 * and then one every few seconds, many of a small one.
 */
export const STEP1_BUDGET = 8 * 1024 * 1024;
export const STEP1_REFILL = 1024 * 1024;
/**
 * What an answer costs at least: an honest client asks once per connection, so 32 at once and 4 a
 * second are plenty, and the answers of a small table cannot be asked for by the thousand.
 */
export const STEP1_MIN_COST = 256 * 1024;
/**
 * Clients a step 1's state vector may name beyond those of the doc: the sender's own sessions
 * the server has not seen yet (each page load that edits offline is one), or, after a restore
 * from an older backup, those the backup lacks. Reading one that named millions (12 MB from a
 * viewer) held the event loop for seconds before any answer was sent.
 */
export const MAX_UNKNOWN_CLIENTS = 10_000;
/**
 * What a connection may send, in bytes a second, past a burst: a table of the importers' item cap
 * created in the browser, or a day of offline edits, is one message of a few MB. Past it the
 * server stops reading the socket until the budget is back (TCP slows the sender; nothing is
 * dropped), so one writer cannot keep the event loop busy with valid updates.
 */
export const INBOUND_BURST = 4 * 1024 * 1024;
export const INBOUND_PER_SECOND = 2 * 1024 * 1024;
/**
 * What each struct of an update costs of that budget, beyond its bytes: Yjs builds and integrates
 * an object per struct, so a million two-byte structs cost as much as hundreds of MB of text. An
 * honest edit is a struct or a few; an update of 1,000,000 (the most one may hold) costs 8 MB more.
 */
export const INBOUND_PER_STRUCT = 8;
/** Requests for everyone's presence (a few states of at most MAX_AWARENESS_STATE_BYTES). */
export const QUERY_BURST = 4;
export const QUERY_PER_SECOND = 1;
/** Awareness client ids one connection may control (one per tab; a few to spare). */
export const MAX_PRESENCE_IDS = 4;
/**
 * What may wait unread for one connection, beyond the largest answer it was sent (a whole table
 * for a client that joins): a reader that stalls past it is closed (1013), so a socket that never
 * reads cannot make the server hold everything it is sent.
 */
export const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;
/**
 * Updates waiting for missing history are held in memory only. Honest clients leave them briefly
 * (an edit racing its own reconnect); a crafted gap never resolves, so past this the room drops
 * them (never stored nor acknowledged, so nothing saved is lost) and closes the sender.
 */
export const MAX_PENDING_BYTES = 1024 * 1024;
/**
 * Updates of one connection received and not yet acknowledged. Honest clients have a few commits'
 * worth (each commit takes everything received meanwhile); past this one stalls its own acks with
 * a gap it never fills, and is closed (1013) so that it reconnects and sends what it has again.
 */
export const MAX_UNSAVED_UPDATES = 10_000;
/**
 * Sync connections one user may have open in a process, by default (MAX_CONNECTIONS_PER_USER):
 * each is two a tab (the list of tables and the table), on every device of theirs, with room for
 * a shared account in a meeting. Every budget above is per connection: without this bound one
 * account multiplied them by the sockets it opened (a viewer's 100 made the server spend 17 s of
 * CPU and 540 MB).
 */
export const DEFAULT_MAX_CONNECTIONS_PER_USER = 64;
/** The largest a table may grow in the store (its log since the last compaction), by default. */
export const DEFAULT_MAX_DOC_BYTES = 64 * 1024 * 1024;

/** At most `burst` at once, refilled at `perSecond`. */
export class TokenBucket {
	private tokens: number;
	private refilledAt = Date.now();

	constructor(
		private readonly burst: number,
		private readonly perSecond: number
	) {
		this.tokens = burst;
	}

	/** Takes `cost` tokens (at most the whole burst) if there are as many. */
	take(cost = 1): boolean {
		this.refill();
		const due = Math.min(cost, this.burst);
		if (this.tokens < due) return false;
		this.tokens -= due;
		return true;
	}

	/** Takes `cost` tokens even into debt; returns the milliseconds until the debt is paid. */
	charge(cost: number): number {
		this.refill();
		this.tokens -= cost;
		return this.tokens >= 0 ? 0 : (-this.tokens / this.perSecond) * 1000;
	}

	private refill(): void {
		const now = Date.now();
		this.tokens = Math.min(
			this.burst,
			this.tokens + ((now - this.refilledAt) / 1000) * this.perSecond
		);
		this.refilledAt = now;
	}
}
