// The store of record in PostgreSQL (cluster mode, `DATABASE_URL`): the same DocStore as SQLite's,
// for several server processes at once.
//
// Seqs are per doc and without gaps: `docs.head` is the seq of a doc's last row, and a commit
// raises it under the row's lock, held until the commit ends. So a doc's rows are numbered in the
// order their commits end, and a reader that has read a doc up to seq n never later finds a row
// below n: a commit still open holds the lock, and the next one numbers after it.
import pg from 'pg';
import type { Logger } from '../log.ts';
import {
	mergedState,
	type Appended,
	type Commit,
	type ServerStore,
	type StoredDoc
} from '../store.ts';
import { SERVER_LOCK } from './copy.ts';
import { checkOut, createPool, inTransaction } from './pool.ts';
import { PgSnapshotStore, SNAPSHOT_SCHEMA } from './snapshots.ts';
import { PgUserStore, USER_SCHEMA } from './users.ts';

/** The schema, created at start; every statement may run again (several processes start at once). */
const SCHEMA = [
	`CREATE TABLE IF NOT EXISTS docs (
		doc_id TEXT PRIMARY KEY,
		head BIGINT NOT NULL
	)`,
	`CREATE TABLE IF NOT EXISTS updates (
		doc_id TEXT NOT NULL,
		seq BIGINT NOT NULL,
		data BYTEA NOT NULL,
		writer TEXT NOT NULL DEFAULT '',
		created_at BIGINT NOT NULL,
		PRIMARY KEY (doc_id, seq)
	)`,
	`CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)`,
	// This store's id, in the relay's keys: a Redis shared by several stores, or holding what a
	// store was before a restore, never mixes them up. A restore or migration gives a new one.
	`INSERT INTO meta (key, value) VALUES ('store-id', gen_random_uuid()::text) ON CONFLICT DO NOTHING`
];
/** Rows of one doc in one INSERT statement at most. */
const APPEND_ROWS = 500;
/** Taken by whoever creates or migrates the schema; the others wait for it. */
const SCHEMA_LOCK = 0x5348494e; // 'SHIN'

/**
 * Appends one doc's updates and raises its head, in one statement: the head's new value, and so
 * every row's seq, is taken under the docs row's lock.
 */
async function append(
	client: pg.Pool | pg.PoolClient,
	docId: string,
	updates: Uint8Array[],
	writer: string,
	now: number
): Promise<Appended> {
	const n = updates.length;
	const values = updates.map((_, i) => `(${i + 1}, $${i + 5}::bytea)`).join(', ');
	const { rows } = await client.query<{ head: string }>(
		`WITH h AS (
			INSERT INTO docs AS d (doc_id, head) VALUES ($1, $2::bigint)
			ON CONFLICT (doc_id) DO UPDATE SET head = d.head + excluded.head RETURNING head
		), u AS (
			INSERT INTO updates (doc_id, seq, data, writer, created_at)
			SELECT $1, h.head - $2::bigint + v.i, v.data, $3, $4::bigint FROM h, (VALUES ${values}) AS v(i, data)
		)
		SELECT head FROM h`,
		[docId, n, writer, now, ...updates.map((u) => Buffer.from(u.buffer, u.byteOffset, u.length))]
	);
	const seq = Number(rows[0]!.head);
	return { seq, prev: seq - n };
}

export class PgStore implements ServerStore {
	/** The connection holding SERVER_LOCK while a server runs on this store (markServing). */
	private serving: pg.Client | null = null;
	private closed = false;

	private constructor(
		readonly pool: pg.Pool,
		private readonly url: string,
		private readonly log: Logger
	) {}

	/** Connects and creates (or migrates) the schema. */
	static async open(url: string, log: Logger): Promise<PgStore> {
		const pool = createPool(url, log);
		try {
			await migrate(pool);
		} catch (err) {
			await pool.end();
			throw err;
		}
		return new PgStore(pool, url, log);
	}

	/**
	 * Holds SERVER_LOCK (shared) while this process serves, on a connection of its own: `shinko
	 * restore` refuses while any server holds it. Taken again if that connection breaks.
	 */
	async markServing(): Promise<void> {
		const client = new pg.Client({ connectionString: this.url });
		client.on('error', (err) => {
			this.log.warn('the connection marking this server as running failed', {
				error: String(err)
			});
			if (this.serving === client) this.serving = null;
			const retry = () => {
				if (this.closed || this.serving) return;
				this.markServing().catch(() => setTimeout(retry, 2000).unref());
			};
			setTimeout(retry, 2000).unref();
		});
		await client.connect();
		try {
			await client.query('SELECT pg_advisory_lock_shared($1)', [SERVER_LOCK]);
		} catch (err) {
			await client.end().catch(() => undefined);
			throw err;
		}
		if (this.closed) await client.end();
		else this.serving = client;
	}

	async commit(commit: Commit, writer: string): Promise<Map<string, Appended> | null> {
		const byDoc = new Map<string, Uint8Array[]>();
		for (const { docId, update } of commit.updates) {
			let list = byDoc.get(docId);
			if (!list) byDoc.set(docId, (list = []));
			list.push(update);
		}
		const now = Date.now();
		// The sync path: one doc, no meta, a few rows, one statement (its own transaction).
		const rows = commit.updates.length;
		if (
			byDoc.size === 1 &&
			rows <= APPEND_ROWS &&
			!commit.meta &&
			commit.unlessMeta === undefined
		) {
			const [docId, updates] = byDoc.entries().next().value!;
			return new Map([[docId, await append(this.pool, docId, updates, writer, now)]]);
		}
		return inTransaction(this.pool, async (client) => {
			if (commit.unlessMeta !== undefined) {
				// Whoever takes the lock first writes; the others find the key set once they have it.
				await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [
					`shinko.meta.${commit.unlessMeta}`
				]);
				const set = await client.query('SELECT 1 FROM meta WHERE key = $1', [commit.unlessMeta]);
				if (set.rowCount) return null;
			}
			const appended = new Map<string, Appended>();
			// In one order for every commit, so two commits of the same docs cannot deadlock.
			for (const docId of Array.from(byDoc.keys()).sort()) {
				const updates = byDoc.get(docId)!;
				// A statement's parameters are few (65,535 at most): many rows go in several, one
				// after the other under the doc row's lock the first one takes.
				let first: Appended | undefined;
				let last!: Appended;
				for (let i = 0; i < updates.length; i += APPEND_ROWS) {
					last = await append(client, docId, updates.slice(i, i + APPEND_ROWS), writer, now);
					first ??= last;
				}
				appended.set(docId, { seq: last.seq, prev: first!.prev });
			}
			for (const [key, value] of Object.entries(commit.meta ?? {})) {
				await client.query(
					'INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
					[key, value]
				);
			}
			return appended;
		});
	}

	async load(docId: string, afterSeq = 0): Promise<StoredDoc> {
		const { rows } = await this.pool.query<{ seq: string; data: Buffer }>(
			'SELECT seq, data FROM updates WHERE doc_id = $1 AND seq > $2 ORDER BY seq',
			[docId, afterSeq]
		);
		return {
			updates: rows.map((r) => new Uint8Array(r.data.buffer, r.data.byteOffset, r.data.length)),
			seq: rows.length > 0 ? Number(rows[rows.length - 1]!.seq) : afterSeq
		};
	}

	async heads(docIds: string[]): Promise<Map<string, number>> {
		if (docIds.length === 0) return new Map();
		const { rows } = await this.pool.query<{ doc_id: string; head: string }>(
			'SELECT doc_id, head FROM docs WHERE doc_id = ANY($1::text[])',
			[docIds]
		);
		return new Map(rows.map((r) => [r.doc_id, Number(r.head)]));
	}

	async docIds(): Promise<string[]> {
		const { rows } = await this.pool.query<{ doc_id: string }>(
			'SELECT doc_id FROM docs ORDER BY doc_id COLLATE "C"'
		);
		return rows.map((r) => r.doc_id);
	}

	async compact(docId: string): Promise<number> {
		return inTransaction(this.pool, async (client) => {
			if (!(await compactionLock(client, docId))) return 0;
			const { rows } = await client.query<{ seq: string; data: Buffer }>(
				'SELECT seq, data FROM updates WHERE doc_id = $1 ORDER BY seq',
				[docId]
			);
			if (rows.length <= 1) return 0;
			const merged = mergedState(rows.map((r) => new Uint8Array(r.data)));
			const last = rows[rows.length - 1]!.seq;
			await replaceRows(client, docId, merged, Number(last), 'compact');
			return rows.length;
		});
	}

	async replaceLog(
		docId: string,
		state: Uint8Array,
		throughSeq: number,
		writer: string
	): Promise<number> {
		return inTransaction(this.pool, async (client) => {
			if (!(await compactionLock(client, docId))) return 0;
			return replaceRows(client, docId, state, throughSeq, writer);
		});
	}

	async exclusively<T>(name: string, fn: () => Promise<T>): Promise<T | undefined> {
		// A session-level lock on a connection of its own, held while fn runs. A connection that
		// fails to unlock is closed, not reused: closing it lets the lock go.
		const { client, release } = await checkOut(this.pool);
		const key = `shinko.${name}`;
		let broken = false;
		try {
			const { rows } = await client.query<{ locked: boolean }>(
				'SELECT pg_try_advisory_lock(hashtext($1)) AS locked',
				[key]
			);
			if (!rows[0]!.locked) return undefined;
			try {
				return await fn();
			} finally {
				await client.query('SELECT pg_advisory_unlock(hashtext($1))', [key]).catch(() => {
					broken = true;
				});
			}
		} catch (err) {
			broken = true;
			throw err;
		} finally {
			release(broken);
		}
	}

	/** Whether a server process runs on this database (holds SERVER_LOCK). */
	async serversRunning(): Promise<boolean> {
		return inTransaction(this.pool, async (client) => {
			const { rows } = await client.query<{ free: boolean }>(
				'SELECT pg_try_advisory_xact_lock($1) AS free',
				[SERVER_LOCK]
			);
			return !rows[0]!.free;
		});
	}

	/** Users and sessions, in this database. */
	users(sessionTtlMs: number): PgUserStore {
		return new PgUserStore(this.pool, sessionTtlMs);
	}

	/** Snapshots, in this database. */
	snapshots(): PgSnapshotStore {
		return new PgSnapshotStore(this.pool);
	}

	async getMeta(key: string): Promise<string | undefined> {
		const { rows } = await this.pool.query<{ value: string }>(
			'SELECT value FROM meta WHERE key = $1',
			[key]
		);
		return rows[0]?.value;
	}

	async close(): Promise<void> {
		this.closed = true;
		await this.serving?.end().catch(() => undefined);
		this.serving = null;
		await this.pool.end();
	}
}

/**
 * Whether this transaction may replace a doc's log: a process that finds another doing it leaves
 * it be (compaction happens once, not once per process). Commits are not held up: they only add
 * rows above the head, and a replacement only touches rows at or below a seq it has read.
 */
async function compactionLock(client: pg.PoolClient, docId: string): Promise<boolean> {
	const { rows } = await client.query<{ locked: boolean }>(
		'SELECT pg_try_advisory_xact_lock(hashtext($1)) AS locked',
		[`shinko.compact.${docId}`]
	);
	return rows[0]!.locked;
}

/** Deletes a doc's rows up to `throughSeq` and writes `state` at that seq (none there: nothing). */
async function replaceRows(
	client: pg.PoolClient,
	docId: string,
	state: Uint8Array,
	throughSeq: number,
	writer: string
): Promise<number> {
	const removed =
		(await client.query('DELETE FROM updates WHERE doc_id = $1 AND seq <= $2', [docId, throughSeq]))
			.rowCount ?? 0;
	// Another process replaced them already, up to a later row: what is there holds them.
	if (removed === 0) return 0;
	await client.query(
		'INSERT INTO updates (doc_id, seq, data, writer, created_at) VALUES ($1, $2, $3, $4, $5)',
		[docId, throughSeq, Buffer.from(state), writer, Date.now()]
	);
	return removed;
}

/** Creates the schema, one process at a time. */
async function migrate(pool: pg.Pool): Promise<void> {
	await inTransaction(pool, async (client) => {
		await client.query('SELECT pg_advisory_xact_lock($1)', [SCHEMA_LOCK]);
		for (const statement of [...SCHEMA, ...USER_SCHEMA, ...SNAPSHOT_SCHEMA])
			await client.query(statement);
	});
}
