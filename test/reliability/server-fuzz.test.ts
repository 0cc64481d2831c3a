// Server fuzzing (issue #8, 3): hostile frames against a real server process while two good
// clients keep editing one table. The server must stay up, answer every message quickly, keep
// relaying for the good clients, and give its memory back once the attackers are gone.
import { randomBytes } from 'node:crypto';
import * as encoding from 'lib0/encoding';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { rssMb, syncMessage } from '../helpers/hostile.ts';
import { openRawSocket } from '../helpers/raw-socket.ts';
import { SavedAcks } from '../../src/lib/sync/saved-acks.ts';
import {
	authedSocket,
	connectClient,
	login,
	spawnServer,
	synced,
	tempDataDir,
	waitFor,
	wsUrl
} from '../helpers/server.ts';

const ROOM = 'fuzz';
/** A bound on handling one message, not a benchmark: a stalled event loop blows far past it. */
const HANDLE_MS = 200;

let server: Awaited<ReturnType<typeof spawnServer>>;
let cookie: string;
let good: ReturnType<typeof connectClient>[];
const data = tempDataDir();

const rss = () => rssMb(server.child.pid!);

/** Milliseconds for one edit of a good client to reach the other. */
async function relayMs(): Promise<number> {
	const token = `<${randomBytes(6).toString('hex')}>`;
	const [a, b] = good as [ReturnType<typeof connectClient>, ReturnType<typeof connectClient>];
	const started = performance.now();
	const seen = new Promise<void>((resolve) => {
		const check = () => {
			if (!b.doc.getText('probe').toString().includes(token)) return;
			b.doc.off('update', check);
			resolve();
		};
		b.doc.on('update', check);
	});
	a.doc.getText('probe').insert(0, token);
	await Promise.race([seen, new Promise((r) => setTimeout(r, 5000))]);
	return performance.now() - started;
}

/** A sync step 1 with an empty state vector: the server answers with a step 2. */
const PING = syncMessage(0, new Uint8Array([0]));

/**
 * Sends each frame, then PING, over as few connections as possible (a bad frame closes one), and
 * returns the slowest time from a frame to the server's answer (its step 2, or the close).
 */
async function attack(frames: Uint8Array[]): Promise<{ slowestMs: number; closes: number[] }> {
	const Socket = authedSocket(server.url, cookie) as unknown as typeof WebSocket;
	let ws: WebSocket | null = null;
	let slowestMs = 0;
	const closes: number[] = [];
	for (const frame of frames) {
		if (!ws || ws.readyState !== WebSocket.OPEN) {
			ws = new Socket(`${wsUrl(server.url)}/${ROOM}`);
			ws.binaryType = 'nodebuffer';
			ws.on('error', () => {});
			await new Promise((r) => ws!.once('open', r));
		}
		const socket = ws;
		const started = performance.now();
		const answered = new Promise<void>((resolve) => {
			const done = () => {
				socket.off('message', onMessage);
				socket.off('close', onClose);
				resolve();
			};
			const onMessage = (m: Buffer) => {
				if (m[0] === 0 && m[1] === 1) done();
			};
			const onClose = (code: number) => {
				closes.push(code);
				done();
			};
			socket.on('message', onMessage);
			socket.on('close', onClose);
		});
		socket.send(frame);
		socket.send(PING);
		await Promise.race([answered, new Promise((r) => setTimeout(r, 5000))]);
		slowestMs = Math.max(slowestMs, performance.now() - started);
	}
	ws?.terminate();
	return { slowestMs, closes };
}

function realUpdate(): Uint8Array {
	const doc = new Y.Doc();
	doc.getText('note').insert(0, '達成状況：順調に進んでいます');
	doc.getMap('m').set('k', { deep: [1, 2, 3] });
	doc.getText('note').delete(2, 3);
	return Y.encodeStateAsUpdate(doc);
}

/** Updates in the spirit of yjs issue 687: a few bytes that claim absurd clocks or lengths. */
function craftedUpdates(): Uint8Array[] {
	const make = (write: (e: encoding.Encoder) => void) => {
		const e = encoding.createEncoder();
		write(e);
		return syncMessage(2, encoding.toUint8Array(e));
	};
	const struct = (info: number, clock: number, length: number) =>
		make((e) => {
			encoding.writeVarUint(e, 1); // one client
			encoding.writeVarUint(e, 1); // one struct
			encoding.writeVarUint(e, 7); // client id
			encoding.writeVarUint(e, clock);
			encoding.writeUint8(e, info);
			encoding.writeVarUint(e, length);
			encoding.writeVarUint(e, 0); // empty delete set
		});
	return [
		struct(0, 0, 2 ** 40), // GC of 2^40 operations
		struct(10, 0, 2 ** 45), // Skip of 2^45
		struct(0, 2 ** 52, 1), // a clock near 2^53
		make((e) => {
			encoding.writeVarUint(e, 2 ** 32); // claims 2^32 clients
			encoding.writeVarUint(e, 1);
		})
	];
}

/** Plausible but unresolvable: history far ahead of its client, deletions of unknown items. */
function gapUpdates(): Uint8Array[] {
	const make = (write: (e: encoding.Encoder) => void) => {
		const e = encoding.createEncoder();
		write(e);
		return syncMessage(2, encoding.toUint8Array(e));
	};
	return [
		make((e) => {
			encoding.writeVarUint(e, 1);
			encoding.writeVarUint(e, 1);
			encoding.writeVarUint(e, 7);
			encoding.writeVarUint(e, 2 ** 31 - 2); // just below the guard's limit
			encoding.writeUint8(e, 0);
			encoding.writeVarUint(e, 1);
			encoding.writeVarUint(e, 0);
		}),
		make((e) => {
			// A delete set deleting 2^40 operations of one client.
			encoding.writeVarUint(e, 0);
			encoding.writeVarUint(e, 1);
			encoding.writeVarUint(e, 7);
			encoding.writeVarUint(e, 1);
			encoding.writeVarUint(e, 0);
			encoding.writeVarUint(e, 2 ** 40);
		})
	];
}

beforeAll(async () => {
	server = await spawnServer(data.dir);
	cookie = await login(server.url);
	good = [connectClient(server.url, ROOM, cookie), connectClient(server.url, ROOM, cookie)];
	await Promise.all(good.map((c) => synced(c.provider)));
	for (let i = 0; i < 20; i++) await relayMs();
}, 30_000);

afterAll(async () => {
	for (const c of good ?? []) c.provider.destroy();
	server?.child.kill('SIGKILL');
	data.remove();
});

describe('server fuzzing', () => {
	const rng = (seed: number) => () => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;

	it('answers random frames quickly and keeps relaying', async () => {
		const random = rng(1);
		const frames = Array.from({ length: 300 }, () => {
			const bytes = randomBytes(Math.floor(random() * 64));
			// Mostly valid message types, so the fuzz gets past the first byte.
			if (bytes.length > 0 && random() < 0.8) bytes[0] = Math.floor(random() * 5);
			if (bytes.length > 1 && random() < 0.5) bytes[1] = Math.floor(random() * 3);
			return new Uint8Array(bytes);
		});
		const { slowestMs, closes } = await attack(frames);
		expect(slowestMs).toBeLessThan(HANDLE_MS);
		expect(closes.length).toBeGreaterThan(50);
		expect(closes.every((c) => c === 4400)).toBe(true);
		expect(await relayMs()).toBeLessThan(HANDLE_MS);
	});

	it('survives truncated and bit-flipped real updates', async () => {
		const random = rng(2);
		const update = syncMessage(2, realUpdate());
		const frames: Uint8Array[] = [];
		for (let i = 0; i < 150; i++)
			frames.push(update.slice(0, 1 + Math.floor(random() * (update.length - 1))));
		for (let i = 0; i < 300; i++) {
			const flipped = update.slice();
			for (let k = 0; k < 1 + Math.floor(random() * 3); k++) {
				const at = 2 + Math.floor(random() * (flipped.length - 2));
				flipped[at]! ^= 1 << Math.floor(random() * 8);
			}
			frames.push(flipped);
		}
		const { slowestMs, closes } = await attack(frames);
		expect(slowestMs).toBeLessThan(HANDLE_MS);
		expect(closes.length).toBeGreaterThan(50);
		expect(await relayMs()).toBeLessThan(HANDLE_MS);
	});

	it('refuses absurd varints and crafted updates (yjs issue 687) at once', async () => {
		const huge = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f];
		const frames = [
			new Uint8Array(huge), // message type beyond 2^53
			new Uint8Array([0, ...huge]), // sync subtype beyond 2^53
			new Uint8Array([0, 2, ...huge, 1, 2, 3]), // an update claiming 2^56 bytes
			new Uint8Array([1, 0xff, 0xff, 0xff, 0xff, 0x0f, 1]), // presence claiming 4 GB
			...craftedUpdates()
		];
		const { slowestMs, closes } = await attack(frames);
		expect(slowestMs).toBeLessThan(HANDLE_MS);
		expect(closes).toEqual(frames.map(() => 4400));
		expect(await relayMs()).toBeLessThan(HANDLE_MS);
	});

	it("keeps acknowledging others' edits while a crafted gap waits, and caps what waits", async () => {
		const client = connectClient(server.url, ROOM, cookie, { acks: true });
		const acks = new SavedAcks(client.provider);
		try {
			await synced(client.provider);
			// A struct far ahead of its client's history and a deletion of unknown items: both
			// wait in memory for history that never comes.
			const { closes } = await attack(gapUpdates());
			expect(closes).toEqual([]);
			client.doc.getText('probe').insert(0, '保存');
			await waitFor(() => acks.allSaved, 'saved-ack despite the waiting gap');
			expect(acks.acked).toBe(acks.sent);
		} finally {
			client.provider.destroy();
		}
		// Many gaps from fresh client ids: the room refuses to hold more than a bounded amount.
		const gaps = Array.from({ length: 40 }, () => {
			const doc = new Y.Doc();
			doc.getText('x').insert(0, 'a');
			const sv = Y.encodeStateVector(doc);
			doc.getText('x').insert(1, 'x'.repeat(100_000));
			return syncMessage(2, Y.encodeStateAsUpdate(doc, sv));
		});
		const { closes } = await attack(gaps);
		expect(closes[0]).toBe(4400);
		expect(closes.length).toBeLessThanOrEqual(4);
		expect(await relayMs()).toBeLessThan(HANDLE_MS);
	});

	it('closes frames with reserved bits, unmasked or with unknown opcodes with 1002', async () => {
		const { port } = new URL(server.url);
		for (const [first, masked] of [
			[0x80 | 0x40 | 0x2, true], // RSV1 without permessage-deflate
			[0x80 | 0x20 | 0x2, true], // RSV2
			[0x80 | 0x10 | 0x2, true], // RSV3
			[0x80 | 0x3, true], // reserved opcode
			[0x80 | 0x2, false] // a client frame without a mask
		] as const) {
			const raw = await openRawSocket(Number(port), `/sync/${ROOM}`, cookie);
			raw.write([{ first, payload: new Uint8Array([0, 0, 0]), masked }]);
			expect(await raw.closed).toBe(1002);
		}
		expect(await relayMs()).toBeLessThan(HANDLE_MS);
	});

	it('holds presence to a few ids per connection under a flood of fake ids', async () => {
		const Socket = authedSocket(server.url, cookie) as unknown as typeof WebSocket;
		const attackers = await Promise.all(
			Array.from({ length: 20 }, async () => {
				const ws = new Socket(`${wsUrl(server.url)}/${ROOM}`);
				ws.on('error', () => {});
				await new Promise((r) => ws.once('open', r));
				return ws;
			})
		);
		let nextId = 1_000_000;
		for (let round = 0; round < 200; round++) {
			for (const ws of attackers) {
				const inner = encoding.createEncoder();
				encoding.writeVarUint(inner, 8);
				for (let i = 0; i < 8; i++) {
					encoding.writeVarUint(inner, nextId++);
					encoding.writeVarUint(inner, 1);
					encoding.writeVarString(inner, JSON.stringify({ user: { name: 'x'.repeat(200) } }));
				}
				const m = encoding.createEncoder();
				encoding.writeVarUint(m, 1);
				encoding.writeVarUint8Array(m, encoding.toUint8Array(inner));
				ws.send(encoding.toUint8Array(m));
			}
			if (round % 50 === 0) expect(await relayMs()).toBeLessThan(HANDLE_MS);
		}
		expect(nextId - 1_000_000).toBeGreaterThan(30_000);
		expect(await relayMs()).toBeLessThan(HANDLE_MS);
		// The good clients' own two states plus at most 4 per attacking connection.
		expect(good[0]!.provider.awareness.getStates().size).toBeLessThanOrEqual(2 + 4 * 20);
		for (const ws of attackers) ws.close();
		const goodIds = new Set(good.map((g) => g.doc.clientID));
		const fake = () =>
			[...good[0]!.provider.awareness.getStates().keys()].filter((id) => !goodIds.has(id));
		await waitFor(() => fake().length === 0, 'fake presence gone');
		expect(fake()).toEqual([]);
	});

	it('is still up, and its memory does not grow attack after attack', async () => {
		// Big junk frames, read whole by the server before being refused. GC cannot be forced in
		// the server process, and on a busy machine it may not run for a long while: one reading
		// after an attack says little (it failed a full run after waiting 60 s). A leak shows as
		// memory growing with every round; memory freed levels off, as V8 collects once its
		// external memory has grown by a few tens of MB and the allocator reuses what it holds.
		const junk = () =>
			Array.from({ length: 3 }, () => new Uint8Array(randomBytes(8 * 1024 * 1024)));
		const after: number[] = [];
		for (let round = 0; round < 10; round++) {
			await attack(junk());
			await relayMs();
			after.push(rss());
		}
		const health = await fetch(`${server.url}/healthz`);
		expect(await health.json()).toMatchObject({ ok: true });
		expect(server.child.exitCode).toBeNull();
		// Kept, 24 MB a round would be over 190 MB from the first two rounds to the last two.
		const growth = Math.max(...after.slice(-2)) - Math.min(...after.slice(0, 2));
		expect(
			growth,
			`MB after each round: ${after.map((m) => m.toFixed(0)).join(', ')}`
		).toBeLessThan(110);
		expect(await relayMs()).toBeLessThan(HANDLE_MS);
	}, 80_000);
});
