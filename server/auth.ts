// Login, logout and "who am I" over HTTP, and the checks every request and upgrade goes through:
// the session cookie and the Origin header.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isIPv6, type BlockList } from 'node:net';
import { z } from 'zod';
import type { Logger } from './log.ts';
import { DUMMY_HASH, verifyPassword } from './passwords.ts';
import { clientAddress, LocalLoginThrottle, type LoginThrottle } from './login-throttle.ts';
import type { Session, User, UserStore } from './users.ts';

export const SESSION_COOKIE = 'shinko_session';

export { LOGIN_LIMIT_PER_IP, LOGIN_LIMIT_PER_USER } from './login-throttle.ts';
const MAX_JSON_BYTES = 8 * 1024;

const loginSchema = z.object({
	username: z.string().min(1).max(64),
	password: z.string().min(1).max(1024)
});

export class HttpError extends Error {
	override name = 'HttpError';
	constructor(
		readonly status: number,
		readonly code: string,
		message = code
	) {
		super(message);
	}
}

export function parseCookies(header: string | undefined): Map<string, string> {
	const cookies = new Map<string, string>();
	for (const part of (header ?? '').split(';')) {
		const eq = part.indexOf('=');
		if (eq < 0) continue;
		const name = part.slice(0, eq).trim();
		const value = part.slice(eq + 1).trim();
		if (name && !cookies.has(name)) {
			try {
				cookies.set(name, decodeURIComponent(value));
			} catch {
				// a malformed cookie is no cookie
			}
		}
	}
	return cookies;
}

export function json(
	res: ServerResponse,
	status: number,
	body: unknown,
	headers: Record<string, string | string[]> = {}
): void {
	res.writeHead(status, {
		'content-type': 'application/json; charset=utf-8',
		'cache-control': 'no-store',
		...headers
	});
	res.end(JSON.stringify(body));
}

/** 429 with the seconds to wait, in the body and in Retry-After. */
export function tooManyRequests(res: ServerResponse, error: string, waitMs: number): void {
	const seconds = Math.ceil(waitMs / 1000);
	json(res, 429, { error, retryAfterSeconds: seconds }, { 'retry-after': String(seconds) });
}

/** A request's JSON body, read up to `maxBytes` (past them 413, nothing more read). */
export async function readJson(req: IncomingMessage, maxBytes = MAX_JSON_BYTES): Promise<unknown> {
	if (!(req.headers['content-type'] ?? '').includes('application/json')) {
		throw new HttpError(415, 'json_required');
	}
	const chunks: Buffer[] = [];
	let size = 0;
	for await (const chunk of req as AsyncIterable<Buffer>) {
		size += chunk.length;
		if (size > maxBytes) throw new HttpError(413, 'too_large');
		chunks.push(chunk);
	}
	try {
		return JSON.parse(Buffer.concat(chunks).toString('utf8'));
	} catch {
		throw new HttpError(400, 'invalid_json');
	}
}

// A host name (letters, digits, '-', and '_' as some container networks name hosts), an IPv4
// address (which this also matches) or a bracketed IPv6 address, then an optional port: anything
// else in Host would make an origin that no browser sends, or one that means something else.
const HOST_NAME =
	/^[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?(?:\.[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?)*\.?$/i;
const HOST_WITH_PORT = /^(\[[^\]]*\]|[^:[\]]*)(?::(\d{1,5}))?$/;

/**
 * The request's Host header, lower-cased, when there is exactly one and it is well formed;
 * otherwise undefined. Node itself refuses a missing Host only for HTTP/1.1 requests that are
 * not upgrades, so the server checks this for everything.
 */
export function requestHost(req: IncomingMessage): string | undefined {
	let count = 0;
	for (let i = 0; i < req.rawHeaders.length; i += 2) {
		if (req.rawHeaders[i]!.toLowerCase() === 'host') count++;
	}
	const host = req.headers.host;
	if (count !== 1 || host === undefined || host.length > 300) return undefined;
	const parts = HOST_WITH_PORT.exec(host);
	if (!parts) return undefined;
	const [, name, port] = parts;
	if (port !== undefined && Number(port) > 65535) return undefined;
	const ok = name!.startsWith('[')
		? isIPv6(name!.slice(1, -1))
		: name!.length <= 253 && HOST_NAME.test(name!);
	return ok ? host.toLowerCase() : undefined;
}

export interface AuthOptions {
	users: UserStore;
	log: Logger;
	/** e.g. https://shinko.example.org behind a proxy; otherwise taken from the Host header. */
	publicOrigin?: string;
	/** Called when a session ends, so its open connections close (4401). */
	onSessionEnd?: (sessionId: string) => void;
	/** Login attempts counted (default: in this process). */
	throttle?: LoginThrottle;
	/** Proxies whose X-Forwarded-For names the client (TRUSTED_PROXIES); else it is ignored. */
	trustedProxies?: BlockList;
}

export class Auth {
	private readonly throttle: LoginThrottle;

	/** PUBLIC_ORIGIN as browsers spell an origin (lower-case host, no default port, no path). */
	private readonly publicOrigin: string | undefined;

	constructor(private readonly options: AuthOptions) {
		this.publicOrigin = options.publicOrigin && new URL(options.publicOrigin).origin;
		this.throttle = options.throttle ?? new LocalLoginThrottle();
	}

	get users(): UserStore {
		return this.options.users;
	}

	/**
	 * The server's own origin, which a browser's Origin header must equal: PUBLIC_ORIGIN, else
	 * taken from a well-formed Host header; undefined when there is neither.
	 */
	ownOrigin(req: IncomingMessage): string | undefined {
		if (this.publicOrigin) return this.publicOrigin;
		const host = requestHost(req);
		return host && `http://${host}`;
	}

	originAllowed(req: IncomingMessage, { required }: { required: boolean }): boolean {
		const origin = req.headers.origin;
		if (origin === undefined) return !required;
		const own = this.ownOrigin(req);
		return own !== undefined && origin === own;
	}

	async session(
		req: IncomingMessage,
		touch = false
	): Promise<{ session: Session; token: string } | undefined> {
		const token = parseCookies(req.headers.cookie).get(SESSION_COOKIE);
		if (!token || token.length > 200) return undefined;
		const session = await this.users.session(token, { touch });
		return session && { session, token };
	}

	private cookie(req: IncomingMessage, value: string, maxAgeSeconds: number): string {
		const secure = this.ownOrigin(req)?.startsWith('https:') ? '; Secure' : '';
		return `${SESSION_COOKIE}=${value}; HttpOnly; SameSite=Strict; Path=/; Max-Age=${maxAgeSeconds}${secure}`;
	}

	/** Handles /api/*; returns false for paths it does not know. */
	async handle(req: IncomingMessage, res: ServerResponse, path: string): Promise<boolean> {
		try {
			if (path === '/api/login' && req.method === 'POST') await this.login(req, res);
			else if (path === '/api/logout' && req.method === 'POST') await this.logout(req, res);
			else if (path === '/api/me' && req.method === 'GET') await this.me(req, res);
			else return false;
		} catch (err) {
			if (err instanceof HttpError) json(res, err.status, { error: err.code });
			else {
				this.options.log.error('api error', { path, error: String(err) });
				json(res, 500, { error: 'internal' });
			}
		}
		return true;
	}

	private checkOrigin(req: IncomingMessage): void {
		// Browsers always send Origin on POST; a foreign one is a cross-site request.
		if (!this.originAllowed(req, { required: false })) throw new HttpError(403, 'bad_origin');
	}

	private async login(req: IncomingMessage, res: ServerResponse): Promise<void> {
		this.checkOrigin(req);
		const parsed = loginSchema.safeParse(await readJson(req));
		if (!parsed.success) throw new HttpError(400, 'invalid_request');
		const { username, password } = parsed.data;
		const ip = clientAddress(req, this.options.trustedProxies);
		// Counted before the password check, in the same step as the limit check: attempts still
		// being checked count, so parallel guesses get no more than serial ones.
		const attempt = await this.throttle.attempt(ip, username);
		if ('wait' in attempt) return tooManyRequests(res, 'too_many_attempts', attempt.wait);
		const found = await this.users.get(username);
		// The same scrypt work whether or not the user exists: no timing oracle for user names.
		const ok = (await verifyPassword(password, found?.passwordHash ?? DUMMY_HASH)) && !!found;
		if (!ok || !found) {
			this.options.log.warn('login failed', { ip });
			throw new HttpError(401, 'invalid_credentials');
		}
		// Only this attempt's own count: failures of others, maybe still in flight, stay counted.
		attempt.release();
		// A fresh id at every login (no session fixation); the old one, if any, ends now.
		const previous = await this.session(req);
		if (previous) await this.endSession(previous.token, previous.session.id);
		const { token, session } = await this.users.createSession(username);
		json(
			res,
			200,
			{ user: publicUser(session.user), serverTime: Date.now() },
			{
				'set-cookie': this.cookie(req, token, Math.floor(this.users.sessionTtlMs / 1000))
			}
		);
	}

	private async logout(req: IncomingMessage, res: ServerResponse): Promise<void> {
		this.checkOrigin(req);
		const current = await this.session(req);
		if (current) await this.endSession(current.token, current.session.id);
		json(res, 200, { ok: true }, { 'set-cookie': this.cookie(req, '', 0) });
	}

	private async me(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const current = await this.session(req, true);
		if (!current) throw new HttpError(401, 'login_required');
		json(res, 200, {
			user: publicUser(current.session.user),
			expiresAt: current.session.expiresAt,
			// The app writes and filters times by the server's clock (src/lib/doc/clock.ts).
			serverTime: Date.now()
		});
	}

	private async endSession(token: string, sessionId: string): Promise<void> {
		try {
			await this.users.deleteSession(token);
		} finally {
			// Even when the row could not be deleted (a full disk): its sockets close now, and the
			// store refuses the session from here on (UserStore.deleteSession).
			this.options.onSessionEnd?.(sessionId);
		}
	}
}

export function publicUser(user: User) {
	return { username: user.username, role: user.role, displayName: user.displayName };
}
