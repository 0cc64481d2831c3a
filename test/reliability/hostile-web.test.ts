// Hostile users and careless operators (issue #17): parallel password guessing, responses without
// security headers, requests without a (valid) Host, and snapshots taken in bulk.
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LOGIN_LIMIT_PER_USER } from '../../server/auth.ts';
import { SNAPSHOT_READS_PER_MINUTE, SNAPSHOTS_PER_MINUTE } from '../../server/history-api.ts';
import { INDEX_DOC_ID, listTables } from '../../src/lib/doc/index-doc.ts';
import { loadDoc } from '../../server/store.ts';
import { useCleanups } from '../helpers/cleanup.ts';
import {
	ADMIN_PASSWORD,
	login,
	postJson,
	startCleanedServer,
	tempDataDir
} from '../helpers/server.ts';
import type { Config } from '../../server/config.ts';

const cleanups = useCleanups();

const server = (overrides: Partial<Config> = {}) => startCleanedServer(cleanups, overrides);

const post = postJson;

/** Sends `request` as is on a fresh TCP connection and resolves with the response's status. */
function rawStatus(port: number, request: string): Promise<number> {
	return new Promise((resolve, reject) => {
		const socket = connect(port, '127.0.0.1', () => socket.write(request));
		let head = '';
		socket.on('data', (chunk: Buffer) => {
			head += chunk.toString('latin1');
			const status = /^HTTP\/1\.[01] (\d{3})/.exec(head);
			if (status) {
				socket.destroy();
				resolve(Number(status[1]));
			}
		});
		socket.on('error', reject);
		socket.on('close', () => reject(new Error(`connection closed without a status: ${head}`)));
	});
}

describe('hostile web clients', () => {
	it('counts logins before the password check: 60 parallel guesses get no more than 5 checks', async () => {
		const s = await server();
		const attempts = Array.from({ length: 60 }, (_, i) =>
			post(s.url, '/api/login', {
				username: 'admin',
				password: i === 59 ? ADMIN_PASSWORD : `guess-${i}`
			})
		);
		const responses = await Promise.all(attempts);
		const statuses = responses.map((res) => res.status);
		// Every attempt beyond the limit was refused before its password was checked...
		expect(statuses.filter((status) => status !== 429).length).toBeLessThanOrEqual(
			LOGIN_LIMIT_PER_USER
		);
		// ...so the right password, sent after 59 guesses still in flight, did not get in.
		const last = responses[59]!;
		expect(last.status).toBe(429);
		expect(Number(last.headers.get('retry-after'))).toBeGreaterThan(0);
		expect(await last.json()).toMatchObject({
			error: 'too_many_attempts',
			retryAfterSeconds: expect.any(Number)
		});

		// Successes give their count back: an honest user is not locked out by logging in often.
		const honest = await server();
		for (let i = 0; i < LOGIN_LIMIT_PER_USER * 3; i++) await login(honest.url);
		const wrong = await post(honest.url, '/api/login', { username: 'admin', password: 'wrong' });
		expect(wrong.status).toBe(401);
	});

	it('sends the security headers on every kind of response', async () => {
		// A build of our own: the policy must hash the inline scripts of whatever build is served.
		const build = tempDataDir();
		cleanups.push(build.remove);
		const shellScript = "\n\t\twindow.shinkoTest = 'shell';\n";
		const startScript = '{ const element = document.currentScript; }';
		const otherScript = "console.log('other page')";
		writeFileSync(
			join(build.dir, 'index.html'),
			`<!doctype html><html><head><script type="module" src="/app.js"></script>` +
				`<script>${shellScript}</script></head><body><script>${startScript}</script></body></html>`
		);
		mkdirSync(join(build.dir, 'other'));
		writeFileSync(join(build.dir, 'other', 'page.html'), `<script>${otherScript}</script>`);
		writeFileSync(join(build.dir, 'app.js'), 'export {};\n');
		const hash = (script: string) =>
			`'sha256-${createHash('sha256').update(script).digest('base64')}'`;

		const s = await server({ buildDir: build.dir });
		const cookie = await login(s.url);
		const responses: [string, Response][] = [
			['static file', await fetch(`${s.url}/app.js`)],
			['SPA shell', await fetch(`${s.url}/`)],
			['SPA fallback', await fetch(`${s.url}/t/some-table`)],
			['healthz', await fetch(`${s.url}/healthz`)],
			['API 200', await fetch(`${s.url}/api/me`, { headers: { cookie } })],
			['API 401', await fetch(`${s.url}/api/me`)],
			['API 404', await fetch(`${s.url}/api/no-such-thing`)],
			['API 400', await post(s.url, '/api/login', { username: 'admin' })],
			['history API 404', await fetch(`${s.url}/api/docs/x/snapshots/1`, { headers: { cookie } })]
		];
		const unbuilt = await server({ buildDir: join(build.dir, 'not-there') });
		responses.push(['not built (503)', await fetch(`${unbuilt.url}/`)]);
		expect(responses.map(([, res]) => res.status)).toEqual([
			200, 200, 200, 200, 200, 401, 404, 400, 404, 503
		]);

		for (const [what, res] of responses) {
			expect(res.headers.get('x-frame-options'), what).toBe('DENY');
			expect(res.headers.get('x-content-type-options'), what).toBe('nosniff');
			expect(res.headers.get('referrer-policy'), what).toBe('same-origin');
			const csp = res.headers.get('content-security-policy') ?? '';
			const directives = new Map(
				csp.split(';').map((d) => {
					const [name, ...values] = d.trim().split(/\s+/);
					return [name!, values] as const;
				})
			);
			expect(directives.get('default-src'), what).toEqual(["'self'"]);
			expect(directives.get('object-src'), what).toEqual(["'none'"]);
			expect(directives.get('frame-ancestors'), what).toEqual(["'none'"]);
			expect(directives.get('base-uri'), what).toEqual(["'self'"]);
			expect(directives.get('form-action'), what).toEqual(["'self'"]);
			expect(directives.get('connect-src'), what).toEqual(["'self'"]);
			expect(directives.get('style-src'), what).toEqual(["'self'", "'unsafe-inline'"]);
			const scripts = directives.get('script-src') ?? [];
			// No 'unsafe-inline' or 'unsafe-eval': the served build's inline scripts, by hash.
			const expected = [
				"'self'",
				...(what === 'not built (503)'
					? []
					: [hash(shellScript), hash(startScript), hash(otherScript)])
			];
			expect([...scripts].sort(), what).toEqual(expected.sort());
		}
		// The policy lists what the shell's inline scripts hash to, as a browser computes it.
		expect(await responses[1]![1].text()).toContain(shellScript);
	});

	it('refuses requests and upgrades without a well-formed Host, HTTP/1.0 too, with 400', async () => {
		const s = await server();
		const cookie = await login(s.url);
		const tableId = listTables(await loadDoc(s.store, INDEX_DOC_ID))[0]!.id;
		const upgrade = (hostLine: string, origin: string) =>
			`GET /sync/${tableId} HTTP/1.1\r\n${hostLine}Upgrade: websocket\r\nConnection: Upgrade\r\n` +
			`Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n` +
			`Origin: ${origin}\r\nCookie: ${cookie}\r\n\r\n`;
		const good = `127.0.0.1:${s.port}`;
		// The checks pass a well-formed Host with its own Origin.
		expect(await rawStatus(s.port, upgrade(`Host: ${good}\r\n`, `http://${good}`))).toBe(101);
		expect(await rawStatus(s.port, `GET /healthz HTTP/1.0\r\nHost: ${good}\r\n\r\n`)).toBe(200);
		expect(await rawStatus(s.port, `GET /healthz HTTP/1.1\r\nHost: [::1]:80\r\n\r\n`)).toBe(200);

		// Without Host, the Origin would be checked against "http://"; with a malformed one,
		// against whatever the request made up to match its own Origin.
		expect(await rawStatus(s.port, upgrade('', 'http://'))).toBe(400);
		expect(await rawStatus(s.port, `GET /healthz HTTP/1.0\r\n\r\n`)).toBe(400);
		expect(await rawStatus(s.port, `GET /api/me HTTP/1.0\r\nCookie: ${cookie}\r\n\r\n`)).toBe(400);
		for (const host of [
			'evil.example/x',
			'user@127.0.0.1',
			'a b',
			'127.0.0.1:99999',
			'[not-ipv6]:80',
			'host:port',
			''
		]) {
			expect(await rawStatus(s.port, upgrade(`Host: ${host}\r\n`, `http://${host}`)), host).toBe(
				400
			);
			const request = `GET /healthz HTTP/1.1\r\nHost: ${host}\r\n\r\n`;
			expect(await rawStatus(s.port, request), host).toBe(400);
		}
		// Two Host headers: which one would an Origin be checked against?
		const twice = `GET /healthz HTTP/1.1\r\nHost: ${good}\r\nHost: evil.example\r\n\r\n`;
		expect(await rawStatus(s.port, twice)).toBe(400);
	});

	it('answers a target no URL can be made of and Range headers sirv would throw on, and goes on', async () => {
		// A build of one file, for the static side (the app may not be built when this runs).
		const build = tempDataDir();
		cleanups.push(build.remove);
		writeFileSync(join(build.dir, 'index.html'), '<!doctype html><title>shell</title>');
		writeFileSync(join(build.dir, 'ten.txt'), '0123456789');
		const s = await server({ buildDir: build.dir });
		const host = `Host: 127.0.0.1:${s.port}\r\n`;

		// Each of these ended the process (new URL threw in the request handler).
		for (const target of ['http://[', '//[', 'http://a b/'])
			expect(await rawStatus(s.port, `GET ${target} HTTP/1.1\r\n${host}\r\n`), target).toBe(400);
		const upgrade =
			`GET //[ HTTP/1.1\r\n${host}Upgrade: websocket\r\nConnection: Upgrade\r\n` +
			`Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`;
		expect(await rawStatus(s.port, upgrade)).toBe(400);

		const get = async (range: string) => {
			const res = await fetch(`${s.url}/ten.txt`, { headers: { range } });
			return [res.status, await res.text()];
		};
		// One range that can be served: served.
		expect(await get('bytes=2-4')).toEqual([206, '234']);
		expect(await get('bytes=7-')).toEqual([206, '789']);
		// The last before the first (this one ended the process, in sirv's createReadStream), a last
		// byte past 2^53, a suffix (which sirv reads as the first bytes), a list: the whole file.
		for (const range of ['bytes=5-1', 'bytes=0-99999999999999999999', 'bytes=-3', 'bytes=0-1,3-4'])
			expect(await get(range), range).toEqual([200, '0123456789']);
		// The same on the app's shell, served for any page.
		expect((await fetch(`${s.url}/t/x`, { headers: { range: 'bytes=5-1' } })).status).toBe(200);

		expect((await fetch(`${s.url}/healthz`)).status).toBe(200);
	});

	it('limits manual snapshots per user, counted in parallel too, and refuses the index doc', async () => {
		const s = await server();
		const cookie = await login(s.url);
		const tableId = listTables(await loadDoc(s.store, INDEX_DOC_ID))[0]!.id;
		const take = (docId: string, name: string) =>
			post(s.url, `/api/docs/${docId}/snapshots`, { name }, { cookie });

		// The index doc is the table list, not a table: it has no history to take or read.
		expect((await take(INDEX_DOC_ID, 'x')).status).toBe(404);
		const indexList = await fetch(`${s.url}/api/docs/${INDEX_DOC_ID}/snapshots`, {
			headers: { cookie }
		});
		expect(indexList.status).toBe(404);

		const statuses = (
			await Promise.all(Array.from({ length: 40 }, (_, i) => take(tableId, `burst ${i}`)))
		).map((res) => res.status);
		expect(statuses.filter((status) => status === 201)).toHaveLength(SNAPSHOTS_PER_MINUTE);
		expect(statuses.filter((status) => status === 429)).toHaveLength(40 - SNAPSHOTS_PER_MINUTE);
		const refused = await take(tableId, 'one more');
		expect(refused.status).toBe(429);
		expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
		expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(60);
		const list = (await (
			await fetch(`${s.url}/api/docs/${tableId}/snapshots`, { headers: { cookie } })
		).json()) as { snapshots: { kind: string }[] };
		expect(list.snapshots.filter((snap) => snap.kind === 'manual')).toHaveLength(
			SNAPSHOTS_PER_MINUTE
		);

		// Reading one decodes it whole: as many a minute as a person reading the history opens.
		const id = (list.snapshots[0] as unknown as { id: number }).id;
		const read = () =>
			fetch(`${s.url}/api/docs/${tableId}/snapshots/${id}`, { headers: { cookie } });
		const reads = (await Promise.all(Array.from({ length: 50 }, read))).map((res) => res.status);
		expect(reads.filter((status) => status === 200)).toHaveLength(SNAPSHOT_READS_PER_MINUTE);
		expect(reads.filter((status) => status === 429)).toHaveLength(50 - SNAPSHOT_READS_PER_MINUTE);
	});
});
