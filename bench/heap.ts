// `node --import tsx bench/heap.ts [ours,stock,hocuspocus] [--tables]`: the live JavaScript heap
// each server keeps per idle connection, from heap snapshots (each forces a full GC) before and
// after 1000 connections, with the constructors that grew most; with `--tables`, per loaded table
// (before and after 10 tables, each kept loaded by one connection). RSS (what `npm run bench`
// reports) also moves with V8's heap sizing; this shows what is really kept. Not part of
// `npm run bench`.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BenchClient, connectAll } from './client.ts';
import { closeAll, loadTable, sleep } from './common.ts';
import { ensureBuilt } from './cold-load.ts';
import { CLIENT_CORE, SERVERS, startServer, type ServerName } from './servers.ts';

const tables = process.argv.includes('--tables');
/** What is added between the two snapshots, and how many. */
const COUNT = tables ? 10 : 1000;
const UNIT = tables ? 'loaded table' : 'idle connection';

interface Snapshot {
	snapshot: { meta: { node_fields: string[]; node_types: [string[]] } };
	nodes: number[];
	strings: string[];
}

/** Signals the server to write a heap snapshot and waits until the file is complete. */
async function takeSnapshot(pid: number, dir: string): Promise<Snapshot> {
	const before = new Set(readdirSync(dir));
	process.kill(pid, 'SIGUSR2');
	for (let i = 0; i < 240; i++) {
		await sleep(500);
		const file = readdirSync(dir).find((f) => f.endsWith('.heapsnapshot') && !before.has(f));
		if (!file || statSync(join(dir, file)).size === 0) continue;
		try {
			return JSON.parse(readFileSync(join(dir, file), 'utf8')) as Snapshot;
		} catch {
			// still being written
		}
	}
	throw new Error('no heap snapshot within 2 minutes');
}

/** Bytes and object counts by kind (constructor name for objects). */
function bySize(s: Snapshot): Map<string, { bytes: number; count: number }> {
	const fields = s.snapshot.meta.node_fields;
	const types = s.snapshot.meta.node_types[0];
	const [iType, iName, iSize] = ['type', 'name', 'self_size'].map((f) => fields.indexOf(f));
	const out = new Map<string, { bytes: number; count: number }>();
	for (let i = 0; i < s.nodes.length; i += fields.length) {
		const type = types[s.nodes[i + iType!]!]!;
		const key = type === 'object' ? s.strings[s.nodes[i + iName!]!]! : `(${type})`;
		const e = out.get(key) ?? { bytes: 0, count: 0 };
		e.bytes += s.nodes[i + iSize!]!;
		e.count++;
		out.set(key, e);
	}
	return out;
}

const total = (m: Map<string, { bytes: number }>) =>
	[...m.values()].reduce((t, e) => t + e.bytes, 0);

execFileSync('taskset', ['-a', '-pc', CLIENT_CORE, String(process.pid)], { stdio: 'ignore' });
ensureBuilt();
const list = process.argv.slice(2).find((a) => !a.startsWith('--'));
const names = (list?.split(',') ?? SERVERS) as ServerName[];
for (const name of names) {
	const dir = mkdtempSync(join(tmpdir(), 'shinko-heap-'));
	const server = await startServer(name, [
		'--heapsnapshot-signal=SIGUSR2',
		`--diagnostic-dir=${dir}`
	]);
	const holder = await loadTable(server, 'idle');
	await sleep(1000);
	const before = bySize(await takeSnapshot(server.pid, dir));
	const clients: BenchClient[] = [];
	if (tables) {
		for (let i = 0; i < COUNT; i++) clients.push(await loadTable(server, `table${i}`));
	} else {
		clients.push(...Array.from({ length: COUNT }, () => new BenchClient(server.endpoint, 'idle')));
		await connectAll(clients, 50);
	}
	await sleep(2000);
	const after = bySize(await takeSnapshot(server.pid, dir));
	closeAll([holder, ...clients]);
	await server.stop();
	rmSync(dir, { recursive: true, force: true });

	const per = (total(after) - total(before)) / COUNT;
	console.log(`${name}: ${per.toFixed(0)} bytes of live heap per ${UNIT}`);
	const growth = [...after]
		.map(([k, e]) => ({
			kind: k,
			bytes: (e.bytes - (before.get(k)?.bytes ?? 0)) / COUNT,
			count: (e.count - (before.get(k)?.count ?? 0)) / COUNT
		}))
		.sort((a, b) => b.bytes - a.bytes)
		.slice(0, 15);
	for (const g of growth) {
		console.log(
			`  ${g.bytes.toFixed(0).padStart(5)} B  ${g.count.toFixed(1).padStart(4)}×  ${g.kind}`
		);
	}
}
process.exit(0);
