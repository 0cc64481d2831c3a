// Helpers shared by the workloads: loading the table into a server, timing, statistics.
import { setTimeout as sleep } from 'node:timers/promises';
import { BenchClient, type ClientOptions } from './client.ts';
import type { ReferenceName, RunningServer } from './servers.ts';
import { ITEM_COUNT, seed, seededDoc } from './table.ts';

export { sleep };

/**
 * Loads the 500-item table (or the table of `items` items) into `docId` the same way for every
 * server: a client holding it syncs (the server pulls it with its step 1), then a fresh client
 * checks that the server has it all. Returns a passive client that stays connected, so that no
 * server unloads the doc meanwhile.
 */
export async function loadTable(
	server: RunningServer<ReferenceName>,
	docId: string,
	holderOptions: ClientOptions = {},
	items = ITEM_COUNT
): Promise<BenchClient> {
	const holder = new BenchClient(server.endpoint, docId, {
		claim: seed(items).stateVector,
		...holderOptions
	});
	await holder.connect();
	const doc = seededDoc(items);
	const seeder = new BenchClient(server.endpoint, docId, { doc });
	await seeder.connect();
	const want = seed(items).update.length * 0.9;
	for (let attempt = 0; ; attempt++) {
		const probe = new BenchClient(server.endpoint, docId, { claim: new Uint8Array([0]) });
		await probe.connect();
		probe.close();
		if (probe.step2Bytes >= want) break;
		if (attempt > 100) throw new Error(`${server.name} did not take the table`);
		await sleep(50);
	}
	seeder.close();
	doc.destroy();
	return holder;
}

export function percentile(sorted: number[], p: number): number {
	if (sorted.length === 0) return NaN;
	return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** A copy of `list` in random order (the order the servers and workloads run in). */
export function shuffle<T>(list: readonly T[]): T[] {
	const a = [...list];
	for (let i = a.length - 1; i > 0; i--) {
		const j = Math.floor(Math.random() * (i + 1));
		[a[i], a[j]] = [a[j]!, a[i]!];
	}
	return a;
}

export function median(values: number[]): number {
	const v = values.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
	if (v.length === 0) return NaN;
	const mid = Math.floor(v.length / 2);
	return v.length % 2 ? v[mid]! : (v[mid - 1]! + v[mid]!) / 2;
}

const MARKER = /#w(\d+)e(\d+)#/g;

/**
 * The writer and edit numbers of every edit an update carries: one, or several when a server
 * merges the updates it relays.
 */
export function markersOf(update: Uint8Array): [number, number][] {
	const text = Buffer.from(update.buffer, update.byteOffset, update.length).toString('latin1');
	return Array.from(text.matchAll(MARKER), (m) => [Number(m[1]), Number(m[2])]);
}

export function closeAll(clients: BenchClient[]): void {
	for (const c of clients) c.close();
}

/** A loaded table shared by several workloads; its holder's updates go to the current listener. */
export interface SharedTable {
	docId: string;
	holder: BenchClient;
	listen(fn: ((update: Uint8Array) => void) | null): void;
}

export async function sharedTable(
	server: RunningServer<ReferenceName>,
	docId: string
): Promise<SharedTable> {
	let handler: ((update: Uint8Array) => void) | null = null;
	const holder = await loadTable(server, docId, { onUpdate: (u) => handler?.(u) });
	return { docId, holder, listen: (fn) => (handler = fn) };
}
