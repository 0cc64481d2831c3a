// How many logins an address and a user name may try: 20 per address and 5 per user name in 15
// minutes. In one process the counts are in memory; in cluster mode (REDIS_URL) they are in Redis,
// so that spreading guesses over processes gains nothing, with this process's own counts as the
// fallback while Redis is down.
import { BlockList, isIP } from 'node:net';
import type { IncomingMessage } from 'node:http';
import type { Redis } from 'ioredis';
import type { Logger } from './log.ts';
import { RateLimiter, reserveAll } from './rate-limit.ts';

export const LOGIN_WINDOW_MS = 15 * 60 * 1000;
export const LOGIN_LIMIT_PER_USER = 5;
export const LOGIN_LIMIT_PER_IP = 20;

export type Attempt = { wait: number } | { release: () => void };

export interface LoginThrottle {
	/**
	 * Counts an attempt for this address and user name unless either is over its limit (an
	 * attempt counts from the moment its check starts, so parallel guesses get no more tries
	 * than serial ones): resolves with the milliseconds to wait, or with a function that gives
	 * this attempt's counts back (a successful login).
	 */
	attempt(ip: string, username: string): Promise<Attempt>;
}

/** This process's counts. */
export class LocalLoginThrottle implements LoginThrottle {
	private readonly perUser = new RateLimiter(LOGIN_LIMIT_PER_USER, LOGIN_WINDOW_MS);
	private readonly perIp = new RateLimiter(LOGIN_LIMIT_PER_IP, LOGIN_WINDOW_MS);

	async attempt(ip: string, username: string): Promise<Attempt> {
		return reserveAll([
			[this.perIp, ip],
			[this.perUser, username]
		]);
	}
}

/**
 * Both counts checked and taken in one step (a script runs atomically in Redis): a sorted set of
 * attempt times per key, trimmed to the window.
 */
const ATTEMPT_SCRIPT = `
local now = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local wait = 0
for i, key in ipairs(KEYS) do
	redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
	local limit = tonumber(ARGV[2 + i])
	local n = redis.call('ZCARD', key)
	if n >= limit then
		local oldest = redis.call('ZRANGE', key, n - limit, n - limit, 'WITHSCORES')
		local w = tonumber(oldest[2]) + window - now
		if w > wait then wait = w end
	end
end
if wait > 0 then return wait end
for _, key in ipairs(KEYS) do
	redis.call('ZADD', key, now, ARGV[5])
	redis.call('PEXPIRE', key, window)
end
return 0
`;

/** Counts shared by every process, in Redis. */
export class RedisLoginThrottle implements LoginThrottle {
	private readonly fallback = new LocalLoginThrottle();
	private attempts = 0;
	private down = false;

	constructor(
		private readonly redis: Redis,
		/** Makes this process's attempt ids unique among the processes'. */
		private readonly processId: string,
		private readonly log: Logger
	) {}

	async attempt(ip: string, username: string): Promise<Attempt> {
		const keys = [`shinko:login:ip:${ip}`, `shinko:login:user:${username}`];
		const id = `${this.processId}:${++this.attempts}`;
		let wait: number;
		try {
			wait = Number(
				await this.redis.eval(
					ATTEMPT_SCRIPT,
					keys.length,
					...keys,
					Date.now(),
					LOGIN_WINDOW_MS,
					LOGIN_LIMIT_PER_IP,
					LOGIN_LIMIT_PER_USER,
					id
				)
			);
			this.down = false;
		} catch (err) {
			if (!this.down)
				this.log.warn('login counts unavailable in Redis; counting in this process meanwhile', {
					error: String(err)
				});
			this.down = true;
			return this.fallback.attempt(ip, username);
		}
		if (wait > 0) return { wait };
		let released = false;
		return {
			release: () => {
				if (released) return;
				released = true;
				for (const key of keys) this.redis.zrem(key, id).catch(() => undefined);
			}
		};
	}
}

/** The proxies whose X-Forwarded-For is believed (TRUSTED_PROXIES: addresses and CIDR ranges). */
export function trustedProxies(list: string): BlockList {
	const trusted = new BlockList();
	for (const entry of list
		.split(',')
		.map((e) => e.trim())
		.filter(Boolean)) {
		const [address, bits] = entry.split('/');
		const type = isIP(address ?? '') === 6 ? 'ipv6' : 'ipv4';
		if (!isIP(address ?? '')) throw new Error(`not an address: ${entry}`);
		if (bits === undefined) trusted.addAddress(address!, type);
		else trusted.addSubnet(address!, Number(bits), type);
	}
	return trusted;
}

/**
 * The client's address: the socket's, or, when the socket is a trusted proxy's, the last address
 * in X-Forwarded-For that is not a trusted proxy's own (what the outermost trusted proxy saw).
 * Without TRUSTED_PROXIES the header is ignored: anyone could write it.
 */
export function clientAddress(req: IncomingMessage, trusted?: BlockList): string {
	const socket = plain(req.socket.remoteAddress ?? 'unknown');
	if (!trusted || !isTrusted(trusted, socket)) return socket;
	const header = req.headers['x-forwarded-for'];
	const hops = (Array.isArray(header) ? header.join(',') : (header ?? ''))
		.split(',')
		.map((h) => plain(h.trim()));
	let address = socket;
	for (let i = hops.length - 1; i >= 0; i--) {
		const hop = hops[i]!;
		if (!isIP(hop)) break; // a malformed entry: trust nothing further left
		address = hop;
		if (!isTrusted(trusted, hop)) break;
	}
	return address;
}

/** An IPv4 address the way IPv6 sockets spell it (::ffff:10.0.0.1) written plainly. */
function plain(address: string): string {
	return address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
}

function isTrusted(trusted: BlockList, address: string): boolean {
	const type = isIP(address);
	return type !== 0 && trusted.check(address, type === 6 ? 'ipv6' : 'ipv4');
}
