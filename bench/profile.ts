// `node --import tsx bench/profile.ts [ours|stock|hocuspocus] [throughput|presence|relay]`: runs the
// throughput and presence workloads (or the relay latency one, 100 clients) against one server under
// --cpu-prof and prints where its CPU time went (self time by
// function, top 25). Not part of `npm run bench`.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sharedTable } from './common.ts';
import { presenceCost } from './footprint.ts';
import { relayLatency, throughput } from './relay.ts';
import { ensureBuilt } from './cold-load.ts';
import { CLIENT_CORE, startServer, type ServerName } from './servers.ts';

interface Node {
	id: number;
	callFrame: { functionName: string; url: string; lineNumber: number };
	hitCount: number;
}

const name = (process.argv[2] ?? 'ours') as ServerName;
const only = process.argv[3]; // 'throughput', 'presence' or 'relay' to profile one workload
execFileSync('taskset', ['-a', '-pc', CLIENT_CORE, String(process.pid)], { stdio: 'ignore' });
ensureBuilt();
const dir = mkdtempSync(join(tmpdir(), 'shinko-prof-'));
const server = await startServer(name, ['--cpu-prof', `--cpu-prof-dir=${dir}`]);
if (only === 'relay') {
	const table = await sharedTable(server, 'profile');
	console.log('relay, 100 clients', await relayLatency(server, table, 100, 15));
	table.holder.close();
} else if (only !== 'presence') {
	const table = await sharedTable(server, 'profile');
	console.log('throughput', await throughput(server, table, 5));
	table.holder.close();
}
if (only !== 'throughput' && only !== 'relay')
	console.log('presence', await presenceCost(server, 200, 20));
await server.stop();

const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'))!;
const profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as { nodes: Node[] };
const total = profile.nodes.reduce((s, n) => s + n.hitCount, 0);
const byFn = new Map<string, number>();
for (const n of profile.nodes) {
	const f = n.callFrame;
	const where = f.url
		? `${f.url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*\/main\//, '')}:${f.lineNumber + 1}`
		: '';
	const key = `${f.functionName || '(anonymous)'} ${where}`;
	byFn.set(key, (byFn.get(key) ?? 0) + n.hitCount);
}
console.log(`profile: ${join(dir, file)} (${total} samples)`);
for (const [k, v] of [...byFn].sort((a, b) => b[1] - a[1]).slice(0, 25)) {
	console.log(`${((v / total) * 100).toFixed(1).padStart(5)}%  ${k}`);
}
process.exit(0);
