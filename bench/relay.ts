// Workloads 1 and 2: relay latency under a steady edit rate, and throughput to saturation.
import { BenchClient, connectAll, presenceFor } from './client.ts';
import { closeAll, markersOf, percentile, sleep, type SharedTable } from './common.ts';
import type { ReferenceName, RunningServer } from './servers.ts';
import { prng, seededDoc, typeInto } from './table.ts';

interface Writer {
	client: BenchClient;
	edit(seq: number): void;
}

async function writer(
	server: RunningServer<ReferenceName>,
	docId: string,
	index: number,
	onUpdate?: (u: Uint8Array) => void,
	onSaved?: (client: BenchClient, count: number) => void
): Promise<Writer> {
	const doc = seededDoc();
	const client: BenchClient = new BenchClient(server.endpoint, docId, {
		doc,
		onUpdate,
		onSaved: onSaved && ((count) => onSaved(client, count))
	});
	await client.connect();
	doc.on('update', (update: Uint8Array, origin: unknown) => {
		if (origin !== client) client.sendUpdate(update);
	});
	const rand = prng(index + 1);
	return { client, edit: (seq) => typeInto(doc, rand, `#w${index}e${seq}#`) };
}

export interface RelayLatency {
	p50: number;
	p99: number;
	/** Ours only (`?acks=1`): from an edit's send to its sender's saved-ack covering it. */
	saved?: { p50: number; p99: number };
}

/**
 * `clients` connected (presence on), 4 of them writing 100 edits/s in total; latency from an
 * edit's send to its arrival at each other client, and, where the server acknowledges, to its
 * sender's saved-ack.
 */
export async function relayLatency(
	server: RunningServer<ReferenceName>,
	table: SharedTable,
	clients: number,
	seconds: number
): Promise<RelayLatency> {
	const { docId, holder } = table;
	const sentAt = new Map<string, number>();
	const samples: number[] = [];
	let measuring = false;
	/** Per writer, its edits not yet acknowledged: [count of updates sent with it, time sent]. */
	const unsaved = new Map<BenchClient, [number, number][]>();
	const savedSamples: number[] = [];
	const onSaved = (client: BenchClient, count: number) => {
		const now = performance.now();
		const pending = unsaved.get(client) ?? [];
		let n = 0;
		while (n < pending.length && pending[n]![0] <= count) {
			if (measuring) savedSamples.push(now - pending[n]![1]);
			n++;
		}
		pending.splice(0, n);
	};
	const receive = (self: number) => (u: Uint8Array) => {
		if (!measuring) return;
		const now = performance.now();
		for (const [w, e] of markersOf(u)) {
			if (w === self) continue; // Hocuspocus echoes an update to its sender too
			const t = sentAt.get(`${w}.${e}`);
			if (t !== undefined) samples.push(now - t);
		}
	};
	table.listen(receive(-1));
	const writers: Writer[] = [];
	for (let w = 0; w < 4; w++) writers.push(await writer(server, docId, w, receive(w), onSaved));
	const readers = Array.from(
		{ length: clients - 5 },
		() => new BenchClient(server.endpoint, docId, { onUpdate: receive(-1) })
	);
	await connectAll(readers);
	const all = [...writers.map((w) => w.client), ...readers];
	[holder, ...all].forEach((c, i) => c.setPresence(presenceFor(i)));
	await sleep(300);

	const rate = 100;
	const warmup = 500;
	const start = performance.now();
	let sent = 0;
	let cellMoves = 0;
	while (performance.now() - start < warmup + seconds * 1000) {
		const elapsed = performance.now() - start;
		measuring = elapsed >= warmup;
		const due = Math.floor((elapsed / 1000) * rate);
		for (; sent < due; sent++) {
			const w = writers[sent % writers.length]!;
			const at = performance.now();
			sentAt.set(`${sent % writers.length}.${sent}`, at);
			w.edit(sent);
			let pending = unsaved.get(w.client);
			if (!pending) unsaved.set(w.client, (pending = []));
			pending.push([w.client.updatesSent, at]);
		}
		// Writers move their presence to the cell they edit five times a second.
		const moves = Math.floor((elapsed / 1000) * 5);
		for (; cellMoves < moves; cellMoves++) {
			writers.forEach((w, i) => w.client.setPresence({ ...presenceFor(i + 1), cell: cellMoves }));
		}
		await sleep(2);
	}
	await sleep(300); // let the last edits arrive (p99 is a few ms)
	measuring = false;
	table.listen(null);
	closeAll(all);
	samples.sort((a, b) => a - b);
	savedSamples.sort((a, b) => a - b);
	return {
		p50: percentile(samples, 50),
		p99: percentile(samples, 99),
		...(savedSamples.length > 0
			? { saved: { p50: percentile(savedSamples, 50), p99: percentile(savedSamples, 99) } }
			: {})
	};
}

/**
 * One writer sending edits as fast as 50 receivers take them (at most `window` unconfirmed);
 * updates fully delivered per second, and server CPU per update delivered to one receiver.
 */
export async function throughput(
	server: RunningServer<ReferenceName>,
	table: SharedTable,
	seconds: number,
	window = 200
): Promise<{ perSecond: number; cpuMicrosPerMessage: number }> {
	const { docId } = table;
	const receivers = 50;
	const seen = new Map<number, number>();
	let delivered = 0;
	let messages = 0;
	let pump = () => {};
	const receive = (u: Uint8Array) => {
		for (const [w, e] of markersOf(u)) {
			if (w !== 0) continue;
			messages++;
			const n = (seen.get(e) ?? 0) + 1;
			if (n === receivers) {
				seen.delete(e);
				delivered++;
			} else seen.set(e, n);
		}
		pump();
	};
	table.listen(receive);
	const readers = Array.from(
		{ length: receivers - 1 },
		() => new BenchClient(server.endpoint, docId, { onUpdate: receive })
	);
	await connectAll(readers);
	const w = await writer(server, docId, 0);
	await sleep(300);
	let sent = 0;
	let running = true;
	pump = () => {
		while (running && sent - delivered < window) w.edit(sent++);
	};
	const start = performance.now();
	const cpu0 = server.cpuSeconds();
	const delivered0 = delivered;
	const messages0 = messages;
	pump();
	await sleep(seconds * 1000);
	const elapsed = (performance.now() - start) / 1000;
	const cpu = server.cpuSeconds() - cpu0;
	const done = delivered - delivered0;
	const msgs = messages - messages0;
	running = false;
	table.listen(null);
	closeAll([w.client, ...readers]);
	return { perSecond: done / elapsed, cpuMicrosPerMessage: (cpu / Math.max(1, msgs)) * 1e6 };
}
