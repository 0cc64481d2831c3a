// Users and sessions in PostgreSQL (cluster mode): a login on one process is valid on all, and a
// removed user or a changed password ends the sessions every process checks.
import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import {
	sessionIdOf,
	toUser,
	type UserRow,
	usernameSchema,
	UserError,
	type Role,
	type Session,
	type User,
	type UserStore
} from '../users.ts';
import { inTransaction } from './pool.ts';

export const USER_SCHEMA = [
	`CREATE TABLE IF NOT EXISTS users (
		username TEXT PRIMARY KEY,
		role TEXT NOT NULL CHECK (role IN ('admin', 'editor', 'viewer')),
		display_name TEXT NOT NULL,
		password_hash TEXT NOT NULL,
		created_at BIGINT NOT NULL
	)`,
	`CREATE TABLE IF NOT EXISTS sessions (
		id TEXT PRIMARY KEY,
		username TEXT NOT NULL REFERENCES users (username) ON DELETE CASCADE,
		created_at BIGINT NOT NULL,
		expires_at BIGINT NOT NULL
	)`,
	'CREATE INDEX IF NOT EXISTS sessions_user ON sessions (username)'
];

export class PgUserStore implements UserStore {
	constructor(
		private readonly pool: pg.Pool,
		readonly sessionTtlMs: number
	) {}

	async count(): Promise<number> {
		const { rows } = await this.pool.query<{ n: string }>('SELECT COUNT(*) AS n FROM users');
		return Number(rows[0]!.n);
	}

	async get(username: string): Promise<{ user: User; passwordHash: string } | undefined> {
		const { rows } = await this.pool.query<UserRow>('SELECT * FROM users WHERE username = $1', [
			username
		]);
		const row = rows[0];
		return row && { user: toUser(row), passwordHash: row.password_hash };
	}

	async list(): Promise<User[]> {
		const { rows } = await this.pool.query<UserRow>(
			'SELECT * FROM users ORDER BY username COLLATE "C"'
		);
		return rows.map(toUser);
	}

	async add(
		username: string,
		role: Role,
		passwordHash: string,
		displayName = username
	): Promise<User> {
		usernameSchema.parse(username);
		const createdAt = Date.now();
		const { rowCount } = await this.pool.query(
			`INSERT INTO users (username, role, display_name, password_hash, created_at)
			 VALUES ($1, $2, $3, $4, $5) ON CONFLICT (username) DO NOTHING`,
			[username, role, displayName, passwordHash, createdAt]
		);
		if (!rowCount) throw new UserError(`ユーザー ${username} は既にいます`);
		return { username, role, displayName, createdAt };
	}

	async remove(username: string): Promise<boolean> {
		// Its sessions go with it (ON DELETE CASCADE).
		const { rowCount } = await this.pool.query('DELETE FROM users WHERE username = $1', [username]);
		return (rowCount ?? 0) > 0;
	}

	async setPassword(username: string, passwordHash: string): Promise<boolean> {
		return inTransaction(this.pool, async (client) => {
			await client.query('DELETE FROM sessions WHERE username = $1', [username]);
			const { rowCount } = await client.query(
				'UPDATE users SET password_hash = $1 WHERE username = $2',
				[passwordHash, username]
			);
			return (rowCount ?? 0) > 0;
		});
	}

	async createSession(username: string): Promise<{ token: string; session: Session }> {
		const token = randomBytes(32).toString('base64url');
		const id = sessionIdOf(token);
		const now = Date.now();
		const { rows } = await this.pool.query<UserRow>(
			`WITH s AS (
				INSERT INTO sessions (id, username, created_at, expires_at)
				SELECT $1, username, $2, $3 FROM users WHERE username = $4 RETURNING username
			) SELECT u.* FROM users u JOIN s ON s.username = u.username`,
			[id, now, now + this.sessionTtlMs, username]
		);
		if (!rows[0]) throw new UserError(`no user ${username}`);
		return { token, session: { user: toUser(rows[0]), id, expiresAt: now + this.sessionTtlMs } };
	}

	async session(token: string, options: { touch?: boolean } = {}): Promise<Session | undefined> {
		const id = sessionIdOf(token);
		const { rows } = await this.pool.query<UserRow & { expires_at: string }>(
			'SELECT s.expires_at, u.* FROM sessions s JOIN users u ON u.username = s.username WHERE s.id = $1',
			[id]
		);
		const row = rows[0];
		if (!row) return undefined;
		const now = Date.now();
		let expiresAt = Number(row.expires_at);
		if (expiresAt <= now) {
			await this.pool.query('DELETE FROM sessions WHERE id = $1', [id]).catch(() => undefined);
			return undefined;
		}
		// Sliding expiry, written at most once a minute per session (or a tenth of a short TTL).
		if (
			options.touch &&
			now + this.sessionTtlMs - expiresAt > Math.min(60_000, this.sessionTtlMs / 10)
		) {
			const renewed = now + this.sessionTtlMs;
			const written = await this.pool
				.query('UPDATE sessions SET expires_at = $1 WHERE id = $2', [renewed, id])
				.then(
					() => true,
					() => false
				);
			if (written) expiresAt = renewed;
		}
		return { user: toUser(row), id, expiresAt };
	}

	async isLive(sessionId: string): Promise<boolean> {
		const { rows } = await this.pool.query<{ expires_at: string }>(
			'SELECT expires_at FROM sessions WHERE id = $1',
			[sessionId]
		);
		return !!rows[0] && Number(rows[0].expires_at) > Date.now();
	}

	async deleteSession(token: string): Promise<void> {
		await this.pool.query('DELETE FROM sessions WHERE id = $1', [sessionIdOf(token)]);
	}

	async purgeExpired(): Promise<number> {
		const { rowCount } = await this.pool.query('DELETE FROM sessions WHERE expires_at <= $1', [
			Date.now()
		]);
		return rowCount ?? 0;
	}
}
