// A real Redis server for tests: Debian's redis-server (`.ci/run` installs it) on a free port, in
// a temp dir, with nothing saved to disk; it can be killed and started again on the same port.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './postgres.ts';

export interface TestRedis {
	url: string;
	/** Kills it (SIGKILL): connections drop, everything it held is gone. */
	kill(): Promise<void>;
	start(): Promise<void>;
	remove(): Promise<void>;
}

export async function startRedis(): Promise<TestRedis> {
	const dir = mkdtempSync(join(tmpdir(), 'shinko-redis-'));
	const port = await freePort();
	let child: ChildProcess | null = null;
	const start = async () => {
		const started = spawn(
			'redis-server',
			[
				'--port',
				String(port),
				'--bind',
				'127.0.0.1',
				'--save',
				'',
				'--appendonly',
				'no',
				'--dir',
				dir
			],
			{ stdio: ['ignore', 'pipe', 'pipe'] }
		);
		child = started;
		await new Promise<void>((resolve, reject) => {
			let out = '';
			const timer = setTimeout(
				() => reject(new Error(`redis-server did not start: ${out}`)),
				10_000
			);
			started.stdout!.on('data', (c: Buffer) => {
				out += c.toString();
				if (out.includes('Ready to accept connections')) {
					clearTimeout(timer);
					resolve();
				}
			});
			started.on('error', (err) => {
				clearTimeout(timer);
				reject(
					new Error(
						`redis-server could not run (Debian: apt-get install redis-server): ${err.message}`
					)
				);
			});
			started.on('exit', (code) => {
				clearTimeout(timer);
				reject(new Error(`redis-server exited with ${code}: ${out}`));
			});
		});
	};
	const kill = async () => {
		const running = child;
		child = null;
		if (!running || running.exitCode !== null) return;
		running.kill('SIGKILL');
		await new Promise((r) => running.once('exit', r));
	};
	await start();
	return {
		url: `redis://127.0.0.1:${port}`,
		kill,
		start,
		remove: async () => {
			await kill();
			rmSync(dir, { recursive: true, force: true });
		}
	};
}
