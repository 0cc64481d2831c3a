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
import { startServer, type RunningServer } from '../../server/main.ts';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export function tempDataDir(): { dir: string; remove(): void } {
	const dir = mkdtempSync(join(tmpdir(), 'shinko-test-'));
	return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export function startTestServer(dataDir: string, port = 0): Promise<RunningServer> {
	return startServer(
		{ port, host: '127.0.0.1', dataDir, maxMessageBytes: 16 * 1024 * 1024 },
		silentLogger
	);
}

/** The server as its own process (bin/serve.js), so a test can kill -9 it. */
export async function spawnServer(
	dataDir: string,
	port = 0
): Promise<{ url: string; port: number; child: ChildProcess }> {
	const child = spawn(process.execPath, [join(ROOT, 'bin/serve.js')], {
		cwd: ROOT,
		env: { ...process.env, DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1' },
		stdio: ['ignore', 'pipe', 'pipe']
	});
	const url = await new Promise<string>((resolve, reject) => {
		let out = '';
		let err = '';
		const timer = setTimeout(() => reject(new Error(`server did not start: ${err}`)), 20_000);
		child.stdout!.on('data', (chunk: Buffer) => {
			out += chunk.toString();
			const m = /Shinko: (http:\/\/\S+)/.exec(out);
			if (m) {
				clearTimeout(timer);
				resolve(m[1]!);
			}
		});
		child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
		child.on('exit', (code) => {
			clearTimeout(timer);
			reject(new Error(`server exited with ${code}: ${err}`));
		});
	});
	return { url, port: Number(new URL(url).port), child };
}

export function wsUrl(httpUrl: string): string {
	return httpUrl.replace(/^http/, 'ws') + '/sync';
}

/** The stock y-websocket client, as any outside client would use it. */
export function connectClient(httpUrl: string, docId: string, doc = new Y.Doc()) {
	const provider = new WebsocketProvider(wsUrl(httpUrl), docId, doc, {
		WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
		disableBc: true
	});
	return { doc, provider };
}

export function waitFor(
	predicate: () => boolean,
	what = 'condition',
	timeoutMs = 10_000
): Promise<void> {
	return new Promise((resolve, reject) => {
		const started = Date.now();
		const tick = () => {
			if (predicate()) return resolve();
			if (Date.now() - started > timeoutMs)
				return reject(new Error(`timed out waiting for ${what}`));
			setTimeout(tick, 10);
		};
		tick();
	});
}

export function synced(provider: WebsocketProvider): Promise<void> {
	return waitFor(() => provider.synced, 'provider synced');
}
