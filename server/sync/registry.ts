// The rooms of one server process: loading and unloading them, the store's rows other writers
// commit, sessions that end, and pings.
import type { WebSocket } from 'ws';
import type * as Y from 'yjs';
import { INDEX_DOC_ID, tablesMap } from '../../src/lib/doc/index-doc.ts';
import { CLOSE } from '../../src/lib/sync/protocol.ts';
import type { Logger } from '../log.ts';
import type { DocStore } from '../store.ts';
import type { ConnectOptions } from './connection.ts';
import {
	DEFAULT_MAX_CONNECTIONS_PER_USER,
	DEFAULT_MAX_DOC_BYTES,
	INBOUND_BURST
} from './limits.ts';
import { PRESENCE_RENEW_MS } from './presence.ts';
import type { Relay } from './relay.ts';
import { COMPACT_AFTER_ROWS, Room, type RoomHost } from './room.ts';

export type { ConnectOptions } from './connection.ts';
export { DEFAULT_MAX_DOC_BYTES, MAX_PRESENCE_IDS } from './limits.ts';

const PING_INTERVAL_MS = 30_000;
/** How often open connections' sessions are checked: a removed user is out within a second. */
const SESSION_CHECK_MS = 1_000;
/** How often the store is read for rows other writers (the CLI, another process) committed. */
const STORE_POLL_MS = 500;

export interface SyncOptions {
	store: DocStore;
	writerId: string;
	log: Logger;
	/** How long an empty room stays loaded, in case someone reconnects. */
	unloadAfterMs?: number;
	/** Whether a session is still valid; connections of ended sessions close with 4401. */
	isSessionLive?: (sessionId: string) => boolean | Promise<boolean>;
	/** How often connections are pinged (a peer that missed the last ping is dropped). */
	pingIntervalMs?: number;
	/** How often renewed presence states are sent on (default PRESENCE_RENEW_MS). */
	presenceRenewMs?: number;
	/** How often open connections' sessions are checked (default SESSION_CHECK_MS). */
	sessionCheckMs?: number;
	/** A table's size limit in the store (default DEFAULT_MAX_DOC_BYTES). */
	maxDocBytes?: number;
	/** Sync connections one user may have open (default DEFAULT_MAX_CONNECTIONS_PER_USER). */
	maxConnectionsPerUser?: number;
	/** Rows of a table in the store that make it due for compaction (default COMPACT_AFTER_ROWS). */
	compactAfterRows?: number;
	/** How often the store is read for other writers' rows (default STORE_POLL_MS). */
	storePollMs?: number;
	/** Cluster mode: the other server processes on the same store. */
	relay?: Relay;
}

export class SyncServer implements RoomHost {
	/** When each doc last changed (this process's lifetime), for the daily snapshots. */
	readonly lastChange = new Map<string, number>();
	readonly store: DocStore;
	readonly writerId: string;
	readonly log: Logger;
	readonly unloadAfterMs: number;
	readonly presenceRenewMs: number;
	readonly maxDocBytes: number;
	readonly compactAfterRows: number;
	readonly relay?: Relay;
	readonly maxConnectionsPerUser: number;
	/** Open sync connections per username (those that reached connect, until they close). */
	private readonly connectionsOf = new Map<string, number>();
	/** Users refused a connection and told of in the log, until one of theirs closes. */
	private readonly overLimit = new Set<string>();
	private readonly rooms = new Map<string, Room>();
	/** Rooms being loaded (one load per doc, shared by whoever joins meanwhile) or unloaded. */
	private readonly loading = new Map<string, Promise<Room>>();
	private readonly unloading = new Map<string, Promise<void>>();
	/** Rows other writers committed to docs being loaded, applied once they are. */
	/** The store read for other writers' rows under way. */
	private reading: Promise<void> | null = null;
	/** Whether the last read of the store succeeded (for /healthz: a networked store may be down). */
	storeReachable = true;
	private checkingSessions = false;
	private closed = false;
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
		this.maxConnectionsPerUser = options.maxConnectionsPerUser ?? DEFAULT_MAX_CONNECTIONS_PER_USER;
		this.compactAfterRows = options.compactAfterRows ?? COMPACT_AFTER_ROWS;
		this.relay = options.relay;
		this.relay?.listen({
			commit: (commit) => this.rooms.get(commit.docId)?.relayed(commit),
			update: (docId, update) => this.rooms.get(docId)?.relayedUpdate(update),
			presence: (docId, update) => this.rooms.get(docId)?.presence.receiveRemote(update)
		});
		// The CLI (or another process) may write to the store while we run: pick its updates up.
		this.pollTimer = setInterval(() => {
			if (this.reading) return;
			this.reading = this.readStore()
				.then(
					() => {
						if (!this.storeReachable) this.log.info('the store is reachable again');
						this.storeReachable = true;
					},
					(err: unknown) => {
						// Said once per outage, not every poll.
						if (this.storeReachable)
							this.log.error('reading the store failed', { error: String(err) });
						this.storeReachable = false;
					}
				)
				.finally(() => (this.reading = null));
		}, options.storePollMs ?? STORE_POLL_MS);
		this.pingTimer = setInterval(() => {
			for (const room of this.rooms.values()) room.ping();
		}, options.pingIntervalMs ?? PING_INTERVAL_MS);
		// A user removed or given a new password (by the CLI, another process) is out within a second.
		const isSessionLive = options.isSessionLive ?? (() => true);
		this.sessionTimer = setInterval(() => {
			if (this.checkingSessions) return;
			this.checkingSessions = true;
			this.closeEndedSessions(isSessionLive)
				.catch((err: unknown) => this.log.error('checking sessions failed', { error: String(err) }))
				.finally(() => (this.checkingSessions = false));
		}, options.sessionCheckMs ?? SESSION_CHECK_MS);
		this.sessionTimer.unref();
	}

	/** How many rooms are loaded. */
	get roomCount(): number {
		return this.rooms.size;
	}

	/** The doc of a loaded room (what clients see, committed or about to be), if it is loaded. */
	loadedDoc(docId: string): Y.Doc | undefined {
		return this.rooms.get(docId)?.doc;
	}

	holds(room: Room): boolean {
		return this.rooms.get(room.id) === room;
	}

	changed(docId: string): void {
		this.lastChange.set(docId, Date.now());
	}

	closeSession(sessionId: string): void {
		for (const room of this.rooms.values()) room.closeSession(sessionId);
	}

	private async closeEndedSessions(
		isSessionLive: (sessionId: string) => boolean | Promise<boolean>
	): Promise<void> {
		const live = new Map<string, boolean>();
		for (const room of Array.from(this.rooms.values())) {
			for (const sessionId of room.sessionIds()) {
				let ok = live.get(sessionId);
				if (ok === undefined) live.set(sessionId, (ok = await isSessionLive(sessionId)));
				if (!ok) room.closeSession(sessionId, 'session expired');
			}
		}
	}

	/** The room of a doc, loaded from the store on first use; rejects when it cannot be loaded. */
	private room(docId: string): Promise<Room> {
		const open = this.rooms.get(docId);
		if (open) return Promise.resolve(open);
		let loading = this.loading.get(docId);
		if (!loading) {
			loading = this.load(docId);
			this.loading.set(docId, loading);
			const done = () => this.loading.delete(docId);
			loading.then(done, () => {
				done();
				this.unfollowIfGone(docId);
			});
		}
		return loading;
	}

	private async load(docId: string): Promise<Room> {
		// A room being unloaded commits what it holds first.
		await this.unloading.get(docId);
		// Followed first: a commit published while the doc loads is relayed or already loaded.
		await this.relay?.follow(docId);
		const stored = await this.store.load(docId);
		if (this.closed) throw new Error('the server is shutting down');
		// Rows committed from here on are after stored.seq: the next read of the store brings them.
		const room = new Room(docId, this, stored);
		this.rooms.set(docId, room);
		return room;
	}

	/**
	 * Whether a doc is in the list of tables (the `index` doc, kept loaded for this). Only admins
	 * may open others: they create tables, whose doc may reach the server before their entry.
	 */
	async isListed(docId: string): Promise<boolean> {
		if (docId === INDEX_DOC_ID) return true;
		return tablesMap((await this.room(INDEX_DOC_ID)).doc).has(docId);
	}

	/**
	 * A change of the server's own to a doc (what a user sent through the HTTP API), applied in its
	 * room, loaded if need be: relayed to every client of this process and the others, and
	 * committed, as their updates are. Resolves with what `change` returned once it is stored;
	 * rejects when the doc cannot be loaded, with DocFullError when about `bytes` more would take
	 * it past its size limit, and with RoomFailedError when its room fails first.
	 */
	async applyChange<T>(docId: string, change: (doc: Y.Doc) => T, bytes: number): Promise<T> {
		const room = await this.room(docId);
		try {
			return await room.applyOwn(change, bytes);
		} finally {
			// Loaded for this change alone, it unloads after a while like a room everyone left.
			room.idle();
		}
	}

	/**
	 * Joins a socket to a doc's room once it is loaded. What the client sends meanwhile is kept
	 * (past INBOUND_BURST its socket is no longer read until then) and handled once it has joined.
	 */
	connect(ws: WebSocket, docId: string, options: ConnectOptions): void {
		ws.binaryType = 'arraybuffer';
		ws.on('error', (err) => {
			this.log.warn('websocket error', { room: docId, error: String(err) });
		});
		if (!this.countConnection(ws, options.username)) {
			ws.close(CLOSE.tryAgainLater, 'too many connections');
			return;
		}
		const early: (ArrayBuffer | Buffer)[] = [];
		let earlyBytes = 0;
		const hold = (data: ArrayBuffer | Buffer) => {
			early.push(data);
			earlyBytes += data.byteLength;
			if (earlyBytes > INBOUND_BURST && !ws.isPaused) ws.pause();
		};
		ws.on('message', hold);
		const open = async (): Promise<Room | undefined> => {
			if (options.role !== 'admin' && !(await this.isListed(docId))) return undefined;
			return this.room(docId);
		};
		open()
			.then((room) => {
				ws.off('message', hold);
				if (!room) {
					ws.close(CLOSE.notFound, 'no such table');
					return;
				}
				if (ws.readyState !== ws.OPEN) {
					room.idle();
					return;
				}
				room.join(ws, options, early);
				if (ws.isPaused) ws.resume();
			})
			.catch((err: unknown) => {
				// A doc that cannot be loaded is reported, and every other table goes on.
				ws.off('message', hold);
				this.log.error('loading a table failed', { room: docId, error: String(err) });
				ws.close(CLOSE.storeFailed, 'table could not be loaded');
			});
	}

	/**
	 * Counts a user's connection until it closes; false, counting nothing, when they have
	 * maxConnectionsPerUser open already (said once until their count drops below it).
	 */
	private countConnection(ws: WebSocket, username: string): boolean {
		const open = this.connectionsOf.get(username) ?? 0;
		if (open >= this.maxConnectionsPerUser) {
			if (!this.overLimit.has(username)) {
				this.overLimit.add(username);
				this.log.warn('too many connections of one user, refusing more', {
					user: username,
					open
				});
			}
			return false;
		}
		this.connectionsOf.set(username, open + 1);
		ws.once('close', () => {
			const left = (this.connectionsOf.get(username) ?? 1) - 1;
			if (left > 0) this.connectionsOf.set(username, left);
			else this.connectionsOf.delete(username);
			this.overLimit.delete(username);
		});
		return true;
	}

	/**
	 * A commit failed (disk full, I/O error), or something thrown in the room: its doc may hold
	 * updates that are not on disk. It is dropped, unacknowledged; its clients reconnect to a fresh
	 * copy loaded from the store and send what it lacks again.
	 */
	fail(room: Room, err: unknown): void {
		this.log.error('closing the room after an error (a failed commit, or one thrown in it)', {
			room: room.id,
			error: String(err),
			stack: err instanceof Error ? err.stack?.split('\n').slice(0, 4).join(' | ') : undefined
		});
		if (this.rooms.get(room.id) === room) this.rooms.delete(room.id);
		room.abandon();
		this.unfollowIfGone(room.id);
	}

	/** Stops following a doc on the relay once no room holds it or is loading it. */
	private unfollowIfGone(docId: string): void {
		if (!this.rooms.has(docId) && !this.loading.has(docId)) this.relay?.unfollow(docId);
	}

	unload(room: Room): void {
		// The list of tables stays loaded: every connection is checked against it.
		if (room.conns.size > 0 || room.id === INDEX_DOC_ID || this.rooms.get(room.id) !== room) return;
		this.rooms.delete(room.id);
		const unloading = room.destroy().catch((err: unknown) => this.fail(room, err));
		this.unloading.set(room.id, unloading);
		void unloading.then(() => {
			if (this.unloading.get(room.id) === unloading) this.unloading.delete(room.id);
			this.unfollowIfGone(room.id);
		});
	}

	/**
	 * Brings every loaded room up to its doc's last row in the store: the rows other writers (the
	 * CLI, another process) committed. One query for the heads, then one per doc that moved.
	 */
	private async readStore(): Promise<void> {
		const rooms = Array.from(this.rooms.values());
		// The list of tables' head is read even when no room is loaded: the store's reachability.
		const ids = new Set([INDEX_DOC_ID, ...rooms.map((room) => room.id)]);
		const heads = await this.store.heads(Array.from(ids));
		await Promise.all(
			rooms
				.filter((room) => (heads.get(room.id) ?? 0) > room.readSeq && this.holds(room))
				.map((room) => room.readStored().catch((err: unknown) => this.fail(room, err)))
		);
	}

	/** Commits what every room holds, then closes them (shutdown). */
	async destroy(): Promise<void> {
		this.closed = true;
		clearInterval(this.pollTimer);
		clearInterval(this.pingTimer);
		clearInterval(this.sessionTimer);
		const rooms = Array.from(this.rooms.values());
		this.rooms.clear();
		await Promise.all([
			...rooms.map((room) => room.destroy().catch((err: unknown) => this.fail(room, err))),
			...this.unloading.values()
		]);
		await this.reading?.catch(() => undefined);
	}
}
