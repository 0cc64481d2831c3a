// Rooms speaking the y-websocket protocol (sync + awareness) over `ws`, persisting before relaying.
//
// An update from a client is applied to the room's doc; the doc's update event queues it. Once
// per event-loop turn the room flushes the queue: every queued update is written to the store in
// one transaction (one fsync, however many clients wrote), and only then relayed to the other
// connections (merged into one message each) and acknowledged to the senders (MESSAGE.savedAck,
// for clients that ask), which count acks against the updates they sent to show "saved".
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import type { WebSocket } from 'ws';
import { changesMap, stampChange } from '../src/lib/doc/changes.ts';
import { commentsMap, stampComment } from '../src/lib/doc/comments.ts';
import { INDEX_DOC_ID, tablesMap } from '../src/lib/doc/index-doc.ts';
import { SHAPE_ROOT } from '../src/lib/doc/shape-doc.ts';
import { CLOSE, MESSAGE } from '../src/lib/sync/protocol.ts';
import { docFromUpdates, type DocStore } from './store.ts';
import type { Logger } from './log.ts';
import {
	AdminOnlyError,
	AuthorshipError,
	checkUpdate,
	readAwarenessUpdate,
	readPresenceState,
	UpdateGuardError,
	type AwarenessEntry
} from './update-guard.ts';
import type { Role } from './users.ts';

/** Origin of updates read back from the store (written by another process): not stored again. */
const FROM_STORE = Symbol('from-store');
/** The origin of the server's own time stamps (see Room.stampAccepted). */
const SERVER_STAMP = Symbol('server-stamp');

const PING_INTERVAL_MS = 30_000;
/** Roots of a table only admins may write into (server/update-guard.ts, AdminOnlyError). */
const ADMIN_ONLY_ROOTS: ReadonlySet<string> = new Set([SHAPE_ROOT]);
/** Presence changes are gathered for this long, then sent in one message. */
const PRESENCE_TICK_MS = 50;
/**
 * How often renewed presence states are sent on. Clients renew every 15 to 18 s and drop a state
 * not renewed for 30 s: a peer hears of renewals at most 23 s apart.
 */
const PRESENCE_RENEW_MS = 5_000;
/** How often open connections' sessions are checked: a removed user is out within a second. */
const SESSION_CHECK_MS = 1_000;
/** The largest a table may grow in the store (its log since the last compaction), by default. */
export const DEFAULT_MAX_DOC_BYTES = 64 * 1024 * 1024;
/**
 * What may wait unread for one connection, beyond the largest answer it was sent (a whole table
 * for a client that joins): a reader that stalls past it is closed (1013), so a socket that never
 * reads cannot make the server hold everything it is sent.
 */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

interface AwarenessChanges {
	added: number[];
	updated: number[];
	removed: number[];
}

export interface SyncOptions {
	store: DocStore;
	writerId: string;
	log: Logger;
	/** How long an empty room stays loaded, in case someone reconnects. */
	unloadAfterMs?: number;
	/** Whether a session is still valid; connections of ended sessions close with 4401. */
	isSessionLive?: (sessionId: string) => boolean;
	/** How often connections are pinged (a peer that missed the last ping is dropped). */
	pingIntervalMs?: number;
	/** How often renewed presence states are sent on (default PRESENCE_RENEW_MS). */
	presenceRenewMs?: number;
	/** How often open connections' sessions are checked (default SESSION_CHECK_MS). */
	sessionCheckMs?: number;
	/** A table's size limit in the store (default DEFAULT_MAX_DOC_BYTES). */
	maxDocBytes?: number;
	/** Rows of a table in the store that make it due for compaction (default COMPACT_AFTER_ROWS). */
	compactAfterRows?: number;
	/** How often the store is read for other writers' rows (default STORE_POLL_MS). */
	storePollMs?: number;
}

export interface ConnectOptions {
	acks: boolean;
	role: Role;
	sessionId: string;
	username: string;
	/** How the app names the user in presence and in marks, comments and changes. */
	displayName: string;
}

/** Presence messages a connection may send per second (bursts up to twice that). */
const AWARENESS_PER_SECOND = 20;
/**
 * Requests for the doc (sync step 1): a client sends one when it connects, and the answer can be
 * the whole table. Each costs the table's size in the store (at least STEP1_MIN_COST), from a
 * budget of STEP1_BUDGET refilled at STEP1_REFILL a second: a few answers of a big table at once
 * and then one every few seconds, many of a small one.
 */
const STEP1_BUDGET = 8 * 1024 * 1024;
const STEP1_REFILL = 1024 * 1024;
const STEP1_MIN_COST = 1024;
/**
 * What a connection may send, in bytes a second, past a burst: a table of the importers' item cap
 * created in the browser, or a day of offline edits, is one message of a few MB. Past it the
 * server stops reading the socket until the budget is back (TCP slows the sender; nothing is
 * dropped), so one writer cannot keep the event loop busy with valid updates.
 */
const INBOUND_BURST = 4 * 1024 * 1024;
const INBOUND_PER_SECOND = 2 * 1024 * 1024;
/** Requests for everyone's presence (a few states of at most MAX_AWARENESS_STATE_BYTES). */
const QUERY_BURST = 4;
const QUERY_PER_SECOND = 1;
/** Awareness client ids one connection may control (one per tab; a few to spare). */
export const MAX_PRESENCE_IDS = 4;
/** Colour of a presence state that gave none (the app's second colour). */
const DEFAULT_COLOUR = '#2e86ab';
/**
 * Updates waiting for missing history are held in memory only. Honest clients leave them briefly
 * (an edit racing its own reconnect); a crafted gap never resolves, so past this the room drops
 * them (never stored nor acknowledged, so nothing saved is lost) and closes the sender.
 */
const MAX_PENDING_BYTES = 1024 * 1024;
/**
 * A room compacts its rows in the store once it has this many, a moment after the flush that
 * reached it: a reload then reads one row (30 people typing write about 8,000 rows a minute).
 */
const COMPACT_AFTER_ROWS = 2000;
const COMPACT_DELAY_MS = 1000;
/** How often the store is read for rows other writers (the CLI, another process) committed. */
const STORE_POLL_MS = 500;

/** An update of a connection not yet integrated (it waits for history the room lacks). */
interface Waiting {
	/** Its number among the connection's updates (what a saved-ack counts). */
	index: number;
	update: Uint8Array;
	/** The clock it reaches per client, and the ends of its deletions (read when needed). */
	to: Map<number, number>;
	deletes?: Map<number, number>;
}

/** An update integrated into a room's doc, waiting for the next flush. */
interface Queued {
	update: Uint8Array;
	/** The connection it came from (not relayed back to it); none for updates read from the store. */
	sender: Connection | undefined;
	/** Already in the store (written by another process). */
	stored: boolean;
}

interface Connection {
	ws: WebSocket;
	alive: boolean;
	/**
	 * Whether the client has sent its sync step 1. Updates are relayed to it from then on; until
	 * then, the answer to that step 1 will carry them.
	 */
	askedForState: boolean;
	/** Whether the client asked for saved-acks, and how many of its updates are on disk. */
	acks: boolean;
	acked: number;
	/** The last count acknowledged, and this connection's updates still waiting for history. */
	ackSent: number;
	waiting: Waiting[];
	readonly: boolean;
	role: Role;
	sessionId: string;
	username: string;
	displayName: string;
	/** Token buckets for what it sends, presence messages, sync step 1 and presence queries. */
	inbound: TokenBucket;
	awarenessTokens: TokenBucket;
	step1Tokens: TokenBucket;
	queryTokens: TokenBucket;
	/** The largest message sent to it (what it may have buffered beyond MAX_BUFFERED_BYTES). */
	largestSent: number;
	warned: Set<string>;
}

/** At most `burst` at once, refilled at `perSecond`. */
class TokenBucket {
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

/**
 * Sends unless the connection has let too much pile up unread: then it is closed (1013, try again
 * later) and its buffer let go, so a reader that stalls, or never reads, holds a bounded amount.
 */
function send(conn: Connection, message: Uint8Array): void {
	const ws = conn.ws;
	if (ws.readyState !== ws.OPEN) return;
	if (ws.bufferedAmount > MAX_BUFFERED_BYTES + conn.largestSent) {
		ws.close(CLOSE.tryAgainLater, 'too much unread');
		// A reader that does not read will not read the close frame either.
		setTimeout(() => ws.terminate(), 1000).unref();
		return;
	}
	conn.largestSent = Math.max(conn.largestSent, message.length);
	ws.send(message, (err) => {
		if (err) ws.terminate();
	});
}

function rethrow(err: Error): never {
	throw err;
}

/** A sync update message carrying `updates`, merged when there are several. */
function updateMessage(updates: Uint8Array[]): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, MESSAGE.sync);
	syncProtocol.writeUpdate(encoder, updates.length === 1 ? updates[0]! : Y.mergeUpdates(updates));
	return encoding.toUint8Array(encoder);
}

function awarenessMessage(awareness: awarenessProtocol.Awareness, ids: number[]): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, MESSAGE.awareness);
	encoding.writeVarUint8Array(encoder, awarenessProtocol.encodeAwarenessUpdate(awareness, ids));
	return encoding.toUint8Array(encoder);
}

/** A presence update (y-protocols' encoding) of the given entries. */
function encodePresence(entries: AwarenessEntry[]): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, entries.length);
	for (const { id, clock, state } of entries) {
		encoding.writeVarUint(encoder, id);
		encoding.writeVarUint(encoder, clock);
		encoding.writeVarString(encoder, state);
	}
	return encoding.toUint8Array(encoder);
}

function syncStep1(doc: Y.Doc): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, MESSAGE.sync);
	syncProtocol.writeSyncStep1(encoder, doc);
	return encoding.toUint8Array(encoder);
}

export class Room {
	readonly doc: Y.Doc;
	readonly awareness: awarenessProtocol.Awareness;
	readonly conns = new Map<WebSocket, Connection>();
	private unloadTimer: ReturnType<typeof setTimeout> | null = null;
	/** Updates integrated since the last flush, and connections owed a saved-ack by it. */
	private queue: Queued[] = [];
	private ackDue = new Set<Connection>();
	private flushing: ReturnType<typeof setImmediate> | null = null;
	/** Set when a failed commit dropped the room (see SyncServer.fail). */
	private abandoned = false;
	/** Whether the doc held updates waiting for history when the current message arrived. */
	private hadPending = false;
	/** Presence ids changed since the last tick, and renewed since the last renewal message. */
	private readonly presenceChanged = new Set<number>();
	private readonly presenceRenewed = new Set<number>();
	private presenceTick: ReturnType<typeof setTimeout> | null = null;
	private readonly presenceRenewTimer: ReturnType<typeof setInterval>;
	/** Which connection controls each presence id: nobody else may set or remove it. */
	private readonly presenceOwners = new Map<number, Connection>();
	/** Bytes of this doc in the store since its last compaction (what MAX_DOC_BYTES bounds). */
	private bytes = 0;
	/** Rows of this doc in the store, how many make it due for compaction, and its timer. */
	private rows = 0;
	private compactAt: number;
	private compactTimer: ReturnType<typeof setTimeout> | null = null;

	/** Throws when the doc cannot be loaded (SyncServer.connect reports it). */
	constructor(
		readonly id: string,
		private readonly server: SyncServer
	) {
		const updates = server.store.load(id);
		this.doc = docFromUpdates(updates);
		for (const u of updates) this.bytes += u.length;
		this.rows = updates.length;
		this.compactAt = server.compactAfterRows;
		this.awareness = new awarenessProtocol.Awareness(this.doc);
		this.awareness.setLocalState(null);
		this.doc.on('update', this.onDocUpdate);
		changesMap(this.doc).observe(this.onChangeRecords);
		commentsMap(this.doc).observe(this.onComments);
		this.awareness.on('update', this.onAwarenessUpdate);
		this.awareness.on('change', this.onAwarenessChange);
		this.presenceRenewTimer = setInterval(
			this.guarded(this.sendPresenceRenewals),
			server.presenceRenewMs
		);
		this.presenceRenewTimer.unref();
	}

	/**
	 * A callback that cannot end the process: whatever it throws (a bug, a hostile structure Yjs
	 * cannot handle) closes this room as a failed commit does, logged with the room's id.
	 */
	private guarded<A extends unknown[]>(fn: (...args: A) => void): (...args: A) => void {
		return (...args) => {
			try {
				fn(...args);
			} catch (err) {
				this.server.fail(this, err);
			}
		};
	}

	/** Change records and comments a client wrote, for the server's time stamp (stampAccepted). */
	private readonly toStamp = { changes: new Set<string>(), comments: new Set<string>() };

	private readonly onChangeRecords = (event: Y.YMapEvent<unknown>, tr: Y.Transaction) => {
		if (!this.fromClient(tr)) return;
		for (const key of event.keysChanged) this.toStamp.changes.add(key);
	};

	private readonly onComments = (event: Y.YMapEvent<Y.Map<unknown>>, tr: Y.Transaction) => {
		if (!this.fromClient(tr)) return;
		for (const [key, change] of event.changes.keys) {
			if (change.action !== 'delete') this.toStamp.comments.add(key);
		}
	};

	private fromClient(tr: Y.Transaction): boolean {
		return tr.origin instanceof Object && this.conns.has(tr.origin as WebSocket);
	}

	/**
	 * Times that order or filter (changes, comments) are the server's: what a client accepted just
	 * now wrote with its device's clock is stamped with the time it arrived, in a change of the
	 * server's own that goes to everyone (the sender too) and to the store like any other.
	 */
	private stampAccepted(): void {
		const { changes, comments } = this.toStamp;
		if (changes.size === 0 && comments.size === 0) return;
		const now = Date.now();
		this.doc.transact(() => {
			for (const key of changes) stampChange(this.doc, key, now);
			for (const id of comments) stampComment(this.doc, id, now);
		}, SERVER_STAMP);
		changes.clear();
		comments.clear();
	}

	private readonly onDocUpdate = (update: Uint8Array, origin: unknown) => {
		this.server.lastChange.set(this.id, Date.now());
		this.bytes += update.length;
		// An update that also integrated others' updates waiting for history goes to its sender too.
		const sender =
			origin instanceof Object && !this.hadPending
				? this.conns.get(origin as WebSocket)
				: undefined;
		this.queue.push({ update, sender, stored: origin === FROM_STORE });
		this.scheduleFlush();
	};

	private scheduleFlush(): void {
		if (this.flushing) return;
		this.flushing = setImmediate(this.guardedFlush);
	}

	private readonly guardedFlush = this.guarded(() => this.flush());

	/**
	 * Writes the queued updates in one transaction, then relays and acknowledges them. Nothing is
	 * relayed or acknowledged before its commit: if the commit fails, the room closes instead
	 * (see fail), and clients send their unacknowledged updates again when they reconnect.
	 */
	readonly flush = (): void => {
		if (this.flushing) clearImmediate(this.flushing);
		this.flushing = null;
		const queue = this.queue;
		this.queue = [];
		const due = this.ackDue;
		this.ackDue = new Set();
		if (queue.length > 0) {
			try {
				const { store, writerId } = this.server;
				const fresh = queue.filter((q) => !q.stored);
				if (fresh.length > 0) {
					store.transaction(() => {
						for (const q of fresh) store.append(this.id, q.update, writerId);
					});
				}
				// Rows read from the store were counted as they were applied (applyFromStore).
				this.rows += fresh.length;
			} catch (err) {
				this.server.fail(this, err);
				return;
			}
			this.relay(queue);
			// These updates may have brought the history that updates of any connection waited for.
			for (const conn of this.conns.values()) if (conn.waiting.length > 0) due.add(conn);
		}
		for (const conn of due) this.sendAck(conn);
		if (this.rows >= this.compactAt) {
			this.compactTimer ??= setTimeout(this.guardedCompact, COMPACT_DELAY_MS);
		}
	};

	private readonly guardedCompact = this.guarded(() => {
		try {
			this.compact();
		} catch (err) {
			// The rows are as they were (a full disk, say): the table is served, and tried again later.
			this.compactAt = this.rows + this.server.compactAfterRows;
			this.server.log.warn('compacting a table failed; tried again later', {
				room: this.id,
				error: String(err)
			});
		}
	});

	/**
	 * Replaces the doc's rows in the store by its state, while the server runs (a reload from tens
	 * of thousands of rows blocks for seconds; from one, milliseconds). Between flushes, so the doc
	 * holds exactly what is committed, once it has read every row others committed (in the same
	 * transaction: no one else can write meanwhile). A failure leaves the rows as they were.
	 */
	private compact(): void {
		this.compactTimer = null;
		if (this.abandoned) return;
		// Updates waiting for history are held in memory only (MAX_PENDING_BYTES), never stored:
		// the doc's state would carry them, so wait until they are integrated or dropped.
		const { pendingStructs, pendingDs } = this.doc.store;
		if (this.queue.length > 0 || this.flushing || pendingStructs !== null || pendingDs !== null) {
			this.compactTimer = setTimeout(this.guardedCompact, COMPACT_DELAY_MS);
			return;
		}
		const { store, writerId, log } = this.server;
		const started = performance.now();
		let state: Uint8Array | undefined;
		const removed = store.transaction(() => {
			// Every row of the doc is to be deleted: a row that could not be read must stop it.
			this.server.readStore();
			if (this.abandoned) throw new Error('the room closed while reading the store');
			state = Y.encodeStateAsUpdate(this.doc);
			return store.replaceLog(this.id, state, writerId);
		});
		this.rows = 1;
		this.compactAt = this.server.compactAfterRows;
		this.bytes = state!.length;
		log.info('compacted a table', {
			room: this.id,
			rows: removed,
			bytes: this.bytes,
			ms: Math.round(performance.now() - started)
		});
	}

	/**
	 * One message per connection that has asked for the doc: the flushed updates merged, less the
	 * connection's own. Each message is made only if someone is to get it.
	 */
	private relay(queue: Queued[]): void {
		const senders = new Set(queue.map((q) => q.sender));
		let all: Uint8Array | undefined;
		for (const conn of this.conns.values()) {
			if (!conn.askedForState) continue;
			if (!senders.has(conn)) {
				send(conn, (all ??= updateMessage(queue.map((q) => q.update))));
				continue;
			}
			const others = queue.filter((q) => q.sender !== conn).map((q) => q.update);
			if (others.length > 0) send(conn, updateMessage(others));
		}
	}

	/** Every presence message, renewals included: who controls which id, and who renewed. */
	private readonly onAwarenessUpdate = (
		{ added, updated, removed }: AwarenessChanges,
		origin: unknown
	) => {
		const conn = origin instanceof Object ? this.conns.get(origin as WebSocket) : undefined;
		if (conn) {
			// A state set again after its removal comes as `updated` (y-protocols keeps its clock).
			for (const id of added.concat(updated)) this.presenceOwners.set(id, conn);
		}
		// Removed by its owner, by its owner leaving, or timed out: anyone may claim the id again.
		for (const id of removed) this.presenceOwners.delete(id);
		for (const id of updated) this.presenceRenewed.add(id);
	};

	/** Real changes (a state added, changed or removed): sent at the next presence tick. */
	private readonly onAwarenessChange = ({ added, updated, removed }: AwarenessChanges) => {
		for (const id of added.concat(updated, removed)) this.presenceChanged.add(id);
		this.presenceTick ??= setTimeout(this.guardedPresenceChanges, PRESENCE_TICK_MS);
	};

	/** One message for every change of the last tick (a client ignores its own state). */
	private readonly guardedPresenceChanges = this.guarded(() => this.sendPresenceChanges());

	private readonly sendPresenceChanges = (): void => {
		this.presenceTick = null;
		const ids = Array.from(this.presenceChanged);
		this.presenceChanged.clear();
		for (const id of ids) this.presenceRenewed.delete(id);
		if (ids.length > 0) this.broadcastPresence(ids);
	};

	/**
	 * Renewals (a client re-sends its unchanged state every 15 s so that it does not time out
	 * after 30 s) are not forwarded one by one: every PRESENCE_RENEW_MS, one message carries the
	 * clocks of all states renewed since.
	 */
	private readonly sendPresenceRenewals = (): void => {
		const states = this.awareness.getStates();
		const ids = Array.from(this.presenceRenewed).filter((id) => states.has(id));
		this.presenceRenewed.clear();
		if (ids.length === 0) return;
		this.broadcastPresence(ids);
	};

	/**
	 * Sends the states of `ids` to every connection but those whose own states are all it has and
	 * which know them already. A removal goes to its owner too: the server timed the state out,
	 * and y-protocols answers its own removal by sending its state again.
	 */
	private broadcastPresence(ids: number[]): void {
		const message = awarenessMessage(this.awareness, ids);
		const states = this.awareness.getStates();
		const removal = ids.some((id) => !states.has(id));
		for (const conn of this.conns.values()) {
			if (removal || !ids.every((id) => this.presenceOwners.get(id) === conn)) send(conn, message);
		}
	}

	join(ws: WebSocket, options: ConnectOptions): void {
		if (this.unloadTimer) clearTimeout(this.unloadTimer);
		this.unloadTimer = null;
		const conn: Connection = {
			ws,
			alive: true,
			askedForState: false,
			acks: options.acks,
			acked: 0,
			ackSent: 0,
			waiting: [],
			// The list of tables is the admins' to change (DESIGN.md: admin = users, tables).
			readonly: options.role === 'viewer' || (this.id === INDEX_DOC_ID && options.role !== 'admin'),
			role: options.role,
			sessionId: options.sessionId,
			username: options.username,
			displayName: options.displayName,
			inbound: new TokenBucket(INBOUND_BURST, INBOUND_PER_SECOND),
			awarenessTokens: new TokenBucket(AWARENESS_PER_SECOND * 2, AWARENESS_PER_SECOND),
			step1Tokens: new TokenBucket(STEP1_BUDGET, STEP1_REFILL),
			queryTokens: new TokenBucket(QUERY_BURST, QUERY_PER_SECOND),
			largestSent: 0,
			warned: new Set()
		};
		this.conns.set(ws, conn);
		ws.binaryType = 'arraybuffer';
		ws.on(
			'message',
			this.guarded((data: ArrayBuffer | Buffer) => this.onMessage(conn, data))
		);
		ws.on('pong', () => (conn.alive = true));
		ws.on(
			'close',
			this.guarded(() => this.leave(conn))
		);
		ws.on('error', (err) => {
			this.server.log.warn('websocket error', { room: this.id, error: String(err) });
		});
		send(conn, syncStep1(this.doc));
		const states = this.awareness.getStates();
		if (states.size > 0) send(conn, awarenessMessage(this.awareness, Array.from(states.keys())));
	}

	private onMessage(conn: Connection, data: ArrayBuffer | Buffer): void {
		// Frames already read when the room was abandoned still arrive: its doc is gone. Nothing
		// from a connection being closed (an ended session, a refused message) is applied either.
		if (this.abandoned || conn.ws.readyState !== conn.ws.OPEN) return;
		try {
			const bytes = data instanceof ArrayBuffer ? new Uint8Array(data) : new Uint8Array(data);
			this.throttle(conn, bytes.length);
			const decoder = decoding.createDecoder(bytes);
			const type = decoding.readVarUint(decoder);
			switch (type) {
				case MESSAGE.sync:
					this.onSyncMessage(conn, decoder);
					break;
				case MESSAGE.awareness:
					this.onPresence(conn, decoding.readVarUint8Array(decoder));
					break;
				case MESSAGE.queryAwareness:
					if (!conn.queryTokens.take()) {
						this.warnOnce(conn, 'query-rate', 'presence queries over the rate limit dropped');
						break;
					}
					send(
						conn,
						awarenessMessage(this.awareness, Array.from(this.awareness.getStates().keys()))
					);
					break;
				case MESSAGE.auth:
					break; // authentication happens at the upgrade, by cookie
				default:
					throw new UpdateGuardError(`unknown message type ${type}`);
			}
		} catch (err) {
			// Past the guards, Yjs ran out of stack on a structure it cannot handle: the doc may hold
			// part of the update, so the room is dropped unstored, as on a failed commit (guarded).
			if (err instanceof RangeError) throw err;
			const authorship = err instanceof AuthorshipError;
			const adminOnly = err instanceof AdminOnlyError;
			this.server.log.warn(
				authorship
					? 'update names another author, closing connection'
					: adminOnly
						? 'update changes what only admins may change, closing connection'
						: 'malformed message, closing connection',
				{
					room: this.id,
					user: conn.username,
					error: err instanceof Error ? err.message : String(err)
				}
			);
			conn.ws.close(
				authorship || adminOnly ? CLOSE.forbidden : CLOSE.malformed,
				authorship ? 'another author' : adminOnly ? 'admins only' : 'malformed message'
			);
		}
	}

	/** Stops reading from a connection that sent past its budget until it is paid (INBOUND_*). */
	private throttle(conn: Connection, size: number): void {
		const waitMs = conn.inbound.charge(size);
		if (waitMs === 0 || conn.ws.isPaused) return;
		conn.ws.pause();
		setTimeout(() => conn.ws.resume(), waitMs).unref();
	}

	private onSyncMessage(conn: Connection, decoder: decoding.Decoder): void {
		const peek = decoding.clone(decoder);
		const subtype = decoding.readVarUint(peek);
		let update: Uint8Array | null = null;
		let reaches = new Map<number, number>();
		if (subtype === syncProtocol.messageYjsSyncStep1) {
			// Its answer can be the whole table: a client asks once per connection.
			if (!conn.step1Tokens.take(Math.max(STEP1_MIN_COST, this.bytes))) {
				this.warnOnce(conn, 'step1-rate', 'sync step 1 over the rate limit dropped');
				return;
			}
			// What the answer carries must be on disk first, like what is relayed.
			if (this.queue.length > 0) {
				this.flush();
				if (this.abandoned) return;
			}
		} else {
			if (conn.readonly) {
				this.warnOnce(
					conn,
					'read-only-write',
					conn.role === 'viewer'
						? 'ignored a write from a viewer'
						: 'ignored a write to the list of tables from a non-admin'
				);
				return;
			}
			update = decoding.readVarUint8Array(peek);
			// Decoding a crafted update can take very long (yjs issue 687): check it first.
			// Admins may send records in others' names: after a restore, an admin's device gives the
			// server back everyone's records it lacks (for anyone else, a replay of them cannot be
			// told from a forgery). Admins can change anything anyway.
			const admin = conn.role === 'admin';
			const check = checkUpdate(update, {
				doc: this.doc,
				author: admin ? undefined : conn.displayName,
				// The table's shape is changed in 表の設定, by admins (src/lib/doc/shape-doc.ts).
				adminOnlyRoots: admin ? undefined : ADMIN_ONLY_ROOTS
			});
			if (this.bytes + check.freshBytes > this.server.maxDocBytes) {
				this.warnOnce(conn, 'doc-too-large', 'table at its size limit, closing connection');
				conn.ws.close(CLOSE.docTooLarge, 'table size limit');
				return;
			}
			reaches = check.reaches;
		}
		const encoder = encoding.createEncoder();
		encoding.writeVarUint(encoder, MESSAGE.sync);
		const store = this.doc.store;
		this.hadPending = store.pendingStructs !== null || store.pendingDs !== null;
		// y-protocols swallows decoding errors unless given a handler: rethrow to close with 4400.
		const syncType = syncProtocol.readSyncMessage(decoder, encoder, this.doc, conn.ws, rethrow);
		this.hadPending = false;
		this.stampAccepted();
		if (encoding.length(encoder) > 1) send(conn, encoding.toUint8Array(encoder));
		// Its answer carried the whole doc it lacked: from now on, updates as they come.
		if (syncType === syncProtocol.messageYjsSyncStep1) conn.askedForState = true;
		if (update && syncType !== syncProtocol.messageYjsSyncStep1) {
			this.limitPending();
			this.acknowledge(conn, update, reaches);
		}
	}

	/**
	 * A presence message carries the sender's own states and, from the stock client, every change
	 * it heard of from others. Only states the connection owns (or claims, up to MAX_PRESENCE_IDS)
	 * are applied; the rest is dropped without closing anyone. The user in each state is the
	 * session's, whatever the client wrote.
	 */
	private onPresence(conn: Connection, update: Uint8Array): void {
		const entries = readAwarenessUpdate(update);
		if (!entries) {
			this.warnOnce(conn, 'presence-entries', 'presence message naming too many clients dropped');
			return;
		}
		const accepted: AwarenessEntry[] = [];
		let claimed = this.presenceIdsOf(conn).length;
		for (const entry of entries) {
			const owner = this.presenceOwners.get(entry.id);
			if (owner && owner !== conn) continue; // someone else's state, echoed or forged
			if (!owner) {
				if (entry.state === 'null') continue; // nothing to remove
				if (claimed >= MAX_PRESENCE_IDS) {
					this.warnOnce(conn, 'awareness-ids', 'too many presence ids on one connection');
					continue;
				}
				claimed++;
			}
			const state = this.stampPresence(conn, entry.state);
			if (state === undefined) {
				this.warnOnce(conn, 'presence-state', 'malformed presence state dropped');
				continue;
			}
			accepted.push({ ...entry, state });
		}
		if (accepted.length === 0) return;
		if (!conn.awarenessTokens.take()) {
			this.warnOnce(conn, 'awareness-rate', 'presence messages over the rate limit dropped');
			return;
		}
		awarenessProtocol.applyAwarenessUpdate(this.awareness, encodePresence(accepted), conn.ws);
	}

	/** The state with the session's user in it, or undefined when it is not a bounded JSON object. */
	private stampPresence(conn: Connection, json: string): string | undefined {
		const state = readPresenceState(json);
		if (state === null) return json; // a removal
		if (state === undefined) return undefined;
		const claimed = state.user as { colour?: unknown } | undefined;
		const colour =
			typeof claimed?.colour === 'string' && /^#[0-9a-fA-F]{6}$/.test(claimed.colour)
				? claimed.colour
				: DEFAULT_COLOUR;
		return JSON.stringify({ ...state, user: { name: conn.displayName, colour, role: conn.role } });
	}

	private warnOnce(conn: Connection, key: string, message: string): void {
		if (conn.warned.has(key)) return;
		conn.warned.add(key);
		this.server.log.warn(message, { room: this.id, user: conn.username });
	}

	/**
	 * What the update brought is in the doc (queued, on disk after the next flush, which sends the
	 * ack), unless parts of it wait for missing history (in memory only): those are acknowledged
	 * once integrated. Only this connection's own waiting updates hold its acks back, so a client
	 * that sends a crafted gap cannot stall everyone's "saved". An update the doc already had may
	 * still be in the queue, so its ack waits for the flush too.
	 */
	private acknowledge(conn: Connection, update: Uint8Array, reaches: Map<number, number>): void {
		conn.acked++;
		if (!conn.acks) return;
		const waiting: Waiting = { index: conn.acked, update, to: reaches };
		if (!this.integrated(waiting)) conn.waiting.push(waiting);
		this.ackDue.add(conn);
		this.scheduleFlush();
	}

	private sendAck(conn: Connection): void {
		if (conn.waiting.length > 0) conn.waiting = conn.waiting.filter((w) => !this.integrated(w));
		const saved = conn.waiting.length > 0 ? conn.waiting[0]!.index - 1 : conn.acked;
		if (saved <= conn.ackSent) return;
		conn.ackSent = saved;
		const encoder = encoding.createEncoder();
		encoding.writeVarUint(encoder, MESSAGE.savedAck);
		encoding.writeVarUint(encoder, saved);
		send(conn, encoding.toUint8Array(encoder));
	}

	/** Whether every struct and deletion of an update is in the doc (hence on disk). */
	private integrated(w: Waiting): boolean {
		const store = this.doc.store;
		for (const [client, clock] of w.to) if (Y.getState(store, client) < clock) return false;
		if (store.pendingDs === null) return true;
		if (!w.deletes) {
			w.deletes = new Map();
			// An update ending in a 0 byte has no deletions (a varint ends in 0 only if it is 0).
			if (w.update[w.update.length - 1] !== 0)
				for (const [client, ranges] of Y.decodeUpdate(w.update).ds.clients) {
					for (const r of ranges)
						w.deletes.set(client, Math.max(w.deletes.get(client) ?? 0, r.clock + r.len));
				}
		}
		for (const [client, end] of w.deletes) if (Y.getState(store, client) < end) return false;
		return true;
	}

	/** Drops history that waits for too much that never came (see MAX_PENDING_BYTES). */
	private limitPending(): void {
		const store = this.doc.store;
		const bytes = (store.pendingStructs?.update.length ?? 0) + (store.pendingDs?.length ?? 0);
		if (bytes <= MAX_PENDING_BYTES) return;
		store.pendingStructs = null;
		store.pendingDs = null;
		throw new UpdateGuardError(`${bytes} bytes of updates waiting for missing history`);
	}

	/** The presence ids a connection controls (removed when it closes). */
	private presenceIdsOf(conn: Connection): number[] {
		const ids: number[] = [];
		for (const [id, owner] of this.presenceOwners) if (owner === conn) ids.push(id);
		return ids;
	}

	private leave(conn: Connection): void {
		if (!this.conns.delete(conn.ws)) return;
		const ids = this.presenceIdsOf(conn);
		if (ids.length > 0) awarenessProtocol.removeAwarenessStates(this.awareness, ids, null);
		if (this.conns.size === 0) {
			this.unloadTimer = setTimeout(() => this.server.unload(this), this.server.unloadAfterMs);
		}
	}

	/** Applies an update written to the store by another writer. */
	applyFromStore(update: Uint8Array): void {
		Y.applyUpdate(this.doc, update, FROM_STORE);
		this.rows++;
	}

	/** Closes the connections of one session (logout, expiry, removed user). */
	closeSession(sessionId: string, reason = 'session ended'): void {
		for (const conn of this.conns.values()) {
			if (conn.sessionId === sessionId) {
				conn.ws.close(CLOSE.unauthorized, reason);
			}
		}
	}

	sessionIds(): Set<string> {
		return new Set(Array.from(this.conns.values(), (c) => c.sessionId));
	}

	ping(): void {
		for (const conn of this.conns.values()) {
			if (!conn.alive) {
				conn.ws.terminate();
				continue;
			}
			conn.alive = false;
			conn.ws.ping();
		}
	}

	/** Closes every connection without relaying or acknowledging what is not on disk. */
	abandon(): void {
		if (this.abandoned) return;
		this.abandoned = true;
		if (this.flushing) clearImmediate(this.flushing);
		this.flushing = null;
		this.queue = [];
		this.ackDue.clear();
		this.close(CLOSE.storeFailed, 'storage failed');
	}

	/** Writes, relays and acknowledges what is queued, then closes (shutdown, unload). */
	destroy(): void {
		this.flush(); // abandons the room instead if the commit fails
		if (!this.abandoned) this.close(1001, 'server shutting down');
	}

	private close(code: number, reason: string): void {
		// Listeners off first: destroying the awareness emits the removal of its own state.
		this.awareness.off('update', this.onAwarenessUpdate);
		this.awareness.off('change', this.onAwarenessChange);
		clearInterval(this.presenceRenewTimer);
		if (this.presenceTick) clearTimeout(this.presenceTick);
		if (this.unloadTimer) clearTimeout(this.unloadTimer);
		if (this.compactTimer) clearTimeout(this.compactTimer);
		for (const conn of this.conns.values()) conn.ws.close(code, reason);
		this.conns.clear();
		this.awareness.destroy();
		this.doc.destroy();
	}
}

export class SyncServer {
	readonly rooms = new Map<string, Room>();
	/** When each doc last changed (this process's lifetime), for the daily snapshots. */
	readonly lastChange = new Map<string, number>();
	readonly store: DocStore;
	readonly writerId: string;
	readonly log: Logger;
	readonly unloadAfterMs: number;
	readonly presenceRenewMs: number;
	readonly maxDocBytes: number;
	readonly compactAfterRows: number;
	private lastSeq: number;
	private readonly pollTimer: ReturnType<typeof setInterval>;
	private readonly pingTimer: ReturnType<typeof setInterval>;
	private readonly sessionTimer: ReturnType<typeof setInterval>;

	constructor(options: SyncOptions) {
		this.store = options.store;
		this.writerId = options.writerId;
		this.log = options.log;
		this.unloadAfterMs = options.unloadAfterMs ?? 30_000;
		this.presenceRenewMs = options.presenceRenewMs ?? PRESENCE_RENEW_MS;
		this.maxDocBytes = options.maxDocBytes ?? DEFAULT_MAX_DOC_BYTES;
		this.compactAfterRows = options.compactAfterRows ?? COMPACT_AFTER_ROWS;
		this.lastSeq = this.store.lastSeq();
		// The CLI (or another process) may write to the store while we run: pick its updates up.
		this.pollTimer = setInterval(() => this.pollStore(), options.storePollMs ?? STORE_POLL_MS);
		this.pingTimer = setInterval(() => {
			for (const room of this.rooms.values()) room.ping();
		}, options.pingIntervalMs ?? PING_INTERVAL_MS);
		// A user removed or given a new password (by the CLI, another process) is out within a second.
		const isSessionLive = options.isSessionLive ?? (() => true);
		this.sessionTimer = setInterval(() => {
			try {
				this.closeEndedSessions(isSessionLive);
			} catch (err) {
				this.log.error('checking sessions failed', { error: String(err) });
			}
		}, options.sessionCheckMs ?? SESSION_CHECK_MS);
		this.sessionTimer.unref();
	}

	closeSession(sessionId: string): void {
		for (const room of this.rooms.values()) room.closeSession(sessionId);
	}

	private closeEndedSessions(isSessionLive: (sessionId: string) => boolean): void {
		const live = new Map<string, boolean>();
		for (const room of this.rooms.values()) {
			for (const sessionId of room.sessionIds()) {
				let ok = live.get(sessionId);
				if (ok === undefined) live.set(sessionId, (ok = isSessionLive(sessionId)));
				if (!ok) room.closeSession(sessionId, 'session expired');
			}
		}
	}

	/** The room of a doc, loaded from the store on first use; throws when it cannot be loaded. */
	private room(docId: string): Room {
		let room = this.rooms.get(docId);
		if (!room) {
			room = new Room(docId, this);
			this.rooms.set(docId, room);
		}
		return room;
	}

	/**
	 * Whether a doc is in the list of tables (the `index` doc, kept loaded for this). Only admins
	 * may open others: they create tables, whose doc may reach the server before their entry.
	 */
	isListed(docId: string): boolean {
		if (docId === INDEX_DOC_ID) return true;
		return tablesMap(this.room(INDEX_DOC_ID).doc).has(docId);
	}

	connect(ws: WebSocket, docId: string, options: ConnectOptions): void {
		let room: Room;
		try {
			if (options.role !== 'admin' && !this.isListed(docId)) {
				ws.close(CLOSE.notFound, 'no such table');
				return;
			}
			room = this.room(docId);
		} catch (err) {
			// A doc that cannot be loaded is reported, and every other table goes on.
			this.log.error('loading a table failed', { room: docId, error: String(err) });
			ws.close(CLOSE.storeFailed, 'table could not be loaded');
			return;
		}
		room.join(ws, options);
	}

	/**
	 * A commit failed (disk full, I/O error): the room's doc holds updates that are not on disk.
	 * It is dropped, unacknowledged; its clients reconnect to a fresh copy loaded from the store and
	 * send what it lacks again.
	 */
	fail(room: Room, err: unknown): void {
		this.log.error('closing the room after an error (a failed commit, or one thrown in it)', {
			room: room.id,
			error: String(err),
			stack: err instanceof Error ? err.stack?.split('\n').slice(0, 4).join(' | ') : undefined
		});
		if (this.rooms.get(room.id) === room) this.rooms.delete(room.id);
		room.abandon();
	}

	unload(room: Room): void {
		// The list of tables stays loaded: every connection is checked against it.
		if (room.conns.size > 0 || room.id === INDEX_DOC_ID) return;
		this.rooms.delete(room.id);
		room.destroy();
	}

	pollStore(): void {
		try {
			this.readStore();
		} catch (err) {
			this.log.error('reading the store failed', { error: String(err) });
		}
	}

	/** Applies every row other writers committed since the last read; throws if it cannot read. */
	readStore(): void {
		for (;;) {
			const rows = this.store.since(this.lastSeq, this.writerId);
			if (rows.length === 0) return;
			for (const row of rows) {
				this.lastSeq = Math.max(this.lastSeq, row.seq);
				const room = this.rooms.get(row.docId);
				try {
					room?.applyFromStore(row.data);
				} catch (err) {
					if (room) this.fail(room, err);
				}
			}
		}
	}

	destroy(): void {
		clearInterval(this.pollTimer);
		clearInterval(this.pingTimer);
		clearInterval(this.sessionTimer);
		for (const room of this.rooms.values()) room.destroy();
		this.rooms.clear();
	}
}
