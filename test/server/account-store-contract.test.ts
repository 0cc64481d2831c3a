// What the user and snapshot stores promise (server/users.ts, server/snapshots.ts), shown on SQLite
// and on a real PostgreSQL through the interfaces only: the same tests on both.
import { describe, expect, it } from 'vitest';
import { UserError } from '../../server/users.ts';
import { useCleanups } from '../helpers/cleanup.ts';
import { useServices } from '../helpers/services.ts';
import { storeBackends } from '../helpers/store-backends.ts';

const services = useServices();
const backends = storeBackends(services);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const HOUR = 3600_000;

describe.each(backends)('UserStore on $name', (backend) => {
	const cleanups = useCleanups();

	it('adds, lists and refuses a user twice or a bad name', async () => {
		const users = (await (await backend.open(cleanups))()).users(HOUR);
		expect(await users.count()).toBe(0);
		await users.add('tanaka', 'editor', 'hash-1', '田中');
		await users.add('abe', 'viewer', 'hash-2');
		await expect(users.add('tanaka', 'admin', 'hash-3')).rejects.toBeInstanceOf(UserError);
		await expect(users.add('名前', 'admin', 'hash-3')).rejects.toThrow();
		expect(await users.count()).toBe(2);
		expect((await users.list()).map((u) => [u.username, u.role, u.displayName])).toEqual([
			['abe', 'viewer', 'abe'],
			['tanaka', 'editor', '田中']
		]);
		const got = await users.get('tanaka');
		expect(got?.passwordHash).toBe('hash-1');
		expect(got?.user.createdAt).toBeGreaterThan(0);
		expect(await users.get('nobody')).toBeUndefined();
	});

	it('gives a session valid in every process, ended everywhere by logout, password or removal', async () => {
		const open = await backend.open(cleanups);
		const here = (await open()).users(HOUR);
		const there = (await open()).users(HOUR);
		await here.add('tanaka', 'editor', 'hash-1');
		await here.add('abe', 'editor', 'hash-2');

		const { token, session } = await here.createSession('tanaka');
		expect(session.user.username).toBe('tanaka');
		expect((await there.session(token))?.id).toBe(session.id);
		expect(await there.isLive(session.id)).toBe(true);
		await there.deleteSession(token);
		expect(await here.session(token)).toBeUndefined();
		expect(await here.isLive(session.id)).toBe(false);

		const second = await here.createSession('tanaka');
		const other = await here.createSession('abe');
		expect(await there.setPassword('tanaka', 'hash-new')).toBe(true);
		expect(await here.session(second.token)).toBeUndefined();
		expect((await here.get('tanaka'))?.passwordHash).toBe('hash-new');
		expect(await here.session(other.token)).toBeDefined();
		expect(await there.setPassword('nobody', 'x')).toBe(false);

		expect(await there.remove('abe')).toBe(true);
		expect(await here.isLive(other.session.id)).toBe(false);
		expect(await there.remove('abe')).toBe(false);
		await expect(here.createSession('abe')).rejects.toBeInstanceOf(UserError);
	});

	it('expires sessions, renews one in use, and purges the expired', async () => {
		const open = await backend.open(cleanups);
		const users = (await open()).users(400);
		await users.add('tanaka', 'editor', 'hash-1');
		const kept = await users.createSession('tanaka');
		const left = await users.createSession('tanaka');
		await sleep(250);
		const renewed = await users.session(kept.token, { touch: true });
		expect(renewed!.expiresAt).toBeGreaterThan(kept.session.expiresAt);
		await sleep(250);
		expect(await users.session(kept.token)).toBeDefined();
		expect(await users.isLive(left.session.id)).toBe(false);
		expect(await users.purgeExpired()).toBe(1);
		expect(await users.session(left.token)).toBeUndefined();
	});
});

describe.each(backends)('SnapshotStore on $name', (backend) => {
	const cleanups = useCleanups();

	it('stores, lists newest first, relabels, removes, and finds the latest at a moment', async () => {
		const open = await backend.open(cleanups);
		const snapshots = (await open()).snapshots();
		const state = new Uint8Array([1, 2, 3, 250]);
		const a = await snapshots.insert(
			't1',
			{ name: '一', kind: 'manual', author: 'tanaka', createdAt: 1000 },
			state
		);
		const b = await snapshots.insert(
			't1',
			{ name: '二', kind: 'daily', author: 'system', createdAt: 2000 },
			state
		);
		const future = await snapshots.insert(
			't1',
			{ name: '先', kind: 'daily', author: 'system', createdAt: 9000 },
			state
		);
		await snapshots.insert(
			't2',
			{ name: '他', kind: 'manual', author: 'abe', createdAt: 1500 },
			state
		);
		expect(a).toMatchObject({ docId: 't1', name: '一', kind: 'manual', size: 4, createdAt: 1000 });

		expect((await snapshots.list('t1')).map((s) => s.name)).toEqual(['先', '二', '一']);
		const got = await (await open()).snapshots().get(b.id);
		expect(got?.info).toEqual(b);
		expect(Array.from(got!.state)).toEqual([1, 2, 3, 250]);
		expect(await snapshots.get(999_999)).toBeUndefined();

		expect((await snapshots.latestAt('t1', 5000))?.id).toBe(b.id);
		expect((await snapshots.latestAt('t1', 5000, 'manual'))?.id).toBe(a.id);
		expect(await snapshots.latestAt('t1', 500)).toBeUndefined();

		await snapshots.relabel(b.id, 'quarter', '第3四半期末', 2500);
		expect((await snapshots.latestAt('t1', 5000, 'quarter'))?.name).toBe('第3四半期末');
		expect(await snapshots.remove(future.id)).toBe(true);
		expect(await snapshots.remove(future.id)).toBe(false);
		expect((await snapshots.list('t1')).map((s) => s.name)).toEqual(['第3四半期末', '一']);
	});

	it('expires old daily snapshots but never the latest', async () => {
		const snapshots = (await (await backend.open(cleanups))()).snapshots();
		const state = new Uint8Array([0]);
		for (const at of [1000, 2000, 3000])
			await snapshots.insert(
				't',
				{ name: `d${at}`, kind: 'daily', author: 'system', createdAt: at },
				state
			);
		await snapshots.insert(
			't',
			{ name: 'm', kind: 'manual', author: 'abe', createdAt: 500 },
			state
		);
		expect(await snapshots.expireDaily('t', 10_000, 10_000)).toBe(2);
		expect((await snapshots.list('t')).map((s) => s.name)).toEqual(['d3000', 'm']);
		expect(await snapshots.expireDaily('t', 10_000, 10_000)).toBe(0);
	});
});
