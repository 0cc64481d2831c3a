// `node --import tsx bench/relay-floor.ts [--seconds 15] [--reps 3]`: the relay latency workload
// (workload 1 of `npm run bench`, same clients and rates) against the relay floor
// (`bench/floor-server.js`, a relay that forwards each message unread and stores nothing) beside
// ours, the stock server and Hocuspocus, one process after another in a random order per
// repetition; prints the medians. Not part of `npm run bench`: it answers whether any server could
// meet the relay goal (p99 ≤ 0.5× the better peer) on this machine. If the floor cannot, none can.
import { execFileSync } from 'node:child_process';
import { ensureBuilt } from './cold-load.ts';
import { median, sharedTable, shuffle } from './common.ts';
import { relayLatency } from './relay.ts';
import { CLIENT_CORE, startServer, type ReferenceName } from './servers.ts';

function arg(name: string, fallback: number): number {
	const i = process.argv.indexOf(`--${name}`);
	if (i < 0) return fallback;
	const value = Number(process.argv[i + 1]);
	if (!(value > 0)) throw new Error(`--${name} ${process.argv[i + 1]}: a positive number, please`);
	return value;
}

const seconds = arg('seconds', 15);
const reps = arg('reps', 3);
const NAMES: ReferenceName[] = ['floor', 'ours', 'stock', 'hocuspocus'];
const CLIENTS = [10, 100];

execFileSync('taskset', ['-a', '-pc', CLIENT_CORE, String(process.pid)], { stdio: 'ignore' });
ensureBuilt();
const samples = new Map<string, { p50: number[]; p99: number[] }>();
/** The p50 and p99 of every repetition, for one server and client count. */
function samplesOf(name: ReferenceName, clients: number): { p50: number[]; p99: number[] } {
	const key = `${name} ${clients}`;
	let s = samples.get(key);
	if (!s) samples.set(key, (s = { p50: [], p99: [] }));
	return s;
}

for (let rep = 1; rep <= reps; rep++) {
	for (const name of shuffle(NAMES)) {
		const server = await startServer(name);
		try {
			const table = await sharedTable(server, 'relay');
			for (const n of shuffle(CLIENTS)) {
				const r = await relayLatency(server, table, n, seconds);
				samplesOf(name, n).p50.push(r.p50);
				samplesOf(name, n).p99.push(r.p99);
				console.log(
					`rep ${rep} ${name} ${n} clients: p50 ${r.p50.toFixed(2)} ms, p99 ${r.p99.toFixed(2)} ms`
				);
			}
			table.holder.close();
		} finally {
			await server.stop();
		}
	}
}

const ms = (v: number) => `${v.toFixed(2)} ms`;
console.log(`\nmedians of ${reps}, ${seconds} s each:`);
for (const n of CLIENTS) {
	const of = (name: ReferenceName) => median(samplesOf(name, n).p99);
	for (const name of NAMES) {
		const p50 = median(samplesOf(name, n).p50);
		console.log(`${n} clients, ${name.padEnd(10)} p50 ${ms(p50)}, p99 ${ms(of(name))}`);
	}
	const goal = 0.5 * Math.min(of('stock'), of('hocuspocus'));
	console.log(
		`${n} clients: goal p99 ≤ ${ms(goal)}; the floor's p99 is ${(of('floor') / goal).toFixed(2)}× that, ours ${(of('ours') / goal).toFixed(2)}×`
	);
}
process.exit(0);
