// Whole stores between SQLite and PostgreSQL: `shinko backup` in cluster mode writes the same
// SQLite file a single server's backup is, `restore` and `migrate-store` bring one (checked by
// the restore's own checks first) into PostgreSQL. Sessions never travel: people log in again.
import type Database from 'better-sqlite3';
import type pg from 'pg';
import type { SqliteStore } from '../store.ts';
import { checkOut, inTransaction } from './pool.ts';

/** Held (shared) by every server process on the database; a restore needs it alone. */
export const SERVER_LOCK = 0x53525652; // 'SRVR'

export class StoreCopyError extends Error {
	override name = 'StoreCopyError';
}

/** A restore or migration refused because a server runs on the database. */
export function serversRunningError(): StoreCopyError {
	return new StoreCopyError(
		'このデータベースでサーバーが動いています。すべて停止してから行ってください。'
	);
}

export interface Copied {
	docs: number;
	rows: number;
	users: number;
	snapshots: number;
}

/** Rows per INSERT statement, and the bytes past which a statement is sent anyway. */
const BATCH_ROWS = 200;
const BATCH_BYTES = 8 * 1024 * 1024;

/**
 * Copies a SQLite store (already checked: built by the restore's checks) into PostgreSQL, in one
 * transaction: all of it or nothing. Each doc's rows keep their order, numbered 1, 2, … as
 * PostgreSQL numbers them. `replace` empties the database first; without it the database must
 * hold no table and no user. Refused while a server runs on the database.
 */
export async function copySqliteToPostgres(
	source: Database.Database,
	pool: pg.Pool,
	options: { replace: boolean }
): Promise<Copied> {
	return inTransaction(pool, async (client) => {
		const { rows: lock } = await client.query<{ locked: boolean }>(
			'SELECT pg_try_advisory_xact_lock($1) AS locked',
			[SERVER_LOCK]
		);
		if (!lock[0]!.locked) throw serversRunningError();
		if (options.replace) {
			await client.query('TRUNCATE docs, updates, meta, sessions, users, snapshots');
		} else {
			const { rows } = await client.query<{ used: boolean }>(
				'SELECT EXISTS (SELECT 1 FROM docs) OR EXISTS (SELECT 1 FROM users) AS used'
			);
			if (rows[0]!.used)
				throw new StoreCopyError(
					'移行先のデータベースには既に表か利用者があります。空のデータベースを指定してください。'
				);
		}
		const copied: Copied = { docs: 0, rows: 0, users: 0, snapshots: 0 };

		// The update log, doc by doc, in seq order.
		let docId: string | null = null;
		let seq = 0;
		const heads: [string, number][] = [];
		const batch = new Batch(
			client,
			'updates (doc_id, seq, data, writer, created_at)',
			'($1, $2, $3, $4, $5)',
			5
		);
		const updates = source
			.prepare('SELECT doc_id, data, writer, created_at FROM updates ORDER BY doc_id, seq')
			.iterate() as IterableIterator<{
			doc_id: string;
			data: Buffer;
			writer: string;
			created_at: number;
		}>;
		for (const row of updates) {
			if (row.doc_id !== docId) {
				if (docId !== null) heads.push([docId, seq]);
				docId = row.doc_id;
				seq = 0;
			}
			await batch.add([row.doc_id, ++seq, row.data, row.writer, row.created_at], row.data.length);
			copied.rows++;
		}
		if (docId !== null) heads.push([docId, seq]);
		await batch.flush();
		for (const [id, head] of heads)
			await client.query('INSERT INTO docs (doc_id, head) VALUES ($1, $2)', [id, head]);
		copied.docs = heads.length;

		for (const row of source.prepare('SELECT key, value FROM meta').iterate() as IterableIterator<{
			key: string;
			value: string;
		}>) {
			await client.query(
				'INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
				[row.key, row.value]
			);
		}
		// A new store, as far as the relay is concerned (see the schema's 'store-id').
		await client.query(
			"INSERT INTO meta (key, value) VALUES ('store-id', gen_random_uuid()::text) ON CONFLICT (key) DO UPDATE SET value = excluded.value"
		);
		const users = source
			.prepare('SELECT username, role, display_name, password_hash, created_at FROM users')
			.all() as Record<string, unknown>[];
		for (const u of users) {
			await client.query(
				'INSERT INTO users (username, role, display_name, password_hash, created_at) VALUES ($1, $2, $3, $4, $5)',
				[u.username, u.role, u.display_name, u.password_hash, u.created_at]
			);
		}
		copied.users = users.length;
		const snapshots = new Batch(
			client,
			'snapshots (id, doc_id, name, kind, author, created_at, state)',
			'($1, $2, $3, $4, $5, $6, $7)',
			7
		);
		const snapshotRows = source
			.prepare(
				'SELECT id, doc_id, name, kind, author, created_at, state FROM snapshots ORDER BY id'
			)
			.iterate() as IterableIterator<Record<string, unknown> & { state: Buffer }>;
		for (const s of snapshotRows) {
			await snapshots.add(
				[s.id, s.doc_id, s.name, s.kind, s.author, s.created_at, s.state],
				s.state.length
			);
			copied.snapshots++;
		}
		await snapshots.flush();
		// New snapshots are numbered after the copied ones.
		await client.query(
			"SELECT setval(pg_get_serial_sequence('snapshots', 'id'), COALESCE((SELECT MAX(id) FROM snapshots), 0) + 1, false)"
		);
		return copied;
	});
}

/**
 * Copies a PostgreSQL store into a new SQLite store (a backup), as one consistent snapshot of the
 * database while servers go on writing.
 */
export async function copyPostgresToSqlite(pool: pg.Pool, target: SqliteStore): Promise<Copied> {
	const { client, release } = await checkOut(pool);
	try {
		await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
		const copied: Copied = { docs: 0, rows: 0, users: 0, snapshots: 0 };
		const db = target.db;
		const insertUpdate = db.prepare(
			'INSERT INTO updates (doc_id, data, writer, created_at) VALUES (?, ?, ?, ?)'
		);
		const { rows: docs } = await client.query<{ doc_id: string }>(
			'SELECT doc_id FROM docs ORDER BY doc_id COLLATE "C"'
		);
		for (const { doc_id: docId } of docs) {
			// A doc at a time: a big table's history is not held in memory twice over.
			const { rows } = await client.query<{ data: Buffer; writer: string; created_at: string }>(
				'SELECT data, writer, created_at FROM updates WHERE doc_id = $1 ORDER BY seq',
				[docId]
			);
			db.transaction(() => {
				for (const r of rows) insertUpdate.run(docId, r.data, r.writer, Number(r.created_at));
			})();
			copied.rows += rows.length;
		}
		copied.docs = docs.length;
		const meta = await client.query<{ key: string; value: string }>('SELECT key, value FROM meta');
		const users = await client.query<Record<string, unknown>>(
			'SELECT username, role, display_name, password_hash, created_at FROM users ORDER BY username COLLATE "C"'
		);
		const snapshots = await client.query<Record<string, unknown>>(
			'SELECT id, doc_id, name, kind, author, created_at, state FROM snapshots ORDER BY id'
		);
		await client.query('COMMIT');
		db.transaction(() => {
			const setMeta = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)');
			for (const m of meta.rows) setMeta.run(m.key, m.value);
			const addUser = db.prepare(
				'INSERT INTO users (username, role, display_name, password_hash, created_at) VALUES (?, ?, ?, ?, ?)'
			);
			for (const u of users.rows)
				addUser.run(u.username, u.role, u.display_name, u.password_hash, Number(u.created_at));
			const addSnapshot = db.prepare(
				'INSERT INTO snapshots (id, doc_id, name, kind, author, created_at, state) VALUES (?, ?, ?, ?, ?, ?, ?)'
			);
			for (const s of snapshots.rows)
				addSnapshot.run(
					Number(s.id),
					s.doc_id,
					s.name,
					s.kind,
					s.author,
					Number(s.created_at),
					s.state
				);
		})();
		copied.users = users.rows.length;
		copied.snapshots = snapshots.rows.length;
		return copied;
	} catch (err) {
		await client.query('ROLLBACK').catch(() => undefined);
		throw err;
	} finally {
		release();
	}
}

/** Rows inserted a few hundred (or a few MB) per statement. */
class Batch {
	private values: unknown[] = [];
	private rows = 0;
	private bytes = 0;

	constructor(
		private readonly client: pg.PoolClient,
		private readonly into: string,
		/** One row's placeholders, numbered from $1. */
		private readonly row: string,
		private readonly width: number
	) {}

	async add(values: unknown[], bytes: number): Promise<void> {
		this.values.push(...values);
		this.rows++;
		this.bytes += bytes;
		if (this.rows >= BATCH_ROWS || this.bytes >= BATCH_BYTES) await this.flush();
	}

	async flush(): Promise<void> {
		if (this.rows === 0) return;
		const tuples = Array.from({ length: this.rows }, (_, r) =>
			this.row.replace(/\$(\d+)/g, (_m, n: string) => `$${r * this.width + Number(n)}`)
		);
		await this.client.query(`INSERT INTO ${this.into} VALUES ${tuples.join(', ')}`, this.values);
		this.values = [];
		this.rows = 0;
		this.bytes = 0;
	}
}
