// The durable store: an append-only update log per doc in SQLite (WAL), compacted at start-up.
//
// The server talks to it through the DocStore interface, asynchronous, so another backend
// (PostgreSQL) is an adapter, not a rewrite.
import Database from 'better-sqlite3';
import { closeSync, constants, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import * as Y from 'yjs';
import { SqliteSnapshotStore, type SnapshotStore } from './snapshots.ts';
import { SqliteUserStore, type UserStore } from './users.ts';

export const STORE_FILE = 'shinko.sqlite';
/**
 * The commit mark: the highest update seq this data dir has committed, written after each commit
 * (without fsync: it is never ahead of the store). A store found behind it at start has lost
 * committed updates — its WAL deleted, truncated or damaged — and the server refuses to start.
 */
export const MARK_FILE = 'shinko.sqlite.mark';
const MARK_WIDTH = 20;

/** The commit mark of `dataDir`, or undefined when it has none (never written, or unreadable). */
export function readCommitMark(dataDir: string): number | undefined {
	try {
		const n = Number(readFileSync(join(dataDir, MARK_FILE), 'utf8').trim());
		return Number.isSafeInteger(n) && n >= 0 ? n : undefined;
	} catch {
		return undefined;
	}
}

/** Sets the commit mark (a restore does, for the store it puts in place). */
export function writeCommitMark(dataDir: string, seq: number): void {
	const fd = openSync(join(dataDir, MARK_FILE), 'w');
	try {
		writeSync(fd, markText(seq));
	} finally {
		closeSync(fd);
	}
}

function markText(seq: number): string {
	// Fixed width, written over in place: no allocation, so it keeps working on a full disk.
	return `${String(seq).padStart(MARK_WIDTH)}\n`;
}

/**
 * A doc's stored updates in order, and the seq up to which they were read: the highest seq among
 * them, or where the read started when there were none.
 */
export interface StoredDoc {
	updates: Uint8Array[];
	seq: number;
}

/**
 * Where one commit left a doc's log: the seq of the last row it wrote, and of the row before it
 * (0: the doc had none). Every row of the doc in between is this commit's.
 */
export interface Appended {
	seq: number;
	prev: number;
}

/** What one commit writes, all or nothing. */
export interface Commit {
	/** Updates to append, each to its doc's log. */
	updates: { docId: string; update: Uint8Array }[];
	/** Meta values to set. */
	meta?: Record<string, string>;
	/**
	 * Commits only while this meta key is unset (seeding once); `commit` resolves null when it
	 * was set already, and nothing is written.
	 */
	unlessMeta?: string;
}

/**
 * The store of record: an append-only log of updates per doc, and meta values.
 *
 * Every method is asynchronous, so a networked store (PostgreSQL) is an adapter like SQLite. A
 * caller keeps at most one commit of a doc in flight: the sync layer relays an update at once and
 * says "saved" only once its commit has resolved.
 *
 * Each row has a seq, increasing along its doc's log in commit order: a row committed later has
 * a higher seq than every row of its doc committed before, so a reader that has read a doc up to
 * seq n finds everything written since by reading after n (SQLite numbers rows across docs,
 * PostgreSQL per doc). Rows no caller has read are never replaced.
 */
export interface DocStore {
	/**
	 * Appends updates in one durable commit; resolves with where it left each doc's log, or null
	 * when `unlessMeta` was set.
	 */
	commit(commit: Commit, writer: string): Promise<Map<string, Appended> | null>;
	/** A doc's stored updates in order: all of them, or those after `afterSeq`. */
	load(docId: string, afterSeq?: number): Promise<StoredDoc>;
	/** The seq of the last row of each of these docs that has any. */
	heads(docIds: string[]): Promise<Map<string, number>>;
	docIds(): Promise<string[]>;
	/** Replaces a doc's log by one merged update, atomically. Resolves with the rows removed. */
	compact(docId: string): Promise<number>;
	/**
	 * Replaces a doc's rows up to `throughSeq` (the seq of one of its rows) by `state`, which must
	 * hold them all (the caller holds the doc and has read every row up to there), atomically;
	 * the new row takes seq `throughSeq`, so readers past it read nothing new, and later rows stay.
	 * Resolves with the rows removed: 0, and nothing written, when none was left at or below
	 * `throughSeq` (another writer replaced them, up to a later row).
	 */
	replaceLog(docId: string, state: Uint8Array, throughSeq: number, writer: string): Promise<number>;
	getMeta(key: string): Promise<string | undefined>;
	close(): Promise<void>;
}

/** What the server keeps in one store: the docs, users and sessions, snapshots. */
export interface ServerStore extends DocStore {
	users(sessionTtlMs: number): UserStore;
	snapshots(): SnapshotStore;
	/**
	 * Runs `fn` unless another process is running work of the same name (cluster mode: compaction
	 * and automatic snapshots happen once, not once per process); resolves undefined if skipped.
	 */
	exclusively<T>(name: string, fn: () => Promise<T>): Promise<T | undefined>;
}

export class SqliteStore implements ServerStore {
	readonly db: Database.Database;
	private closed = false;
	private readonly stmts;
	/** The commit mark's file, opened at the first commit; whether an open transaction appended. */
	private markFd: number | undefined;
	private unmarked = false;

	constructor(private readonly dataDir: string) {
		mkdirSync(dataDir, { recursive: true });
		this.db = new Database(join(dataDir, STORE_FILE));
		this.db.pragma('journal_mode = WAL');
		// FULL: a commit is on disk before it returns, so "saved" survives power loss too.
		this.db.pragma('synchronous = FULL');
		this.db.pragma('busy_timeout = 5000');
		this.db.exec(`
			CREATE TABLE IF NOT EXISTS updates (
				seq INTEGER PRIMARY KEY AUTOINCREMENT,
				doc_id TEXT NOT NULL,
				data BLOB NOT NULL,
				writer TEXT NOT NULL DEFAULT '',
				created_at INTEGER NOT NULL
			);
			CREATE INDEX IF NOT EXISTS updates_doc ON updates (doc_id, seq);
			-- Read by since(), before reads went by doc (heads, load after a seq): no longer kept up.
			DROP INDEX IF EXISTS updates_writer;
			CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
		`);
		this.stmts = {
			append: this.db.prepare(
				'INSERT INTO updates (doc_id, data, writer, created_at) VALUES (?, ?, ?, ?)'
			),
			// A compacted log's row takes the seq of the last row it replaces (see replaceLog).
			appendAt: this.db.prepare(
				'INSERT INTO updates (seq, doc_id, data, writer, created_at) VALUES (?, ?, ?, ?, ?)'
			),
			loadAfter: this.db.prepare(
				'SELECT seq, data FROM updates WHERE doc_id = ? AND seq > ? ORDER BY seq'
			),
			head: this.db.prepare('SELECT COALESCE(MAX(seq), 0) AS seq FROM updates WHERE doc_id = ?'),
			heads: this.db.prepare(
				`SELECT doc_id AS docId, MAX(seq) AS seq FROM updates
				WHERE doc_id IN (SELECT value FROM json_each(?)) GROUP BY doc_id`
			),
			// AUTOINCREMENT's own record: the highest seq ever committed, deleted rows included.
			highestSeq: this.db.prepare(
				"SELECT COALESCE(MAX(seq), 0) AS seq FROM sqlite_sequence WHERE name = 'updates'"
			),
			docIds: this.db.prepare('SELECT DISTINCT doc_id AS docId FROM updates ORDER BY doc_id'),
			deleteUpTo: this.db.prepare('DELETE FROM updates WHERE doc_id = ? AND seq <= ?'),
			getMeta: this.db.prepare('SELECT value FROM meta WHERE key = ?'),
			setMeta: this.db.prepare(
				'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value'
			)
		};
	}

	// better-sqlite3 is synchronous: each method does its work before it returns its promise (one
	// fsync per commit), so the event loop waits for the disk as it did; the interface is what a
	// networked store needs.

	async commit(commit: Commit, writer: string): Promise<Map<string, Appended> | null> {
		return this.commitNow(commit, writer);
	}

	/** commit(), synchronously: for the offline tools (restore) that build a store in one go. */
	commitNow(commit: Commit, writer: string): Map<string, Appended> | null {
		return this.transaction(() => {
			if (commit.unlessMeta !== undefined && this.metaNow(commit.unlessMeta) !== undefined)
				return null;
			const appended = new Map<string, Appended>();
			const now = Date.now();
			for (const { docId, update } of commit.updates) {
				// One transaction at a time writes (BEGIN IMMEDIATE), so the head read here is the
				// row before this commit's.
				let at = appended.get(docId);
				if (!at) {
					const prev = (this.stmts.head.get(docId) as { seq: number }).seq;
					appended.set(docId, (at = { seq: prev, prev }));
				}
				at.seq = Number(
					this.stmts.append.run(docId, Buffer.from(update), writer, now).lastInsertRowid
				);
				this.unmarked = true;
			}
			for (const [key, value] of Object.entries(commit.meta ?? {}))
				this.stmts.setMeta.run(key, value);
			return appended;
		});
	}

	/** Moves the commit mark to what is committed now (best effort: see MARK_FILE). */
	private mark(): void {
		if (!this.unmarked) return;
		this.unmarked = false;
		try {
			// Read back, not remembered: a rolled-back savepoint's seq was never committed.
			const seq = this.highestSeq();
			this.markFd ??= openSync(join(this.dataDir, MARK_FILE), constants.O_RDWR | constants.O_CREAT);
			writeSync(this.markFd, markText(seq), 0);
		} catch {
			// No mark (a full disk before it was first made): the check at start is then skipped.
		}
	}

	async load(docId: string, afterSeq = 0): Promise<StoredDoc> {
		return this.loadNow(docId, afterSeq);
	}

	/** load(), synchronously (the offline tools). */
	loadNow(docId: string, afterSeq = 0): StoredDoc {
		const rows = this.stmts.loadAfter.all(docId, afterSeq) as { seq: number; data: Buffer }[];
		return {
			updates: rows.map((r) => new Uint8Array(r.data)),
			seq: rows.length > 0 ? rows[rows.length - 1]!.seq : afterSeq
		};
	}

	async heads(docIds: string[]): Promise<Map<string, number>> {
		const rows = this.stmts.heads.all(JSON.stringify(docIds)) as { docId: string; seq: number }[];
		return new Map(rows.map((r) => [r.docId, r.seq]));
	}

	/** The highest seq ever committed to this store (rows compacted away included). */
	highestSeq(): number {
		return (this.stmts.highestSeq.get() as { seq: number }).seq;
	}

	async docIds(): Promise<string[]> {
		return this.docIdsNow();
	}

	/** docIds(), synchronously (the offline tools). */
	docIdsNow(): string[] {
		return (this.stmts.docIds.all() as { docId: string }[]).map((r) => r.docId);
	}

	async compact(docId: string): Promise<number> {
		return this.transaction(() => {
			const rows = this.stmts.loadAfter.all(docId, 0) as { seq: number; data: Buffer }[];
			if (rows.length <= 1) return 0;
			const merged = mergedState(rows.map((r) => new Uint8Array(r.data)));
			const last = rows[rows.length - 1]!.seq;
			this.stmts.deleteUpTo.run(docId, last);
			this.stmts.appendAt.run(last, docId, Buffer.from(merged), 'compact', Date.now());
			return rows.length;
		});
	}

	async replaceLog(
		docId: string,
		state: Uint8Array,
		throughSeq: number,
		writer: string
	): Promise<number> {
		return this.transaction(() => {
			const removed = this.stmts.deleteUpTo.run(docId, throughSeq).changes;
			// Replaced already, up to a later row: what is there holds them.
			if (removed === 0) return 0;
			this.stmts.appendAt.run(throughSeq, docId, Buffer.from(state), writer, Date.now());
			return removed;
		});
	}

	/** One process writes this file: nothing to share the work with. */
	async exclusively<T>(_name: string, fn: () => Promise<T>): Promise<T> {
		return fn();
	}

	/** Users and sessions, in this store's file. */
	users(sessionTtlMs: number): SqliteUserStore {
		return new SqliteUserStore(this.db, sessionTtlMs);
	}

	/** Snapshots, in this store's file. */
	snapshots(): SqliteSnapshotStore {
		return new SqliteSnapshotStore(this.db);
	}

	async getMeta(key: string): Promise<string | undefined> {
		return this.metaNow(key);
	}

	private metaNow(key: string): string | undefined {
		return (this.stmts.getMeta.get(key) as { value: string } | undefined)?.value;
	}

	/** Runs fn in one SQLite transaction (all or nothing), then moves the commit mark. */
	private transaction<T>(fn: () => T): T {
		try {
			const result = this.db.transaction(fn).immediate();
			if (!this.db.inTransaction) this.mark();
			return result;
		} finally {
			// Rolled back: what it appended is not committed.
			if (!this.db.inTransaction) this.unmarked = false;
		}
	}

	async close(): Promise<void> {
		this.closeNow();
	}

	closeNow(): void {
		if (this.closed) return;
		this.closed = true;
		if (this.markFd !== undefined) closeSync(this.markFd);
		this.db.close();
	}
}

/** Loads a doc from the store; rejects (and holds nothing) when a stored update cannot be applied. */
export async function loadDoc(store: DocStore, docId: string): Promise<Y.Doc> {
	return docFromUpdates((await store.load(docId)).updates);
}

/** A doc of stored updates, applied in one transaction. */
export function docFromUpdates(updates: Uint8Array[]): Y.Doc {
	const doc = new Y.Doc();
	try {
		if (updates.length > 0) {
			doc.transact(() => {
				for (const u of updates) Y.applyUpdate(doc, u);
			});
		}
	} catch (err) {
		doc.destroy();
		throw err;
	}
	return doc;
}

/** One update holding everything these hold: a compacted log's row. */
export function mergedState(updates: Uint8Array[]): Uint8Array {
	const doc = docFromUpdates(updates);
	try {
		return Y.encodeStateAsUpdate(doc);
	} finally {
		doc.destroy();
	}
}

/**
 * The update `change` makes to a stored doc (seeding, the CLI), for a commit; undefined when it
 * changes nothing. A running server picks the committed update up from the log.
 */
export async function changeOf(
	store: DocStore,
	docId: string,
	change: (doc: Y.Doc) => void
): Promise<{ docId: string; update: Uint8Array } | undefined> {
	const doc = await loadDoc(store, docId);
	try {
		const before = Y.encodeStateVector(doc);
		change(doc);
		const update = Y.encodeStateAsUpdate(doc, before);
		// An empty update is 2 bytes (no structs, no deletes): nothing to store.
		return update.length > 2 ? { docId, update } : undefined;
	} finally {
		doc.destroy();
	}
}
