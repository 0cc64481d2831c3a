import { describe, expect, it } from 'vitest';
import { SavedAcks } from '../../src/lib/sync/saved-acks.ts';
import { loadDoc, SqliteStore } from '../../server/store.ts';
import { connectClient, login, spawnServer, synced, tempDataDir } from '../helpers/server.ts';
import { useCleanups } from '../helpers/cleanup.ts';
import { openStore } from '../helpers/store.ts';

const cleanups = useCleanups();

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('saved means on disk', () => {
	it('keeps every acknowledged edit when the server is killed -9 in a burst of edits', async () => {
		const data = tempDataDir();
		cleanups.push(data.remove);
		const server = await spawnServer(data.dir);
		cleanups.push(() => server.child.kill('SIGKILL'));
		const cookie = await login(server.url);
		const clients = [0, 1, 2].map(() => connectClient(server.url, 'burst', cookie, { acks: true }));
		cleanups.push(() => clients.forEach((c) => c.provider.destroy()));
		await Promise.all(clients.map((c) => synced(c.provider)));
		const acks = clients.map((c) => new SavedAcks(c.provider));

		// Each edit remembers how many updates its client had sent once it was on the wire.
		const edits: { client: number; token: string; sentAt: number }[] = [];
		let stop = false;
		const writers = clients.map(async (c, n) => {
			const text = c.doc.getText('t');
			for (let i = 0; !stop; i++) {
				const token = `<${n}:${i}>`;
				text.insert(text.length, token);
				edits.push({ client: n, token, sentAt: acks[n]!.sent });
				if (i % 3 === 0) await sleep(1);
			}
		});
		await sleep(300 + Math.random() * 500);
		// What each client had been told is saved at the moment of the kill.
		const ackedAtKill = acks.map((a) => a.acked);
		server.child.kill('SIGKILL');
		stop = true;
		await Promise.all(writers);
		await new Promise((r) =>
			server.child.exitCode !== null ? r(null) : server.child.once('exit', r)
		);

		const acknowledged = edits.filter((e) => e.sentAt <= ackedAtKill[e.client]!);
		expect(acknowledged.length).toBeGreaterThan(50);
		const store = await openStore(data.dir);
		cleanups.push(() => store.close());
		const stored = (await loadDoc(store, 'burst')).getText('t').toString();
		const missing = acknowledged.filter((e) => !stored.includes(e.token));
		expect(missing).toEqual([]);
		if (store instanceof SqliteStore)
			expect(store.db.pragma('integrity_check', { simple: true })).toBe('ok');
	});
});
