// The durable store: an append-only update log per doc in SQLite (WAL), compacted at start-up.
//
// The server talks to it through the DocStore interface so another backend (PostgreSQL) is an
// adapter, not a rewrite. Every method is synchronous: better-sqlite3 commits before returning,
// which is what lets the sync layer write an update to disk before relaying it.
import Database from 'better-sqlite3';
import { closeSync, constants, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import * as Y from 'yjs';

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

export interface StoredUpdate {
	seq: number;
	docId: string;
	data: Uint8Array;
}

export interface DocStore {
	/** Appends one update; returns its sequence number once it is on disk. */
	append(docId: string, update: Uint8Array, writer: string): number;
	/** Every stored update of one doc, in order. */
	load(docId: string): Uint8Array[];
	/** Updates written by other writers (another process, the CLI) after `seq`. */
	since(seq: number, exceptWriter: string): StoredUpdate[];
	lastSeq(): number;
	docIds(): string[];
	/** Replaces a doc's log by one merged update, atomically. Returns rows removed. */
	compact(docId: string): number;
	/**
	 * Replaces every stored update of a doc by `state`, which must hold them all (the caller holds
	 * the doc, and calls this in a transaction after reading others' rows). Returns rows removed.
	 */
	replaceLog(docId: string, state: Uint8Array, writer: string): number;
	getMeta(key: string): string | undefined;
	setMeta(key: string, value: string): void;
	/** Runs fn in one SQLite transaction (all or nothing). */
	transaction<T>(fn: () => T): T;
	close(): void;
}

export class SqliteStore implements DocStore {
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
		// FULL: a commit is on disk before append() returns, so "saved" survives power loss too.
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
			-- For since(): a row's writer is stored after its data, which for a big update spills
			-- into overflow pages that SQLite walks to reach it; the index holds it without them.
			CREATE INDEX IF NOT EXISTS updates_writer ON updates (writer, seq);
			CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
		`);
		this.stmts = {
			append: this.db.prepare(
				'INSERT INTO updates (doc_id, data, writer, created_at) VALUES (?, ?, ?, ?)'
			),
			load: this.db.prepare('SELECT data FROM updates WHERE doc_id = ? ORDER BY seq'),
			loadWithSeq: this.db.prepare('SELECT seq, data FROM updates WHERE doc_id = ? ORDER BY seq'),
			// Other writers' rows as two ranges of updates_writer, never reading this writer's rows.
			since: this.db.prepare(
				`SELECT seq, doc_id AS docId, data FROM updates WHERE seq IN (
					SELECT seq FROM updates WHERE writer < @writer AND seq > @seq
					UNION ALL SELECT seq FROM updates WHERE writer > @writer AND seq > @seq
				) ORDER BY seq LIMIT 1000`
			),
			lastSeq: this.db.prepare('SELECT COALESCE(MAX(seq), 0) AS seq FROM updates'),
			// AUTOINCREMENT's own record: the highest seq ever committed, deleted rows included.
			highestSeq: this.db.prepare(
				"SELECT COALESCE(MAX(seq), 0) AS seq FROM sqlite_sequence WHERE name = 'updates'"
			),
			docIds: this.db.prepare('SELECT DISTINCT doc_id AS docId FROM updates ORDER BY doc_id'),
			deleteUpTo: this.db.prepare('DELETE FROM updates WHERE doc_id = ? AND seq <= ?'),
			deleteDoc: this.db.prepare('DELETE FROM updates WHERE doc_id = ?'),
			getMeta: this.db.prepare('SELECT value FROM meta WHERE key = ?'),
			setMeta: this.db.prepare(
				'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value'
			)
		};
	}

	append(docId: string, update: Uint8Array, writer: string): number {
		const info = this.stmts.append.run(docId, Buffer.from(update), writer, Date.now());
		this.unmarked = true;
		if (!this.db.inTransaction) this.mark();
		return Number(info.lastInsertRowid);
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

	load(docId: string): Uint8Array[] {
		return (this.stmts.load.all(docId) as { data: Buffer }[]).map((r) => new Uint8Array(r.data));
	}

	since(seq: number, exceptWriter: string): StoredUpdate[] {
		return (
			this.stmts.since.all({ seq, writer: exceptWriter }) as {
				seq: number;
				docId: string;
				data: Buffer;
			}[]
		).map((r) => ({ seq: r.seq, docId: r.docId, data: new Uint8Array(r.data) }));
	}

	lastSeq(): number {
		return (this.stmts.lastSeq.get() as { seq: number }).seq;
	}

	/** The highest seq ever committed to this store (rows compacted away included). */
	highestSeq(): number {
		return (this.stmts.highestSeq.get() as { seq: number }).seq;
	}

	docIds(): string[] {
		return (this.stmts.docIds.all() as { docId: string }[]).map((r) => r.docId);
	}

	compact(docId: string): number {
		return this.transaction(() => {
			const rows = this.stmts.loadWithSeq.all(docId) as { seq: number; data: Buffer }[];
			if (rows.length <= 1) return 0;
			const doc = new Y.Doc();
			doc.transact(() => {
				for (const r of rows) Y.applyUpdate(doc, new Uint8Array(r.data));
			});
			const merged = Y.encodeStateAsUpdate(doc);
			doc.destroy();
			this.stmts.deleteUpTo.run(docId, rows[rows.length - 1]!.seq);
			this.stmts.append.run(docId, Buffer.from(merged), 'compact', Date.now());
			return rows.length;
		});
	}

	replaceLog(docId: string, state: Uint8Array, writer: string): number {
		return this.transaction(() => {
			const removed = this.stmts.deleteDoc.run(docId).changes;
			this.append(docId, state, writer);
			return removed;
		});
	}

	getMeta(key: string): string | undefined {
		return (this.stmts.getMeta.get(key) as { value: string } | undefined)?.value;
	}

	setMeta(key: string, value: string): void {
		this.stmts.setMeta.run(key, value);
	}

	transaction<T>(fn: () => T): T {
		try {
			const result = this.db.transaction(fn).immediate();
			if (!this.db.inTransaction) this.mark();
			return result;
		} finally {
			// Rolled back: what it appended is not committed.
			if (!this.db.inTransaction) this.unmarked = false;
		}
	}

	close(): void {
		if (this.closed) return;
		this.closed = true;
		if (this.markFd !== undefined) closeSync(this.markFd);
		this.db.close();
	}
}

/** Loads a doc from the store; throws (and holds nothing) when a stored update cannot be applied. */
export function loadDoc(store: DocStore, docId: string): Y.Doc {
	return docFromUpdates(store.load(docId));
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

/**
 * Changes a stored doc offline (seeding, the CLI): loads it, runs `change`, appends the resulting
 * update. A running server picks the update up from the log.
 */
export function mutateDoc(
	store: DocStore,
	docId: string,
	writer: string,
	change: (doc: Y.Doc) => void
): void {
	const doc = loadDoc(store, docId);
	const before = Y.encodeStateVector(doc);
	change(doc);
	const update = Y.encodeStateAsUpdate(doc, before);
	doc.destroy();
	// An empty update is 2 bytes (no structs, no deletes): nothing to store.
	if (update.length > 2) store.append(docId, update, writer);
}
