// A protocol-level load client: a Node `ws` socket speaking the y-websocket protocol (ours, stock)
// or the Hocuspocus framing (document name before each message). It sends what a provider sends
// (sync step 1/2, updates, presence with the 15 s renewal) but keeps no Y.Doc unless given one, so
// one load-generator core can drive hundreds of clients without becoming the bottleneck.
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import WebSocket from 'ws';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { seed } from './table.ts';

export type Framing = 'y' | 'hocuspocus';

export interface Endpoint {
	framing: Framing;
	/** The socket URL for a doc. */
	url(docId: string): string;
	headers: Record<string, string>;
}

export interface ClientOptions {
	/** A replica to keep in sync; without one the client claims the seeded state and applies nothing. */
	doc?: Y.Doc;
	/** The state vector to claim when there is no doc (default: the seeded table's). */
	claim?: Uint8Array;
	/** Called with each relayed update's bytes. */
	onUpdate?: (update: Uint8Array) => void;
	/** Called with each saved-ack (ours, `?acks=1`): how many of our updates are stored. */
	onSaved?: (count: number) => void;
}

const SYNC = 0;
const AWARENESS = 1;
const AUTH = 2;
const SYNC_REPLY = 4; // Hocuspocus: the answer to our step 1
const SAVED_ACK = 4; // ours: MESSAGE.savedAck
const RENEW_MS = 15_000; // y-protocols renews presence after outdatedTimeout / 2

export class BenchClient {
	ws: WebSocket | null = null;
	synced = false;
	/** Bytes of the server's answer to our step 1. */
	step2Bytes = 0;
	messagesIn = 0;
	bytesIn = 0;
	bytesOut = 0;
	/** Sync updates and steps 2 sent on this connection (what a saved-ack counts). */
	updatesSent = 0;
	private clock = 0;
	private presence: Record<string, unknown> | null = null;
	private renewTimer: ReturnType<typeof setInterval> | null = null;
	private readonly clientId = Math.floor(Math.random() * 2 ** 31);
	private onSynced: (() => void) | null = null;

	constructor(
		readonly endpoint: Endpoint,
		readonly docId: string,
		readonly options: ClientOptions = {}
	) {}

	connect(timeoutMs = 30_000): Promise<void> {
		return new Promise((resolve, reject) => {
			const ws = new WebSocket(this.endpoint.url(this.docId), { headers: this.endpoint.headers });
			this.ws = ws;
			ws.binaryType = 'nodebuffer';
			const timer = setTimeout(
				() => reject(new Error(`no sync within ${timeoutMs} ms`)),
				timeoutMs
			);
			this.onSynced = () => {
				clearTimeout(timer);
				resolve();
			};
			ws.on('error', (err) => {
				clearTimeout(timer);
				reject(err);
			});
			ws.on('open', () => {
				if (this.endpoint.framing === 'hocuspocus') {
					this.send(AUTH, (e) => {
						encoding.writeVarUint(e, 0); // AuthMessageType.Token
						encoding.writeVarString(e, '');
					});
				}
				const sv = this.options.doc
					? Y.encodeStateVector(this.options.doc)
					: (this.options.claim ?? seed().stateVector);
				this.send(SYNC, (e) => {
					encoding.writeVarUint(e, syncProtocol.messageYjsSyncStep1);
					encoding.writeVarUint8Array(e, sv);
				});
				if (this.presence) this.sendPresence();
			});
			ws.on('message', (data: Buffer) => this.onMessage(data));
		});
	}

	private send(type: number, write: (e: encoding.Encoder) => void): void {
		const ws = this.ws;
		if (!ws || ws.readyState !== WebSocket.OPEN) return;
		const e = encoding.createEncoder();
		if (this.endpoint.framing === 'hocuspocus') encoding.writeVarString(e, this.docId);
		encoding.writeVarUint(e, type);
		write(e);
		const bytes = encoding.toUint8Array(e);
		this.bytesOut += bytes.length;
		ws.send(bytes);
	}

	private onMessage(data: Buffer): void {
		this.messagesIn++;
		this.bytesIn += data.length;
		const d = decoding.createDecoder(data);
		if (this.endpoint.framing === 'hocuspocus') decoding.readVarString(d);
		const type = decoding.readVarUint(d);
		if (type === SAVED_ACK && this.endpoint.framing === 'y') {
			this.options.onSaved?.(decoding.readVarUint(d));
			return;
		}
		if (type !== SYNC && !(type === SYNC_REPLY && this.endpoint.framing === 'hocuspocus')) return;
		const sub = decoding.readVarUint(d);
		const payload = decoding.readVarUint8Array(d);
		const doc = this.options.doc;
		if (sub === syncProtocol.messageYjsSyncStep1) {
			const diff = doc ? Y.encodeStateAsUpdate(doc, payload) : new Uint8Array([0, 0]);
			this.updatesSent++;
			this.send(SYNC, (e) => {
				encoding.writeVarUint(e, syncProtocol.messageYjsSyncStep2);
				encoding.writeVarUint8Array(e, diff);
			});
			return;
		}
		if (doc) Y.applyUpdate(doc, payload, this);
		if (sub === syncProtocol.messageYjsSyncStep2) {
			if (!this.synced) {
				this.step2Bytes = payload.length;
				this.synced = true;
				this.onSynced?.();
			}
		} else this.options.onUpdate?.(payload);
	}

	sendUpdate(update: Uint8Array): void {
		this.updatesSent++;
		this.send(SYNC, (e) => {
			encoding.writeVarUint(e, syncProtocol.messageYjsUpdate);
			encoding.writeVarUint8Array(e, update);
		});
	}

	/** Sets this client's presence and keeps it alive the way y-protocols' Awareness does. */
	setPresence(state: Record<string, unknown>): void {
		this.presence = state;
		this.sendPresence();
		this.renewTimer ??= setInterval(() => this.sendPresence(), RENEW_MS);
	}

	private sendPresence(): void {
		this.clock++;
		const json = JSON.stringify(this.presence);
		this.send(AWARENESS, (e) => {
			const u = encoding.createEncoder();
			encoding.writeVarUint(u, 1);
			encoding.writeVarUint(u, this.clientId);
			encoding.writeVarUint(u, this.clock);
			encoding.writeVarString(u, json);
			encoding.writeVarUint8Array(e, encoding.toUint8Array(u));
		});
	}

	close(): void {
		if (this.renewTimer) clearInterval(this.renewTimer);
		this.renewTimer = null;
		this.ws?.terminate();
		this.ws = null;
	}
}

/** Connects clients with bounded concurrency (a thundering herd would measure the accept queue). */
export async function connectAll(clients: BenchClient[], concurrency = 20): Promise<void> {
	let next = 0;
	const worker = async () => {
		while (next < clients.length) await clients[next++]!.connect();
	};
	await Promise.all(Array.from({ length: Math.min(concurrency, clients.length) }, worker));
}

export function presenceFor(i: number): Record<string, unknown> {
	return { user: { name: `利用者${i}`, color: '#3b82f6' }, cell: null };
}
