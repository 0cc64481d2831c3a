// For the hostile-client tests and attacks: users written straight into a store before its server
// starts, messages crafted by hand in the y-websocket wire format, and the server's vital signs.
import { readFileSync } from 'node:fs';
import * as encoding from 'lib0/encoding';
import type WebSocket from 'ws';
import * as Y from 'yjs';
import { hashPassword } from '../../server/passwords.ts';
import { SqliteStore } from '../../server/store.ts';
import { encodePresence } from '../../server/sync/messages.ts';
import { type Role } from '../../server/users.ts';
import { MESSAGE } from '../../src/lib/sync/protocol.ts';
import { ADMIN_PASSWORD } from './server.ts';

export interface TestUser {
	username: string;
	role: Role;
	displayName: string;
	password: string;
}

export const ADMIN: TestUser = {
	username: 'admin',
	role: 'admin',
	displayName: '管理者',
	password: ADMIN_PASSWORD
};
export const EDITOR: TestUser = {
	username: 'sato',
	role: 'editor',
	displayName: '佐藤',
	password: 'editor-password'
};
export const VIEWER: TestUser = {
	username: 'mori',
	role: 'viewer',
	displayName: '森',
	password: 'viewer-password'
};

/** Adds users to the store in `dataDir` (made if new), before a server opens it. */
export async function addUsers(dataDir: string, users: TestUser[]): Promise<void> {
	const store = new SqliteStore(dataDir);
	try {
		const userStore = store.users(3600_000);
		for (const u of users) {
			await userStore.add(u.username, u.role, await hashPassword(u.password), u.displayName);
		}
	} finally {
		store.closeNow();
	}
}

/** A message of `type` (and sync `subtype`) carrying `payload` as a length-prefixed byte array. */
export function wsMessage(type: number, payload: Uint8Array, subtype?: number): Uint8Array {
	const e = encoding.createEncoder();
	encoding.writeVarUint(e, type);
	if (subtype !== undefined) encoding.writeVarUint(e, subtype);
	encoding.writeVarUint8Array(e, payload);
	return encoding.toUint8Array(e);
}

export const syncMessage = (subtype: number, payload: Uint8Array) =>
	wsMessage(MESSAGE.sync, payload, subtype);

export const updateMessage = (update: Uint8Array) => syncMessage(2, update);

/** A presence message with any entries, states as raw text (hostile ones included). */
export function presenceMessage(
	entries: { id: number; clock: number; state: string }[]
): Uint8Array {
	return wsMessage(MESSAGE.awareness, encodePresence(entries));
}

/**
 * Sends a message, then a sync step 1 (an empty state vector): the server handles a connection's
 * messages in order, so its answer means the message was taken, and a close that it was refused.
 * Resolves with 'answered', the close code, or -1 after 5 s of neither.
 */
export function sendThenProbe(ws: WebSocket, message: Uint8Array): Promise<number | 'answered'> {
	const probe = syncMessage(0, Y.encodeStateVector(new Y.Doc()));
	return new Promise((resolve) => {
		const onMessage = (m: Buffer) => {
			if (m[0] === MESSAGE.sync && m[1] === 1) done('answered');
		};
		const onClose = (code: number) => done(code);
		const timer = setTimeout(() => done(-1), 5000);
		const done = (result: number | 'answered') => {
			clearTimeout(timer);
			ws.off('message', onMessage);
			ws.off('close', onClose);
			resolve(result);
		};
		ws.on('message', onMessage);
		ws.on('close', onClose);
		ws.send(message);
		ws.send(probe);
	});
}

/** A process's resident memory, in MB. */
export function rssMb(pid: number): number {
	const status = readFileSync(`/proc/${pid}/status`, 'utf8');
	return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) / 1024;
}

/** Milliseconds /healthz takes to answer with 200 (5,000 when it does not). */
export async function healthMs(url: string): Promise<number> {
	const started = performance.now();
	try {
		const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(5000) });
		await res.arrayBuffer();
		if (res.status !== 200) return 5000;
	} catch {
		return 5000;
	}
	return performance.now() - started;
}

/** /healthz answer times, probed every 20 ms while `attack` runs (and 200 ms after it). */
export async function healthDuring(url: string, attack: () => Promise<unknown>): Promise<number[]> {
	const times: number[] = [];
	let running = true;
	const probing = (async () => {
		while (running) {
			times.push(await healthMs(url));
			await new Promise((r) => setTimeout(r, 20));
		}
	})();
	try {
		await attack();
		await new Promise((r) => setTimeout(r, 200));
	} finally {
		running = false;
		await probing;
	}
	return times;
}

/** The p-th percentile of `values` (nearest rank), NaN when there are none. */
export function percentile(values: number[], p: number): number {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

/** An update nesting maps `depth` deep under the root map `root`, one level per transaction. */
export function deepMapChain(depth: number, root = 'deep'): Uint8Array {
	const doc = new Y.Doc();
	let map: Y.Map<unknown> = doc.getMap(root);
	for (let i = 0; i < depth; i++) {
		const next = new Y.Map<unknown>();
		map.set('k', next);
		map = next;
	}
	return Y.encodeStateAsUpdate(doc);
}

/**
 * An update of `blocks` clients, each with `perBlock` one-clock GC structs, and a delete set of
 * `deleteClients` clients with `rangesEach` ranges each: cheap bytes, many objects.
 */
export function structFlood(
	blocks: number,
	perBlock: number,
	deleteClients = 0,
	rangesEach = 1
): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, blocks);
	for (let b = 0; b < blocks; b++) {
		encoding.writeVarUint(encoder, perBlock);
		encoding.writeVarUint(encoder, 1000 + b); // client
		encoding.writeVarUint(encoder, 0); // clock
		for (let i = 0; i < perBlock; i++) {
			encoding.writeUint8(encoder, 0); // GC
			encoding.writeVarUint(encoder, 1);
		}
	}
	encoding.writeVarUint(encoder, deleteClients);
	for (let c = 0; c < deleteClients; c++) {
		encoding.writeVarUint(encoder, 5000 + c);
		encoding.writeVarUint(encoder, rangesEach);
		for (let r = 0; r < rangesEach; r++) {
			encoding.writeVarUint(encoder, r * 2);
			encoding.writeVarUint(encoder, 1);
		}
	}
	return encoding.toUint8Array(encoder);
}
