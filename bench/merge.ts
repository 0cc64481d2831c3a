// Workload 6: clients that edited offline reconnect at once, through the real providers
// (y-websocket for ours and stock, HocuspocusProvider for Hocuspocus), until every replica has
// every edit.
import { HocuspocusProvider } from '@hocuspocus/provider';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { loadTable } from './common.ts';
import type { RunningServer } from './servers.ts';
import { prng, seed, seededDoc, typeInto } from './table.ts';

const wire = { in: 0, out: 0 };

/** A `ws` socket that sends the server's cookie and Origin, and counts bytes both ways. */
function countingSocket(headers: Record<string, string>) {
	return class extends WebSocket {
		constructor(url: string | URL, protocols?: string | string[]) {
			super(url, protocols, { headers });
			this.on('message', (data: ArrayBuffer | Buffer) => (wire.in += data.byteLength));
		}
		override send(data: Uint8Array | string, ...rest: unknown[]): void {
			wire.out += typeof data === 'string' ? Buffer.byteLength(data) : data.byteLength;
			(super.send as (...args: unknown[]) => void)(data, ...rest);
		}
	} as unknown as typeof globalThis.WebSocket;
}

function covers(doc: Y.Doc, expected: Map<number, number>): boolean {
	const sv = Y.decodeStateVector(Y.encodeStateVector(doc));
	for (const [client, clock] of expected) if ((sv.get(client) ?? 0) < clock) return false;
	return true;
}

interface OfflineEdits {
	/** Each client's offline edits, as one update over the seeded table. */
	updates: Uint8Array[];
	/** The state vector of the table with every client's edits. */
	expected: Map<number, number>;
}

// Typing the edits took 1.5–2 s of every run on the load core; they are made once per size and
// replayed into fresh replicas (same bytes on the wire: each replica holds the same edits).
const offlineEdits = new Map<string, OfflineEdits>();

function editsFor(clients: number, editsEach: number): OfflineEdits {
	const key = `${clients}×${editsEach}`;
	let made = offlineEdits.get(key);
	if (made) return made;
	const reference = seededDoc();
	const updates: Uint8Array[] = [];
	for (let i = 0; i < clients; i++) {
		const doc = seededDoc();
		const rand = prng(1000 + i);
		for (let e = 0; e < editsEach; e++) typeInto(doc, rand, `m${i}.${e};`);
		const update = Y.encodeStateAsUpdate(doc, seed().stateVector);
		Y.applyUpdate(reference, update);
		updates.push(update);
		doc.destroy();
	}
	made = { updates, expected: Y.decodeStateVector(Y.encodeStateVector(reference)) };
	reference.destroy();
	offlineEdits.set(key, made);
	return made;
}

/** Resolves with the time at which every doc holds `expected`, checked at each of its updates. */
function convergence(docs: Y.Doc[], expected: Map<number, number>): Promise<number> {
	return new Promise((resolve) => {
		let left = docs.length;
		for (const doc of docs) {
			const check = () => {
				if (!covers(doc, expected)) return;
				doc.off('update', check);
				if (--left === 0) resolve(performance.now());
			};
			doc.on('update', check);
		}
	});
}

export async function offlineMerge(
	server: RunningServer,
	clients: number,
	editsEach: number
): Promise<{ seconds: number; megabytes: number }> {
	process.setMaxListeners(0); // each provider adds a process 'exit' listener
	const docId = `merge${clients}`;
	const { updates, expected } = editsFor(clients, editsEach);
	const holder = await loadTable(server, docId);
	const docs = updates.map((update) => {
		const doc = seededDoc();
		Y.applyUpdate(doc, update);
		return doc;
	});
	const converged = convergence(docs, expected);
	wire.in = 0;
	wire.out = 0;
	const { endpoint } = server;
	const start = performance.now();
	const providers = docs.map((doc) => {
		const WebSocketPolyfill = countingSocket(endpoint.headers);
		if (endpoint.framing === 'hocuspocus') {
			const url = endpoint.url(docId);
			// WebSocketPolyfill reaches the provider's own socket; the type omits it.
			return new HocuspocusProvider({
				url,
				name: docId,
				document: doc,
				WebSocketPolyfill
			} as ConstructorParameters<typeof HocuspocusProvider>[0]);
		}
		const url = endpoint.url(docId);
		const base = url.slice(0, url.lastIndexOf('/'));
		return new WebsocketProvider(base, docId, doc, { WebSocketPolyfill, disableBc: true });
	});
	let timer: ReturnType<typeof setTimeout> | undefined;
	const timeout = new Promise<number>((resolve) => (timer = setTimeout(resolve, 120_000, NaN)));
	const seconds = ((await Promise.race([converged, timeout])) - start) / 1000;
	clearTimeout(timer);
	const megabytes = (wire.in + wire.out) / 1e6;
	for (const p of providers) p.destroy();
	for (const d of docs) d.destroy();
	holder.close();
	return { seconds, megabytes };
}
