// Snapshots in PostgreSQL (cluster mode): the SnapshotStore SQLite's adapter implements, on the
// pool of the PgStore.
import type pg from 'pg';
import {
	toInfo,
	type SnapshotInfo,
	type SnapshotKind,
	type SnapshotRow,
	type SnapshotStore
} from '../snapshots.ts';

export const SNAPSHOT_SCHEMA = [
	`CREATE TABLE IF NOT EXISTS snapshots (
		id BIGSERIAL PRIMARY KEY,
		doc_id TEXT NOT NULL,
		name TEXT NOT NULL,
		kind TEXT NOT NULL CHECK (kind IN ('manual', 'quarter', 'daily')),
		author TEXT NOT NULL,
		created_at BIGINT NOT NULL,
		state BYTEA NOT NULL
	)`,
	'CREATE INDEX IF NOT EXISTS snapshots_doc ON snapshots (doc_id, created_at)'
];

const INFO = 'id, doc_id, name, kind, author, created_at, octet_length(state) AS size';

export class PgSnapshotStore implements SnapshotStore {
	constructor(private readonly pool: pg.Pool) {}

	async insert(
		docId: string,
		info: { name: string; kind: SnapshotKind; author: string; createdAt: number },
		state: Uint8Array
	): Promise<SnapshotInfo> {
		const { name, kind, author, createdAt } = info;
		const { rows } = await this.pool.query<SnapshotRow>(
			`INSERT INTO snapshots (doc_id, name, kind, author, created_at, state)
			 VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${INFO}`,
			[docId, name, kind, author, createdAt, Buffer.from(state)]
		);
		return toInfo(rows[0]!);
	}

	async list(docId: string): Promise<SnapshotInfo[]> {
		const { rows } = await this.pool.query<SnapshotRow>(
			`SELECT ${INFO} FROM snapshots WHERE doc_id = $1 ORDER BY created_at DESC, id DESC`,
			[docId]
		);
		return rows.map(toInfo);
	}

	async get(id: number): Promise<{ info: SnapshotInfo; state: Uint8Array } | undefined> {
		const { rows } = await this.pool.query<SnapshotRow & { state: Buffer }>(
			`SELECT ${INFO}, state FROM snapshots WHERE id = $1`,
			[id]
		);
		const row = rows[0];
		return row && { info: toInfo(row), state: new Uint8Array(row.state) };
	}

	async latestAt(
		docId: string,
		at: number,
		kind?: SnapshotKind
	): Promise<SnapshotInfo | undefined> {
		// The latest at or before a moment: one dated in the future (a clock ahead) is skipped.
		const { rows } = await this.pool.query<SnapshotRow>(
			`SELECT ${INFO} FROM snapshots WHERE doc_id = $1 AND created_at <= $2
			 AND ($3::text IS NULL OR kind = $3) ORDER BY created_at DESC, id DESC LIMIT 1`,
			[docId, at, kind ?? null]
		);
		return rows[0] && toInfo(rows[0]);
	}

	async relabel(id: number, kind: SnapshotKind, name: string, createdAt: number): Promise<void> {
		await this.pool.query(
			'UPDATE snapshots SET kind = $1, name = $2, created_at = $3 WHERE id = $4',
			[kind, name, createdAt, id]
		);
	}

	async remove(id: number): Promise<boolean> {
		return ((await this.pool.query('DELETE FROM snapshots WHERE id = $1', [id])).rowCount ?? 0) > 0;
	}

	async expireDaily(docId: string, before: number, now: number): Promise<number> {
		// Daily ones past their time, never the doc's latest (what identical ones compare with).
		const result = await this.pool.query(
			`DELETE FROM snapshots WHERE doc_id = $1 AND kind = 'daily' AND created_at < $2
			 AND id IS DISTINCT FROM (SELECT id FROM snapshots WHERE doc_id = $1 AND created_at <= $3
			                          ORDER BY created_at DESC, id DESC LIMIT 1)`,
			[docId, before, now]
		);
		return result.rowCount ?? 0;
	}
}
