// Real servers for tests: in-process on a free port, or a child process that can be SIGKILLed.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { silentLogger } from '../../server/log.ts';
import { addTable, INDEX_DOC_ID } from '../../src/lib/doc/index-doc.ts';
import { countingSocket, SavedAcks } from '../../src/lib/sync/saved-acks.ts';
import { startServer, type RunningServer } from '../../server/main.ts';
import type { Config } from '../../server/config.ts';
import { databaseUrlOf } from './store.ts';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export function tempDataDir(): { dir: string; remove(): void } {
	const dir = mkdtempSync(join(tmpdir(), 'shinko-test-'));
	return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export const ADMIN_PASSWORD = 'test-admin-password';

/** A server on the store of `dataDir`: SQLite there, or its PostgreSQL database (store.ts). */
export async function startTestServer(
	dataDir: string,
	port = 0,
	overrides: Partial<Config> = {}
): Promise<RunningServer> {
	return startServer(
		{
			port,
			host: '127.0.0.1',
			dataDir,
			databaseUrl: await databaseUrlOf(dataDir),
			maxMessageBytes: 16 * 1024 * 1024,
			initialAdminPassword: ADMIN_PASSWORD,
			sessionTtlMs: 3600_000,
			...overrides
		},
		silentLogger
	);
}

/** A fresh in-process server on a free port and data dir, both gone with the test's cleanups. */
export async function startCleanedServer(
	cleanups: (() => unknown)[],
	overrides: Partial<Config> = {}
): Promise<RunningServer> {
	const data = tempDataDir();
	const running = await startTestServer(data.dir, 0, overrides);
	cleanups.push(data.remove, () => running.close());
	return running;
}

/** POSTs JSON with the server's own Origin, as the app does. */
export function postJson(
	url: string,
	path: string,
	body: unknown,
	headers: Record<string, string> = {}
): Promise<Response> {
	return fetch(url + path, {
		method: 'POST',
		headers: { 'content-type': 'application/json', origin: url, ...headers },
		body: JSON.stringify(body)
	});
}

/**
 * The server as its own process, so a test can kill -9 it: from the sources (bin/serve.js), or
 * the bundle `npm start` runs (dist/server.js, made by `npm run build`).
 */
export async function spawnServer(
	dataDir: string,
	port = 0,
	env: Record<string, string> = {},
	from: 'sources' | 'bundle' = 'sources'
): Promise<{ url: string; port: number; child: ChildProcess; stderr: () => string }> {
	const args =
		from === 'sources'
			? [join(ROOT, 'bin/serve.js')]
			: ['--enable-source-maps', join(ROOT, 'dist/server.js')];
	const databaseUrl = await databaseUrlOf(dataDir);
	const child = spawn(process.execPath, args, {
		cwd: ROOT,
		env: {
			...process.env,
			...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
			DATA_DIR: dataDir,
			PORT: String(port),
			HOST: '127.0.0.1',
			INITIAL_ADMIN_PASSWORD: ADMIN_PASSWORD,
			...env
		},
		stdio: ['ignore', 'pipe', 'pipe']
	});
	// Everything it writes to stderr, from its first line (start-up warnings included).
	let log = '';
	child.stderr!.on('data', (chunk: Buffer) => (log += chunk.toString()));
	const url = await new Promise<string>((resolve, reject) => {
		let out = '';
		const timer = setTimeout(() => reject(new Error(`server did not start: ${log}`)), 20_000);
		child.stdout!.on('data', (chunk: Buffer) => {
			out += chunk.toString();
			const m = /Shinko: (http:\/\/\S+)/.exec(out);
			if (m) {
				clearTimeout(timer);
				resolve(m[1]!);
			}
		});
		child.on('exit', (code) => {
			clearTimeout(timer);
			reject(new Error(`server exited with ${code}: ${log}`));
		});
	});
	return { url, port: Number(new URL(url).port), child, stderr: () => log };
}

/**
 * A server process on `dataDir` (default: a fresh one) with `env` (e.g. cluster mode's
 * DATABASE_URL), killed -9 and its data dir removed with the test's cleanups.
 */
export async function spawnCleanedServer(
	cleanups: (() => unknown)[],
	env: Record<string, string> = {},
	dataDir?: string
): Promise<Awaited<ReturnType<typeof spawnServer>>> {
	let dir = dataDir;
	if (dir === undefined) {
		const data = tempDataDir();
		cleanups.push(data.remove);
		dir = data.dir;
	}
	const server = await spawnServer(dir, 0, env);
	cleanups.push(async () => {
		server.child.kill('SIGKILL');
		await exited(server.child);
	});
	return server;
}

/** Resolves once a child process has exited (at once if it has). */
export function exited(child: ChildProcess): Promise<void> {
	return child.exitCode !== null || child.signalCode !== null
		? Promise.resolve()
		: new Promise((r) => child.once('exit', () => r()));
}

export function wsUrl(httpUrl: string): string {
	return httpUrl.replace(/^http/, 'ws') + '/sync';
}

/** Logs in through the API and returns the session cookie ("shinko_session=…"). */
export async function login(
	httpUrl: string,
	username = 'admin',
	password = ADMIN_PASSWORD
): Promise<string> {
	const res = await fetch(`${httpUrl}/api/login`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', origin: httpUrl },
		body: JSON.stringify({ username, password })
	});
	if (res.status !== 200) throw new Error(`login failed: ${res.status}`);
	const cookie = res.headers.get('set-cookie') ?? '';
	return cookie.split(';')[0]!;
}

/** A `ws` WebSocket class that sends a cookie and our Origin, as a logged-in browser tab does. */
export function authedSocket(
	httpUrl: string,
	cookie: string | null,
	origin: string | null = httpUrl
) {
	return class extends WebSocket {
		constructor(url: string | URL, protocols?: string | string[]) {
			const headers: Record<string, string> = {};
			if (cookie) headers.cookie = cookie;
			if (origin) headers.origin = origin;
			super(url, protocols, { headers });
		}
	} as unknown as typeof globalThis.WebSocket;
}

/** The stock y-websocket client, as any outside client would use it (logged in). */
export function connectClient(
	httpUrl: string,
	docId: string,
	cookie: string,
	options: { doc?: Y.Doc; acks?: boolean } = {}
) {
	const doc = options.doc ?? new Y.Doc();
	const provider = new WebsocketProvider(wsUrl(httpUrl), docId, doc, {
		WebSocketPolyfill: options.acks
			? countingSocket(authedSocket(httpUrl, cookie))
			: authedSocket(httpUrl, cookie),
		disableBc: true,
		params: options.acks ? { acks: '1' } : {}
	});
	return { doc, provider };
}

/** A stock client asking for saved-acks, with them counted, destroyed with the test's cleanups. */
export function ackingClient(
	cleanups: (() => unknown)[],
	httpUrl: string,
	docId: string,
	cookie: string,
	doc?: Y.Doc
) {
	const c = connectClient(httpUrl, docId, cookie, { doc, acks: true });
	cleanups.push(() => c.provider.destroy());
	return { ...c, acks: new SavedAcks(c.provider) };
}

/**
 * Puts a doc in the list of tables, as an admin's browser does when it creates a table: editors
 * and viewers may open only listed docs. `adminCookie` is an admin's session.
 */
export async function listTable(
	httpUrl: string,
	adminCookie: string,
	docId: string
): Promise<void> {
	const { doc, provider } = connectClient(httpUrl, INDEX_DOC_ID, adminCookie, { acks: true });
	const acks = new SavedAcks(provider);
	try {
		await synced(provider);
		addTable(doc, docId, { title: docId, fiscalYear: 2020 });
		await waitFor(() => acks.allSaved, 'the listing saved');
	} finally {
		provider.destroy();
		doc.destroy();
	}
}

export function waitFor(
	predicate: () => boolean | Promise<boolean>,
	what = 'condition',
	timeoutMs = 10_000
): Promise<void> {
	return new Promise((resolve, reject) => {
		const started = Date.now();
		const tick = async () => {
			try {
				if (await predicate()) return resolve();
			} catch (err) {
				return reject(err as Error);
			}
			if (Date.now() - started > timeoutMs)
				return reject(new Error(`timed out waiting for ${what}`));
			setTimeout(() => void tick(), 10);
		};
		void tick();
	});
}

export function synced(provider: WebsocketProvider): Promise<void> {
	return waitFor(() => provider.synced, 'provider synced');
}
