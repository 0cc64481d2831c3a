// Cluster mode's store of record going away: PostgreSQL stopped under a running server. Rooms
// close with 1011 and acknowledge nothing they could not commit; nothing acknowledged is lost;
// once the database is back, clients reconnect, send what it lacks, and everyone converges.
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../server/log.ts';
import { PgStore } from '../../server/pg/store.ts';
import { loadDoc } from '../../server/store.ts';
import { SavedAcks } from '../../src/lib/sync/saved-acks.ts';
import { useCleanups } from '../helpers/cleanup.ts';
import { useServices } from '../helpers/services.ts';
import {
	connectClient,
	login,
	startTestServer,
	synced,
	tempDataDir,
	waitFor
} from '../helpers/server.ts';

const cleanups = useCleanups();
const services = useServices();

describe('PostgreSQL stopped under a running server', () => {
	it('closes rooms with 1011, acknowledges nothing unstored, and recovers when it returns', async () => {
		const data = tempDataDir();
		cleanups.push(data.remove);
		const server = await startTestServer(data.dir, 0, { databaseUrl: services.postgres.url });
		cleanups.push(() => server.close());
		const cookie = await login(server.url);
		const a = connectClient(server.url, 'down', cookie, { acks: true });
		const b = connectClient(server.url, 'down', cookie);
		cleanups.push(
			() => a.provider.destroy(),
			() => b.provider.destroy()
		);
		const closes: number[] = [];
		// Acks received, with the number of closes seen when each arrived.
		const received: [number, number][] = [];
		const acks = new SavedAcks(a.provider, () => received.push([acks.acked, closes.length]));
		await Promise.all([synced(a.provider), synced(b.provider)]);
		for (const { provider } of [a, b])
			provider.on('connection-close', (event) => closes.push(event?.code ?? 0));
		a.doc.getText('t').insert(0, '停止前');
		await waitFor(() => acks.allSaved, 'the first edit saved');

		services.postgres.stop();
		a.doc.getText('t').insert(3, '・停止中');
		const sent = acks.sent;
		await waitFor(() => closes.length >= 2, 'both connections closed', 15_000);
		expect(closes.slice(0, 2)).toEqual([1011, 1011]);
		const beforeClose = received.filter(([, closed]) => closed === 0).map(([n]) => n);
		expect(Math.max(0, ...beforeClose)).toBeLessThan(sent);
		expect(acks.allSaved).toBe(false);

		// A load balancer's health check sends no one to a process that cannot reach its store.
		await waitFor(
			async () => (await fetch(`${server.url}/healthz`)).status === 503,
			'/healthz 503'
		);
		expect(await (await fetch(`${server.url}/healthz`)).json()).toMatchObject({
			ok: false,
			store: 'unreachable'
		});

		services.postgres.start();
		await waitFor(() => acks.allSaved, 'the edit saved once the database is back', 30_000);
		await waitFor(
			() => b.doc.getText('t').toString() === '停止前・停止中',
			'the other client to converge',
			15_000
		);
		await waitFor(
			async () => (await fetch(`${server.url}/healthz`)).status === 200,
			'/healthz 200'
		);
		const store = await PgStore.open(services.postgres.url, silentLogger);
		cleanups.push(() => store.close());
		expect((await loadDoc(store, 'down')).getText('t').toString()).toBe('停止前・停止中');
	}, 90_000);

	it('survives the database going away under a connection it holds (a lock, a transaction)', async () => {
		const store = await PgStore.open(services.postgres.url, silentLogger);
		cleanups.push(() => store.close());
		let finish: (() => void) | undefined;
		const held = store.exclusively('held', () => new Promise<void>((r) => (finish = r)));
		await waitFor(() => finish !== undefined, 'the lock taken');
		// A connection checked out of the pool, idle in a session lock, when the server goes.
		services.postgres.stop();
		await new Promise((r) => setTimeout(r, 300));
		finish!();
		await held;
		services.postgres.start();
		// The pool works again, with a fresh connection for the lock.
		expect(await store.exclusively('held', async () => 'again')).toBe('again');
		expect(await store.getMeta('nothing')).toBeUndefined();
	}, 30_000);
});
