// Users and their login sessions: the UserStore interface, and its SQLite adapter (in the same
// file as the docs). Asynchronous, so that a networked store is an adapter too.
import type Database from 'better-sqlite3';
import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';

export const ROLES = ['admin', 'editor', 'viewer'] as const;
export type Role = (typeof ROLES)[number];
export const roleSchema = z.enum(ROLES);
export const usernameSchema = z
	.string()
	.regex(/^[A-Za-z0-9_.-]{1,32}$/, 'ユーザー名は半角英数字と _ . - の 32 文字以内です');

export interface User {
	username: string;
	role: Role;
	displayName: string;
	createdAt: number;
}

export interface Session {
	user: User;
	/** sha256 of the cookie value: the database never holds a usable session id. */
	id: string;
	expiresAt: number;
}

export class UserError extends Error {
	override name = 'UserError';
}

export function sessionIdOf(token: string): string {
	return createHash('sha256').update(token).digest('hex');
}

/** A users row as a store reads it (PostgreSQL hands BIGINT columns over as strings). */
export interface UserRow {
	username: string;
	role: Role;
	display_name: string;
	password_hash: string;
	created_at: number | string;
}

export function toUser(row: UserRow): User {
	return {
		username: row.username,
		role: row.role,
		displayName: row.display_name,
		createdAt: Number(row.created_at)
	};
}

/** Users and sessions, as the server and the CLI use them. */
export interface UserStore {
	readonly sessionTtlMs: number;
	count(): Promise<number>;
	get(username: string): Promise<{ user: User; passwordHash: string } | undefined>;
	list(): Promise<User[]>;
	/** Throws a UserError when the user exists. */
	add(username: string, role: Role, passwordHash: string, displayName?: string): Promise<User>;
	/** Also ends every session of the user. Resolves false when there is no such user. */
	remove(username: string): Promise<boolean>;
	/** Also ends every session of the user: a changed password logs out everywhere. */
	setPassword(username: string, passwordHash: string): Promise<boolean>;
	/** A new random session; resolves with the cookie value (only its hash is stored). */
	createSession(username: string): Promise<{ token: string; session: Session }>;
	/** The live session for a cookie value, or undefined when unknown or expired. */
	session(token: string, options?: { touch?: boolean }): Promise<Session | undefined>;
	/** Still valid? (by stored id, for open connections) */
	isLive(sessionId: string): Promise<boolean>;
	/** Ends a session; refused from then on even if its row cannot be deleted (a full disk). */
	deleteSession(token: string): Promise<void>;
	purgeExpired(): Promise<number>;
}

/** The SQLite adapter: better-sqlite3 does each method's work before its promise resolves. */
export class SqliteUserStore implements UserStore {
	private readonly stmts;

	constructor(
		private readonly db: Database.Database,
		readonly sessionTtlMs: number
	) {
		db.exec(`
			CREATE TABLE IF NOT EXISTS users (
				username TEXT PRIMARY KEY,
				role TEXT NOT NULL CHECK (role IN ('admin', 'editor', 'viewer')),
				display_name TEXT NOT NULL,
				password_hash TEXT NOT NULL,
				created_at INTEGER NOT NULL
			);
			CREATE TABLE IF NOT EXISTS sessions (
				id TEXT PRIMARY KEY,
				username TEXT NOT NULL REFERENCES users (username) ON DELETE CASCADE,
				created_at INTEGER NOT NULL,
				expires_at INTEGER NOT NULL
			);
			CREATE INDEX IF NOT EXISTS sessions_user ON sessions (username);
		`);
		db.pragma('foreign_keys = ON');
		this.stmts = {
			get: db.prepare('SELECT * FROM users WHERE username = ?'),
			list: db.prepare('SELECT * FROM users ORDER BY username'),
			count: db.prepare('SELECT COUNT(*) AS n FROM users'),
			insert: db.prepare(
				'INSERT INTO users (username, role, display_name, password_hash, created_at) VALUES (?, ?, ?, ?, ?)'
			),
			remove: db.prepare('DELETE FROM users WHERE username = ?'),
			setPassword: db.prepare('UPDATE users SET password_hash = ? WHERE username = ?'),
			setRole: db.prepare('UPDATE users SET role = ? WHERE username = ?'),
			insertSession: db.prepare(
				'INSERT INTO sessions (id, username, created_at, expires_at) VALUES (?, ?, ?, ?)'
			),
			getSession: db.prepare(
				'SELECT s.id, s.expires_at, u.* FROM sessions s JOIN users u ON u.username = s.username WHERE s.id = ?'
			),
			touchSession: db.prepare('UPDATE sessions SET expires_at = ? WHERE id = ?'),
			deleteSession: db.prepare('DELETE FROM sessions WHERE id = ?'),
			deleteUserSessions: db.prepare('DELETE FROM sessions WHERE username = ?'),
			purge: db.prepare('DELETE FROM sessions WHERE expires_at <= ?')
		};
	}

	async count(): Promise<number> {
		return (this.stmts.count.get() as { n: number }).n;
	}

	async get(username: string): Promise<{ user: User; passwordHash: string } | undefined> {
		const row = this.row(username);
		return row && { user: toUser(row), passwordHash: row.password_hash };
	}

	private row(username: string): UserRow | undefined {
		return this.stmts.get.get(username) as UserRow | undefined;
	}

	async list(): Promise<User[]> {
		return (this.stmts.list.all() as UserRow[]).map(toUser);
	}

	async add(
		username: string,
		role: Role,
		passwordHash: string,
		displayName = username
	): Promise<User> {
		usernameSchema.parse(username);
		if (this.row(username)) throw new UserError(`ユーザー ${username} は既にいます`);
		const createdAt = Date.now();
		this.stmts.insert.run(username, role, displayName, passwordHash, createdAt);
		return { username, role, displayName, createdAt };
	}

	async remove(username: string): Promise<boolean> {
		return this.db.transaction(() => {
			this.stmts.deleteUserSessions.run(username);
			return this.stmts.remove.run(username).changes > 0;
		})();
	}

	/** Also ends every session of the user: a changed password logs out everywhere. */
	async setPassword(username: string, passwordHash: string): Promise<boolean> {
		return this.db.transaction(() => {
			this.stmts.deleteUserSessions.run(username);
			return this.stmts.setPassword.run(passwordHash, username).changes > 0;
		})();
	}

	/** A new random session; returns the cookie value (only its hash is stored). */
	async createSession(username: string): Promise<{ token: string; session: Session }> {
		const token = randomBytes(32).toString('base64url');
		const id = sessionIdOf(token);
		const now = Date.now();
		if (!this.row(username)) throw new UserError(`no user ${username}`);
		this.stmts.insertSession.run(id, username, now, now + this.sessionTtlMs);
		const session = await this.session(token);
		if (!session) throw new UserError(`no user ${username}`);
		return { token, session };
	}

	/** The live session for a cookie value, or undefined when unknown or expired. */
	async session(token: string, options: { touch?: boolean } = {}): Promise<Session | undefined> {
		const id = sessionIdOf(token);
		if (this.revoked.has(id)) return undefined;
		const row = this.stmts.getSession.get(id) as
			(UserRow & { id: string; expires_at: number }) | undefined;
		if (!row) return undefined;
		const now = Date.now();
		if (row.expires_at <= now) {
			bestEffort(() => this.stmts.deleteSession.run(id));
			return undefined;
		}
		let expiresAt = row.expires_at;
		// Sliding expiry, written at most once a minute per session (or a tenth of a short TTL).
		if (
			options.touch &&
			now + this.sessionTtlMs - expiresAt > Math.min(60_000, this.sessionTtlMs / 10)
		) {
			if (bestEffort(() => this.stmts.touchSession.run(now + this.sessionTtlMs, id))) {
				expiresAt = now + this.sessionTtlMs;
			}
		}
		return { user: toUser(row), id, expiresAt };
	}

	/** Still valid? (by stored id, for open connections) */
	async isLive(sessionId: string): Promise<boolean> {
		if (this.revoked.has(sessionId)) return false;
		const row = this.stmts.getSession.get(sessionId) as { expires_at: number } | undefined;
		return !!row && row.expires_at > Date.now();
	}

	/**
	 * Ends a session. If its row cannot be deleted (a full disk), it is refused from now on all the
	 * same, by this process (another process sees it live until it expires or is deleted later).
	 */
	async deleteSession(token: string): Promise<void> {
		const id = sessionIdOf(token);
		if (!bestEffort(() => this.stmts.deleteSession.run(id))) this.revoked.add(id);
	}

	/** Sessions ended whose rows could not be deleted (see deleteSession). */
	private readonly revoked = new Set<string>();

	async purgeExpired(): Promise<number> {
		return this.stmts.purge.run(Date.now()).changes;
	}
}

/**
 * Runs a write that may fail without harm (renewing or removing a session on a full disk): the
 * answer stays right without it (an expired row is refused by its time and purged later; a
 * renewal is tried again at the next use). Returns whether it was written.
 */
function bestEffort(write: () => unknown): boolean {
	try {
		write();
		return true;
	} catch {
		return false;
	}
}
