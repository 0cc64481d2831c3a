// Relay at once, commit in groups, acknowledge after the commit: an update is relayed as soon as it
// is applied (never back to its sender, nor to a client that has not yet asked for the doc with its
// sync step 1); the updates a room receives while a commit is in flight, or in one event-loop
// turn, are written in one commit, and acknowledged once it resolves. A failed commit acknowledges
// nothing; the clients' edits reach the disk once it works again.
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { describe, expect, it } from 'vitest';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { MESSAGE } from '../../src/lib/sync/protocol.ts';
import { SavedAcks } from '../../src/lib/sync/saved-acks.ts';
import { join } from 'node:path';
import { loadDoc } from '../../server/store.ts';
import { ON_POSTGRES, openStore } from '../helpers/store.ts';
import { mountSmallDisk } from '../helpers/disk.ts';
import type { RunningServer } from '../../server/main.ts';
import { useCleanups } from '../helpers/cleanup.ts';
import { openRawSocket, type RawSocket } from '../helpers/raw-socket.ts';
import {
	connectClient,
	login,
	startTestServer,
	synced,
	tempDataDir,
	waitFor
} from '../helpers/server.ts';

const cleanups = useCleanups();

function syncMessage(subtype: number, payload: Uint8Array): Uint8Array {
	const e = encoding.createEncoder();
	encoding.writeVarUint(e, MESSAGE.sync);
	encoding.writeVarUint(e, subtype);
	encoding.writeVarUint8Array(e, payload);
	return encoding.toUint8Array(e);
}

/** The updates of typing `parts` one after another at the end of a note, one update each. */
function typed(...parts: string[]): Uint8Array[] {
	const doc = new Y.Doc();
	const note = doc.getText('note');
	const updates: Uint8Array[] = [];
	doc.on('update', (u: Uint8Array) => updates.push(u));
	for (const part of parts) note.insert(note.length, part);
	return updates;
}

/** Sends `updates` from a raw client, each its own sync update message, in one write. */
function sendUpdates(raw: RawSocket, ...updates: Uint8Array[]): void {
	raw.write(updates.map((u) => ({ payload: syncMessage(syncProtocol.messageYjsUpdate, u) })));
}

/** The payloads of the sync messages of `subtype` among a raw socket's frames. */
function syncPayloads(raw: RawSocket, subtype: number): Uint8Array[] {
	return raw.frames.flatMap(({ payload }) => {
		const d = decoding.createDecoder(payload);
		if (decoding.readVarUint(d) !== MESSAGE.sync) return [];
		if (decoding.readVarUint(d) !== subtype) return [];
		return [decoding.readVarUint8Array(d)];
	});
}
/** The sync updates (subtype 2): relays. */
const updatesIn = (raw: RawSocket) => syncPayloads(raw, syncProtocol.messageYjsUpdate);
/** The sync steps 2: answers to a step 1. */
const answersIn = (raw: RawSocket) => syncPayloads(raw, syncProtocol.messageYjsSyncStep2);

/** Step 1 with an empty state vector: the server answers with its whole doc. */
const askForAll = () => [
	{ payload: syncMessage(syncProtocol.messageYjsSyncStep1, new Uint8Array([0])) }
];

/** A client that has joined the room (the server's step 1 is in) but not yet sent its step 1. */
async function joinedClient(server: RunningServer, cookie: string, docId: string) {
	const raw = await openRawSocket(server.port, `/sync/${docId}`, cookie);
	cleanups.push(() => raw.destroy());
	await waitFor(() => raw.frames.length >= 1, "the server's sync step 1");
	return raw;
}

async function rawClient(server: RunningServer, cookie: string, docId: string) {
	const raw = await joinedClient(server, cookie, docId);
	raw.write(askForAll());
	await waitFor(() => raw.frames.length >= 2, 'sync step 1 and 2 from the server');
	return raw;
}

describe('group commits', () => {
	let server: RunningServer;
	let cookie: string;

	async function start() {
		const data = tempDataDir();
		server = await startTestServer(data.dir);
		cleanups.push(() => server.close(), data.remove);
		cookie = await login(server.url);
	}

	it('relays a burst at once, not to its sender, and writes it in fewer commits than updates', async () => {
		await start();
		const writer = await rawClient(server, cookie, 'burst');
		const reader = await rawClient(server, cookie, 'burst');
		const sentBefore = updatesIn(reader).length;

		// Fifty edits, each its own update message, all in one TCP write.
		const parts = Array.from({ length: 50 }, (_, i) => String(i % 10));
		const text = parts.join('');
		sendUpdates(writer, ...typed(...parts));

		const replica = new Y.Doc();
		await waitFor(() => {
			for (const u of updatesIn(reader).slice(sentBefore)) Y.applyUpdate(replica, u);
			return replica.getText('note').toString() === text;
		}, 'the reader to have all fifty edits');
		// Read in one turn, relayed as one merged message or a few, not fifty.
		expect(updatesIn(reader).length - sentBefore).toBeLessThan(50);
		// Nothing came back to the writer; the store has every edit, in fewer rows than edits (one
		// per commit).
		expect(updatesIn(writer)).toHaveLength(0);
		await waitFor(
			async () => (await loadDoc(server.store, 'burst')).getText('note').toString() === text,
			'the burst stored'
		);
		expect((await server.store.load('burst')).updates.length).toBeLessThan(50);
	});

	it('relays an update that waited for history to the client whose update completed it', async () => {
		await start();
		const a = await rawClient(server, cookie, 'gap');
		const b = await rawClient(server, cookie, 'gap');
		const [hello, world] = typed('hello', 'world') as [Uint8Array, Uint8Array];
		// A sends "world" before anyone sent the "hello" it follows: the server holds it back.
		sendUpdates(a, world);
		await new Promise((r) => setTimeout(r, 200));
		const before = updatesIn(b).length;
		sendUpdates(b, hello);
		const replica = new Y.Doc();
		Y.applyUpdate(replica, hello);
		await waitFor(() => {
			for (const u of updatesIn(b).slice(before)) Y.applyUpdate(replica, u);
			return replica.getText('note').toString() === 'helloworld';
		}, 'B to get the update its own completed');
		expect((await loadDoc(server.store, 'gap')).getText('note').toString()).toBe('helloworld');
	});

	it('relays nothing to a client before its sync step 1, whose answer carries what it missed', async () => {
		await start();
		const writer = await rawClient(server, cookie, 'late');
		const reader = await rawClient(server, cookie, 'late');
		const late = await joinedClient(server, cookie, 'late');

		const [first, second] = typed('取組', 'の状況') as [Uint8Array, Uint8Array];
		sendUpdates(writer, first);
		await waitFor(() => updatesIn(reader).length === 1, 'the reader to get the first edit');
		expect(updatesIn(late)).toHaveLength(0);

		// Its step 1 (an empty state vector): the answer, a step 2, has the first edit.
		late.write(askForAll());
		await waitFor(() => answersIn(late).length === 1, 'the answer to its step 1');
		// A relay of the first edit would have come before that answer, on the same socket.
		expect(updatesIn(late)).toHaveLength(0);
		const replica = new Y.Doc();
		Y.applyUpdate(replica, answersIn(late)[0]!);
		expect(replica.getText('note').toString()).toBe('取組');

		// From then on, every update is relayed to it, once.
		sendUpdates(writer, second);
		await waitFor(() => updatesIn(late).length === 1, 'the late client to get the second edit');
		Y.applyUpdate(replica, updatesIn(late)[0]!);
		expect(replica.getText('note').toString()).toBe('取組の状況');
		await waitFor(() => updatesIn(reader).length === 2, 'the reader to get the second edit');
		expect(updatesIn(late)).toHaveLength(1);
	});

	it('gives a client that asks while an update waits for history that update once it can apply', async () => {
		await start();
		const a = await rawClient(server, cookie, 'gap-late');
		const b = await rawClient(server, cookie, 'gap-late');
		const [hello, world] = typed('hello', 'world') as [Uint8Array, Uint8Array];
		sendUpdates(a, world);
		await new Promise((r) => setTimeout(r, 200));

		// A client joins and asks now: its answer cannot give it "world" in a form it can apply.
		const late = await rawClient(server, cookie, 'gap-late');
		const replica = new Y.Doc();
		for (const answer of answersIn(late)) Y.applyUpdate(replica, answer);
		expect(replica.getText('note').toString()).toBe('');

		// "hello" comes: "world" is applied, and the late client gets both.
		sendUpdates(b, hello);
		await waitFor(() => {
			for (const u of updatesIn(late)) Y.applyUpdate(replica, u);
			return replica.getText('note').toString() === 'helloworld';
		}, 'the late client to get hello and world');
		// And the server holds both, applied: a client that joins now gets them in its answer.
		const later = await rawClient(server, cookie, 'gap-late');
		const fresh = new Y.Doc();
		for (const answer of answersIn(later)) Y.applyUpdate(fresh, answer);
		expect(fresh.getText('note').toString()).toBe('helloworld');
	});

	it('stores an update that waited for history another writer committed, before saying saved', async () => {
		const data = tempDataDir();
		cleanups.push(data.remove);
		server = await startTestServer(data.dir, 0, { storePollMs: 50 });
		cleanups.push(() => server.close());
		cookie = await login(server.url);
		const a = await openRawSocket(server.port, '/sync/completed?acks=1', cookie);
		cleanups.push(() => a.destroy());
		await waitFor(() => a.frames.length >= 1, "the server's sync step 1");
		a.write(askForAll());
		await waitFor(() => answersIn(a).length === 1, 'the answer to its step 1');
		const [hello, world] = typed('hello', 'world') as [Uint8Array, Uint8Array];
		// A sends "world"; the "hello" it follows reaches the server from the store (the CLI, another
		// process), not from a client.
		sendUpdates(a, world);
		await new Promise((r) => setTimeout(r, 200));
		const other = await openStore(data.dir);
		cleanups.push(() => other.close());
		await other.commit({ updates: [{ docId: 'completed', update: hello }] }, 'cli');
		const savedAcks = () =>
			a.frames.filter(({ payload }) => payload[0] === MESSAGE.savedAck && payload[1] === 1);
		await waitFor(() => savedAcks().length > 0, '"world" acknowledged');
		// Acknowledged means stored: "world" is in the store, not only in the room's memory.
		await server.close();
		const stored = await loadDoc(other, 'completed');
		expect(stored.getText('note').toString()).toBe('helloworld');
	});

	it('acknowledges nothing when a commit fails, and stores the edit once it can', async (ctx) => {
		// A real failure: the store's disk is full (a tmpfs of its own, filled to the last byte).
		// PostgreSQL's own failure (the database stopped) is test/cluster/postgres-down.test.ts's.
		if (ON_POSTGRES) return ctx.skip('the store is not in the data dir');
		const disk = mountSmallDisk(24);
		if (!disk) return ctx.skip('this machine does not let the test mount a tmpfs');
		cleanups.push(disk.remove);
		server = await startTestServer(join(disk.dir, 'data'));
		cleanups.push(() => server.close());
		cookie = await login(server.url);
		const a = connectClient(server.url, 'failing', cookie, { acks: true });
		// Acks received, with the number of closes seen when each arrived.
		const received: [number, number][] = [];
		const acks = new SavedAcks(a.provider, () => received.push([acks.acked, closes.length]));
		const closes: number[] = [];
		const b = connectClient(server.url, 'failing', cookie);
		cleanups.push(
			() => a.provider.destroy(),
			() => b.provider.destroy()
		);
		await Promise.all([synced(a.provider), synced(b.provider)]);
		for (const { provider } of [a, b]) {
			provider.on('connection-close', (event) => closes.push(event?.code ?? 0));
		}

		disk.fill();
		// Big enough that the WAL must grow to hold it.
		const note = 'まだ保存されていない'.repeat(20_000);
		a.doc.getText('note').insert(0, note);
		const sent = acks.sent;
		await waitFor(() => closes.length >= 2, 'both connections closed');
		expect(closes.slice(0, 2)).toEqual([1011, 1011]);
		// Acks on the first connection: none reaches the edit.
		const first = received.filter(([, closed]) => closed === 0).map(([n]) => n);
		expect(Math.max(0, ...first)).toBeLessThan(sent);

		disk.free();
		await waitFor(() => acks.allSaved, 'the edit saved after reconnecting', 15_000);
		expect((await loadDoc(server.store, 'failing')).getText('note').toString()).toBe(note);
		await waitFor(
			() => b.doc.getText('note').toString() === note,
			'the other client to get the edit'
		);
	});
});
