import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { INDEX_DOC_ID, listTables } from '../../src/lib/doc/index-doc.ts';
import { docToSheet } from '../../src/lib/doc/sheet-doc.ts';
import { loadDoc, STORE_FILE } from '../../server/store.ts';
import { SavedAcks } from '../../src/lib/sync/saved-acks.ts';
import {
	authedSocket,
	connectClient,
	login,
	spawnServer,
	startTestServer,
	synced,
	tempDataDir,
	waitFor,
	wsUrl
} from '../helpers/server.ts';
import { useCleanups } from '../helpers/cleanup.ts';
import { ON_POSTGRES, openStore } from '../helpers/store.ts';

const cleanups = useCleanups();

async function storedText(dataDir: string, docId: string, name: string): Promise<string> {
	const store = await openStore(dataDir);
	try {
		const doc = await loadDoc(store, docId);
		return doc.getText(name).toString();
	} finally {
		await store.close();
	}
}

describe('sync server', () => {
	it('relays an edit between two stock y-websocket clients', async () => {
		const data = tempDataDir();
		const server = await startTestServer(data.dir);
		cleanups.push(data.remove, () => server.close());
		const cookie = await login(server.url);
		const a = connectClient(server.url, 'room1', cookie);
		const b = connectClient(server.url, 'room1', cookie);
		cleanups.push(
			() => a.provider.destroy(),
			() => b.provider.destroy()
		);
		await Promise.all([synced(a.provider), synced(b.provider)]);
		a.doc.getText('t').insert(0, 'こんにちは');
		await waitFor(() => b.doc.getText('t').toString() === 'こんにちは', 'relay');
		b.doc.getText('t').insert(5, '世界');
		await waitFor(() => a.doc.getText('t').toString() === 'こんにちは世界', 'relay back');
		expect(a.doc.getText('t').toString()).toBe('こんにちは世界');
	});

	it('keeps every relayed edit across a restart, and compacts the log on start', async () => {
		const data = tempDataDir();
		cleanups.push(data.remove);
		let server = await startTestServer(data.dir);
		let cookie = await login(server.url);
		const a = connectClient(server.url, 'room2', cookie);
		const b = connectClient(server.url, 'room2', cookie);
		await Promise.all([synced(a.provider), synced(b.provider)]);
		for (let i = 0; i < 50; i++) a.doc.getText('t').insert(i, String(i % 10));
		await waitFor(() => b.doc.getText('t').length === 50, 'relay of 50 edits');
		a.provider.destroy();
		b.provider.destroy();
		await server.close();
		expect(await storedText(data.dir, 'room2', 't')).toBe(a.doc.getText('t').toString());
		// On PostgreSQL (cluster mode) nothing of the docs is in the data dir.
		expect(existsSync(join(data.dir, STORE_FILE))).toBe(!ON_POSTGRES);

		server = await startTestServer(data.dir);
		cleanups.push(() => server.close());
		expect((await server.store.load('room2')).updates).toHaveLength(1);
		cookie = await login(server.url);
		const c = connectClient(server.url, 'room2', cookie);
		cleanups.push(() => c.provider.destroy());
		await synced(c.provider);
		expect(c.doc.getText('t').toString()).toBe(a.doc.getText('t').toString());
	});

	it('holds every acknowledged edit after kill -9', async () => {
		const data = tempDataDir();
		cleanups.push(data.remove);
		const server = await spawnServer(data.dir);
		cleanups.push(() => server.child.kill('SIGKILL'));
		const cookie = await login(server.url);
		const a = connectClient(server.url, 'room3', cookie, { acks: true });
		const acks = new SavedAcks(a.provider);
		const b = connectClient(server.url, 'room3', cookie);
		cleanups.push(
			() => a.provider.destroy(),
			() => b.provider.destroy()
		);
		await Promise.all([synced(a.provider), synced(b.provider)]);
		const text = a.doc.getText('t');
		for (let i = 0; i < 200; i++) text.insert(text.length, i % 7 === 0 ? '\n' : 'あ');
		await waitFor(() => b.doc.getText('t').length === 200, 'relay of 200 edits');
		const relayed = b.doc.getText('t').toString();
		// A relay may come before its commit (test/reliability/relay-before-commit.test.ts): what is
		// acknowledged is on disk.
		await waitFor(() => acks.allSaved, 'the 200 edits acknowledged');
		server.child.kill('SIGKILL');
		await new Promise((r) => server.child.once('exit', r));
		a.provider.destroy();
		b.provider.destroy();
		expect(await storedText(data.dir, 'room3', 't')).toBe(relayed);
	});

	it('seeds a fresh data dir with the reference table once, not twice', async () => {
		const data = tempDataDir();
		cleanups.push(data.remove);
		let server = await startTestServer(data.dir);
		await server.close();
		server = await startTestServer(data.dir);
		cleanups.push(() => server.close());
		const index = await loadDoc(server.store, INDEX_DOC_ID);
		const tables = listTables(index);
		expect(tables).toHaveLength(1);
		expect(tables[0]!.fiscalYear).toBe(2020);
		const sheet = docToSheet(await loadDoc(server.store, tables[0]!.id));
		expect(sheet.pillars.flatMap((p) => p.sections).flatMap((s) => s.items)).toHaveLength(68);
		const client = connectClient(server.url, INDEX_DOC_ID, await login(server.url));
		cleanups.push(() => client.provider.destroy());
		await synced(client.provider);
		expect(listTables(client.doc).map((t) => t.id)).toEqual([tables[0]!.id]);
	});

	it('closes a connection that sends a malformed message, and only that one', async () => {
		const data = tempDataDir();
		const server = await startTestServer(data.dir);
		cleanups.push(data.remove, () => server.close());
		const cookie = await login(server.url);
		const a = connectClient(server.url, 'room4', cookie);
		const b = connectClient(server.url, 'room4', cookie);
		cleanups.push(
			() => a.provider.destroy(),
			() => b.provider.destroy()
		);
		await Promise.all([synced(a.provider), synced(b.provider)]);
		const Authed = authedSocket(server.url, cookie) as unknown as typeof WebSocket;
		const bad = new Authed(wsUrl(server.url) + '/room4');
		const code = await new Promise<number>((resolve) => {
			bad.on('open', () => bad.send(new Uint8Array([0, 2, 0xff, 0xff, 0xff, 0xff, 0x0f, 1])));
			bad.on('close', (c) => resolve(c));
		});
		expect(code).toBe(4400);
		a.doc.getText('t').insert(0, 'まだ動く');
		await waitFor(() => b.doc.getText('t').toString() === 'まだ動く', 'relay after bad client');
		expect(a.provider.wsconnected && b.provider.wsconnected).toBe(true);
	});

	it('refuses doc ids outside [A-Za-z0-9_-]{1,64}', async () => {
		const data = tempDataDir();
		const server = await startTestServer(data.dir);
		cleanups.push(data.remove, () => server.close());
		const Authed = authedSocket(server.url, await login(server.url)) as unknown as typeof WebSocket;
		for (const id of ['..', '%2e%2e', 'a%00b', 'x'.repeat(65), 'a/b', 'x'.repeat(10_000)]) {
			const ws = new Authed(`${wsUrl(server.url)}/${id}`);
			const status = await new Promise<number | undefined>((resolve) => {
				ws.on('unexpected-response', (_req, res) => resolve(res.statusCode));
				ws.on('open', () => resolve(101));
				ws.on('error', () => resolve(undefined));
			});
			ws.terminate();
			// '..' is normalised away by the URL parser and never reaches a room: 404.
			expect([400, 404], id).toContain(status);
		}
	});

	it('picks up a table written to the store by another process while running', async () => {
		const data = tempDataDir();
		const server = await startTestServer(data.dir);
		cleanups.push(data.remove, () => server.close());
		const client = connectClient(server.url, 'room5', await login(server.url));
		cleanups.push(() => client.provider.destroy());
		await synced(client.provider);
		const other = await openStore(data.dir);
		const doc = new Y.Doc();
		doc.getText('t').insert(0, '外部から');
		await other.commit(
			{ updates: [{ docId: 'room5', update: Y.encodeStateAsUpdate(doc) }] },
			'cli'
		);
		await other.close();
		await waitFor(() => client.doc.getText('t').toString() === '外部から', 'external write');
		expect(client.doc.getText('t').toString()).toBe('外部から');
	});
});
