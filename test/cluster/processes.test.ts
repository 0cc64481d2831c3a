// Several server processes on one PostgreSQL (cluster mode): started together they create the
// admin and seed the reference table once; a login on one is valid on all; stock y-websocket
// clients spread across them converge; kill -9 of one mid-edit loses nothing acknowledged, and
// its clients converge through another.
import type { ChildProcess } from 'node:child_process';
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../server/log.ts';
import { PgStore } from '../../server/pg/store.ts';
import { loadDoc } from '../../server/store.ts';
import { INDEX_DOC_ID, listTables } from '../../src/lib/doc/index-doc.ts';
import { useCleanups } from '../helpers/cleanup.ts';
import { useServices } from '../helpers/services.ts';
import { hashPassword } from '../../server/passwords.ts';
import {
	ackingClient,
	exited,
	listTable,
	login,
	spawnCleanedServer,
	synced,
	waitFor
} from '../helpers/server.ts';

const cleanups = useCleanups();
const services = useServices({ redis: true });

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Process {
	url: string;
	child: ChildProcess;
}

/** `n` server processes on one database, started at the same moment. */
async function startProcesses(
	n: number,
	databaseUrl: string,
	env: Record<string, string> = {}
): Promise<Process[]> {
	return Promise.all(
		Array.from({ length: n }, async () => {
			const server = await spawnCleanedServer(cleanups, { DATABASE_URL: databaseUrl, ...env });
			return server;
		})
	);
}

describe('several server processes on one PostgreSQL', () => {
	it('start together once, share logins, and converge, presence included, with clients spread across them', async () => {
		const databaseUrl = await services.postgres.createDatabase();
		const processes = await startProcesses(3, databaseUrl, { REDIS_URL: services.redis.url });
		const store = await PgStore.open(databaseUrl, silentLogger);
		cleanups.push(() => store.close());
		expect((await store.users(3600_000).list()).map((u) => u.username)).toEqual(['admin']);
		expect(listTables(await loadDoc(store, INDEX_DOC_ID))).toHaveLength(1);

		// One login, used on every process.
		const cookie = await login(processes[0]!.url);
		const clients = processes.flatMap((p) =>
			[0, 1].map(() => ackingClient(cleanups, p.url, 'spread', cookie))
		);
		await Promise.all(clients.map((c) => synced(c.provider)));
		clients.forEach((c, i) => c.doc.getMap('m').set(`c${i}`, i));
		const expected = Object.fromEntries(clients.map((_, i) => [`c${i}`, i]));
		await waitFor(
			() => clients.every((c) => isDeepStrictEqual(c.doc.getMap('m').toJSON(), expected)),
			'every client to have every edit',
			10_000
		);
		await waitFor(() => clients.every((c) => c.acks.allSaved), 'every edit saved');
		expect((await loadDoc(store, 'spread')).getMap('m').toJSON()).toEqual(expected);
		// Presence crosses too: everyone sees the five others, wherever they are connected.
		clients.forEach((c, i) => c.provider.awareness.setLocalStateField('cursor', { cell: i }));
		const seen = (c: (typeof clients)[number]) =>
			Array.from(c.provider.awareness.getStates().entries()).filter(
				([id, state]) => id !== c.provider.awareness.clientID && state.cursor
			).length;
		await waitFor(() => clients.every((c) => seen(c) === 5), 'every presence everywhere');
	}, 60_000);

	it("ends a removed user's and a logged-out session's connections on every process within a second or so", async () => {
		const databaseUrl = await services.postgres.createDatabase();
		const [one, two] = await startProcesses(2, databaseUrl);
		const store = await PgStore.open(databaseUrl, silentLogger);
		cleanups.push(() => store.close());
		await store.users(3600_000).add('leaving', 'editor', await hashPassword('leaving-password'));
		const admin = await login(one!.url);
		await listTable(one!.url, admin, 'shared');
		const leaving = await login(one!.url, 'leaving', 'leaving-password');
		const other = await login(one!.url);
		// Connected to the other process than the one that will end their sessions.
		const watch = (cookie: string) => {
			const c = ackingClient(cleanups, two!.url, 'shared', cookie);
			const closes: number[] = [];
			c.provider.on('connection-close', (event) => closes.push(event?.code ?? 0));
			return { ...c, closes };
		};
		const removed = watch(leaving);
		const loggedOut = watch(other);
		await Promise.all([synced(removed.provider), synced(loggedOut.provider)]);

		const logout = await fetch(`${one!.url}/api/logout`, {
			method: 'POST',
			headers: { origin: one!.url, cookie: other }
		});
		expect(logout.status).toBeLessThan(300);
		expect(await store.users(3600_000).remove('leaving')).toBe(true);
		await waitFor(
			() => removed.closes.includes(4401) && loggedOut.closes.includes(4401),
			'both closed with 4401 by the other process',
			5_000
		);
	}, 60_000);

	it('loses nothing acknowledged when one is killed -9 mid-edit; its clients converge through another', async () => {
		const databaseUrl = await services.postgres.createDatabase();
		const processes = await startProcesses(3, databaseUrl);
		const cookie = await login(processes[0]!.url);
		const clients = processes.flatMap((p, n) =>
			[0, 1].map(() => ({ n, ...ackingClient(cleanups, p.url, 'kill', cookie) }))
		);
		await Promise.all(clients.map((c) => synced(c.provider)));

		// Everyone types; each word remembers how many updates its client had sent with it.
		const words: { client: number; token: string; sentAt: number }[] = [];
		let typing = true;
		const typists = clients.map(async (c, i) => {
			const text = c.doc.getText('t');
			for (let k = 0; typing; k++) {
				const token = `<${i}:${k}>`;
				text.insert(text.length, token);
				words.push({ client: i, token, sentAt: c.acks.sent });
				await sleep(5);
			}
		});
		await sleep(600);
		const victim = processes[2]!;
		// Words typed from here on may go to a socket that is closing or not yet open.
		const typedBeforeKill = words.length;
		const ackedAtKill = clients.map((c) => c.acks.acked);
		victim.child.kill('SIGKILL');
		await exited(victim.child);
		await sleep(200);
		typing = false;
		await Promise.all(typists);

		const orphans = clients.filter((c) => c.n === 2);
		const acknowledged = words
			.slice(0, typedBeforeKill)
			.filter((w) => clients[w.client]!.n === 2 && w.sentAt <= ackedAtKill[w.client]!);
		expect(acknowledged.length).toBeGreaterThan(5);
		const store = await PgStore.open(databaseUrl, silentLogger);
		cleanups.push(() => store.close());
		const stored = (await loadDoc(store, 'kill')).getText('t').toString();
		expect(acknowledged.filter((w) => !stored.includes(w.token))).toEqual([]);

		// The load balancer sends the dead process's clients to another: same replica, new socket.
		const moved = orphans.map((c) => {
			c.provider.destroy();
			return ackingClient(cleanups, processes[0]!.url, 'kill', cookie, c.doc);
		});
		const everyone = [...clients.filter((c) => c.n !== 2), ...moved];
		await Promise.all(moved.map((c) => synced(c.provider)));
		const all = () => everyone.map((c) => c.doc.getText('t').toString());
		await waitFor(() => new Set(all()).size === 1, 'every replica to converge', 15_000);
		for (const w of words) expect(all()[0]).toContain(w.token);
		await waitFor(
			async () => (await loadDoc(store, 'kill')).getText('t').toString() === all()[0],
			'the store to hold it all',
			10_000
		);
	}, 90_000);
});
