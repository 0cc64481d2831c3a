// Login counts per address: the address is the socket's unless the socket is a proxy named in
// TRUSTED_PROXIES, whose X-Forwarded-For then names the client. Anyone can write the header.
import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { ConfigError, readConfig } from '../../server/config.ts';
import { clientAddress, LOGIN_LIMIT_PER_IP, trustedProxies } from '../../server/login-throttle.ts';
import { useCleanups } from '../helpers/cleanup.ts';
import { startCleanedServer } from '../helpers/server.ts';

const cleanups = useCleanups();

function request(remoteAddress: string, forwardedFor?: string): IncomingMessage {
	return {
		socket: { remoteAddress },
		headers: forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor }
	} as unknown as IncomingMessage;
}

describe('the client address of a login', () => {
	it('ignores X-Forwarded-For unless the socket is a trusted proxy', () => {
		expect(clientAddress(request('198.51.100.9', '203.0.113.5'))).toBe('198.51.100.9');
		const trusted = trustedProxies('10.0.0.0/8, 127.0.0.1, ::1');
		expect(clientAddress(request('198.51.100.9', '203.0.113.5'), trusted)).toBe('198.51.100.9');
		expect(clientAddress(request('::ffff:127.0.0.1', '203.0.113.5'), trusted)).toBe('203.0.113.5');
		expect(clientAddress(request('::1', '2001:db8::7'), trusted)).toBe('2001:db8::7');
	});

	it('takes the last address the trusted proxies did not add, never a forged one further left', () => {
		const trusted = trustedProxies('10.0.0.0/8');
		// The client wrote "1.2.3.4" itself; the outer proxy (10.0.0.2) saw it come from 203.0.113.5.
		expect(clientAddress(request('10.0.0.1', '1.2.3.4, 203.0.113.5, 10.0.0.2'), trusted)).toBe(
			'203.0.113.5'
		);
		// Garbage stops the walk: what the proxies appended after it is what is believed.
		expect(clientAddress(request('10.0.0.1', 'junk, 10.0.0.3'), trusted)).toBe('10.0.0.3');
		expect(clientAddress(request('10.0.0.1', ''), trusted)).toBe('10.0.0.1');
	});

	it('refuses a TRUSTED_PROXIES entry that is not an address or range, naming it', () => {
		expect(() => readConfig({ TRUSTED_PROXIES: '10.0.0.0/8, proxy.local' })).toThrow(ConfigError);
		expect(() => readConfig({ TRUSTED_PROXIES: 'proxy.local' })).toThrow(
			/TRUSTED_PROXIES.*proxy\.local/
		);
		expect(readConfig({ TRUSTED_PROXIES: '10.0.0.0/8,::1' }).trustedProxies).toBeDefined();
	});

	it('counts logins per forwarded address behind a trusted proxy, per socket otherwise', async () => {
		const post = (url: string, username: string, forwardedFor: string) =>
			fetch(`${url}/api/login`, {
				method: 'POST',
				headers: {
					'content-type': 'application/json',
					origin: url,
					'x-forwarded-for': forwardedFor
				},
				body: JSON.stringify({ username, password: 'wrong-password' })
			}).then((r) => r.status);
		const behind = await startCleanedServer(cleanups, {
			trustedProxies: trustedProxies('127.0.0.1')
		});
		// Different user names: only the per-address count fills up.
		for (let i = 0; i < LOGIN_LIMIT_PER_IP; i++)
			expect(await post(behind.url, `u${i}`, '203.0.113.7')).toBe(401);
		expect(await post(behind.url, 'another', '203.0.113.7')).toBe(429);
		expect(await post(behind.url, 'another', '203.0.113.8')).toBe(401);

		const direct = await startCleanedServer(cleanups);
		for (let i = 0; i < LOGIN_LIMIT_PER_IP; i++)
			expect(await post(direct.url, `u${i}`, `203.0.113.${i}`)).toBe(401);
		// A header anyone can write changes nothing: the socket's address is out of tries.
		expect(await post(direct.url, 'another', '203.0.113.99')).toBe(429);
	}, 60_000);
});
