// Results: medians per metric, goals against the better peer, bench/results.json and the
// Markdown table in docs/benchmarks.md.
import { readFileSync, writeFileSync } from 'node:fs';
import { format, resolveConfig } from 'prettier';
import { cpus } from 'node:os';
import { median } from './common.ts';
import type { ServerName } from './servers.ts';

export interface MetricDef {
	key: string;
	metric: string;
	unit: string;
	better: 'lower' | 'higher';
	/** The goal as a ratio against the better peer (e.g. 0.5 = at most half), or an absolute bound. */
	ratioGoal?: number;
	absoluteGoal?: number;
	/** A goal against the relay floor's value of the same metric (e.g. 1.15 = at most 15 % more). */
	floorGoal?: number;
	/**
	 * A goal against the floor's value of another metric plus a margin: the saved-ack p99 against
	 * the floor's relay p99 (a relay and then one commit).
	 */
	floorPlusGoal?: { key: string; plus: number };
	ours?: number | null;
	note?: string;
}

/** Samples per server; `floor` (bench/floor-server.js) only for the relay rows. */
export type Samples = Map<string, Record<ServerName, number[]> & { floor?: number[] }>;

export interface Row {
	metric: string;
	unit: string;
	better: 'lower' | 'higher';
	ours: number | null;
	stock: number | null;
	hocuspocus: number | null;
	/** The relay floor, measured in the same repetitions (relay rows only). */
	floor?: number | null;
	samples?: Record<ServerName, number[]> & { floor?: number[] };
	vsBetterPeer?: number | null;
	vsFloor?: number | null;
	goal?: string;
	met?: boolean | null;
	note?: string;
}

const round = (x: number | null) =>
	x === null || !Number.isFinite(x) ? null : Math.round(x * 1000) / 1000;

export function rows(defs: MetricDef[], samples: Samples): Row[] {
	return defs.map((d) => {
		const s = samples.get(d.key);
		const ours = s ? round(median(s.ours)) : round(d.ours ?? null);
		const stock = s ? round(median(s.stock)) : null;
		const hocuspocus = s ? round(median(s.hocuspocus)) : null;
		const row: Row = { metric: d.metric, unit: d.unit, better: d.better, ours, stock, hocuspocus };
		const floor = s?.floor?.length ? round(median(s.floor)) : null;
		if (s?.floor) row.floor = floor;
		if (s) row.samples = s;
		const goals: string[] = [];
		const met: boolean[] = [];
		if (d.floorGoal !== undefined && ours !== null && floor !== null) {
			const ratio = floor === 0 ? Infinity : ours / floor;
			row.vsFloor = round(ratio);
			goals.push(`≤ ${d.floorGoal}× floor`);
			met.push(ratio <= d.floorGoal);
		}
		if (d.floorPlusGoal !== undefined) {
			const base = samples.get(d.floorPlusGoal.key)?.floor;
			const bound = base?.length ? median(base) + d.floorPlusGoal.plus : null;
			goals.push(`≤ floor's relay p99 + ${d.floorPlusGoal.plus} ${d.unit}`);
			if (ours !== null && bound !== null) met.push(ours <= bound);
		}
		if (d.ratioGoal !== undefined && ours !== null && stock !== null && hocuspocus !== null) {
			const peer = d.better === 'lower' ? Math.min(stock, hocuspocus) : Math.max(stock, hocuspocus);
			const ratio = peer === 0 ? (ours === 0 ? 1 : Infinity) : ours / peer;
			row.vsBetterPeer = round(ratio);
			goals.push(`${d.better === 'lower' ? '≤' : '≥'} ${d.ratioGoal}× better peer`);
			met.push(d.better === 'lower' ? ratio <= d.ratioGoal : ratio >= d.ratioGoal);
		}
		if (goals.length > 0) {
			row.goal = goals.join(' and ');
			row.met = met.length === goals.length ? met.every(Boolean) : null;
		} else if (d.absoluteGoal !== undefined) {
			row.goal = `${d.better === 'lower' ? '≤' : '≥'} ${d.absoluteGoal} ${d.unit}`;
			row.met =
				ours === null
					? null
					: d.better === 'lower'
						? ours <= d.absoluteGoal
						: ours >= d.absoluteGoal;
		}
		if (d.note) row.note = d.note;
		return row;
	});
}

/** Writes a file formatted as the repository's Prettier settings say (`npm run lint` checks it). */
async function writeFormatted(path: string, text: string): Promise<void> {
	const options = (await resolveConfig(path)) ?? {};
	writeFileSync(path, await format(text, { ...options, filepath: path }));
}

/** What a run was: when, how, and how many repetitions. */
export interface RunInfo {
	date: string;
	command: string;
	quick: boolean;
	seconds: number;
	reps: number;
	/** Cold loads of each variant per repetition. */
	coldLoads: number;
	/** Keys typed per repetition in each table. */
	keys: number;
}

/** Every row, as the last full run wrote them and the partial runs since (`--merge`) replaced them. */
export interface Results {
	run: RunInfo;
	runs: Row[];
	/** The partial runs since the full one, and the rows each replaced. */
	updates: { run: RunInfo; metrics: string[] }[];
}

export async function writeResults(path: string, results: Results): Promise<void> {
	const json = {
		date: results.run.date,
		node: process.version,
		cpus: cpus().length,
		run: results.run,
		updates: results.updates,
		runs: results.runs
	};
	await writeFormatted(path, JSON.stringify(json, null, '\t'));
}

export function readResults(path: string): Results {
	const json = JSON.parse(readFileSync(path, 'utf8')) as Partial<Results> & { date: string };
	if (!json.run || !json.runs) throw new Error(`${path}: no run to merge into`);
	return { run: json.run, runs: json.runs, updates: json.updates ?? [] };
}

/**
 * A partial run's rows in place of the same rows of `previous` (by metric), in the order of the
 * fresh rows: `fresh` has a row for every metric, `measured` says which of them this run measured.
 * A metric not measured and not in `previous` keeps its empty fresh row.
 */
export function mergedRows(
	previous: Results,
	fresh: Row[],
	measured: boolean[],
	run: RunInfo
): Results {
	const old = new Map(previous.runs.map((r) => [r.metric, r]));
	const runs = fresh.map((r, i) => (measured[i] ? r : (old.get(r.metric) ?? r)));
	const metrics = fresh.filter((_, i) => measured[i]).map((r) => r.metric);
	// An earlier partial run keeps only the rows this one did not measure again, and its footnote
	// only while it has one.
	const earlier = previous.updates
		.map((u) => ({ ...u, metrics: u.metrics.filter((m) => !metrics.includes(m)) }))
		.filter((u) => u.metrics.length > 0);
	return { run: previous.run, runs, updates: [...earlier, { run, metrics }] };
}

const fmt = (x: number | null | undefined) =>
	x === null || x === undefined
		? '—'
		: x >= 100
			? x.toFixed(0)
			: x >= 10
				? x.toFixed(1)
				: x.toFixed(2);

const SUPERSCRIPT = ['⁰', '¹', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹'];

/** How a run's figures were taken, in a sentence. */
function describeRun(info: RunInfo): string {
	return (
		`${info.date.slice(0, 10)}, Node ${process.version}, ${cpus().length} CPUs,` +
		` ${info.quick ? '`--quick`' : 'full'} mode, ${Math.round(info.seconds)} s. Medians of ${info.reps} repetitions` +
		(info.coldLoads > 1
			? `; the cold loads, of ${info.reps * info.coldLoads} (${info.coldLoads} per repetition)`
			: '') +
		`; the keystrokes, percentiles of all ${info.reps * info.keys} in each table (${info.keys} per repetition).`
	);
}

export async function writeMarkdown(path: string, results: Results): Promise<void> {
	const { run: info, runs: all, updates } = results;
	const command = info.quick
		? 'npm run bench -- --quick   # under 5 minutes\nnpm run bench             # full'
		: 'npm run bench             # full\nnpm run bench -- --quick   # under 5 minutes';
	const lines = [
		'# Benchmarks',
		'',
		"Shinko's sync server against the stock `@y/websocket-server` (0.1.1) and Hocuspocus 3, on a",
		'table of 500 items (6 short text cells, 4 marks and a 1 KB note each), and the client on that',
		'table and on one of 2,000 such items. Reproduce with:',
		'',
		'```sh',
		command,
		'```',
		'',
		`Last run: ${describeRun(info)}`,
		...updates.flatMap(({ run }, i) => [
			'',
			`${SUPERSCRIPT[i + 1] ?? `(${i + 1})`} Measured again on its own with \`${run.command}\`: ${describeRun(run)}`
		]),
		'',
		'**Ours relays each update at once and writes it to SQLite (WAL, `synchronous = FULL`) in the',
		'next group commit, and acknowledges it (saved) only after that commit; the stock server and',
		'Hocuspocus, as configured here, keep nothing on disk. The floor is a relay that forwards each',
		'message unread and stores nothing (`bench/floor-server.js`), run in the same repetitions.**',
		'',
		'| metric | unit | ours | stock | hocuspocus | floor | ours ÷ better peer | ours ÷ floor | goal | met? |',
		'| --- | --- | --: | --: | --: | --: | --: | --: | --- | --- |'
	];
	/** The partial run each row was last measured in, if not the full one. */
	const lastUpdate = new Map<string, number>();
	updates.forEach(({ metrics }, i) => metrics.forEach((m) => lastUpdate.set(m, i + 1)));
	for (const r of all) {
		const met = r.met === undefined || r.met === null ? '—' : r.met ? 'yes' : '**no**';
		const update = lastUpdate.get(r.metric);
		const mark = update === undefined ? '' : ` ${SUPERSCRIPT[update] ?? `(${update})`}`;
		lines.push(
			`| ${r.metric}${r.note ? ` (${r.note})` : ''}${mark} | ${r.unit} | ${fmt(r.ours)} | ${fmt(r.stock)} | ` +
				`${fmt(r.hocuspocus)} | ${fmt(r.floor)} | ${fmt(r.vsBetterPeer)} | ${fmt(r.vsFloor)} | ` +
				`${r.goal ?? '—'} | ${met} |`
		);
	}
	lines.push('', ...METHOD, '');
	await writeFormatted(path, lines.join('\n'));
}

const METHOD = [
	'## How it is measured',
	'',
	'- Each server runs as its own process pinned to core 0 (`taskset -c 0`); the load generator is',
	'  pinned to core 1. Server CPU is utime + stime from `/proc/<pid>/stat`, memory is `VmRSS`.',
	'  Ours runs as `npm start` runs it: the server bundle `dist/server.js` (built first when the',
	'  sources are newer), with `?acks=1` on every connection as the app uses it.',
	'- Every server gets the table the same way: a client holding it syncs, and the server pulls it',
	'  with its sync step 1. A passive client stays connected so no server unloads the doc.',
	'- Load clients are Node `ws` sockets speaking the protocol directly (y-websocket framing for',
	'  ours and stock, Hocuspocus framing for Hocuspocus): sync steps 1 and 2, updates, presence with',
	'  the 15 s renewal of y-protocols. They keep no Y.Doc unless they write, so the one load core',
	'  is not the bottleneck. The offline merge uses the real providers (`y-websocket` with',
	'  BroadcastChannel off, `@hocuspocus/provider`).',
	'- Relay latency: 4 writers at 100 edits/s in total, presence on, from an edit being sent to',
	'  its arrival at every other client. Throughput: one writer, 50 receivers, at most 200 edits',
	'  not yet received by all; CPU per update is server CPU over updates delivered to receivers',
	'  (ours merges the updates of one event-loop turn into one message per receiver).',
	'- The relay floor: the relay latency workload is also run, in the same repetitions and random',
	'  order, against a relay that forwards each message unread and stores nothing',
	'  (`bench/floor-server.js`): what no server can beat on this machine. Saved acknowledgement:',
	'  in the same relay workload, from an edit being sent to its writer receiving the saved-ack',
	'  (`MESSAGE.savedAck`) that covers it, ours only (the peers store nothing).',
	'- Memory: RSS growth over 1000 idle synced connections (no presence), and over 50 tables each',
	'  kept loaded by one connection. Presence: 200 idle clients with presence on; messages the',
	'  server sends and its CPU, both per minute. These idle workloads run the three servers side by',
	'  side (CPU time and RSS are per process); the timed workloads run one server at a time in a',
	'  random order.',
	'- Offline merge: each client holds the table and its own offline edits (typed once per size,',
	'  then copied into fresh replicas for every run), then all connect at once; time until every',
	'  replica has every edit (checked at each update it receives), and bytes on the wire both ways.',
	'- Client (ours only; the peers have no client): the built app (`build/`) served by our server, in headless Chromium (`/usr/bin/chromium`, no GPU) on both',
	'  cores. Each cold load is a new browser context, so an empty HTTP cache and no service worker',
	'  (blocked), logged in through `/api/login`. The table is first written into IndexedDB the way',
	"  the app stores it (y-indexeddb's format: database `shinko:<docId>`, store `updates`): as one",
	'  update (compacted), or as the table followed by 10,000 small edits, one row each (a copy not',
	'  merged: the app merges at 500 rows after a pause, and after a load), and the user as the app keeps it after',
	'  a login (localStorage). The sync sockets are refused, so the table can only come from',
	'  IndexedDB. The device has opened the table once before, as one that holds it has: before',
	'  the runs, one visit in the app keeps the first screen (`src/lib/ui/first-screen.ts`), and',
	"  each run's device gets that copy in its localStorage. Measured from navigation start,",
	'  checked once a frame in `requestAnimationFrame` and timed in a task posted from there, which',
	'  runs after that frame is painted: the painted table is the first frame whose item rows',
	'  reach past the bottom of the 1280 × 800 window with the text of the last row on screen,',
	'  whether the first screen kept on the device, which the shell paints before the app has',
	'  started, inert, or the live table (`tbody[data-item-id]`); the live table is the same moment',
	'  for the live rows only, from which it can be edited; all rows painted is the first frame',
	'  with all 500 live rows and their text in the DOM (the app adds the rows below the first',
	'  screen after it is painted, in tasks of about 50 ms). Total blocking time: every long task',
	"  (over 50 ms) of the page from navigation start until all rows are painted, as Chromium's",
	"  `longtask` entries report them to a PerformanceObserver registered before the page's own",
	"  scripts, each counted for its time past 50 ms (Lighthouse's TBT). One load of each variant",
	'  per repetition (three in full mode), in a random order. Each navigation starts once the',
	'  browser has been quiet for 300 ms: Chromium 156 opens two pages of its own with each window',
	"  (the address bar's pop-ups, about 1.4 s of CPU), which otherwise ran beside every cold load.",
	'- The 2,000-item table (`bench/large-table.ts`, the same items as the 500-item table, four times',
	'  as many), once per repetition: a cold load as above (compacted, from IndexedDB, the sync',
	'  sockets refused, the first screen kept on the device), timed until all 2,000 live rows and',
	'  their text are in the DOM; then, on a new device holding the table, online (the server has',
	'  the table too and the page syncs with it, as in a meeting), the note of the item in the middle',
	'  of the table is clicked once every row is in and the table is saved, and 200 letters are',
	'  typed at its end with Playwright, each after the previous one was painted and at most one',
	'  every 100 ms. A keystroke is timed in the page from its `keydown` (`event.timeStamp`: when the',
	'  browser took the key, so a busy main thread counts) to the paint of the first frame after its',
	'  `input` event (checked in `requestAnimationFrame` to hold the character, and timed in a task',
	'  posted from there at `user-blocking` priority, which runs after that frame is painted and',
	"  before the page's other tasks). p50, p98 and the slowest are over all keys of all",
	"  repetitions. As a check, the p98 as Chromium's Event Timing times each key, to the",
	'  presentation of its frame (it reports keys of 16 ms or more, in 8 ms steps; the others count',
	'  as quicker).',
	'- Typing in the 500-item table (`bench/office-typing.ts`), once per repetition in each window,',
	'  as an office types: on a new device holding the table, online as above, the note of an item',
	'  in the middle (another at each run) is clicked (selected, as in Excel), F2 edits it and 200',
	'  letters are typed at the end of its 1 KB, timed as in the 2,000-item table. Landscape is a',
	'  window of 1024 × 768 (a tablet held sideways, where the note column is at its narrowest and',
	'  the note takes about 17 lines); portrait, 768 × 1024, where the sheet scrolls in a box of its',
	'  own under a sticky header and title column. One click and typing over the note, or a double',
	'  click, cost no more per key.',
	'- JavaScript for the table page: every script that page fetched before its live table was',
	"  painted, each gzipped at level 9 (the server sends the build's brotli copies, about a fifth",
	'  smaller, to browsers that take them). All chunks: every `.js` file under',
	'  `build/_app/immutable`, ExcelJS and the other pages included, for reference.',
	'- The numbers are for one small machine and move between runs; the ratios matter more.'
];
