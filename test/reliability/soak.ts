// `npm run soak`: the long reliability runs of issue #8 (crash rounds, load), on loopback only.
//
//   npm run soak                      200 crash rounds, then 50 clients at 2 edits/s for 5 minutes
//   npm run soak -- --quick           20 rounds and 30 s of load
//   npm run soak -- --rounds 50 --duration 120
//   npm run soak -- --attacks-only    only the hostile-user attacks of issue #17 (20 s each; quick: 5 s)
//
// Prints what it measured and exits non-zero if any promise failed.
import { readFileSync } from 'node:fs';
import * as Y from 'yjs';
import { runAttacks } from './attacks.ts';
import { runCrashRounds } from './crash-rounds.ts';
import { percentile } from '../helpers/hostile.ts';
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
const ATTACK_S = option('--attack-duration', quick ? 5 : 20);

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
		const clients = Array.from({ length: CLIENTS }, () =>
			connectClient(server.url, 'load', cookie)
		);
		await waitFor(() => clients.concat(observer).every((c) => c.provider.synced), 'synced', 30_000);
		let sent = 0;
		let rssPeak = rss();
		const timers = clients.map((c, n) =>
			setInterval(() => {
				c.doc.getMap('m').set(`${n}:${sent++}`, performance.now());
				c.doc.getText('t').insert(0, `${n}`);
			}, 1000 / RATE)
		);
		const ends = Date.now() + DURATION_S * 1000;
		while (Date.now() < ends) {
			await sleep(1000);
			rssPeak = Math.max(rssPeak, rss());
		}
		timers.forEach(clearInterval);
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
		if (!converged) throw new Error('the load clients did not converge');
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
	if (!ATTACKS_ONLY) {
		await crash();
		await load();
	}
	await runAttacks(ATTACK_S * 1000, log);
	log(`all held (${((Date.now() - started) / 1000).toFixed(0)} s)`);
}

// A hard stop, so a hang cannot keep the soak alive forever.
const deadline = setTimeout(
	() => {
		log('FAILED: the soak did not finish in time');
		process.exit(2);
	},
	(ROUNDS * 10 + DURATION_S + ATTACK_S * 10 + 300) * 1000
);
deadline.unref();
main().then(
	() => process.exit(0),
	(err: unknown) => {
		log(`FAILED: ${err instanceof Error ? err.message : String(err)}`);
		process.exit(1);
	}
);
