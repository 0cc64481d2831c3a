// `npm run bench [-- --quick]`: every workload against ours, the stock y-websocket server and
// Hocuspocus, three repetitions in a random order; writes bench/results.json and
// docs/benchmarks.md. See docs/benchmarks.md for the method.
//
// `node --import tsx bench/run.ts --only client` runs the client workloads alone (ours only), and
// `--only large` the 2,000-item table's alone, `--only import` the 500-item workbook's preview
// alone, `--only office` the 500-item table's cold loads and typing alone; each prints its rows
// without writing either file, or with `--merge` puts them in place of the same rows in both
// files, the other rows kept as the last run wrote them.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { shippedJsKb } from './client-size.ts';
import {
	ensureBuilt,
	describeLoad,
	kb,
	LOAD_TBT_GOAL_MS,
	openColdLoadClient,
	UNCOMPACTED_UPDATES,
	type ColdLoadClient,
	type Variant
} from './cold-load.ts';
import { sharedTable, shuffle } from './common.ts';
import {
	ALL_ROWS_GOAL_MS,
	describeLarge,
	eventTimingP98,
	KEY_P98_GOAL_MS,
	KEYS,
	keyStats,
	largeTable,
	type LargeTable
} from './large-table.ts';
import { memoryPerConnection, memoryPerTable, presenceCost } from './footprint.ts';
import {
	IMPORT_ITEMS,
	IMPORT_PREVIEW_GOAL_MS,
	IMPORT_STALL_GOAL_MS,
	importPreview
} from './import-preview.ts';
import { offlineMerge } from './merge.ts';
import {
	OFFICE_KEY_P98_GOAL_MS,
	OFFICE_TYPINGS,
	officeTable,
	describeTyping,
	type OfficeTable
} from './office-typing.ts';
import { relayLatency, throughput } from './relay.ts';
import {
	mergedRows,
	readResults,
	rows,
	writeMarkdown,
	writeResults,
	type MetricDef,
	type RunInfo,
	type Samples
} from './report.ts';
import {
	CLIENT_CORE,
	SERVERS,
	startServer,
	type ReferenceName,
	type RunningServer
} from './servers.ts';

// `npm run bench -- --cluster`: cluster mode's own run (bench/cluster.ts), instead of this one.
if (process.argv.includes('--cluster')) {
	await import('./cluster.ts');
	process.exit(0);
}
const quick = process.argv.includes('--quick');
const onlyArg = process.argv.indexOf('--only');
const only = onlyArg > 0 ? process.argv[onlyArg + 1] : undefined;
const ONLY = ['client', 'large', 'import', 'office'] as const;
if (only !== undefined && !(ONLY as readonly string[]).includes(only))
	throw new Error(`--only ${only}: only ${ONLY.map((o) => `'${o}'`).join(', ')} are known`);
const merge = process.argv.includes('--merge');
if (merge && !only) throw new Error('--merge goes with --only: a full run writes every row');
const cfg = quick
	? { relaySeconds: 1.5, throughputSeconds: 1.5, presenceSeconds: 20, reps: 3, coldLoads: 1 }
	: { relaySeconds: 15, throughputSeconds: 10, presenceSeconds: 60, reps: 3, coldLoads: 3 };

// The load generator on its own core, every thread of it (the servers get core 0).
execFileSync('taskset', ['-a', '-pc', CLIENT_CORE, String(process.pid)], { stdio: 'ignore' });

const samples: Samples = new Map();
function record(key: string, server: ReferenceName, value: number): void {
	let s = samples.get(key);
	if (!s) samples.set(key, (s = { ours: [], stock: [], hocuspocus: [] }));
	(s[server] ??= []).push(value);
}

async function withServer<N extends ReferenceName>(
	name: N,
	fn: (s: RunningServer<N>) => Promise<void>
) {
	const server = await startServer(name);
	try {
		await fn(server);
	} finally {
		await server.stop();
	}
}

const log = (...args: unknown[]) =>
	console.log(`[${((performance.now() - t0) / 1000).toFixed(0)}s]`, ...args);

async function relayGroup(s: RunningServer<ReferenceName>): Promise<void> {
	const table = await sharedTable(s, 'relay');
	for (const n of shuffle([10, 100])) {
		const r = await relayLatency(s, table, n, cfg.relaySeconds);
		record(`relay-p50-${n}`, s.name, r.p50);
		record(`relay-p99-${n}`, s.name, r.p99);
		if (r.saved) {
			record(`saved-p50-${n}`, s.name, r.saved.p50);
			record(`saved-p99-${n}`, s.name, r.saved.p99);
		}
		log(s.name, `relay ${n} clients`, r);
	}
	// The floor relays; it is not a server to measure anything else of.
	if (s.name === 'floor') {
		table.holder.close();
		return;
	}
	const t = await throughput(s, table, cfg.throughputSeconds);
	record('throughput', s.name, t.perSecond);
	record('cpu-per-message', s.name, t.cpuMicrosPerMessage);
	log(s.name, 'throughput', t);
	table.holder.close();
}

async function mergeGroup(s: RunningServer): Promise<void> {
	for (const [clients, edits] of shuffle([
		[10, 1000],
		[50, 200]
	] as const)) {
		const r = await offlineMerge(s, clients, edits);
		record(`merge-s-${clients}`, s.name, r.seconds);
		record(`merge-mb-${clients}`, s.name, r.megabytes);
		log(s.name, `merge ${clients}×${edits}`, r);
	}
}

/** The idle workloads, with the three servers side by side: RSS and CPU time are per process. */
async function idleGroup(): Promise<void> {
	await Promise.all(
		SERVERS.flatMap((name) => [
			withServer(name, async (s) => {
				const p = await presenceCost(s, 200, cfg.presenceSeconds);
				record('presence-messages', name, p.messagesPerMinute);
				record('presence-cpu', name, p.cpuMsPerMinute);
				log(name, 'presence', p);
			}),
			withServer(name, async (s) => {
				const c = await memoryPerConnection(s, 1000);
				record('memory-connection', name, c / 1024);
				const t = await memoryPerTable(s, 50);
				record('memory-table', name, t / 2 ** 20);
				log(name, 'memory KB/connection', c / 1024, 'MB/table', t / 2 ** 20);
			})
		])
	);
}

/**
 * Workload 5: cold loads of each variant in headless Chromium (cfg.coldLoads per repetition), ours
 * only (the peers have no client). The server and the browser stay open, idle, between repetitions.
 */
let client = null as ColdLoadClient | null;
let large = null as LargeTable | null;
let office = null as OfficeTable | null;
let tablePageJsKb = null as number | null;
let clientError = null as string | null;
/** Every key typed in the 2,000-item table, all repetitions: their percentiles are reported. */
const keys: number[] = [];
/** Event Timing's entries for them (keys of 16 ms or more). */
const eventTiming: number[] = [];
/** Every key typed in the 500-item table as an office types (bench/office-typing.ts), each way. */
const officeKeys = new Map<string, number[]>(OFFICE_TYPINGS.map((t) => [t.name, []]));
async function clientGroup(): Promise<void> {
	if (clientError) return;
	try {
		client ??= await openColdLoadClient();
		// Workload 7: an office's 500-item workbook previewed in the import dialog.
		if (only === undefined || only === 'import' || only === 'client') {
			const preview = await importPreview(client.browser, client.base);
			record('import-preview', 'ours', preview.ms);
			record('import-stall', 'ours', preview.stallMs);
			log('ours', `${IMPORT_ITEMS}-item workbook previewed`, preview);
			if (only === 'import') return;
		}
		// Workload 6: the 2,000-item table, once per repetition (bench/large-table.ts).
		if (only !== 'office') {
			large ??= await largeTable(client);
			const r = await large.run();
			record('large-all', 'ours', r.allMs);
			keys.push(...r.keys);
			eventTiming.push(...r.eventTiming);
			log('ours', '2,000-item table', describeLarge(r));
			if (only === 'large') return;
		}
		// Workload 8: typing in the 500-item table as an office does (bench/office-typing.ts).
		office ??= await officeTable(client);
		for (const way of OFFICE_TYPINGS) {
			const typed = await office.run(way);
			officeKeys.get(way.name)!.push(...typed.keys);
			log('ours', `500-item table typed in, ${way.name}`, describeTyping(typed));
		}
		const variants = Array.from({ length: cfg.coldLoads }, () =>
			shuffle<Variant>(['compacted', 'uncompacted'])
		).flat();
		for (const variant of variants) {
			const r = await client.run(variant);
			record(`cold-load-${variant}`, 'ours', r.ms);
			record(`cold-load-live-${variant}`, 'ours', r.liveMs);
			record(`cold-load-all-${variant}`, 'ours', r.allMs);
			record(`cold-load-tbt-${variant}`, 'ours', r.tbtMs);
			tablePageJsKb = kb(r.scripts);
			log('ours', `cold load, ${variant}`, describeLoad(r));
		}
	} catch (err) {
		// No Chromium or no build: the server workloads still run to the end.
		clientError = err instanceof Error ? err.message.split('\n')[0]! : String(err);
		log('client workload failed:', clientError);
	}
}

ensureBuilt();
const t0 = performance.now();
for (let rep = 0; rep < cfg.reps; rep++) {
	log(`repetition ${rep + 1} of ${cfg.reps}`);
	if (only) {
		await clientGroup();
		continue;
	}
	const groups = shuffle<() => Promise<void>>([
		clientGroup,
		idleGroup,
		async () => {
			for (const name of shuffle<ReferenceName>([...SERVERS, 'floor']))
				await withServer(name, relayGroup);
		},
		async () => {
			for (const name of shuffle(SERVERS)) await withServer(name, mergeGroup);
		}
	]);
	for (const g of groups) await g();
}
await client?.close().catch((err: unknown) => log('closing the client workload failed:', err));

const js = shippedJsKb();
const keyed = keys.length > 0 ? keyStats(keys) : null;
const keyNote = clientError ?? `${keys.length} keys, typed in a note`;
const defs: MetricDef[] = [
	...[10, 100].flatMap((n): MetricDef[] =>
		(['p50', 'p99'] as const).map((p) => ({
			key: `relay-${p}-${n}`,
			metric: `Relay latency ${p}, ${n} clients`,
			unit: 'ms',
			better: 'lower',
			floorGoal: 1.15,
			ratioGoal: 1
		}))
	),
	...[10, 100].flatMap((n): MetricDef[] =>
		(['p50', 'p99'] as const).map((p) => ({
			key: `saved-${p}-${n}`,
			metric: `Saved acknowledgement ${p}, ${n} clients (an edit sent → its ack received)`,
			unit: 'ms',
			better: 'lower',
			...(p === 'p99' && n === 10 ? { floorPlusGoal: { key: 'relay-p99-10', plus: 3 } } : {})
		}))
	),
	{
		key: 'throughput',
		metric: 'Throughput, 1 writer → 50 receivers',
		unit: 'updates/s',
		better: 'higher',
		ratioGoal: 2
	},
	{
		key: 'cpu-per-message',
		metric: 'Server CPU per update delivered to one receiver',
		unit: 'µs',
		better: 'lower'
	},
	{
		key: 'memory-connection',
		metric: 'RSS per idle connection (1000)',
		unit: 'KB',
		better: 'lower',
		ratioGoal: 0.5
	},
	{ key: 'memory-table', metric: 'RSS per loaded table (50)', unit: 'MB', better: 'lower' },
	{
		key: 'presence-messages',
		metric: `Presence: messages sent, 200 idle clients (${cfg.presenceSeconds} s)`,
		unit: 'per min',
		better: 'lower',
		ratioGoal: 0.2
	},
	{
		key: 'presence-cpu',
		metric: `Presence: server CPU, 200 idle clients (${cfg.presenceSeconds} s)`,
		unit: 'ms per min',
		better: 'lower',
		ratioGoal: 0.2
	},
	{
		key: 'merge-s-10',
		metric: 'Offline merge 10 × 1000 edits: time to converge',
		unit: 's',
		better: 'lower'
	},
	{
		key: 'merge-mb-10',
		metric: 'Offline merge 10 × 1000 edits: bytes on the wire',
		unit: 'MB',
		better: 'lower'
	},
	{
		key: 'merge-s-50',
		metric: 'Offline merge 50 × 200 edits: time to converge',
		unit: 's',
		better: 'lower'
	},
	{
		key: 'merge-mb-50',
		metric: 'Offline merge 50 × 200 edits: bytes on the wire',
		unit: 'MB',
		better: 'lower'
	},
	{
		key: 'cold-load-compacted',
		metric: 'Cold load to painted table (its first screen as kept on the device, inert), compacted',
		unit: 'ms',
		better: 'lower',
		absoluteGoal: 300,
		note: clientError ?? undefined
	},
	{
		key: 'cold-load-uncompacted',
		metric: `Cold load to painted table (its first screen as kept on the device, inert), ${UNCOMPACTED_UPDATES.toLocaleString('en')} stored updates`,
		unit: 'ms',
		better: 'lower',
		absoluteGoal: 300,
		note: clientError ?? undefined
	},
	{
		key: 'cold-load-live-compacted',
		metric: 'Cold load to the live table painted (its first screen, editable), compacted',
		unit: 'ms',
		better: 'lower',
		absoluteGoal: 300,
		note: clientError ?? undefined
	},
	{
		key: 'cold-load-live-uncompacted',
		metric: `Cold load to the live table painted (its first screen, editable), ${UNCOMPACTED_UPDATES.toLocaleString('en')} stored updates`,
		unit: 'ms',
		better: 'lower',
		absoluteGoal: 300,
		note: clientError ?? undefined
	},
	{
		key: 'cold-load-all-compacted',
		metric: 'Cold load until all 500 rows are painted, compacted',
		unit: 'ms',
		better: 'lower',
		note: clientError ?? undefined
	},
	{
		key: 'cold-load-all-uncompacted',
		metric: `Cold load until all 500 rows are painted, ${UNCOMPACTED_UPDATES.toLocaleString('en')} stored updates`,
		unit: 'ms',
		better: 'lower',
		note: clientError ?? undefined
	},
	...(['compacted', 'uncompacted'] as const).map((variant): MetricDef => ({
		key: `cold-load-tbt-${variant}`,
		metric:
			'Total blocking time of the cold load, 500-item table, ' +
			(variant === 'compacted'
				? 'compacted'
				: `${UNCOMPACTED_UPDATES.toLocaleString('en')} stored updates`),
		unit: 'ms',
		better: 'lower',
		absoluteGoal: LOAD_TBT_GOAL_MS,
		note: clientError ?? 'from navigation start until all 500 rows are painted'
	})),
	...OFFICE_TYPINGS.flatMap((way): MetricDef[] => {
		const typed = officeKeys.get(way.name)!;
		const k = typed.length > 0 ? keyStats(typed) : null;
		const note = clientError ?? `${typed.length} keys, ${way.description}`;
		return [
			{ stat: 'p50', title: 'Keystroke to paint p50' },
			{ stat: 'p98', title: 'Keystroke to paint p98', goal: OFFICE_KEY_P98_GOAL_MS },
			{ stat: 'max', title: 'Keystroke to paint, slowest' }
		].map(({ stat, title, goal }) => ({
			key: `office-key-${way.name}-${stat}`,
			metric: `${title}, 500-item table, ${way.name}`,
			unit: 'ms',
			better: 'lower',
			...(goal === undefined ? {} : { absoluteGoal: goal }),
			ours: k?.[stat as 'p50' | 'p98' | 'max'] ?? null,
			note
		}));
	}),
	{
		key: 'large-all',
		metric: 'Cold load until all 2,000 rows are painted, 2,000-item table, compacted',
		unit: 'ms',
		better: 'lower',
		absoluteGoal: ALL_ROWS_GOAL_MS,
		note: clientError ?? undefined
	},
	{
		key: 'large-key-p50',
		metric: 'Keystroke to paint p50, 2,000-item table',
		unit: 'ms',
		better: 'lower',
		ours: keyed?.p50 ?? null,
		note: keyNote
	},
	{
		key: 'large-key-p98',
		metric: 'Keystroke to paint p98, 2,000-item table',
		unit: 'ms',
		better: 'lower',
		absoluteGoal: KEY_P98_GOAL_MS,
		ours: keyed?.p98 ?? null,
		note: keyNote
	},
	{
		key: 'large-key-p98-event-timing',
		metric: 'Keystroke to paint p98, 2,000-item table, as Event Timing times it',
		unit: 'ms',
		better: 'lower',
		absoluteGoal: KEY_P98_GOAL_MS,
		ours: keys.length > 0 ? eventTimingP98(eventTiming, keys.length) : null,
		note:
			clientError ??
			'to the presentation of the frame; only keys of 16 ms or more are reported, in 8 ms steps'
	},
	{
		key: 'large-key-max',
		metric: 'Keystroke to paint, slowest, 2,000-item table',
		unit: 'ms',
		better: 'lower',
		ours: keyed?.max ?? null,
		note: keyNote
	},
	{
		key: 'import-preview',
		metric: `Import preview of an office's own ${IMPORT_ITEMS}-item workbook, file chosen to all items shown`,
		unit: 'ms',
		better: 'lower',
		absoluteGoal: IMPORT_PREVIEW_GOAL_MS,
		note: clientError ?? 'read and inferred in a worker (ui/import-worker.ts)'
	},
	{
		key: 'import-stall',
		metric: 'Longest the page cannot answer while it is read (a 10 ms heartbeat’s longest gap)',
		unit: 'ms',
		better: 'lower',
		absoluteGoal: IMPORT_STALL_GOAL_MS,
		note: clientError ?? 'the page stays responsive'
	},
	{
		key: 'js-table-page',
		metric: 'JavaScript for the table page, gzipped',
		unit: 'KB',
		better: 'lower',
		absoluteGoal: 120,
		ours: tablePageJsKb,
		note: clientError ?? 'the scripts it fetches before the live table is painted'
	},
	{
		key: 'js-all',
		metric: 'JavaScript, all chunks, gzipped',
		unit: 'KB',
		better: 'lower',
		ours: js,
		note:
			js === null
				? 'build/ missing: run npm run build'
				: 'all of build/_app/immutable, lazy ExcelJS and other pages included'
	}
];
/** The rows each `--only` measures, by their keys' beginnings. */
const ONLY_ROWS: Record<(typeof ONLY)[number], string[]> = {
	client: ['cold-load', 'large', 'office', 'import', 'js'],
	large: ['large'],
	import: ['import'],
	office: ['cold-load', 'office']
};
const measured = (d: MetricDef) =>
	!only || ONLY_ROWS[only as (typeof ONLY)[number]].some((k) => d.key.startsWith(k));
const all = rows(defs.filter(measured), samples);
const resultsPath = fileURLToPath(new URL('./results.json', import.meta.url));
const markdownPath = fileURLToPath(new URL('../docs/benchmarks.md', import.meta.url));
const seconds = (performance.now() - t0) / 1000;
const thisRun: RunInfo = {
	date: new Date().toISOString(),
	command: only
		? `npm run bench -- --only ${only} --merge${quick ? ' --quick' : ''}`
		: quick
			? 'npm run bench -- --quick'
			: 'npm run bench',
	quick,
	seconds,
	reps: cfg.reps,
	coldLoads: cfg.coldLoads,
	keys: KEYS
};
console.table(all.map(({ samples: _s, ...r }) => r));
if (only && !merge) {
	log(`done (nothing written: --only ${only})`);
	process.exit(0);
}
// A partial run: its rows in place of the same rows of the last run, in the order of `defs`.
const results = only
	? mergedRows(readResults(resultsPath), rows(defs, samples), defs.map(measured), thisRun)
	: { runs: all, run: thisRun, updates: [] };
await writeResults(resultsPath, results);
await writeMarkdown(markdownPath, results);
log(only ? `done (--only ${only} merged into both files)` : 'done');
process.exit(0);
