// `npm run soak`: the long reliability runs of issue #8 (crash rounds, load), on loopback only.
//
//   npm run soak                      200 crash rounds, then 50 clients at 2 edits/s for 5 minutes,
//                                     with presence, reporting log rows, RSS and /healthz over time
//   npm run soak -- --quick           20 rounds and 30 s of load
//   npm run soak -- --rounds 50 --duration 120
//   npm run soak -- --load-only       only the load (with --duration, --clients)
//   npm run soak -- --attacks-only    only the hostile-user attacks of issue #17 (20 s each; quick: 5 s)
//   npm run soak -- --cluster-only    only the crash rounds across processes (issue #23): three
//                                     server processes on a PostgreSQL and a Redis the soak starts,
//                                     one killed -9 each round (50 rounds; quick: 5; --cluster-rounds)
//
// Prints what it measured and exits non-zero if any promise failed.
import Database from 'better-sqlite3';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as Y from 'yjs';
import { runAttacks } from './attacks.ts';
import { runCrashRounds } from './crash-rounds.ts';
import { startPostgres } from '../helpers/postgres.ts';
import { startRedis } from '../helpers/redis.ts';
import { STORE_FILE } from '../../server/store.ts';
import { healthMs, percentile } from '../helpers/hostile.ts';
import { connectClient, login, spawnServer, tempDataDir, waitFor } from '../helpers/server.ts';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
function option(name: string, fallback: number): number {
	const at = args.indexOf(name);
	const value = at >= 0 ? Number(args[at + 1]) : fallback;
	if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} needs a positive number`);
	return value;
}
const ROUNDS = option('--rounds', quick ? 20 : 200);
const DURATION_S = option('--duration', quick ? 30 : 300);
const CLIENTS = option('--clients', 50);
const RATE = 2;
const ATTACKS_ONLY = args.includes('--attacks-only');
const LOAD_ONLY = args.includes('--load-only');
const ATTACK_S = option('--attack-duration', quick ? 5 : 20);
const CLUSTER_ROUNDS = option('--cluster-rounds', quick ? 5 : 50);
const CLUSTER_ONLY = args.includes('--cluster-only');

process.setMaxListeners(0); // every y-websocket provider adds an exit listener
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const log = (message: string) => process.stdout.write(`[soak] ${message}\n`);

async function crash(): Promise<void> {
	const started = Date.now();
	let edits = 0;
	let acknowledged = 0;
	const reports = await runCrashRounds({
		rounds: ROUNDS,
		onRound: (r) => {
			edits += r.edits;
			acknowledged += r.acknowledged;
			if ((r.round + 1) % 10 === 0) log(`crash round ${r.round + 1}/${ROUNDS}`);
		}
	});
	const converge = reports.map((r) => r.convergeMs);
	log(
		`crash: ${reports.length} kill -9 rounds, ${edits} edits, ${acknowledged} acknowledged ` +
			`before a kill, none lost; converged after restart in p50 ${percentile(converge, 50)} ms, ` +
			`max ${Math.max(...converge)} ms (${((Date.now() - started) / 1000).toFixed(0)} s)`
	);
	if (acknowledged === 0)
		throw new Error('no edit was ever acknowledged: the rounds tested nothing');
}

/** Crash rounds across three processes on one PostgreSQL and Redis, started here. */
async function clusterCrash(): Promise<void> {
	const started = Date.now();
	const [postgres, redis] = await Promise.all([startPostgres(), startRedis()]);
	try {
		let acknowledged = 0;
		let edits = 0;
		const killed = [0, 0, 0];
		const reports = await runCrashRounds({
			rounds: CLUSTER_ROUNDS,
			clients: 9,
			cluster: { processes: 3, databaseUrl: postgres.url, redisUrl: redis.url },
			onRound: (r) => {
				edits += r.edits;
				acknowledged += r.acknowledged;
				killed[r.killed]!++;
				if ((r.round + 1) % 10 === 0) log(`cluster round ${r.round + 1}/${CLUSTER_ROUNDS}`);
			}
		});
		const converge = reports.map((r) => r.convergeMs);
		log(
			`cluster: ${reports.length} kill -9 rounds over 3 processes (killed ${killed.join('/')} ` +
				`times), ${edits} edits, ${acknowledged} acknowledged before a kill, 0 lost; converged ` +
				`in p50 ${percentile(converge, 50)} ms, max ${Math.max(...converge)} ms ` +
				`(${((Date.now() - started) / 1000).toFixed(0)} s)`
		);
		if (acknowledged === 0)
			throw new Error('no edit was ever acknowledged: the rounds tested nothing');
	} finally {
		postgres.remove();
		await redis.remove();
	}
}

async function load(): Promise<void> {
	const data = tempDataDir();
	// Rooms unload 30 s after their last client leaves (server/sync.ts); the wait below allows it.
	const server = await spawnServer(data.dir);
	const rss = () =>
		Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${server.child.pid}/status`, 'utf8'))![1]) /
		1024;
	const rooms = async () =>
		((await (await fetch(`${server.url}/healthz`)).json()) as { rooms: number }).rooms;
	try {
		const cookie = await login(server.url);
		await sleep(1000);
		const rssBefore = rss();
		const observer = connectClient(server.url, 'load', cookie);
		const latencies: number[] = [];
		observer.doc.getMap('m').observe((event) => {
			const now = performance.now();
			for (const key of event.keysChanged) {
				const sentAt = observer.doc.getMap('m').get(key);
				if (typeof sentAt === 'number') latencies.push(now - sentAt);
			}
		});
		const clients = Array.from({ length: CLIENTS }, (_, n) => {
			const client = connectClient(server.url, 'load', cookie);
			// Presence as the app sets it (src/lib/state/presence.svelte.ts); the stock client
			// sends again every presence change it hears, other people's included.
			client.provider.awareness.setLocalState({
				user: { name: `参加者${n + 1}`, colour: '#2e86ab', role: 'admin' },
				cursor: null
			});
			return client;
		});
		const closes: number[] = [];
		for (const c of clients) {
			c.provider.on('connection-close', (e: CloseEvent | null) => closes.push(e?.code ?? 0));
		}
		await waitFor(() => clients.concat(observer).every((c) => c.provider.synced), 'synced', 30_000);
		let sent = 0;
		let rssPeak = rss();
		const timers = clients.map((c, n) =>
			setInterval(() => {
				c.doc.getMap('m').set(`${n}:${sent}`, performance.now());
				c.doc.getText('t').insert(0, `${n}`);
				// A move to another cell every other edit or so.
				if (sent++ % 2 === 0) {
					c.provider.awareness.setLocalStateField('cursor', {
						itemId: `item-${(n + sent) % 68}`,
						field: 'note'
					});
				}
			}, 1000 / RATE)
		);
		// Over time: the update log's rows (it is compacted while the server runs), the server's
		// RSS, and its event-loop lag as /healthz answer times, probed every 100 ms.
		const store = new Database(join(data.dir, STORE_FILE), { readonly: true });
		const rows = () =>
			(
				store.prepare("SELECT COUNT(*) AS n FROM updates WHERE doc_id = 'load'").get() as {
					n: number;
				}
			).n;
		const started = Date.now();
		const ends = started + DURATION_S * 1000;
		const every = Math.max(10, Math.round(DURATION_S / 10));
		let health: number[] = [];
		const allHealth: number[] = [];
		let rowsPeak = 0;
		let lagMax = 0;
		const loopLag = async () =>
			(
				(await (await fetch(`${server.url}/healthz`)).json()) as {
					eventLoopDelayMs?: { p99: number; max: number };
				}
			).eventLoopDelayMs;
		log(
			`load over time:   s   log rows   RSS MB   /healthz p50 / max ms   server loop lag p99 / max ms`
		);
		while (Date.now() < ends) {
			const probeEnds = Math.min(ends, Date.now() + every * 1000);
			while (Date.now() < probeEnds) {
				health.push(await healthMs(server.url));
				await sleep(100);
			}
			const n = rows();
			rowsPeak = Math.max(rowsPeak, n);
			rssPeak = Math.max(rssPeak, rss());
			// The server's own measure (perf_hooks, last 10 s): /healthz times above also include
			// this process's work for its 50 clients.
			const lag = (await loopLag()) ?? { p99: NaN, max: NaN };
			lagMax = Math.max(lagMax, lag.max);
			log(
				`load over time: ${String(Math.round((Date.now() - started) / 1000)).padStart(3)}` +
					`${String(n).padStart(11)}${rss().toFixed(0).padStart(9)}` +
					`${percentile(health, 50).toFixed(1).padStart(12)} / ${Math.max(...health).toFixed(1)}` +
					`${lag.p99.toFixed(1).padStart(21)} / ${lag.max.toFixed(1)}`
			);
			allHealth.push(...health);
			health = [];
		}
		timers.forEach(clearInterval);
		store.close();
		await sleep(2000);
		const expected = Y.encodeStateVector(clients[0]!.doc);
		const converged = clients.every((c) => {
			const sv = Y.encodeStateVector(c.doc);
			return sv.length === expected.length && sv.every((b, i) => b === expected[i]);
		});
		for (const c of clients.concat(observer)) {
			c.provider.destroy();
			c.doc.destroy();
		}
		const unloadStarted = Date.now();
		let left = await rooms();
		while (left > 0 && Date.now() - unloadStarted < 60_000) {
			await sleep(1000);
			left = await rooms();
		}
		await sleep(2000);
		const rssAfter = rss();
		log(
			`load: ${CLIENTS} clients × ${RATE} edits/s for ${DURATION_S} s: ${sent} edits, ` +
				`${latencies.length} relays seen by an observer; relay p50 ${percentile(latencies, 50).toFixed(1)} ms, ` +
				`p99 ${percentile(latencies, 99).toFixed(1)} ms, max ${Math.max(...latencies).toFixed(1)} ms`
		);
		log(
			`load: server RSS ${rssBefore.toFixed(0)} MB before, ${rssPeak.toFixed(0)} MB peak, ` +
				`${rssAfter.toFixed(0)} MB after the clients left; rooms loaded after leaving: ${left}`
		);
		log(
			`load: update log at most ${rowsPeak} rows (compacted while running); /healthz p50 ` +
				`${percentile(allHealth, 50).toFixed(1)} ms, p99 ${percentile(allHealth, 99).toFixed(1)} ms, ` +
				`max ${Math.max(...allHealth).toFixed(1)} ms; server event-loop lag max ${lagMax.toFixed(1)} ms; ` +
				`closes with 4xxx: ${closes.filter((c) => c >= 4000).length}`
		);
		if (!converged) throw new Error('the load clients did not converge');
		if (closes.some((c) => c >= 4000))
			throw new Error(`clients were refused: ${closes.join(', ')}`);
		if (latencies.length < sent * 0.99) throw new Error(`only ${latencies.length}/${sent} relayed`);
		if (left !== 0) throw new Error(`${left} rooms still loaded a minute after everyone left`);
		if (rssAfter > rssBefore + 50) throw new Error('server memory grew by more than 50 MB');
	} finally {
		server.child.kill('SIGKILL');
		data.remove();
	}
}

async function main(): Promise<void> {
	const started = Date.now();
	if (LOAD_ONLY) {
		await load();
	} else if (CLUSTER_ONLY) {
		await clusterCrash();
	} else {
		if (!ATTACKS_ONLY) {
			await crash();
			await clusterCrash();
			await load();
		}
		await runAttacks(ATTACK_S * 1000, log);
	}
	log(`all held (${((Date.now() - started) / 1000).toFixed(0)} s)`);
}

// A hard stop, so a hang cannot keep the soak alive forever.
const deadline = setTimeout(
	() => {
		log('FAILED: the soak did not finish in time');
		process.exit(2);
	},
	(ROUNDS * 10 + CLUSTER_ROUNDS * 10 + DURATION_S + ATTACK_S * 10 + 300) * 1000
);
deadline.unref();
main().then(
	() => process.exit(0),
	(err: unknown) => {
		log(`FAILED: ${err instanceof Error ? err.message : String(err)}`);
		process.exit(1);
	}
);
