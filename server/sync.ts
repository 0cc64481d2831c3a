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
import { INDEX_DOC_ID } from '../src/lib/doc/index-doc.ts';
import { CLOSE, MESSAGE } from '../src/lib/sync/protocol.ts';
import { loadDoc, type DocStore } from './store.ts';
import type { Logger } from './log.ts';
import { checkAwarenessUpdate, checkUpdate, UpdateGuardError } from './update-guard.ts';
import type { Role } from './users.ts';

/** Origin of updates read back from the store (written by another process): not stored again. */
const FROM_STORE = Symbol('from-store');

const PING_INTERVAL_MS = 30_000;
/** Presence changes are gathered for this long, then sent in one message. */
const PRESENCE_TICK_MS = 50;
/**
 * How often renewed presence states are sent on. Clients renew every 15 to 18 s and drop a state
 * not renewed for 30 s: a peer hears of renewals at most 23 s apart.
 */
const PRESENCE_RENEW_MS = 5_000;

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
	/** How often connections are pinged and their sessions checked. */
	pingIntervalMs?: number;
	/** How often renewed presence states are sent on (default PRESENCE_RENEW_MS). */
	presenceRenewMs?: number;
}

export interface ConnectOptions {
	acks: boolean;
	role: Role;
	sessionId: string;
	username: string;
}

/** Presence messages a connection may send per second (bursts up to twice that). */
const AWARENESS_PER_SECOND = 20;
/** Awareness client ids one connection may control (one per tab; a few to spare). */
const MAX_AWARENESS_IDS = 4;
/**
 * Updates waiting for missing history are held in memory only. Honest clients leave them briefly
 * (an edit racing its own reconnect); a crafted gap never resolves, so past this the room drops
 * them (never stored nor acknowledged, so nothing saved is lost) and closes the sender.
 */
const MAX_PENDING_BYTES = 1024 * 1024;

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
	/** Awareness client ids this connection controls, removed when it closes. */
	clientIds: Set<number>;
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
	sessionId: string;
	username: string;
	/** Token bucket for presence messages. */
	awarenessTokens: number;
	awarenessRefilledAt: number;
	warned: Set<string>;
}

function send(conn: Connection, message: Uint8Array): void {
	if (conn.ws.readyState !== conn.ws.OPEN) return;
	conn.ws.send(message, (err) => {
		if (err) conn.ws.terminate();
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

	constructor(
		readonly id: string,
		private readonly server: SyncServer
	) {
		this.doc = loadDoc(server.store, id);
		this.awareness = new awarenessProtocol.Awareness(this.doc);
		this.awareness.setLocalState(null);
		this.doc.on('update', this.onDocUpdate);
		this.awareness.on('update', this.onAwarenessUpdate);
		this.awareness.on('change', this.onAwarenessChange);
		this.presenceRenewTimer = setInterval(this.sendPresenceRenewals, server.presenceRenewMs);
		this.presenceRenewTimer.unref();
	}

	private readonly onDocUpdate = (update: Uint8Array, origin: unknown) => {
		this.server.lastChange.set(this.id, Date.now());
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
		this.flushing = setImmediate(this.flush);
	}

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
			} catch (err) {
				this.server.fail(this, err);
				return;
			}
			this.relay(queue);
			// These updates may have brought the history that updates of any connection waited for.
			for (const conn of this.conns.values()) if (conn.waiting.length > 0) due.add(conn);
		}
		for (const conn of due) this.sendAck(conn);
	};

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
			for (const id of added.concat(updated)) conn.clientIds.add(id);
			for (const id of removed) conn.clientIds.delete(id);
		}
		for (const id of updated) this.presenceRenewed.add(id);
	};

	/** Real changes (a state added, changed or removed): sent at the next presence tick. */
	private readonly onAwarenessChange = ({ added, updated, removed }: AwarenessChanges) => {
		for (const id of added.concat(updated, removed)) this.presenceChanged.add(id);
		this.presenceTick ??= setTimeout(this.sendPresenceChanges, PRESENCE_TICK_MS);
	};

	/** One message for every change of the last tick (a client ignores its own state). */
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
	 * which know them already. A removal goes to its owner too: another client (or the server)
	 * timed the state out, and y-protocols answers its own removal by sending its state again.
	 */
	private broadcastPresence(ids: number[]): void {
		const message = awarenessMessage(this.awareness, ids);
		const states = this.awareness.getStates();
		const removal = ids.some((id) => !states.has(id));
		for (const conn of this.conns.values()) {
			if (removal || !ids.every((id) => conn.clientIds.has(id))) send(conn, message);
		}
	}

	join(ws: WebSocket, options: ConnectOptions): void {
		if (this.unloadTimer) clearTimeout(this.unloadTimer);
		this.unloadTimer = null;
		const conn: Connection = {
			ws,
			clientIds: new Set(),
			alive: true,
			askedForState: false,
			acks: options.acks,
			acked: 0,
			ackSent: 0,
			waiting: [],
			// The list of tables is the admins' to change (DESIGN.md: admin = users, tables).
			readonly: options.role === 'viewer' || (this.id === INDEX_DOC_ID && options.role !== 'admin'),
			sessionId: options.sessionId,
			username: options.username,
			awarenessTokens: AWARENESS_PER_SECOND * 2,
			awarenessRefilledAt: Date.now(),
			warned: new Set()
		};
		this.conns.set(ws, conn);
		ws.binaryType = 'arraybuffer';
		ws.on('message', (data: ArrayBuffer | Buffer) => this.onMessage(conn, data));
		ws.on('pong', () => (conn.alive = true));
		ws.on('close', () => this.leave(conn));
		ws.on('error', (err) => {
			this.server.log.warn('websocket error', { room: this.id, error: String(err) });
		});
		send(conn, syncStep1(this.doc));
		const states = this.awareness.getStates();
		if (states.size > 0) send(conn, awarenessMessage(this.awareness, Array.from(states.keys())));
	}

	private onMessage(conn: Connection, data: ArrayBuffer | Buffer): void {
		// Frames already read when the room was abandoned still arrive: its doc is gone.
		if (this.abandoned) return;
		try {
			const bytes = data instanceof ArrayBuffer ? new Uint8Array(data) : new Uint8Array(data);
			const decoder = decoding.createDecoder(bytes);
			const encoder = encoding.createEncoder();
			const type = decoding.readVarUint(decoder);
			switch (type) {
				case MESSAGE.sync: {
					const peek = decoding.clone(decoder);
					const subtype = decoding.readVarUint(peek);
					let update: Uint8Array | null = null;
					let reaches = new Map<number, number>();
					// What the answer to a step 1 carries must be on disk first, like what is relayed.
					if (subtype === syncProtocol.messageYjsSyncStep1 && this.queue.length > 0) {
						this.flush();
						if (this.abandoned) return;
					}
					if (subtype !== syncProtocol.messageYjsSyncStep1) {
						// Decoding a crafted update can take very long (yjs issue 687): check it first.
						update = decoding.readVarUint8Array(peek);
						reaches = checkUpdate(update);
						if (conn.readonly) {
							this.warnOnce(conn, 'viewer-write', 'ignored a write from a viewer');
							break;
						}
					}
					encoding.writeVarUint(encoder, MESSAGE.sync);
					const store = this.doc.store;
					this.hadPending = store.pendingStructs !== null || store.pendingDs !== null;
					// y-protocols swallows decoding errors unless given a handler: rethrow to close with 4400.
					const syncType = syncProtocol.readSyncMessage(
						decoder,
						encoder,
						this.doc,
						conn.ws,
						rethrow
					);
					this.hadPending = false;
					if (encoding.length(encoder) > 1) send(conn, encoding.toUint8Array(encoder));
					// Its answer carried the whole doc it lacked: from now on, updates as they come.
					if (syncType === syncProtocol.messageYjsSyncStep1) conn.askedForState = true;
					if (update && syncType !== syncProtocol.messageYjsSyncStep1) {
						this.limitPending();
						this.acknowledge(conn, update, reaches);
					}
					break;
				}
				case MESSAGE.awareness: {
					const update = decoding.readVarUint8Array(decoder);
					const ids = checkAwarenessUpdate(update);
					if (!this.takeAwarenessToken(conn)) {
						this.warnOnce(conn, 'awareness-rate', 'presence messages over the rate limit dropped');
						break;
					}
					const fresh = ids.filter((id) => !conn.clientIds.has(id));
					if (conn.clientIds.size + fresh.length > MAX_AWARENESS_IDS) {
						this.warnOnce(conn, 'awareness-ids', 'too many presence ids on one connection');
						break;
					}
					awarenessProtocol.applyAwarenessUpdate(this.awareness, update, conn.ws);
					break;
				}
				case MESSAGE.queryAwareness:
					send(
						conn,
						awarenessMessage(this.awareness, Array.from(this.awareness.getStates().keys()))
					);
					break;
				case MESSAGE.auth:
					break; // authentication happens at the upgrade, by cookie
				default:
					throw new Error(`unknown message type ${type}`);
			}
		} catch (err) {
			this.server.log.warn('malformed message, closing connection', {
				room: this.id,
				user: conn.username,
				error:
					err instanceof UpdateGuardError
						? err.message
						: err instanceof Error
							? err.message
							: String(err)
			});
			conn.ws.close(CLOSE.malformed, 'malformed message');
		}
	}

	private takeAwarenessToken(conn: Connection): boolean {
		const now = Date.now();
		const refill = ((now - conn.awarenessRefilledAt) / 1000) * AWARENESS_PER_SECOND;
		conn.awarenessTokens = Math.min(AWARENESS_PER_SECOND * 2, conn.awarenessTokens + refill);
		conn.awarenessRefilledAt = now;
		if (conn.awarenessTokens < 1) return false;
		conn.awarenessTokens--;
		return true;
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

	private leave(conn: Connection): void {
		if (!this.conns.delete(conn.ws)) return;
		if (conn.clientIds.size > 0) {
			awarenessProtocol.removeAwarenessStates(this.awareness, Array.from(conn.clientIds), null);
		}
		if (this.conns.size === 0) {
			this.unloadTimer = setTimeout(() => this.server.unload(this), this.server.unloadAfterMs);
		}
	}

	/** Applies an update written to the store by another writer. */
	applyFromStore(update: Uint8Array): void {
		Y.applyUpdate(this.doc, update, FROM_STORE);
	}

	/** Closes the connections of one session (logout, expiry, removed user). */
	closeSession(sessionId: string): void {
		for (const conn of this.conns.values()) {
			if (conn.sessionId === sessionId) conn.ws.close(CLOSE.unauthorized, 'session ended');
		}
	}

	ping(isSessionLive: (sessionId: string) => boolean): void {
		for (const conn of this.conns.values()) {
			if (!isSessionLive(conn.sessionId)) {
				conn.ws.close(CLOSE.unauthorized, 'session expired');
				continue;
			}
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
	private lastSeq: number;
	private readonly pollTimer: ReturnType<typeof setInterval>;
	private readonly pingTimer: ReturnType<typeof setInterval>;

	constructor(options: SyncOptions) {
		this.store = options.store;
		this.writerId = options.writerId;
		this.log = options.log;
		this.unloadAfterMs = options.unloadAfterMs ?? 30_000;
		this.presenceRenewMs = options.presenceRenewMs ?? PRESENCE_RENEW_MS;
		this.lastSeq = this.store.lastSeq();
		// The CLI (or another process) may write to the store while we run: pick its updates up.
		this.pollTimer = setInterval(() => this.pollStore(), 500);
		const isSessionLive = options.isSessionLive ?? (() => true);
		this.pingTimer = setInterval(() => {
			for (const room of this.rooms.values()) room.ping(isSessionLive);
		}, options.pingIntervalMs ?? PING_INTERVAL_MS);
	}

	closeSession(sessionId: string): void {
		for (const room of this.rooms.values()) room.closeSession(sessionId);
	}

	connect(ws: WebSocket, docId: string, options: ConnectOptions): void {
		let room = this.rooms.get(docId);
		if (!room) {
			room = new Room(docId, this);
			this.rooms.set(docId, room);
		}
		room.join(ws, options);
	}

	/**
	 * A commit failed (disk full, I/O error): the room's doc holds updates that are not on disk.
	 * It is dropped, unacknowledged; its clients reconnect to a fresh copy loaded from the store and
	 * send what it lacks again.
	 */
	fail(room: Room, err: unknown): void {
		this.log.error('writing to the store failed, closing the room', {
			room: room.id,
			error: String(err)
		});
		if (this.rooms.get(room.id) === room) this.rooms.delete(room.id);
		room.abandon();
	}

	unload(room: Room): void {
		if (room.conns.size > 0) return;
		this.rooms.delete(room.id);
		room.destroy();
	}

	pollStore(): void {
		try {
			for (;;) {
				const rows = this.store.since(this.lastSeq, this.writerId);
				if (rows.length === 0) return;
				for (const row of rows) {
					this.lastSeq = Math.max(this.lastSeq, row.seq);
					this.rooms.get(row.docId)?.applyFromStore(row.data);
				}
			}
		} catch (err) {
			this.log.error('reading the store failed', { error: String(err) });
		}
	}

	destroy(): void {
		clearInterval(this.pollTimer);
		clearInterval(this.pingTimer);
		for (const room of this.rooms.values()) room.destroy();
		this.rooms.clear();
	}
}
