// Workload 6: clients that edited offline reconnect at once, through the real providers
// (y-websocket for ours and stock, HocuspocusProvider for Hocuspocus), until every replica has
// every edit.
import { HocuspocusProvider } from '@hocuspocus/provider';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { loadTable, sleep } from './common.ts';
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

export async function offlineMerge(
	server: RunningServer,
	clients: number,
	editsEach: number
): Promise<{ seconds: number; megabytes: number }> {
	process.setMaxListeners(0); // each provider adds a process 'exit' listener
	const docId = `merge${clients}`;
	const holder = await loadTable(server, docId);
	const docs: Y.Doc[] = [];
	const reference = seededDoc();
	for (let i = 0; i < clients; i++) {
		const doc = seededDoc();
		const rand = prng(1000 + i);
		for (let e = 0; e < editsEach; e++) typeInto(doc, rand, `m${i}.${e};`);
		Y.applyUpdate(reference, Y.encodeStateAsUpdate(doc, seed().stateVector));
		docs.push(doc);
	}
	const expected = Y.decodeStateVector(Y.encodeStateVector(reference));
	reference.destroy();
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
	let converged = false;
	while (performance.now() - start < 120_000) {
		if (docs.every((d) => covers(d, expected))) {
			converged = true;
			break;
		}
		await sleep(20);
	}
	const seconds = (performance.now() - start) / 1000;
	const megabytes = (wire.in + wire.out) / 1e6;
	for (const p of providers) p.destroy();
	for (const d of docs) d.destroy();
	holder.close();
	return { seconds: converged ? seconds : NaN, megabytes };
}
