// Issue 18, 6: the update log is compacted while the server runs, and compaction loses nothing —
// not the edits of its own clients, nor rows another writer (the CLI, another process) commits
// meanwhile.
import * as Y from 'yjs';
import { afterEach, describe, expect, it } from 'vitest';
import { loadDoc } from '../../server/store.ts';
import { openStore } from '../helpers/store.ts';
import { SavedAcks } from '../../src/lib/sync/saved-acks.ts';
import {
	connectClient,
	login,
	startTestServer,
	synced,
	tempDataDir,
	waitFor
} from '../helpers/server.ts';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
	for (const c of cleanups.splice(0).reverse()) await c();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('the update log under a long run', () => {
	it('keeps a row another writer commits just before a compaction', async () => {
		// The store is read only by the compaction itself here: no poll in between.
		const data = tempDataDir();
		cleanups.push(data.remove);
		const running = await startTestServer(data.dir, 0, {
			compactAfterRows: 5,
			storePollMs: 3600_000
		});
		cleanups.push(() => running.close());
		const cookie = await login(running.url);
		const client = connectClient(running.url, 'log', cookie, { acks: true });
		cleanups.push(() => client.provider.destroy());
		const acks = new SavedAcks(client.provider);
		await synced(client.provider);
		// Six edits, each in a commit of its own (a commit holds what arrives while one is in flight).
		for (let k = 0; k < 6; k++) {
			client.doc.getMap('m').set(`own:${k}`, k);
			await waitFor(() => acks.allSaved, 'the edit saved');
		}
		// The compaction is due a second after the commit that reached 5 rows.
		const other = await openStore(data.dir);
		cleanups.push(() => other.close());
		const doc = new Y.Doc();
		doc.getMap('m').set('other', 1);
		await other.commit({ updates: [{ docId: 'log', update: Y.encodeStateAsUpdate(doc) }] }, 'cli');
		await waitFor(
			async () => (await other.load('log')).updates.length === 1,
			'the log compacted',
			5000
		);
		const stored = await loadDoc(other, 'log');
		expect(stored.getMap('m').get('other')).toBe(1);
		expect(stored.getMap('m').size).toBe(7);
		await waitFor(() => client.doc.getMap('m').get('other') === 1, 'the row relayed');
	}, 30_000);

	it('stays compacted while people type and another writer appends, and loses nothing', async () => {
		const COMPACT_AFTER = 10;
		const data = tempDataDir();
		cleanups.push(data.remove);
		const running = await startTestServer(data.dir, 0, { compactAfterRows: COMPACT_AFTER });
		cleanups.push(() => running.close());
		const cookie = await login(running.url);
		const clients = Array.from({ length: 5 }, () => {
			const c = connectClient(running.url, 'log', cookie, { acks: true });
			cleanups.push(() => c.provider.destroy());
			return { ...c, acks: new SavedAcks(c.provider) };
		});
		for (const c of clients) await synced(c.provider);

		// Another writer's rows, committed through its own connection to the store.
		const other = await openStore(data.dir);
		cleanups.push(() => other.close());
		const rowCounts: number[] = [];
		let written = 0;
		for (let round = 0; round < 40; round++) {
			clients.forEach((c, n) => {
				for (let k = 0; k < 5; k++) c.doc.getMap('m').set(`${round}:${n}:${k}`, round);
			});
			if (round % 4 === 0) {
				const doc = new Y.Doc();
				doc.getMap('m').set(`other:${round}`, round);
				await other.commit(
					{ updates: [{ docId: 'log', update: Y.encodeStateAsUpdate(doc) }] },
					'cli'
				);
				doc.destroy();
				written++;
			}
			await sleep(100);
			rowCounts.push((await other.load('log')).updates.length);
		}
		await waitFor(() => clients.every((c) => c.acks.allSaved), 'every edit saved', 20_000);
		// A moment for the last compaction.
		await sleep(1500);
		rowCounts.push((await other.load('log')).updates.length);

		// 40 rounds of 25 edits wrote a row per commit, a few each round: the log was cut back while
		// running, again and again (at most a second's rows after reaching the limit).
		const cuts = rowCounts.filter((n, i) => i > 0 && n < rowCounts[i - 1]!).length;
		expect(cuts).toBeGreaterThanOrEqual(2);
		expect(Math.max(...rowCounts)).toBeLessThan(800);
		expect(rowCounts.at(-1)!).toBeLessThan(COMPACT_AFTER);
		const expected = 40 * 5 * 5 + written;
		const fromStore = await loadDoc(other, 'log');
		expect(fromStore.getMap('m').size).toBe(expected);
		fromStore.destroy();
		// The server, seen through a fresh client, has everything too.
		const fresh = connectClient(running.url, 'log', cookie);
		cleanups.push(() => fresh.provider.destroy());
		await synced(fresh.provider);
		await waitFor(() => fresh.doc.getMap('m').size === expected, 'the fresh client has it all');
	}, 60_000);
});
