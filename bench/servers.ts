// Each server under test as its own process, pinned to core 0 with taskset, with its CPU time and
// resident memory read from /proc.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Endpoint } from './client.ts';

export type ServerName = 'ours' | 'stock' | 'hocuspocus';
export const SERVERS: ServerName[] = ['ours', 'stock', 'hocuspocus'];
/** The three, or the relay floor (`bench/floor-server.js`, measured by `bench/relay-floor.ts`). */
export type ReferenceName = ServerName | 'floor';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const PASSWORD = 'bench-admin-password';
/** Who the benchmarks log in as: the user `INITIAL_ADMIN_PASSWORD` creates. */
export const USER = 'admin';
/** That user's display name (server/main.ts), which ours requires in the marks it writes. */
export const USER_DISPLAY_NAME = '管理者';
export const SERVER_CORE = '0';
export const CLIENT_CORE = '1';
const CLK_TCK = 100;

export interface RunningServer<N extends ReferenceName = ServerName> {
	name: N;
	pid: number;
	endpoint: Endpoint;
	/** User + system CPU seconds so far. */
	cpuSeconds(): number;
	rssBytes(): number;
	stop(): Promise<void>;
}

/** The node options `npm start` gives the server: the `--` words of package.json's start script. */
export function startOptions(): string[] {
	const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
		scripts: { start: string };
	};
	return pkg.scripts.start.split(/\s+/).filter((word) => word.startsWith('--'));
}

function command(name: ReferenceName): string[] {
	// Ours as `npm start` runs it: the bundle of `npm run build` (bench/run.ts builds when stale),
	// with the same node options.
	if (name === 'ours') return [...startOptions(), join(ROOT, 'dist/server.js')];
	return [join(ROOT, 'bench', `${name}-server.js`)];
}

/**
 * `nodeArgs` e.g. ['--cpu-prof', '--cpu-prof-dir=…'] (bench/profile.ts); `env` e.g. cluster mode's
 * DATABASE_URL and REDIS_URL (bench/cluster.ts).
 */
export async function startServer<N extends ReferenceName>(
	name: N,
	nodeArgs: string[] = [],
	env: Record<string, string> = {}
): Promise<RunningServer<N>> {
	const dataDir = mkdtempSync(join(tmpdir(), 'shinko-bench-'));
	const child: ChildProcess = spawn(
		'taskset',
		['-c', SERVER_CORE, process.execPath, ...nodeArgs, ...command(name)],
		{
			cwd: ROOT,
			env: {
				...process.env,
				PORT: '0',
				HOST: '127.0.0.1',
				DATA_DIR: dataDir,
				INITIAL_ADMIN_PASSWORD: PASSWORD,
				// Every client of the benchmarks logs in as that one user (up to 1000 at once); the
				// peers have no such limit.
				MAX_CONNECTIONS_PER_USER: '100000',
				NODE_ENV: 'production',
				...env
			},
			stdio: ['ignore', 'pipe', 'pipe']
		}
	);
	let stderr = '';
	child.stderr!.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-4000)));
	const port = await new Promise<number>((resolve, reject) => {
		let out = '';
		const timer = setTimeout(() => reject(new Error(`${name} did not start: ${stderr}`)), 30_000);
		child.stdout!.on('data', (c: Buffer) => {
			out += c.toString();
			const m = /(?:listening |Shinko: http:\/\/127\.0\.0\.1:)(\d+)/.exec(out);
			if (m) {
				clearTimeout(timer);
				resolve(Number(m[1]));
			}
		});
		child.once('exit', (code) => {
			clearTimeout(timer);
			reject(new Error(`${name} exited with ${code}: ${stderr}`));
		});
	});
	const pid = child.pid!;
	const base = `http://127.0.0.1:${port}`;
	let endpoint: Endpoint;
	if (name === 'ours') {
		const cookie = await login(base);
		endpoint = {
			framing: 'y',
			url: (doc) => `ws://127.0.0.1:${port}/sync/${doc}?acks=1`,
			headers: { cookie, origin: base }
		};
	} else if (name === 'stock' || name === 'floor') {
		endpoint = { framing: 'y', url: (doc) => `ws://127.0.0.1:${port}/${doc}`, headers: {} };
	} else {
		endpoint = { framing: 'hocuspocus', url: () => `ws://127.0.0.1:${port}`, headers: {} };
	}
	const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
	return {
		name,
		pid,
		endpoint,
		cpuSeconds: () => cpuSeconds(pid),
		rssBytes: () => rssBytes(pid),
		async stop() {
			child.kill('SIGTERM');
			const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
			await exited;
			clearTimeout(timer);
			rmSync(dataDir, { recursive: true, force: true });
		}
	};
}

async function login(base: string): Promise<string> {
	const res = await fetch(`${base}/api/login`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', origin: base },
		body: JSON.stringify({ username: USER, password: PASSWORD })
	});
	if (res.status !== 200) throw new Error(`login failed: ${res.status}`);
	return (res.headers.get('set-cookie') ?? '').split(';')[0]!;
}

export function cpuSeconds(pid: number): number {
	// Fields after the command name (which may contain spaces): utime is the 14th, stime the 15th.
	const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
	const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
	return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
}

export function rssBytes(pid: number): number {
	const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
	return m ? Number(m[1]) * 1024 : NaN;
}
