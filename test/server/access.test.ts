import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import { hashPassword } from '../../server/passwords.ts';
import { loadDoc } from '../../server/store.ts';
import { LOGIN_LIMIT_PER_USER } from '../../server/auth.ts';
import {
	ADMIN_PASSWORD,
	postJson,
	startCleanedServer,
	authedSocket,
	connectClient,
	listTable,
	login,
	synced,
	waitFor,
	wsUrl
} from '../helpers/server.ts';
import type { Config } from '../../server/config.ts';
import { useCleanups } from '../helpers/cleanup.ts';
import { setTimeout as sleep } from 'node:timers/promises';

const cleanups = useCleanups();

const server = (overrides: Partial<Config> = {}) => startCleanedServer(cleanups, overrides);

const post = postJson;

/** Opens a raw socket and resolves with how it ended: an HTTP status or a close code. */
function outcome(
	Socket: typeof WebSocket,
	url: string
): Promise<{ status?: number; code?: number }> {
	return new Promise((resolve) => {
		const ws = new Socket(url);
		ws.on('unexpected-response', (_req, res) => resolve({ status: res.statusCode }));
		ws.on('close', (code) => resolve({ code }));
		ws.on('error', () => {});
	});
}

describe('login', () => {
	it('sets an HttpOnly, SameSite=Strict session cookie and /api/me knows the user', async () => {
		const s = await server();
		const res = await post(s.url, '/api/login', { username: 'admin', password: ADMIN_PASSWORD });
		expect(res.status).toBe(200);
		const cookie = res.headers.get('set-cookie')!;
		expect(cookie).toMatch(/^shinko_session=[A-Za-z0-9_-]{40,};/);
		expect(cookie).toContain('HttpOnly');
		expect(cookie).toContain('SameSite=Strict');
		expect(cookie).toContain('Path=/');
		const session = cookie.split(';')[0]!;
		const me = await fetch(s.url + '/api/me', { headers: { cookie: session } });
		expect(me.status).toBe(200);
		expect(await me.json()).toMatchObject({ user: { username: 'admin', role: 'admin' } });

		const out = await post(s.url, '/api/logout', {}, { cookie: session });
		expect(out.headers.get('set-cookie')).toContain('Max-Age=0');
		expect((await fetch(s.url + '/api/me', { headers: { cookie: session } })).status).toBe(401);
	});

	it('refuses wrong credentials with 401, and a foreign Origin with 403', async () => {
		const s = await server();
		expect(
			(await post(s.url, '/api/login', { username: 'admin', password: 'wrong-password' })).status
		).toBe(401);
		expect(
			(await post(s.url, '/api/login', { username: 'nobody', password: ADMIN_PASSWORD })).status
		).toBe(401);
		expect((await post(s.url, '/api/login', { username: 'admin' })).status).toBe(400);
		const foreign = await post(
			s.url,
			'/api/login',
			{ username: 'admin', password: ADMIN_PASSWORD },
			{ origin: 'http://evil.example' }
		);
		expect(foreign.status).toBe(403);
	});

	it('slows brute force: after too many failures even the right password waits', async () => {
		const s = await server();
		for (let i = 0; i < LOGIN_LIMIT_PER_USER; i++) {
			expect(
				(await post(s.url, '/api/login', { username: 'admin', password: `guess-${i}` })).status
			).toBe(401);
		}
		const blocked = await post(s.url, '/api/login', {
			username: 'admin',
			password: ADMIN_PASSWORD
		});
		expect(blocked.status).toBe(429);
		expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
		expect(await blocked.json()).toMatchObject({ error: 'too_many_attempts' });
	});

	it('gives a new session id at every login and ends the old one', async () => {
		const s = await server();
		const first = await login(s.url);
		const res = await post(
			s.url,
			'/api/login',
			{ username: 'admin', password: ADMIN_PASSWORD },
			{ cookie: first }
		);
		const second = res.headers.get('set-cookie')!.split(';')[0]!;
		expect(second).not.toBe(first);
		expect((await fetch(s.url + '/api/me', { headers: { cookie: first } })).status).toBe(401);
		expect((await fetch(s.url + '/api/me', { headers: { cookie: second } })).status).toBe(200);
	});
});

describe('WebSocket access', () => {
	it('closes with 4401 without a session and refuses a foreign Origin with 403', async () => {
		const s = await server();
		const url = wsUrl(s.url) + '/room';
		const anonymous = authedSocket(s.url, null) as unknown as typeof WebSocket;
		expect(await outcome(anonymous, url)).toEqual({ code: 4401 });
		const cookie = await login(s.url);
		const foreign = authedSocket(
			s.url,
			cookie,
			'http://evil.example'
		) as unknown as typeof WebSocket;
		expect(await outcome(foreign, url)).toEqual({ status: 403 });
		const noOrigin = authedSocket(s.url, cookie, null) as unknown as typeof WebSocket;
		expect(await outcome(noOrigin, url)).toEqual({ status: 403 });
		const forged = authedSocket(
			s.url,
			'shinko_session=forged-token',
			s.url
		) as unknown as typeof WebSocket;
		expect(await outcome(forged, url)).toEqual({ code: 4401 });
	});

	it('closes a connection with 4401 at logout and when the session expires', async () => {
		const s = await server({ sessionTtlMs: 1500 });
		const cookie = await login(s.url);
		const a = connectClient(s.url, 'room', cookie);
		cleanups.push(() => a.provider.destroy());
		const closed = new Promise<number | undefined>((resolve) =>
			a.provider.on('connection-close', (e) => resolve(e?.code))
		);
		await synced(a.provider);
		expect(await closed).toBe(4401);

		const other = await login(s.url);
		const b = connectClient(s.url, 'room', other);
		cleanups.push(() => b.provider.destroy());
		const closedB = new Promise<number | undefined>((resolve) =>
			b.provider.on('connection-close', (e) => resolve(e?.code))
		);
		await synced(b.provider);
		await post(s.url, '/api/logout', {}, { cookie: other });
		expect(await closedB).toBe(4401);
	});

	it('lets a viewer read and see presence, but neither relays nor stores its writes', async () => {
		const s = await server();
		await s.users.add('mori', 'viewer', await hashPassword('viewer-password'), '森');
		const adminCookie = await login(s.url);
		await listTable(s.url, adminCookie, 'room');
		const editor = connectClient(s.url, 'room', adminCookie);
		const viewer = connectClient(s.url, 'room', await login(s.url, 'mori', 'viewer-password'));
		cleanups.push(
			() => editor.provider.destroy(),
			() => viewer.provider.destroy()
		);
		await Promise.all([synced(editor.provider), synced(viewer.provider)]);
		editor.doc.getText('t').insert(0, '編集者');
		await waitFor(() => viewer.doc.getText('t').toString() === '編集者', 'viewer reads');
		// Whatever name the client writes, presence carries the session's.
		viewer.provider.awareness.setLocalStateField('user', { name: '管理者', colour: '#d1495b' });
		await waitFor(
			() =>
				Array.from(editor.provider.awareness.getStates().values()).some(
					(st) => st.user?.name === '森'
				),
			'viewer presence'
		);

		viewer.doc.getText('t').insert(0, '閲覧者');
		editor.doc.getText('t').insert(3, '！');
		await waitFor(() => viewer.doc.getText('t').toString().endsWith('編集者！'), 'later edit');
		expect(editor.doc.getText('t').toString()).toBe('編集者！');
		expect((await loadDoc(s.store, 'room')).getText('t').toString()).toBe('編集者！');
	});
});

describe('limits and bad input', () => {
	it('closes an oversized message with 1009', async () => {
		const s = await server({ maxMessageBytes: 64 * 1024 });
		const Authed = authedSocket(s.url, await login(s.url)) as unknown as typeof WebSocket;
		const ws = new Authed(wsUrl(s.url) + '/room');
		const code = await new Promise<number>((resolve) => {
			ws.on('open', () => ws.send(new Uint8Array(100 * 1024)));
			ws.on('close', (c) => resolve(c));
		});
		expect(code).toBe(1009);
	});

	it('refuses an update with an absurd clock (yjs issue 687) and keeps serving others', async () => {
		const s = await server();
		const cookie = await login(s.url);
		const a = connectClient(s.url, 'room', cookie);
		const b = connectClient(s.url, 'room', cookie);
		cleanups.push(
			() => a.provider.destroy(),
			() => b.provider.destroy()
		);
		await Promise.all([synced(a.provider), synced(b.provider)]);
		// A GC struct claiming 2^40 operations for one client: a few bytes, an absurd clock.
		const update = encoding.createEncoder();
		encoding.writeVarUint(update, 1); // one client
		encoding.writeVarUint(update, 1); // one struct
		encoding.writeVarUint(update, 7); // client id
		encoding.writeVarUint(update, 0); // clock
		encoding.writeUint8(update, 0); // GC
		encoding.writeVarUint(update, 2 ** 40); // length
		encoding.writeVarUint(update, 0); // empty delete set
		const message = encoding.createEncoder();
		encoding.writeVarUint(message, 0);
		encoding.writeVarUint(message, 2);
		encoding.writeVarUint8Array(message, encoding.toUint8Array(update));
		const Authed = authedSocket(s.url, cookie) as unknown as typeof WebSocket;
		const bad = new Authed(wsUrl(s.url) + '/room');
		const code = await new Promise<number>((resolve) => {
			bad.on('open', () => bad.send(encoding.toUint8Array(message)));
			bad.on('close', (c) => resolve(c));
		});
		expect(code).toBe(4400);
		expect(Y.encodeStateVector(await loadDoc(s.store, 'room'))).toEqual(
			Y.encodeStateVector(new Y.Doc())
		);
		a.doc.getText('t').insert(0, 'ok');
		await waitFor(() => b.doc.getText('t').toString() === 'ok', 'relay after attack');
		expect(b.doc.getText('t').toString()).toBe('ok');
	});

	it('drops, without closing, a presence message naming more clients than any meeting', async () => {
		const s = await server();
		const Authed = authedSocket(s.url, await login(s.url)) as unknown as typeof WebSocket;
		const ws = new Authed(wsUrl(s.url) + '/room');
		const inner = encoding.createEncoder();
		encoding.writeVarUint(inner, 1000);
		for (let i = 0; i < 1000; i++) {
			encoding.writeVarUint(inner, i + 1);
			encoding.writeVarUint(inner, 1);
			encoding.writeVarString(inner, '{}');
		}
		const message = encoding.createEncoder();
		encoding.writeVarUint(message, 1);
		encoding.writeVarUint8Array(message, encoding.toUint8Array(inner));
		await new Promise<void>((resolve) => ws.on('open', () => resolve()));
		ws.send(encoding.toUint8Array(message));
		await sleep(300);
		expect(ws.readyState).toBe(WebSocket.OPEN);
		// Another client of the room hears of no state but its own.
		const probe = connectClient(s.url, 'room', await login(s.url));
		await synced(probe.provider);
		await sleep(300);
		expect(Array.from(probe.provider.awareness.getStates().keys())).toEqual([probe.doc.clientID]);
		probe.provider.destroy();
		ws.close();
	});
});
