// A room: one table's doc in memory, the connections editing it, and its group commit.
//
// An accepted update (checked, then applied to the doc) is relayed to the room's other
// connections at once: at the end of the event-loop turn that applied it, the updates of that turn
// merged into one message per connection. The doc's update event also queues it for the group
// commit, which writes what is
// queued in one store commit, one at a time: updates arriving while a commit is in flight wait
// for the next. Only once the commit that holds an update has resolved is its sender told it is
// saved (MESSAGE.savedAck). A relay does not wait for the disk because every replica that gets
// it keeps it, and the sender keeps what is not acknowledged: if the server dies before the
// commit, the sender sends it again and any replica that has it heals the server.
import * as Y from 'yjs';
import type { WebSocket } from 'ws';
import { changesMap, stampChange } from '../../src/lib/doc/changes.ts';
import { commentsMap, stampComment } from '../../src/lib/doc/comments.ts';
import { INDEX_DOC_ID } from '../../src/lib/doc/index-doc.ts';
import { SHAPE_ROOT } from '../../src/lib/doc/shape-doc.ts';
import { CLOSE } from '../../src/lib/sync/protocol.ts';
import type { Logger } from '../log.ts';
import { docFromUpdates, type Appended, type DocStore, type StoredDoc } from '../store.ts';
import { AdminOnlyError, AuthorshipError, checkUpdate, UpdateGuardError } from '../update-guard.ts';
import { Connection, type ConnectOptions, type Reach, type Unsaved } from './connection.ts';
import {
	INBOUND_PER_STRUCT,
	MAX_PENDING_BYTES,
	MAX_UNKNOWN_CLIENTS,
	MAX_UNSAVED_UPDATES,
	STEP1_MIN_COST
} from './limits.ts';
import {
	answerMessage,
	askStateMessage,
	decodeClientMessage,
	stateVectorClients,
	updateMessage
} from './messages.ts';
import { clientOf, FROM_API, FROM_RELAY, FROM_STORE, SERVER_STAMP } from './origins.ts';
import { Presence } from './presence.ts';
import type { Relay, RelayedCommit } from './relay.ts';

/** Roots of a table only admins may write into (server/update-guard.ts, AdminOnlyError). */
const ADMIN_ONLY_ROOTS: ReadonlySet<string> = new Set([SHAPE_ROOT]);
/**
 * A room compacts its rows in the store once it has this many, a moment after the commit that
 * reached it: a reload then reads one row (30 people typing write about 8,000 rows a minute).
 */
export const COMPACT_AFTER_ROWS = 2000;
const COMPACT_DELAY_MS = 1000;
/** A commit's updates are merged into one row up to this many bytes (see Room.rowsOf). */
const MERGE_IN_COMMIT_BYTES = 64 * 1024;

/** A change of the server's own would take a table past its size limit (maxDocBytes). */
export class DocFullError extends Error {
	override name = 'DocFullError';
}

/** The room failed (a commit, or a throw in it) before a change of the server's own was stored. */
export class RoomFailedError extends Error {
	override name = 'RoomFailedError';
}

/** What a room needs of the registry that holds it. */
export interface RoomHost {
	readonly store: DocStore;
	readonly writerId: string;
	readonly log: Logger;
	readonly unloadAfterMs: number;
	readonly presenceRenewMs: number;
	readonly maxDocBytes: number;
	readonly compactAfterRows: number;
	/** Cluster mode: the other processes, told of each commit and of presence. */
	readonly relay?: Relay;
	/** The doc changed (for the daily snapshots). */
	changed(docId: string): void;
	/** The room failed (a commit, or a throw in it): it is dropped and its clients closed. */
	fail(room: Room, err: unknown): void;
	/** Whether this is the room the registry holds for its doc (not one unloading or dropped). */
	holds(room: Room): boolean;
	/** The room has been empty for unloadAfterMs. */
	unload(room: Room): void;
}

export class Room {
	readonly doc: Y.Doc;
	readonly presence: Presence;
	readonly conns = new Set<Connection>();
	private unloadTimer: ReturnType<typeof setTimeout> | null = null;
	/**
	 * Updates applied this turn, to relay at its end, with the connection each came from and
	 * whether it is this process's to publish to the others.
	 */
	private toRelay: { update: Uint8Array; sender: Connection | undefined; publish: boolean }[] = [];
	private relaySoon: ReturnType<typeof setImmediate> | null = null;
	/** Updates applied but not yet in a commit. */
	private queue: Uint8Array[] = [];
	private commitSoon: ReturnType<typeof setImmediate> | null = null;
	/** The commit (or compaction) in flight: one at a time. */
	private inFlight: Promise<void> | null = null;
	/** Commits started, and the last one resolved: commit n holds what was queued before it. */
	private commitsStarted = 0;
	private commitsDone = 0;
	/** Set when the room failed and was dropped (see SyncServer.fail). */
	private abandoned = false;
	/** Whether the doc held updates waiting for history when the current message arrived. */
	private hadPending = false;
	/**
	 * Whether a row read from the store is being applied to a doc holding updates waiting for
	 * history: those it completes come out in its update event, and must be stored.
	 */
	private storeRowCompletes = false;
	/** Bytes of this doc in the store since its last compaction (what maxDocBytes bounds). */
	private bytes = 0;
	/** Rows of this doc in the store, how many make it due for compaction, and its timer. */
	private rows: number;
	private compactAt: number;
	private compactTimer: ReturnType<typeof setTimeout> | null = null;
	/** Every row of this doc in the store up to this seq is in the doc. */
	private stored: number;
	/** The read of rows other writers committed under way (one at a time). */
	private reading: Promise<void> | null = null;

	/** Throws when the stored updates cannot be applied (the registry reports it). */
	constructor(
		readonly id: string,
		private readonly host: RoomHost,
		stored: StoredDoc
	) {
		this.doc = docFromUpdates(stored.updates);
		for (const u of stored.updates) this.bytes += u.length;
		this.rows = stored.updates.length;
		this.stored = stored.seq;
		this.compactAt = host.compactAfterRows;
		this.presence = new Presence(this.doc, {
			roomId: id,
			log: host.log,
			connections: () => this.conns,
			guarded: (fn) => this.guarded(fn),
			renewMs: host.presenceRenewMs,
			publish: host.relay && ((update) => host.relay!.publishPresence(id, update))
		});
		this.doc.on('update', this.onDocUpdate);
		changesMap(this.doc).observe(this.onChangeRecords);
		commentsMap(this.doc).observe(this.onComments);
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
				this.host.fail(this, err);
			}
		};
	}

	// ——— the doc's changes: relayed at once, committed in groups ———

	private readonly onDocUpdate = (update: Uint8Array, origin: unknown) => {
		this.host.changed(this.id);
		this.bytes += update.length;
		// An update that also integrated others' updates waiting for history goes to its sender too.
		const sender = this.hadPending ? undefined : clientOf(origin);
		// This process's own (its clients', its stamps) go to the other processes too.
		const publish = origin !== FROM_STORE && origin !== FROM_RELAY;
		this.toRelay.push({ update, sender, publish });
		this.relaySoon ??= setImmediate(this.guardedRelay);
		if (origin === FROM_STORE && !this.storeRowCompletes) return;
		this.queue.push(update);
		this.scheduleCommit();
	};

	private readonly guardedRelay = this.guarded(() => this.relay());

	/**
	 * One message per connection that has asked for the doc: this turn's updates merged, less the
	 * connection's own. Each message is made only if someone is to get it. A burst read in one
	 * turn (a TCP read of many messages) goes out as one message, not one per update.
	 */
	private relay(): void {
		if (this.relaySoon) clearImmediate(this.relaySoon);
		this.relaySoon = null;
		const batch = this.toRelay;
		if (batch.length === 0) return;
		this.toRelay = [];
		const senders = new Set(batch.map((r) => r.sender));
		const mergedOf = (updates: Uint8Array[]) =>
			updates.length === 1 ? updates[0]! : Y.mergeUpdates(updates);
		// The whole batch merged once, for every connection that sent none of it and for the other
		// processes when all of it is this process's own (the usual case).
		let everything: Uint8Array | undefined;
		const whole = () => (everything ??= mergedOf(batch.map((r) => r.update)));
		let all: Uint8Array | undefined;
		for (const conn of this.conns) {
			if (!conn.askedForState) continue;
			if (!senders.has(conn)) {
				conn.send((all ??= updateMessage(whole())));
				continue;
			}
			const others = batch.filter((r) => r.sender !== conn).map((r) => r.update);
			if (others.length > 0) conn.send(updateMessage(mergedOf(others)));
		}
		const relay = this.host.relay;
		if (relay) {
			const own = batch.filter((r) => r.publish);
			if (own.length === batch.length) relay.publishUpdate(this.id, whole());
			else if (own.length > 0) relay.publishUpdate(this.id, mergedOf(own.map((r) => r.update)));
		}
	}

	private scheduleCommit(): void {
		if (this.commitSoon || this.inFlight || this.abandoned) return;
		this.commitSoon = setImmediate(this.guardedCommit);
	}

	private readonly guardedCommit = this.guarded(() => this.commit());

	/**
	 * Writes what is queued in one commit (the updates of this event-loop turn, or of the commit
	 * before it), then acknowledges what it holds. A failed commit drops the room unacknowledged
	 * (see SyncServer.fail): its clients send what it lacks when they reconnect.
	 */
	private commit(): void {
		this.commitSoon = null;
		if (this.abandoned || this.inFlight || this.queue.length === 0) return;
		const batch = this.queue;
		this.queue = [];
		const number = ++this.commitsStarted;
		const { store, writerId, relay } = this.host;
		const rows = this.rowsOf(batch);
		this.inFlight = store.commit({ updates: rows }, writerId).then(
			this.guarded((appended: Map<string, Appended> | null) => {
				this.inFlight = null;
				if (this.abandoned) return;
				this.commitsDone = number;
				this.rows++;
				const at = appended?.get(this.id);
				if (at) {
					relay?.publishCommit({ docId: this.id, ...at, updates: rows.map((r) => r.update) });
					this.reached(at, []);
				}
				this.afterCommit();
			}),
			(err: unknown) => {
				this.inFlight = null;
				this.host.fail(this, err);
			}
		);
	}

	/**
	 * The rows a commit writes: keystrokes merged, up to MERGE_IN_COMMIT_BYTES a row (fewer rows
	 * to read and compact, and however many queued behind a slow commit, a bounded number of rows
	 * in one statement), big updates as they are, since merging costs time in proportion to their
	 * size and the relay already merged them once.
	 */
	private rowsOf(batch: Uint8Array[]): { docId: string; update: Uint8Array }[] {
		const rows: Uint8Array[] = [];
		let group: Uint8Array[] = [];
		let bytes = 0;
		const flush = () => {
			if (group.length > 0) rows.push(group.length === 1 ? group[0]! : Y.mergeUpdates(group));
			group = [];
			bytes = 0;
		};
		for (const update of batch) {
			if (update.length > MERGE_IN_COMMIT_BYTES) {
				flush();
				rows.push(update);
				continue;
			}
			if (bytes + update.length > MERGE_IN_COMMIT_BYTES) flush();
			group.push(update);
			bytes += update.length;
		}
		flush();
		return rows.map((update) => ({ docId: this.id, update }));
	}

	/** Another process's commit of this doc (cluster mode's relay). */
	relayed(commit: RelayedCommit): void {
		this.reached(commit, commit.updates);
	}

	/**
	 * Rows of this doc are in the log from at.prev (exclusive) to at.seq: this room's own commit
	 * (`updates` empty: they are in the doc already), or another process's (`updates` null when
	 * too big to relay). If every row before them is in the doc, so is everything up to at.seq
	 * once `updates` are applied; if not, another writer committed since the last read, and the
	 * rows are read from the store.
	 */
	private reached(at: Appended, updates: Uint8Array[] | null): void {
		if (this.abandoned || at.seq <= this.stored) return;
		if (updates && at.prev <= this.stored) {
			try {
				for (const update of updates) this.applyFromStore(update);
			} catch (err) {
				this.host.fail(this, err);
				return;
			}
			this.stored = at.seq;
		} else void this.readStored().catch((err: unknown) => this.host.fail(this, err));
	}

	/** The seq up to which every row of this doc in the store is in the doc. */
	get readSeq(): number {
		return this.stored;
	}

	/**
	 * Applies the rows committed after readSeq (other writers', and this room's own, which change
	 * nothing); rejects when they cannot be read or applied. One read at a time: a call during one
	 * reads again after it.
	 */
	readStored(): Promise<void> {
		const previous = this.reading ?? Promise.resolve();
		const next = previous
			.catch(() => undefined)
			.then(async () => {
				if (this.abandoned) return;
				const rows = await this.host.store.load(this.id, this.stored);
				if (this.abandoned) return;
				for (const update of rows.updates) this.applyFromStore(update);
				this.stored = Math.max(this.stored, rows.seq);
			});
		this.reading = next;
		const done = () => {
			if (this.reading === next) this.reading = null;
		};
		next.then(done, done);
		return next;
	}

	private afterCommit(): void {
		for (const conn of this.conns) if (conn.unsaved.length > 0) this.sendSaved(conn);
		if (this.queue.length > 0) this.scheduleCommit();
		else if (this.rows >= this.compactAt)
			this.compactTimer ??= setTimeout(this.guardedCompact, COMPACT_DELAY_MS);
	}

	/** The commit that will hold everything the doc holds now (done already when ≤ commitsDone). */
	private commitHoldingNow(): number {
		return this.queue.length > 0 ? this.commitsStarted + 1 : this.commitsStarted;
	}

	/** Resolves once everything the doc holds is committed (or the room failed). */
	async settle(): Promise<void> {
		while (!this.abandoned) {
			if (this.inFlight) await this.inFlight;
			else if (this.queue.length > 0) {
				if (this.commitSoon) clearImmediate(this.commitSoon);
				this.commitSoon = null;
				this.guardedCommit();
			} else return;
		}
	}

	// ——— saved-acks ———

	/** Counts an update a connection sent, saved once the commit holding it resolves. */
	private received(conn: Connection, reach: Reach): void {
		conn.updatesReceived++;
		if (!conn.user.acks) return;
		const entry: Unsaved = { index: conn.updatesReceived, commit: this.commitHoldingNow() };
		if (!this.integrated(reach)) {
			entry.commit = undefined;
			entry.waiting = reach;
		}
		conn.unsaved.push(entry);
		this.sendSaved(conn);
		if (conn.unsaved.length > MAX_UNSAVED_UPDATES) {
			this.warnOnce(conn, 'unsaved', 'too many updates waiting for their history, closing');
			conn.close(CLOSE.tryAgainLater, 'too many updates waiting');
		}
	}

	/**
	 * Acknowledges a connection's updates up to the first not yet committed. Parts of an update
	 * may wait for history the room lacks (in memory only): it is acknowledged once they are
	 * integrated and committed. Only a connection's own waiting updates hold its acks back, so a
	 * client that sends a crafted gap cannot stall everyone's "saved".
	 */
	private sendSaved(conn: Connection): void {
		let saved = 0;
		let done = 0;
		for (const entry of conn.unsaved) {
			if (entry.commit === undefined) {
				if (!this.integrated(entry.waiting!)) break;
				entry.commit = this.commitHoldingNow();
				entry.waiting = undefined;
			}
			if (entry.commit > this.commitsDone) break;
			saved = entry.index;
			done++;
		}
		if (done === 0) return;
		conn.unsaved.splice(0, done);
		conn.sendSaved(saved);
	}

	/** Whether every struct and deletion of an update is in the doc. */
	private integrated(reach: Reach): boolean {
		const store = this.doc.store;
		for (const [client, clock] of reach.to) if (Y.getState(store, client) < clock) return false;
		if (store.pendingDs === null) return true;
		for (const [client, end] of reach.deletes) if (Y.getState(store, client) < end) return false;
		return true;
	}

	// ——— the server's time stamps ———

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
		const conn = clientOf(tr.origin);
		return conn !== undefined && this.conns.has(conn);
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

	// ——— the server's own changes ———

	/**
	 * Applies a change of the server's own (what a user sent through the HTTP API) in one
	 * transaction: relayed to every connection and to the other processes, and committed, like any
	 * client's update. Resolves with what `change` returned once the commit holding it has
	 * resolved; rejects with DocFullError, before changing anything, when about `bytes` more would
	 * take the table past its size limit, and with RoomFailedError when the room fails first. A
	 * change that throws before writing anything (a refusal) changes nothing and rejects with it.
	 */
	async applyOwn<T>(change: (doc: Y.Doc) => T, bytes: number): Promise<T> {
		if (this.abandoned) throw new RoomFailedError(`room ${this.id} was closed`);
		if (this.bytes + bytes > this.host.maxDocBytes)
			throw new DocFullError(`table ${this.id} is at its size limit`);
		let result!: T;
		this.doc.transact(() => (result = change(this.doc)), FROM_API);
		await this.committedThrough(this.commitHoldingNow());
		return result;
	}

	/** Resolves once commit `n` has resolved; rejects when the room fails before. */
	private async committedThrough(n: number): Promise<void> {
		while (this.commitsDone < n) {
			if (this.abandoned) throw new RoomFailedError(`room ${this.id} failed before its commit`);
			// The commit in flight (or a compaction holding the slot), else the one scheduled for
			// the next turn of the event loop.
			if (this.inFlight) await this.inFlight;
			else await new Promise((resolve) => setImmediate(resolve));
		}
	}

	// ——— connections ———

	/** Adds a connection; `early` holds what it sent while the room was loading. */
	join(ws: WebSocket, user: ConnectOptions, early: (ArrayBuffer | Buffer)[] = []): void {
		// Dropped while this socket waited for it to load (a failed commit, or a throw).
		if (this.abandoned) {
			ws.close(CLOSE.storeFailed, 'storage failed');
			return;
		}
		if (this.unloadTimer) clearTimeout(this.unloadTimer);
		this.unloadTimer = null;
		// The list of tables is the admins' to change (DESIGN.md: admin = users, tables).
		const writable = user.role !== 'viewer' && (this.id !== INDEX_DOC_ID || user.role === 'admin');
		const conn = new Connection(ws, user, writable);
		this.conns.add(conn);
		ws.on(
			'message',
			this.guarded((data: ArrayBuffer | Buffer) => this.receive(conn, data))
		);
		ws.on('pong', () => (conn.alive = true));
		ws.on(
			'close',
			this.guarded(() => this.leave(conn))
		);
		conn.send(askStateMessage(this.doc));
		const everyone = this.presence.all();
		if (everyone) conn.send(everyone);
		for (const data of early) this.guarded(() => this.receive(conn, data))();
	}

	private receive(conn: Connection, data: ArrayBuffer | Buffer): void {
		// Frames already read when the room was abandoned still arrive: its doc is gone. Nothing
		// from a connection being closed (an ended session, a refused message) is applied either.
		if (this.abandoned || !conn.open) return;
		try {
			const bytes = new Uint8Array(data);
			conn.throttle(bytes.length);
			const message = decodeClientMessage(bytes);
			switch (message.kind) {
				case 'askState':
					this.answer(conn, message.stateVector);
					break;
				case 'update':
					this.applyFrom(conn, message.update);
					break;
				case 'presence':
					this.presence.receive(conn, message.update);
					break;
				case 'queryPresence': {
					if (!conn.queryTokens.take()) {
						this.warnOnce(conn, 'query-rate', 'presence queries over the rate limit dropped');
						break;
					}
					const everyone = this.presence.all();
					if (everyone) conn.send(everyone);
					break;
				}
				case 'auth':
					break; // authentication happens at the upgrade, by cookie
			}
		} catch (err) {
			// Past the guards, Yjs ran out of stack on a structure it cannot handle: the doc may hold
			// part of the update, so the room is dropped unstored, as on a failed commit (guarded).
			if (err instanceof RangeError) throw err;
			this.refuse(conn, err);
		}
	}

	private refuse(conn: Connection, err: unknown): void {
		const authorship = err instanceof AuthorshipError;
		const adminOnly = err instanceof AdminOnlyError;
		this.host.log.warn(
			authorship
				? 'update names another author, closing connection'
				: adminOnly
					? 'update changes what only admins may change, closing connection'
					: 'malformed message, closing connection',
			{
				room: this.id,
				user: conn.user.username,
				error: err instanceof Error ? err.message : String(err)
			}
		);
		conn.close(
			authorship || adminOnly ? CLOSE.forbidden : CLOSE.malformed,
			authorship ? 'another author' : adminOnly ? 'admins only' : 'malformed message'
		);
	}

	/**
	 * Answers a sync step 1 with what the doc holds beyond the client's state vector (some of it
	 * maybe not yet committed: every replica keeps what it gets). From then on the connection gets
	 * updates as they come.
	 */
	private answer(conn: Connection, stateVector: Uint8Array): void {
		// Yjs reads every client a state vector names before it answers: at most those of the doc
		// and MAX_UNKNOWN_CLIENTS more, checked before anything of it is read. (Not an admin's: after
		// a restore from an old backup their device may know many more, and gives them back.)
		const known = this.doc.store.clients.size + MAX_UNKNOWN_CLIENTS;
		if (conn.user.role !== 'admin' && stateVectorClients(stateVector) > known)
			throw new UpdateGuardError('state vector names too many clients');
		// Its answer can be the whole table: a client asks once per connection.
		const cost = Math.max(STEP1_MIN_COST, this.bytes, stateVector.length);
		if (!conn.askStateTokens.take(cost)) {
			this.warnOnce(conn, 'step1-rate', 'sync step 1 over the rate limit dropped');
			return;
		}
		// This turn's relays go out first: the answer carries those updates, which must not then
		// be relayed to this connection again.
		this.relay();
		conn.send(answerMessage(this.doc, stateVector));
		conn.askedForState = true;
	}

	/** Checks an update (sync update or step 2), applies it, and counts it for the sender's acks. */
	private applyFrom(conn: Connection, update: Uint8Array): void {
		if (conn.readonly) {
			this.warnOnce(
				conn,
				'read-only-write',
				conn.user.role === 'viewer'
					? 'ignored a write from a viewer'
					: 'ignored a write to the list of tables from a non-admin'
			);
			return;
		}
		// Decoding a crafted update can take very long (yjs issue 687): check it first. Admins may
		// send records in others' names: after a restore, an admin's device gives the server back
		// everyone's records it lacks (for anyone else, a replay of them cannot be told from a
		// forgery). Admins can change anything anyway.
		const admin = conn.user.role === 'admin';
		const check = checkUpdate(update, {
			doc: this.doc,
			author: admin ? undefined : conn.user.displayName,
			// The table's shape is changed in 表の設定, by admins (src/lib/doc/shape-doc.ts).
			adminOnlyRoots: admin ? undefined : ADMIN_ONLY_ROOTS,
			// After a restore an admin's device gives the server back everything it lacks at once.
			maxStructs: admin ? Infinity : undefined
		});
		// Each struct costs Yjs an object to build and to integrate, whatever its size: an update
		// of tiny ones is read as if it were that much larger (see INBOUND_PER_STRUCT).
		conn.throttle(check.structs * INBOUND_PER_STRUCT);
		if (this.bytes + check.freshBytes > this.host.maxDocBytes) {
			this.warnOnce(conn, 'doc-too-large', 'table at its size limit, closing connection');
			conn.close(CLOSE.docTooLarge, 'table size limit');
			return;
		}
		const store = this.doc.store;
		this.hadPending = store.pendingStructs !== null || store.pendingDs !== null;
		try {
			Y.applyUpdate(this.doc, update, conn);
		} finally {
			this.hadPending = false;
		}
		this.stampAccepted();
		this.limitPending();
		this.received(conn, { to: check.reaches, deletes: check.deleteEnds });
	}

	/** Drops history that waits for too much that never came (see MAX_PENDING_BYTES). */
	private limitPending(): void {
		const store = this.doc.store;
		const bytes = (store.pendingStructs?.update.length ?? 0) + (store.pendingDs?.length ?? 0);
		if (bytes <= MAX_PENDING_BYTES) return;
		store.pendingStructs = null;
		store.pendingDs = null;
		// Updates of other connections were waiting too: never to be acknowledged now, so their
		// clients reconnect and send them again.
		for (const other of this.conns) {
			if (other.unsaved.some((entry) => entry.waiting !== undefined))
				other.close(CLOSE.tryAgainLater, 'updates waiting for history dropped');
		}
		throw new UpdateGuardError(`${bytes} bytes of updates waiting for missing history`);
	}

	private warnOnce(conn: Connection, key: string, message: string): void {
		conn.warnOnce(this.host.log, this.id, key, message);
	}

	private leave(conn: Connection): void {
		if (!this.conns.delete(conn)) return;
		this.presence.leave(conn);
		this.idle();
	}

	/** Unloads the room after a while if nobody is in it. */
	idle(): void {
		if (this.conns.size > 0 || this.unloadTimer || this.abandoned) return;
		this.unloadTimer = setTimeout(() => {
			this.unloadTimer = null;
			this.host.unload(this);
		}, this.host.unloadAfterMs);
	}

	/**
	 * Another process's clients' update, sent on before its commit (cluster mode): relayed to this
	 * room's clients at once, and committed here too, so that whatever this room's clients write
	 * on top of it never sits in the store without it. Never published again.
	 */
	relayedUpdate(update: Uint8Array): void {
		if (this.abandoned) return;
		try {
			Y.applyUpdate(this.doc, update, FROM_RELAY);
		} catch (err) {
			this.host.fail(this, err);
		}
	}

	/** Applies an update written to the store by another writer. */
	applyFromStore(update: Uint8Array): void {
		this.storeRowCompletes = this.holdsPending();
		try {
			Y.applyUpdate(this.doc, update, FROM_STORE);
		} finally {
			this.storeRowCompletes = false;
		}
		this.rows++;
	}

	/** Closes the connections of one session (logout, expiry, removed user). */
	closeSession(sessionId: string, reason = 'session ended'): void {
		for (const conn of this.conns) {
			if (conn.user.sessionId === sessionId) conn.close(CLOSE.unauthorized, reason);
		}
	}

	sessionIds(): Set<string> {
		return new Set(Array.from(this.conns, (c) => c.user.sessionId));
	}

	ping(): void {
		for (const conn of this.conns) {
			if (!conn.alive) {
				conn.ws.terminate();
				continue;
			}
			conn.alive = false;
			conn.ws.ping();
		}
	}

	// ——— compaction ———

	private readonly guardedCompact = this.guarded(() => {
		this.compactTimer = null;
		this.compact().catch((err: unknown) => {
			// The rows are as they were (a full disk, say): the table is served, and tried again later.
			this.compactAt = this.rows + this.host.compactAfterRows;
			this.host.log.warn('compacting a table failed; tried again later', {
				room: this.id,
				error: String(err)
			});
		});
	});

	private laterCompact(): void {
		this.compactTimer ??= setTimeout(this.guardedCompact, COMPACT_DELAY_MS);
	}

	/** Whether the doc holds updates waiting for history (in memory only, never stored). */
	private holdsPending(): boolean {
		const { pendingStructs, pendingDs } = this.doc.store;
		return pendingStructs !== null || pendingDs !== null;
	}

	/**
	 * Replaces the doc's rows in the store by its state, while the server runs (a reload from tens
	 * of thousands of rows blocks for seconds; from one, milliseconds). It takes the commit slot,
	 * so the doc holds exactly what is committed plus what waits in the queue, once it has read
	 * every row others committed. Rows committed after that stay. A failure leaves the rows as
	 * they were.
	 */
	private async compact(): Promise<void> {
		if (this.abandoned) return;
		// The doc's state would carry updates waiting for history: wait until they are integrated
		// or dropped.
		if (this.queue.length > 0 || this.inFlight || this.commitSoon || this.holdsPending()) {
			this.laterCompact();
			return;
		}
		let release!: () => void;
		this.inFlight = new Promise<void>((resolve) => (release = resolve));
		try {
			const started = performance.now();
			await this.readStored();
			// A room unloading or dropped no longer reads the store: leave the log to the next one.
			if (this.abandoned || !this.host.holds(this)) return;
			if (this.holdsPending()) {
				this.laterCompact();
				return;
			}
			const state = Y.encodeStateAsUpdate(this.doc);
			const through = this.stored;
			const { store, writerId, log } = this.host;
			const removed = await store.replaceLog(this.id, state, through, writerId);
			this.rows = 1;
			this.compactAt = this.host.compactAfterRows;
			this.bytes = state.length;
			log.info('compacted a table', {
				room: this.id,
				rows: removed,
				bytes: this.bytes,
				ms: Math.round(performance.now() - started)
			});
		} finally {
			this.inFlight = null;
			release();
			if (this.queue.length > 0) this.scheduleCommit();
		}
	}

	// ——— the end ———

	/** Closes every connection without acknowledging what is not committed. */
	abandon(): void {
		if (this.abandoned) return;
		this.abandoned = true;
		if (this.commitSoon) clearImmediate(this.commitSoon);
		this.commitSoon = null;
		if (this.relaySoon) clearImmediate(this.relaySoon);
		this.relaySoon = null;
		this.queue = [];
		this.toRelay = [];
		this.close(CLOSE.storeFailed, 'storage failed');
	}

	/** Commits and acknowledges what the doc holds, then closes (shutdown, unload). */
	async destroy(): Promise<void> {
		this.relay();
		await this.settle(); // abandons the room instead if a commit fails
		if (!this.abandoned) this.close(1001, 'server shutting down');
	}

	private close(code: number, reason: string): void {
		this.presence.destroy();
		if (this.unloadTimer) clearTimeout(this.unloadTimer);
		if (this.compactTimer) clearTimeout(this.compactTimer);
		for (const conn of this.conns) conn.close(code, reason);
		this.conns.clear();
		this.doc.destroy();
	}
}
