// Access (issue #8, 5): what test/server/access.test.ts does not already prove. Doc ids refused by
// the JSON API too, logout guarded by Origin, and no password in the server's logs.
import { afterEach, describe, expect, it } from 'vitest';
import {
	ADMIN_PASSWORD,
	postJson,
	listTable,
	login,
	spawnServer,
	startTestServer,
	tempDataDir
} from '../helpers/server.ts';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
	while (cleanups.length) await cleanups.pop()!();
});

const post = postJson;

describe('access, beyond test/server/access.test.ts', () => {
	it('refuses bad doc ids on the JSON API: .., %2e%2e, NUL, 10 KB, bad escapes', async () => {
		const data = tempDataDir();
		const server = await startTestServer(data.dir);
		cleanups.push(data.remove, () => server.close());
		const cookie = await login(server.url);
		for (const id of ['a%00b', '%00', 'x'.repeat(10_000), 'a%2fb', 'a b']) {
			const res = await fetch(`${server.url}/api/docs/${id}/snapshots`, { headers: { cookie } });
			expect(res.status, id.slice(0, 20)).toBe(400);
		}
		// Dot segments, even percent-encoded, are resolved away by the URL parser: no route, 404.
		for (const id of ['..', '%2e%2e', '%2E%2E', '.%2e']) {
			const res = await fetch(`${server.url}/api/docs/${id}/snapshots`, { headers: { cookie } });
			expect(res.status, id).toBe(404);
		}
		// A doc outside the list of tables has no history; a listed one has.
		const unlisted = await fetch(`${server.url}/api/docs/abc/snapshots`, { headers: { cookie } });
		expect(unlisted.status).toBe(404);
		await listTable(server.url, cookie, 'abc');
		const ok = await fetch(`${server.url}/api/docs/abc/snapshots`, { headers: { cookie } });
		expect(ok.status).toBe(200);
	});

	// Found by this suite: the history API used to answer a malformed escape with a 500.
	it('refuses a malformed percent escape in a doc id with 400', async () => {
		const data = tempDataDir();
		const server = await startTestServer(data.dir);
		cleanups.push(data.remove, () => server.close());
		const cookie = await login(server.url);
		for (const id of ['%zz', '%E0%A4%A']) {
			const res = await fetch(`${server.url}/api/docs/${id}/snapshots`, { headers: { cookie } });
			expect(res.status, id).toBe(400);
		}
	});

	it('refuses a logout from a foreign Origin, and the session stays', async () => {
		const data = tempDataDir();
		const server = await startTestServer(data.dir);
		cleanups.push(data.remove, () => server.close());
		const cookie = await login(server.url);
		const res = await post(
			server.url,
			'/api/logout',
			{},
			{ cookie, origin: 'http://evil.example' }
		);
		expect(res.status).toBe(403);
		expect(res.headers.get('set-cookie')).toBeNull();
		expect((await fetch(server.url + '/api/me', { headers: { cookie } })).status).toBe(200);
	});

	it('never writes a password, right or wrong, or a session token into its logs', async () => {
		const data = tempDataDir();
		cleanups.push(data.remove);
		const server = await spawnServer(data.dir);
		cleanups.push(() => server.child.kill('SIGKILL'));
		const cookie = await login(server.url, 'admin', ADMIN_PASSWORD);
		const wrong = 'wrong-password-Zq81x';
		for (let i = 0; i < 7; i++) {
			// 401 first, then 429 once throttled: both paths log.
			await post(server.url, '/api/login', { username: 'admin', password: `${wrong}${i}` });
			await post(server.url, '/api/login', { username: 'nobody', password: `${wrong}${i}` });
		}
		await new Promise((r) => setTimeout(r, 300));
		const logs = server.stderr();
		expect(logs).toContain('login failed');
		expect(logs).not.toContain(wrong);
		expect(logs).not.toContain(ADMIN_PASSWORD);
		expect(logs).not.toContain(cookie.split('=')[1]!);
	});
});
