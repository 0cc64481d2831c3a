// Environment → validated configuration, with the defaults from DESIGN.md.
import type { BlockList } from 'node:net';
import { resolve } from 'node:path';
import { trustedProxies } from './login-throttle.ts';
import { z } from 'zod';

const envSchema = z.object({
	PORT: z.coerce.number().int().min(0).max(65535).default(8787),
	HOST: z.string().min(1).default('127.0.0.1'),
	DATA_DIR: z.string().min(1).default('./data'),
	MAX_MESSAGE_BYTES: z.coerce
		.number()
		.int()
		.min(1024)
		.default(16 * 1024 * 1024),
	INITIAL_ADMIN_PASSWORD: z
		.string()
		.min(8, 'INITIAL_ADMIN_PASSWORD needs 8 characters or more')
		.optional(),
	SESSION_TTL_HOURS: z.coerce
		.number()
		.positive()
		.max(24 * 365)
		.default(12),
	MAX_DOC_BYTES: z.coerce
		.number()
		.int()
		.min(1024 * 1024)
		.default(64 * 1024 * 1024),
	MAX_CONNECTIONS_PER_USER: z.coerce.number().int().min(1).default(64),
	PUBLIC_ORIGIN: z.url().optional(),
	BUILD_DIR: z.string().min(1).optional(),
	// Cluster mode: the store of record in PostgreSQL, traffic between processes through Redis.
	DATABASE_URL: z
		.string()
		.regex(/^postgres(ql)?:\/\//, 'DATABASE_URL must be a postgres:// URL')
		.optional(),
	// Proxies (addresses, CIDR ranges) whose X-Forwarded-For names the client, for login counts.
	TRUSTED_PROXIES: z.string().optional(),
	REDIS_URL: z
		.string()
		.regex(/^rediss?:\/\//, 'REDIS_URL must be a redis:// (or rediss://) URL')
		.optional()
});

export interface Config {
	port: number;
	host: string;
	dataDir: string;
	maxMessageBytes: number;
	/** A table's size limit in the store; writes past it close with 4413. */
	maxDocBytes?: number;
	/** Sync connections one user may have open in this process; one more is closed with 1013. */
	maxConnectionsPerUser?: number;
	initialAdminPassword?: string;
	sessionTtlMs: number;
	publicOrigin?: string;
	/** The built app to serve (default: ./build beside the server). */
	buildDir?: string;
	/** Cluster mode: the store of record is this PostgreSQL database, not SQLite in dataDir. */
	databaseUrl?: string;
	/** Cluster mode: processes relay commits and presence to each other through this Redis. */
	redisUrl?: string;
	/** Proxies whose X-Forwarded-For is believed (else the header is ignored). */
	trustedProxies?: BlockList;
	/** How often renewed presence is sent on (tests shorten it; not an env var). */
	presenceRenewMs?: number;
	/** Rows of a table that make it due for compaction while running (tests; not an env var). */
	compactAfterRows?: number;
	/** How often the store is read for other writers' rows (tests; not an env var). */
	storePollMs?: number;
}

export class ConfigError extends Error {
	override name = 'ConfigError';
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
	const parsed = envSchema.safeParse(env);
	if (!parsed.success) {
		const issue = parsed.error.issues[0];
		throw new ConfigError(`invalid ${issue?.path.join('.') ?? 'environment'}: ${issue?.message}`);
	}
	const e = parsed.data;
	if (e.REDIS_URL && !e.DATABASE_URL)
		throw new ConfigError(
			'invalid REDIS_URL: it relays between processes on one DATABASE_URL; set that too'
		);
	let proxies: BlockList | undefined;
	try {
		proxies = e.TRUSTED_PROXIES ? trustedProxies(e.TRUSTED_PROXIES) : undefined;
	} catch (err) {
		throw new ConfigError(`invalid TRUSTED_PROXIES: ${(err as Error).message}`);
	}
	return {
		port: e.PORT,
		host: e.HOST,
		dataDir: resolve(e.DATA_DIR),
		maxMessageBytes: e.MAX_MESSAGE_BYTES,
		maxDocBytes: e.MAX_DOC_BYTES,
		maxConnectionsPerUser: e.MAX_CONNECTIONS_PER_USER,
		initialAdminPassword: e.INITIAL_ADMIN_PASSWORD,
		sessionTtlMs: e.SESSION_TTL_HOURS * 3600 * 1000,
		publicOrigin: e.PUBLIC_ORIGIN?.replace(/\/$/, ''),
		buildDir: e.BUILD_DIR ? resolve(e.BUILD_DIR) : undefined,
		databaseUrl: e.DATABASE_URL,
		redisUrl: e.REDIS_URL,
		trustedProxies: proxies
	};
}
