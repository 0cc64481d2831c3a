// `npm run bench -- --cluster` (or `node --import tsx bench/cluster.ts [--quick]`): cluster mode
// (issue 23). Ours on SQLite with one process, and on PostgreSQL + Redis with 1, 2 and 4
// processes, each a `dist/server.js` as `npm start` runs it, all pinned to core 0 (this machine has
// two cores; the load generator has the other). PostgreSQL and Redis are started here, from
// Debian's packages, and share core 0 with the servers.
//
// - Acknowledged updates per second: ROOMS tables, each on one process (rooms spread, as the
//   README's consistent hash places them), one writer each keeping WINDOW edits unacknowledged.
// - Cross-process relay latency: one writer on process 0, readers on process 1 (with 1 process,
//   all on it: the single-process figure), 100 edits/s; from an edit's send to its arrival.
//
// Writes bench/cluster-results.json and docs/benchmarks-cluster.md.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startPostgres } from '../test/helpers/postgres.ts';
import { startRedis } from '../test/helpers/redis.ts';
import { BenchClient, connectAll } from './client.ts';
import { ensureBuilt } from './cold-load.ts';
import { closeAll, loadTable, markersOf, median, percentile, sleep } from './common.ts';
import { CLIENT_CORE, startServer, type RunningServer } from './servers.ts';
import { prng, seededDoc, typeInto } from './table.ts';

const quick = process.argv.includes('--quick');
const SECONDS = quick ? 2 : 10;
const REPS = quick ? 1 : 3;
const ROOMS = 8;
const WINDOW = 20;
const READERS = 10;
const RATE = 100;

interface Config {
	name: string;
	store: 'sqlite' | 'postgres';
	processes: number;
}
const CONFIGS: Config[] = [
	{ name: 'SQLite, 1 process', store: 'sqlite', processes: 1 },
	{ name: 'PostgreSQL, 1 process', store: 'postgres', processes: 1 },
	{ name: 'PostgreSQL, 2 processes', store: 'postgres', processes: 2 },
	{ name: 'PostgreSQL, 4 processes', store: 'postgres', processes: 4 }
];

interface Result {
	config: string;
	processes: number;
	store: string;
	acksPerSecond: number;
	relayP50: number;
	relayP99: number;
}

execFileSync('taskset', ['-a', '-pc', CLIENT_CORE, String(process.pid)], { stdio: 'ignore' });
ensureBuilt();
const postgres = await startPostgres();
const redis = await startRedis();
// The services on the servers' core, as a single small machine would run them.
for (const name of ['postgres', 'redis-server'])
	execFileSync(
		'sh',
		['-c', `for p in $(pgrep -x ${name.slice(0, 15)}); do taskset -a -pc 0 $p; done`],
		{
			stdio: 'ignore'
		}
	);

/** An editing client of a doc, with a replica, as a browser tab is. */
async function writer(
	server: RunningServer,
	docId: string,
	index: number,
	onSaved?: (n: number) => void
) {
	const doc = seededDoc();
	const client = new BenchClient(server.endpoint, docId, { doc, onSaved });
	await client.connect();
	doc.on('update', (update: Uint8Array, origin: unknown) => {
		if (origin !== client) client.sendUpdate(update);
	});
	const rand = prng(index + 1);
	return { client, edit: (seq: number) => typeInto(doc, rand, `#w${index}e${seq}#`) };
}

async function acksPerSecond(servers: RunningServer[]): Promise<number> {
	const holders: BenchClient[] = [];
	const writers: Awaited<ReturnType<typeof writer>>[] = [];
	let saved = 0;
	let running = false;
	for (let r = 0; r < ROOMS; r++) {
		const server = servers[r % servers.length]!;
		holders.push(await loadTable(server, `acks${r}`));
		let sent = 0;
		let acked = 0;
		const w: Awaited<ReturnType<typeof writer>> = await writer(server, `acks${r}`, r, (n) => {
			if (running) saved += n - acked;
			acked = n;
			while (running && w.client.updatesSent - acked < WINDOW) w.edit(sent++);
		});
		writers.push(w);
	}
	await sleep(300);
	running = true;
	const start = performance.now();
	for (const w of writers) for (let i = 0; i < WINDOW; i++) w.edit(-i - 1);
	await sleep(SECONDS * 1000);
	const elapsed = (performance.now() - start) / 1000;
	running = false;
	const perSecond = saved / elapsed;
	closeAll([...holders, ...writers.map((w) => w.client)]);
	return perSecond;
}

async function relay(servers: RunningServer[]): Promise<{ p50: number; p99: number }> {
	const writerServer = servers[0]!;
	const readerServer = servers[Math.min(1, servers.length - 1)]!;
	const holder = await loadTable(writerServer, 'relay');
	const samples: number[] = [];
	const sentAt = new Map<number, number>();
	let measuring = false;
	const readers = Array.from(
		{ length: READERS },
		() =>
			new BenchClient(readerServer.endpoint, 'relay', {
				onUpdate: (u) => {
					if (!measuring) return;
					const now = performance.now();
					for (const [, e] of markersOf(u)) {
						const t = sentAt.get(e);
						if (t !== undefined) samples.push(now - t);
					}
				}
			})
	);
	await connectAll(readers);
	const w = await writer(writerServer, 'relay', 0);
	await sleep(500);
	const start = performance.now();
	let sent = 0;
	while (performance.now() - start < 500 + SECONDS * 1000) {
		const elapsed = performance.now() - start;
		measuring = elapsed >= 500;
		for (const due = Math.floor((elapsed / 1000) * RATE); sent < due; sent++) {
			sentAt.set(sent, performance.now());
			w.edit(sent);
		}
		await sleep(2);
	}
	await sleep(500);
	closeAll([holder, w.client, ...readers]);
	samples.sort((a, b) => a - b);
	return { p50: percentile(samples, 50), p99: percentile(samples, 99) };
}

const runs = new Map<string, { acks: number[]; p50: number[]; p99: number[] }>();
try {
	for (let rep = 1; rep <= REPS; rep++) {
		for (const config of CONFIGS) {
			const env: Record<string, string> =
				config.store === 'postgres'
					? { DATABASE_URL: await postgres.createDatabase(), REDIS_URL: redis.url }
					: {};
			const servers: RunningServer[] = [];
			for (let i = 0; i < config.processes; i++) servers.push(await startServer('ours', [], env));
			try {
				const acks = await acksPerSecond(servers);
				const latency = await relay(servers);
				let run = runs.get(config.name);
				if (!run) runs.set(config.name, (run = { acks: [], p50: [], p99: [] }));
				run.acks.push(acks);
				run.p50.push(latency.p50);
				run.p99.push(latency.p99);
				console.log(
					`rep ${rep} ${config.name}: ${acks.toFixed(0)} acknowledged updates/s, ` +
						`relay p50 ${latency.p50.toFixed(2)} ms, p99 ${latency.p99.toFixed(2)} ms`
				);
			} finally {
				await Promise.all(servers.map((s) => s.stop()));
			}
		}
	}
} finally {
	await redis.remove();
	postgres.remove();
}

const results: Result[] = CONFIGS.map((c) => {
	const run = runs.get(c.name)!;
	return {
		config: c.name,
		processes: c.processes,
		store: c.store,
		acksPerSecond: median(run.acks),
		relayP50: median(run.p50),
		relayP99: median(run.p99)
	};
});
const pg1 = results.find((r) => r.store === 'postgres' && r.processes === 1)!;
const efficiency = (r: Result) => r.acksPerSecond / (r.processes * pg1.acksPerSecond);
const crossP99 = results.filter((r) => r.store === 'postgres' && r.processes > 1);
const goalMet = crossP99.every((r) => r.relayP99 <= 2 * pg1.relayP99);
const root = fileURLToPath(new URL('..', import.meta.url));
writeFileSync(
	join(root, 'bench', 'cluster-results.json'),
	JSON.stringify(
		{
			date: new Date().toISOString().slice(0, 10),
			quick,
			seconds: SECONDS,
			reps: REPS,
			results: results.map((r) => ({
				...r,
				scalingEfficiency: r.store === 'postgres' ? efficiency(r) : null
			})),
			goals: { crossProcessRelayP99AtMost2xSingle: goalMet }
		},
		null,
		'\t'
	) + '\n'
);
const ms = (v: number) => v.toFixed(2);
const lines = [
	'# Cluster benchmarks',
	'',
	'Written by `npm run bench -- --cluster` (`bench/cluster.ts`); the analysis is in',
	'`docs/performance-notes.md`, "Cluster mode". Medians of ' +
		`${REPS} repetition${REPS > 1 ? 's' : ''}, ${SECONDS} s windows${quick ? ' (quick run)' : ''}, ` +
		new Date().toISOString().slice(0, 10) +
		'.',
	'',
	'Every server process, PostgreSQL and Redis share core 0 of this two-core machine; the load',
	'generator has core 1. More processes on one core cannot add throughput: the scaling figure says',
	'what the extra processes cost, not what more machines would give.',
	'',
	'| configuration | acknowledged updates/s | scaling efficiency | relay p50 (ms) | relay p99 (ms) |',
	'| --- | ---: | ---: | ---: | ---: |',
	...results.map(
		(r) =>
			`| ${r.config} | ${r.acksPerSecond.toFixed(0)} | ${r.store === 'postgres' ? efficiency(r).toFixed(2) : '—'} | ${ms(r.relayP50)} | ${ms(r.relayP99)} |`
	),
	'',
	`Relay latency with one process is from a writer to readers on the same process; with 2 and 4, to`,
	`readers on another process (through Redis, before the commit). Goal: cross-process relay`,
	`p99 ≤ 2× the single-process p99 on PostgreSQL (${ms(2 * pg1.relayP99)} ms): ${goalMet ? 'met' : '**not met**'}.`,
	'Scaling efficiency is throughput(N) / (N × throughput(1)) on PostgreSQL.',
	''
];
writeFileSync(join(root, 'docs', 'benchmarks-cluster.md'), lines.join('\n'));
console.log(lines.join('\n'));
process.exit(0);
