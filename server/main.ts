// The Shinko server process: store, sync, HTTP. Started by `npm start` (bin/start.js).
import { randomBytes } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PID_FILE } from './cli-store.ts';
import type { AddressInfo } from 'node:net';
import { Auth } from './auth.ts';
import { readConfig, type Config } from './config.ts';
import { createHttpServer, DEFAULT_BUILD_DIR } from './http.ts';
import { consoleLogger, type Logger } from './log.ts';
import { PgStore } from './pg/store.ts';
import type { ServerStore } from './store.ts';
import { openCheckedStore, StoreCheckError } from './store-check.ts';
import { RedisRelay } from './redis-relay.ts';
import { SyncServer } from './sync/registry.ts';
import { seedIfEmpty } from './tables.ts';
import { hashPassword, randomPassword } from './passwords.ts';
import { HistoryApi } from './history-api.ts';
import { Snapshots } from './snapshots.ts';
import { UserError, type UserStore } from './users.ts';

export interface RunningServer {
	url: string;
	port: number;
	sync: SyncServer;
	/** SQLite in the data dir, or PostgreSQL in cluster mode (DATABASE_URL). */
	store: ServerStore;
	users: UserStore;
	/** Set when this start created the admin with a random password (printed once). */
	generatedAdminPassword?: string;
	close(): Promise<void>;
}

export async function startServer(
	config: Config,
	log: Logger = consoleLogger
): Promise<RunningServer> {
	let store: ServerStore;
	if (config.databaseUrl) {
		const pgStore = await PgStore.open(config.databaseUrl, log);
		// `shinko restore` waits for no server to run on the database.
		await pgStore.markServing();
		store = pgStore;
	} else store = openCheckedStore(config.dataDir);
	const writerId = `server-${process.pid}-${randomBytes(4).toString('hex')}`;
	// In cluster mode the first process to start compacts; the others find it doing so and go on.
	const compacted =
		(await store.exclusively('startup-compaction', async () => {
			let rows = 0;
			for (const docId of await store.docIds()) {
				// One table that cannot be read (or written) must not keep the others from being served.
				try {
					rows += await store.compact(docId);
				} catch (err) {
					reportCompactionFailure(log, docId, err, config.dataDir);
				}
			}
			return rows;
		})) ?? 0;
	const seeded = await seedIfEmpty(store, writerId);
	if (seeded) log.info('seeded the reference table', { docId: seeded });
	const users = store.users(config.sessionTtlMs);
	try {
		await users.purgeExpired();
	} catch (err) {
		log.warn('purging expired sessions failed; tried again at the next start', {
			error: String(err)
		});
	}
	let generatedAdminPassword: string | undefined;
	if ((await users.count()) === 0) {
		const password = config.initialAdminPassword ?? randomPassword();
		try {
			await users.add('admin', 'admin', await hashPassword(password), '管理者');
			if (!config.initialAdminPassword) generatedAdminPassword = password;
			log.info('created user admin', {
				passwordFrom: config.initialAdminPassword ? 'INITIAL_ADMIN_PASSWORD' : 'generated'
			});
		} catch (err) {
			// Another process starting at the same time created it first (cluster mode).
			if (!(err instanceof UserError)) throw err;
		}
	}
	const relay = config.redisUrl
		? new RedisRelay(config.redisUrl, (await store.getMeta('store-id')) ?? 'store', writerId, log)
		: undefined;
	const sync = new SyncServer({
		store,
		relay,
		writerId,
		log,
		isSessionLive: (id) => users.isLive(id),
		presenceRenewMs: config.presenceRenewMs,
		maxDocBytes: config.maxDocBytes,
		maxConnectionsPerUser: config.maxConnectionsPerUser,
		compactAfterRows: config.compactAfterRows,
		storePollMs: config.storePollMs
	});
	const auth = new Auth({
		users,
		log,
		publicOrigin: config.publicOrigin,
		onSessionEnd: (id) => sync.closeSession(id),
		throttle: relay?.loginThrottle(),
		trustedProxies: config.trustedProxies
	});
	const history = new HistoryApi({
		auth,
		snapshots: new Snapshots(store.snapshots()),
		store,
		sync,
		log
	});
	// Quarter-end and daily snapshots: checked at start and every ten minutes, by one process at a
	// time in cluster mode.
	const takeSnapshots = () =>
		store.exclusively('automatic-snapshots', () => history.takeAutomatic());
	await takeSnapshots();
	const snapshotTimer = setInterval(
		() =>
			void takeSnapshots().catch((err: unknown) =>
				log.error('automatic snapshots failed; tried again in ten minutes', { error: String(err) })
			),
		10 * 60 * 1000
	);
	snapshotTimer.unref();
	const { server, wss } = createHttpServer(sync, auth, {
		history,
		maxMessageBytes: config.maxMessageBytes,
		buildDir: config.buildDir ?? DEFAULT_BUILD_DIR
	});
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(config.port, config.host, () => resolve());
	});
	const port = (server.address() as AddressInfo).port;
	const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
	// `shinko restore` refuses to swap the store under a running server.
	const pidFile = join(config.dataDir, PID_FILE);
	// On a full disk, serving (and refusing writes) beats not starting: the file is written as soon
	// as there is room, before which a restore could not write its store either.
	let pidWarned = false;
	const writePid = () => {
		try {
			writeFileSync(pidFile, `${process.pid}\n`);
			return true;
		} catch (err) {
			if (!pidWarned)
				log.warn('could not write the pid file; trying again every 5 s', { error: String(err) });
			pidWarned = true;
			return false;
		}
	};
	const pidTimer = writePid()
		? undefined
		: setInterval(() => writePid() && clearInterval(pidTimer), 5000);
	pidTimer?.unref();
	log.info('listening', {
		url,
		store: config.databaseUrl ? 'postgresql' : config.dataDir,
		compactedRows: compacted
	});

	let closing: Promise<void> | null = null;
	return {
		url,
		port,
		sync,
		store,
		users,
		generatedAdminPassword,
		close() {
			closing ??= (async () => {
				clearInterval(snapshotTimer);
				clearInterval(pidTimer);
				// What the rooms hold is committed and acknowledged before their sockets close.
				await sync.destroy();
				await relay?.close();
				for (const ws of wss.clients) ws.terminate();
				wss.close();
				await new Promise<void>((resolve) => {
					server.close(() => resolve());
					server.closeAllConnections();
				});
				await store.close();
				rmSync(pidFile, { force: true });
			})();
			return closing;
		}
	};
}

/**
 * A table compaction could not write (a full disk: it stays as it is, and is served) or could not
 * read (a damaged row: its clients are refused with 1011 until it is restored). Either way the
 * other tables are served.
 */
function reportCompactionFailure(log: Logger, docId: string, err: unknown, dataDir: string): void {
	const error = String(err);
	// SQLite could not write (a full disk), was busy or short of memory: the table is fine.
	const code = (err as { code?: unknown }).code;
	const sqlite = typeof code === 'string' && code.startsWith('SQLITE_');
	if (sqlite && !code.startsWith('SQLITE_CORRUPT') && code !== 'SQLITE_NOTADB') {
		log.warn('compacting a table failed; left as it is, compacted at the next start', {
			docId,
			error
		});
		return;
	}
	log.error('a table cannot be read; it is not served until it is restored', {
		docId,
		error,
		wayOut:
			`restore a backup (DATA_DIR=${dataDir} npx shinko restore FILE, server stopped), or ` +
			`import the table from a device's JSON backup`
	});
}

/** Columns a character takes in a terminal: two for the wide (CJK, full-width) ones. */
function columns(text: string): number {
	let n = 0;
	for (const ch of text) {
		const c = ch.codePointAt(0)!;
		const wide =
			(c >= 0x1100 && c <= 0x115f) ||
			(c >= 0x2e80 && c <= 0xa4cf) ||
			(c >= 0xac00 && c <= 0xd7a3) ||
			(c >= 0xf900 && c <= 0xfaff) ||
			(c >= 0xfe30 && c <= 0xfe4f) ||
			(c >= 0xff00 && c <= 0xff60) ||
			(c >= 0xffe0 && c <= 0xffe6);
		n += wide ? 2 : 1;
	}
	return n;
}

/** Lines in a box drawn with box-drawing characters, padded to the widest. */
export function boxed(lines: string[]): string {
	const width = Math.max(...lines.map(columns));
	const bar = '─'.repeat(width + 2);
	return [
		`┌${bar}┐`,
		...lines.map((line) => `│ ${line}${' '.repeat(width - columns(line))} │`),
		`└${bar}┘`,
		''
	].join('\n');
}

export async function main(): Promise<void> {
	const config = readConfig();
	let running: RunningServer;
	try {
		running = await startServer(config);
	} catch (err) {
		// Said plainly, without a stack: the operator has something to do, not a bug to report.
		if (err instanceof StoreCheckError) {
			process.stderr.write(`shinko: ${err.message}\n`);
			process.exit(1);
		}
		throw err;
	}
	// A line for people (and for tests that start the server and wait for it).
	if (running.generatedAdminPassword) {
		// Printed once, on the terminal only (never into the logs), in a box: it must not be missed.
		process.stdout.write(
			boxed([
				'管理者ユーザー admin を作成しました。',
				`パスワード: ${running.generatedAdminPassword}`,
				'この表示は一度だけです。控えてください。',
				'変更: npx shinko users passwd admin'
			])
		);
	}
	process.stdout.write(`Shinko: ${running.url}\n`);
	let stopping = false;
	const stop = (signal: string) => {
		if (stopping) return;
		stopping = true;
		consoleLogger.info('shutting down', { signal });
		running.close().then(
			() => process.exit(0),
			() => process.exit(1)
		);
	};
	process.on('SIGINT', () => stop('SIGINT'));
	process.on('SIGTERM', () => stop('SIGTERM'));
}
