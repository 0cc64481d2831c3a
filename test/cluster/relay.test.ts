// Cluster mode's relay (REDIS_URL): commits and presence cross processes through Redis; Redis
// killed and restarted loses nothing (processes catch up from PostgreSQL meanwhile); a dead
// process's presence times out.
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { WebsocketProvider } from 'y-websocket';
import { silentLogger } from '../../server/log.ts';
import { PgStore } from '../../server/pg/store.ts';
import { loadDoc } from '../../server/store.ts';
import { useCleanups } from '../helpers/cleanup.ts';
import { useServices } from '../helpers/services.ts';
import { LOGIN_LIMIT_PER_USER } from '../../server/login-throttle.ts';
import { hashPassword } from '../../server/passwords.ts';
import {
	ackingClient,
	login,
	spawnCleanedServer,
	startTestServer,
	synced,
	tempDataDir,
	waitFor
} from '../helpers/server.ts';
import type { Config } from '../../server/config.ts';

const cleanups = useCleanups();
const services = useServices({ redis: true });

/** `n` servers in this process, each with its own SyncServer, on one database and one Redis. */
async function servers(n: number, overrides: Partial<Config> = {}) {
	const databaseUrl = await services.postgres.createDatabase();
	const started = [];
	for (let i = 0; i < n; i++) {
		const data = tempDataDir();
		cleanups.push(data.remove);
		const server = await startTestServer(data.dir, 0, {
			databaseUrl,
			redisUrl: services.redis.url,
			...overrides
		});
		cleanups.push(() => server.close());
		started.push(server);
	}
	return { databaseUrl, servers: started };
}

/** The presence names a provider sees, other than its own. */
function othersSeen(provider: WebsocketProvider): string[] {
	const { awareness } = provider;
	return Array.from(awareness.getStates())
		.filter(([id, state]) => id !== awareness.clientID && state.user)
		.map(([, state]) => (state as { user: { name: string } }).user.name)
		.sort();
}

describe('the relay between processes (Redis)', () => {
	it('carries commits and presence between processes that do not poll the store', async () => {
		// Polling the store once an hour: the last commit of each process crosses through Redis (a
		// process reads the store itself only when its own commit shows a gap).
		const {
			servers: [one, two]
		} = await servers(2, { storePollMs: 3600_000 });
		const cookie = await login(one!.url);
		const a = ackingClient(cleanups, one!.url, 'relayed', cookie);
		const b = ackingClient(cleanups, two!.url, 'relayed', cookie);
		await Promise.all([synced(a.provider), synced(b.provider)]);
		for (let i = 0; i < 20; i++) {
			a.doc.getMap('m').set(`a${i}`, i);
			b.doc.getMap('m').set(`b${i}`, i);
		}
		await waitFor(
			() =>
				isDeepStrictEqual(a.doc.getMap('m').toJSON(), b.doc.getMap('m').toJSON()) &&
				a.doc.getMap('m').size === 40,
			'both replicas to hold all 40 edits'
		);
		await waitFor(() => a.acks.allSaved && b.acks.allSaved, 'every edit saved');

		a.provider.awareness.setLocalStateField('user', { name: 'A', colour: '#112233' });
		b.provider.awareness.setLocalStateField('user', { name: 'B', colour: '#445566' });
		// The server writes the session's display name into each state.
		await waitFor(
			() => othersSeen(a.provider).length === 1 && othersSeen(b.provider).length === 1,
			'each to see the other across processes'
		);
		expect(othersSeen(a.provider)).toEqual(['管理者']);
		// Leaving crosses too.
		b.provider.destroy();
		await waitFor(() => othersSeen(a.provider).length === 0, 'the other gone');
	}, 30_000);

	it('goes on acknowledging while Redis is down, converges through the store, and again once it is back', async () => {
		const {
			databaseUrl,
			servers: [one, two]
		} = await servers(2);
		const cookie = await login(one!.url);
		const a = ackingClient(cleanups, one!.url, 'outage', cookie);
		const b = ackingClient(cleanups, two!.url, 'outage', cookie);
		await Promise.all([synced(a.provider), synced(b.provider)]);
		const text = (c: typeof a) => c.doc.getText('t').toString();
		a.doc.getText('t').insert(0, 'A');
		await waitFor(() => text(b) === 'A', 'the first edit relayed');

		await services.redis.kill();
		const health = async () =>
			(await (await fetch(`${one!.url}/healthz`)).json()) as { relay?: string };
		// Still serving (200): the relay only speeds up what crosses processes.
		await waitFor(async () => (await health()).relay === 'unreachable', '/healthz to say so');
		expect(await health()).toMatchObject({ ok: true, store: 'ok' });
		a.doc.getText('t').insert(1, 'B');
		b.doc.getText('t').insert(0, 'C');
		await waitFor(() => a.acks.allSaved && b.acks.allSaved, 'edits saved without Redis');
		await waitFor(() => text(a) === text(b) && text(a).length === 3, 'converged through the store');

		await services.redis.start();
		a.doc.getText('t').insert(0, 'D');
		b.doc.getText('t').insert(0, 'E');
		await waitFor(
			() => text(a) === text(b) && text(a).length === 5,
			'converged with Redis back',
			15_000
		);
		await waitFor(() => a.acks.allSaved && b.acks.allSaved, 'all saved');
		await waitFor(async () => (await health()).relay === 'ok', '/healthz: the relay back');
		const store = await PgStore.open(databaseUrl, silentLogger);
		cleanups.push(() => store.close());
		expect((await loadDoc(store, 'outage')).getText('t').toString()).toBe(text(a));
	}, 60_000);

	it('counts login attempts across processes', async () => {
		const {
			databaseUrl,
			servers: [one, two]
		} = await servers(2);
		// A user of its own: the counts in Redis outlive the test.
		const store = await PgStore.open(databaseUrl, silentLogger);
		cleanups.push(() => store.close());
		await store.users(3600_000).add('guessed', 'editor', await hashPassword('right-password'));
		const attempt = (url: string, password: string) =>
			fetch(`${url}/api/login`, {
				method: 'POST',
				headers: { 'content-type': 'application/json', origin: url },
				body: JSON.stringify({ username: 'guessed', password })
			}).then((r) => r.status);
		// Guesses spread over both processes: five in all, then both refuse.
		for (let i = 0; i < LOGIN_LIMIT_PER_USER; i++)
			expect(await attempt(i % 2 ? one!.url : two!.url, `wrong-${i}`)).toBe(401);
		expect(await attempt(one!.url, 'wrong-again')).toBe(429);
		expect(await attempt(two!.url, 'right-password')).toBe(429);
	}, 30_000);

	it("times out a dead process's presence", async () => {
		const databaseUrl = await services.postgres.createDatabase();
		const spawned = await Promise.all(
			[0, 1].map(async () => {
				const server = await spawnCleanedServer(cleanups, {
					DATABASE_URL: databaseUrl,
					REDIS_URL: services.redis.url
				});
				return server;
			})
		);
		const cookie = await login(spawned[0]!.url);
		const a = ackingClient(cleanups, spawned[0]!.url, 'ghost', cookie);
		const b = ackingClient(cleanups, spawned[1]!.url, 'ghost', cookie);
		await Promise.all([synced(a.provider), synced(b.provider)]);
		a.provider.awareness.setLocalStateField('user', { name: 'A', colour: '#112233' });
		await waitFor(() => othersSeen(b.provider).length === 1, 'the state across processes');
		// Its process dies; its client cannot reach anyone to say it left.
		spawned[0]!.child.kill('SIGKILL');
		a.provider.disconnect();
		await waitFor(
			() => othersSeen(b.provider).length === 0,
			"the dead process's state gone",
			45_000
		);
		// Gone from the server too, not only from this client's view: one who joins now gets none.
		const c = ackingClient(cleanups, spawned[1]!.url, 'ghost', cookie);
		c.provider.awareness.setLocalStateField('user', { name: 'C', colour: '#778899' });
		await synced(c.provider);
		await waitFor(() => othersSeen(b.provider).length === 1, 'the newcomer seen');
		expect(othersSeen(c.provider)).toEqual([]);
	}, 70_000);
});
