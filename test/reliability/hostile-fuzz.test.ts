// Property-based fuzzing of structurally valid updates and presence states (issue #17): shared
// types nested deep, maps wide, texts and JSON values large and deep, records naming somebody
// else. Against the server as its own process, fast-check generates each case; the server must
// take exactly the ones within its documented limits (update-guard.ts) and refuse the others
// whole, answer /healthz quickly throughout, and leave a table every reader can read.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { readComments } from '../../src/lib/doc/comments.ts';
import { readChanges } from '../../src/lib/doc/changes.ts';
import { docToSheet } from '../../src/lib/doc/sheet-doc.ts';
import { MAX_JSON_DEPTH, MAX_TYPE_DEPTH } from '../../server/update-guard.ts';
import {
	addUsers,
	ADMIN,
	EDITOR,
	healthMs,
	presenceMessage,
	sendThenProbe,
	updateMessage
} from '../helpers/hostile.ts';
import {
	authedSocket,
	connectClient,
	listTable,
	login,
	spawnServer,
	synced,
	tempDataDir,
	waitFor,
	wsUrl
} from '../helpers/server.ts';

const TABLE = 'fuzz';
const HEALTH_MS = 200;
const ME = EDITOR.displayName;

let server: Awaited<ReturnType<typeof spawnServer>>;
let admin: string;
let editor: string;
const data = tempDataDir();

beforeAll(async () => {
	await addUsers(data.dir, [ADMIN, EDITOR]);
	server = await spawnServer(data.dir);
	admin = await login(server.url);
	editor = await login(server.url, EDITOR.username, EDITOR.password);
	await listTable(server.url, admin, TABLE);
}, 30_000);

afterAll(() => {
	server?.child.kill('SIGKILL');
	data.remove();
});

async function openSocket(): Promise<WebSocket> {
	const Authed = authedSocket(server.url, editor) as unknown as typeof WebSocket;
	const ws = new Authed(`${wsUrl(server.url)}/${TABLE}`);
	ws.binaryType = 'nodebuffer';
	ws.on('error', () => {});
	await new Promise((r) => ws.once('open', r));
	return ws;
}

interface Shape {
	root: string;
	/** Maps nested below the root map before the payload map. */
	chain: number;
	/** Entries of the payload map, each a text, a JSON value and a record. */
	width: number;
	textLength: number;
	jsonDepth: number;
	author: string;
}

const shapes = fc.record({
	root: fc.constantFrom('items', 'comments', 'changes', 'meta', 'elsewhere'),
	chain: fc.oneof(fc.integer({ min: 0, max: 4 }), fc.integer({ min: 5, max: 40 })),
	width: fc.oneof(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 100, max: 400 })),
	textLength: fc.oneof(fc.integer({ min: 0, max: 50 }), fc.integer({ min: 10_000, max: 60_000 })),
	jsonDepth: fc.oneof(fc.integer({ min: 0, max: 10 }), fc.integer({ min: 20, max: 90 })),
	author: fc.constantFrom(ME, ME, '管理者')
});

function nested(depth: number): unknown {
	let value: unknown = 1;
	for (let i = 0; i < depth; i++) value = [value];
	return value;
}

function build(shape: Shape): Uint8Array {
	const doc = new Y.Doc();
	doc.transact(() => {
		let map: Y.Map<unknown> = doc.getMap(shape.root);
		for (let i = 0; i < shape.chain; i++) {
			const next = new Y.Map<unknown>();
			map.set(`c${i}`, next);
			map = next;
		}
		const payload = new Y.Map<unknown>();
		map.set('payload', payload);
		for (let i = 0; i < shape.width; i++) {
			payload.set(`t${i}`, new Y.Text('あ'.repeat(Math.floor(shape.textLength / shape.width))));
			payload.set(`j${i}`, nested(shape.jsonDepth));
			payload.set(`r${i}`, { by: shape.author, at: i });
		}
	});
	return Y.encodeStateAsUpdate(doc);
}

/** What the guard promises: the deepest type, the deepest JSON value and the named author. */
function verdict(shape: Shape): 'accepted' | 'structure' | 'author' {
	// Root map 0, chain 1…chain, payload chain + 1, its texts chain + 2.
	const typeDepth = shape.chain + 1 + (shape.width > 0 ? 1 : 0);
	// The JSON value: leaf at jsonDepth below the value (a map value is depth 0).
	if (typeDepth > MAX_TYPE_DEPTH || (shape.width > 0 && shape.jsonDepth > MAX_JSON_DEPTH))
		return 'structure';
	if (shape.width > 0 && shape.author !== ME) return 'author';
	return 'accepted';
}

describe('fuzzing structurally valid updates and presence (issue #17)', () => {
	it('takes exactly the updates within the limits, refuses the rest whole, stays responsive', async () => {
		let ws = await openSocket();
		let slowest = 0;
		await fc.assert(
			fc.asyncProperty(shapes, async (shape) => {
				if (ws.readyState !== WebSocket.OPEN) ws = await openSocket();
				const expected = verdict(shape);
				const result = await sendThenProbe(ws, updateMessage(build(shape)));
				slowest = Math.max(slowest, await healthMs(server.url));
				if (expected === 'accepted') expect(result).toBe('answered');
				else if (expected === 'author') expect(result).toBe(4403);
				else expect(result).toBe(4400);
			}),
			{ numRuns: 60, seed: 17 }
		);
		ws.close();
		expect(slowest).toBeLessThan(HEALTH_MS);
		// Every reader still reads what was stored, through a fresh stock client.
		const fresh = connectClient(server.url, TABLE, admin);
		await synced(fresh.provider);
		expect(() => docToSheet(fresh.doc)).not.toThrow();
		expect(() => readComments(fresh.doc)).not.toThrow();
		expect(() => readChanges(fresh.doc)).not.toThrow();
		expect(() => Y.encodeStateAsUpdate(fresh.doc)).not.toThrow();
		fresh.provider.destroy();
	}, 120_000);

	it('passes on bounded presence states with the session’s user, and drops the others', async () => {
		const watcher = connectClient(server.url, TABLE, admin);
		await synced(watcher.provider);
		let ws = await openSocket();
		let clock = 1;
		await fc.assert(
			fc.asyncProperty(
				fc.record({
					depth: fc.oneof(fc.integer({ min: 0, max: 10 }), fc.integer({ min: 30, max: 5000 })),
					padding: fc.oneof(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 3000, max: 9000 })),
					kind: fc.constantFrom('object', 'object', 'array', 'number')
				}),
				async ({ depth, padding, kind }) => {
					if (ws.readyState !== WebSocket.OPEN) ws = await openSocket();
					const id = 777;
					const inner = depth === 0 ? '0' : '['.repeat(depth) + ']'.repeat(depth);
					const n = clock++;
					const body = `"n":${n},"deep":${inner},"pad":"${'x'.repeat(padding)}","user":{"name":"管理者"}`;
					const state =
						kind === 'object' ? `{${body}}` : kind === 'array' ? `[${inner}]` : String(depth);
					const stateDepth = kind === 'object' ? depth + 1 : kind === 'array' ? depth + 1 : 0;
					const fits = kind === 'object' && stateDepth <= MAX_JSON_DEPTH && state.length <= 4096;
					ws.send(presenceMessage([{ id, clock: n, state }]));
					const seen = () => watcher.provider.awareness.getStates().get(id);
					if (fits) {
						await waitFor(() => seen()?.n === n, 'the state', 3000);
						expect(seen()?.user?.name).toBe(ME);
					} else {
						await new Promise((r) => setTimeout(r, 120));
						expect(seen()?.n).not.toBe(n);
					}
					expect(await healthMs(server.url)).toBeLessThan(HEALTH_MS);
				}
			),
			{ numRuns: 40, seed: 17 }
		);
		ws.close();
		watcher.provider.destroy();
	}, 120_000);
});
