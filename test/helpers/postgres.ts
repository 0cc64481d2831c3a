// A real PostgreSQL server for tests: Debian's package (`.ci/run` installs it), a cluster made
// with initdb in a temp dir, listening on a free port on loopback, stopped and removed after.
// initdb and the server refuse to run as root, so as root they run as the `postgres` user the
// package creates.
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

export interface TestPostgres {
	/** `postgres://…` of a database of its own. */
	url: string;
	/** A new, empty database on the same server (one per test). */
	createDatabase(name?: string): Promise<string>;
	/** Stops the server (fast shutdown) and keeps its files: `start` brings it back. */
	stop(): void;
	start(): void;
	/** Stops it and removes its files. */
	remove(): void;
}

/** The directory of the newest installed PostgreSQL's programs. */
function binDir(): string {
	const root = '/usr/lib/postgresql';
	if (existsSync(root)) {
		const versions = readdirSync(root)
			.filter((v) => existsSync(join(root, v, 'bin', 'initdb')))
			.sort((a, b) => Number(b) - Number(a));
		if (versions[0]) return join(root, versions[0], 'bin');
	}
	throw new Error(
		'PostgreSQL is not installed (Debian: apt-get install postgresql; `.ci/run` does this)'
	);
}

export function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			server.close(() =>
				typeof address === 'object' && address
					? resolve(address.port)
					: reject(new Error('no port'))
			);
		});
	});
}

let databases = 0;

/** Creates an empty database on a server (`postgres://user@host:port`); resolves with its URL. */
export async function createDatabase(server: string, name: string): Promise<string> {
	const { default: pg } = await import('pg');
	const client = new pg.Client({ connectionString: `${server}/postgres` });
	await client.connect();
	try {
		await client.query(`CREATE DATABASE "${name}"`);
	} finally {
		await client.end();
	}
	return `${server}/${name}`;
}

export async function startPostgres(): Promise<TestPostgres> {
	const bin = binDir();
	const asRoot = userInfo().uid === 0;
	const dir = mkdtempSync(join(tmpdir(), 'shinko-pg-'));
	if (asRoot) chownSync(dir, uidOf('postgres'), gidOf('postgres'));
	const run = (program: string, args: string[]) => {
		const argv = asRoot
			? ['runuser', '-u', 'postgres', '--', join(bin, program), ...args]
			: [join(bin, program), ...args];
		return execFileSync(argv[0]!, argv.slice(1), { stdio: 'pipe', cwd: dir }).toString();
	};
	const data = join(dir, 'data');
	run('initdb', ['-D', data, '-U', 'shinko', '-A', 'trust', '-E', 'UTF8', '--no-locale', '-N']);
	const port = await freePort();
	const start = () =>
		run('pg_ctl', [
			'-D',
			data,
			'-l',
			join(dir, 'log'),
			'-w',
			'-o',
			`-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=200`,
			'start'
		]);
	start();
	const stop = () => {
		try {
			run('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
		} catch {
			// Not running.
		}
	};
	const base = `postgres://shinko@127.0.0.1:${port}`;
	return {
		url: await createDatabase(base, 'shinko'),
		createDatabase: (name = `t${process.pid}_${++databases}`) => createDatabase(base, name),
		stop,
		start: () => void start(),
		remove: () => {
			stop();
			rmSync(dir, { recursive: true, force: true });
		}
	};
}

function uidOf(user: string): number {
	return Number(execFileSync('id', ['-u', user]).toString().trim());
}

function gidOf(user: string): number {
	return Number(execFileSync('id', ['-g', user]).toString().trim());
}
