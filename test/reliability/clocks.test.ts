// Issue 18, 5: times that order or filter (change records, comments) are the server's, stamped
// when it accepts them, whatever the writing device's clock says.
import type { ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { changesMap, readChanges, recordChange } from '../../src/lib/doc/changes.ts';
import { addComment, readComments } from '../../src/lib/doc/comments.ts';
import { learnServerTime, serverNow } from '../../src/lib/doc/clock.ts';
import { SavedAcks } from '../../src/lib/sync/saved-acks.ts';
import {
	connectClient,
	login,
	spawnServer,
	synced,
	tempDataDir,
	waitFor
} from '../helpers/server.ts';

const YEAR = 365 * 86_400_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
	vi.useRealTimers();
	for (const c of cleanups.splice(0).reverse()) await c();
});

/** The server in a process of its own: its clock is the machine's, whatever the test fakes. */
async function server() {
	const data = tempDataDir();
	cleanups.push(data.remove);
	const running = await spawnServer(data.dir);
	cleanups.push(() => (running.child as ChildProcess).kill('SIGKILL'));
	return { url: running.url, cookie: await login(running.url) };
}

/** A device whose clock is `skewMs` off, writing through the app's own functions. */
async function device(url: string, cookie: string, skewMs: number, write: (doc: Y.Doc) => void) {
	const client = connectClient(url, 'clocks', cookie, { acks: true });
	cleanups.push(() => client.provider.destroy());
	const acks = new SavedAcks(client.provider);
	await synced(client.provider);
	vi.useFakeTimers({ toFake: ['Date'] });
	vi.setSystemTime(Date.now() + skewMs);
	write(client.doc);
	vi.useRealTimers();
	await waitFor(() => acks.allSaved, 'the write saved');
	return client.doc;
}

/** What a fresh client reads from the server. */
async function read(url: string, cookie: string): Promise<Y.Doc> {
	const reader = connectClient(url, 'clocks', cookie);
	cleanups.push(() => reader.provider.destroy());
	await synced(reader.provider);
	return reader.doc;
}

describe('clocks', () => {
	it('stamps change records and comments with the time the server accepted them', async () => {
		const { url, cookie } = await server();
		const before = Date.now();
		// A tablet a year behind edits a cell and comments; then one a year ahead comments.
		await device(url, cookie, -YEAR, (doc) => {
			doc.transact(() => recordChange(doc, 'item-1', 'yearPlan', '管理者'));
			addComment(doc, 'item-1', '管理者', '一年遅れの端末から');
		});
		await device(url, cookie, YEAR, (doc) => {
			addComment(doc, 'item-1', '管理者', '一年進んだ端末から');
		});
		const after = Date.now();
		const doc = await read(url, cookie);
		await waitFor(() => readChanges(doc).size === 1 && readComments(doc).size === 1, 'read');
		const change = readChanges(doc).get('item-1/yearPlan')!;
		expect(change.at).toBeGreaterThanOrEqual(before);
		expect(change.at).toBeLessThanOrEqual(after);
		// "Changed today" by the server's clock: it is.
		expect(change.at).toBeGreaterThan(new Date(after).setHours(0, 0, 0, 0) - 1);
		// Comments in the order the server received them, not by the devices' clocks.
		const thread = readComments(doc).get('item-1')!;
		expect(thread.map((c) => c.text)).toEqual(['一年遅れの端末から', '一年進んだ端末から']);
		for (const c of thread) {
			expect(c.at).toBeGreaterThanOrEqual(before);
			expect(c.at).toBeLessThanOrEqual(after);
		}
	}, 60_000);

	it('leaves a time written by a right clock as it is (no second update)', async () => {
		const { url, cookie } = await server();
		let written = 0;
		await device(url, cookie, 0, (doc) => {
			doc.transact(() => recordChange(doc, 'item-2', 'note', '管理者'));
			written = readChanges(doc).get('item-2/note')!.at;
		});
		const doc = await read(url, cookie);
		await waitFor(() => readChanges(doc).size === 1, 'read');
		expect(readChanges(doc).get('item-2/note')!.at).toBe(written);
	}, 60_000);
});

it('a device a year off, typing in one cell, writes its change record once, not per key', async () => {
	const { url, cookie } = await server();
	const client = connectClient(url, 'clocks', cookie, { acks: true });
	cleanups.push(() => client.provider.destroy());
	const acks = new SavedAcks(client.provider);
	await synced(client.provider);
	let written = 0;
	changesMap(client.doc).observe((_event, tr) => {
		if (tr.local) written++;
	});
	vi.useFakeTimers({ toFake: ['Date'] });
	vi.setSystemTime(Date.now() - YEAR);
	const text = client.doc.getText('note');
	for (let key = 0; key < 10; key++) {
		client.doc.transact(() => {
			text.insert(text.length, 'あ');
			recordChange(client.doc, 'item-3', 'note', '管理者');
		});
		// The server's stamp comes back between keys.
		vi.useRealTimers();
		await waitFor(() => acks.allSaved, 'the key saved');
		await sleep(50);
		vi.useFakeTimers({ toFake: ['Date'] });
		vi.setSystemTime(Date.now() - YEAR);
	}
	vi.useRealTimers();
	expect(readChanges(client.doc).get('item-3/note')!.at).toBeGreaterThan(Date.now() - 60_000);
	expect(written).toBe(1);
}, 60_000);

describe('the server clock on the device', () => {
	it('corrects the device clock by what the server said, from the middle of the request', () => {
		vi.useFakeTimers({ toFake: ['Date'] });
		vi.setSystemTime(1_000_000);
		// Sent at 1,000,000 and answered 200 ms later; the server said it was a year later.
		learnServerTime(1_000_100 + YEAR, 1_000_000, 1_000_200);
		expect(serverNow()).toBe(1_000_000 + YEAR);
		// Nonsense is not believed.
		learnServerTime('soon', 0, 0);
		learnServerTime(1e300, 0, 0);
		expect(serverNow()).toBe(1_000_000 + YEAR);
		learnServerTime(1_000_100, 1_000_000, 1_000_200);
		expect(serverNow()).toBe(1_000_000);
	});
});
