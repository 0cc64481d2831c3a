// Who is logged in. Local-first: when the server cannot be reached the last known user is kept,
// so the tables on the device stay usable offline; the server still checks every connection.
import { z } from 'zod/mini';
import { USER_KEY } from './local.ts';
import { learnServerTime } from '../doc/clock.ts';
import { onServerAnswered, serverAnswered } from './server-answered.ts';

const userSchema = z.object({
	username: z.string(),
	role: z.enum(['admin', 'editor', 'viewer']),
	displayName: z.string()
});
export type AuthUser = z.infer<typeof userSchema>;
export type AuthStatus = 'unknown' | 'authenticated' | 'anonymous' | 'offline';

export type LoginResult =
	| { ok: true }
	| {
			ok: false;
			reason: 'invalid' | 'rateLimited' | 'network' | 'server';
			retryAfterSeconds?: number;
	  };

function cachedUser(): AuthUser | null {
	try {
		const parsed = userSchema.safeParse(JSON.parse(localStorage.getItem(USER_KEY) ?? 'null'));
		return parsed.success ? parsed.data : null;
	} catch {
		return null;
	}
}

function cache(user: AuthUser | null): void {
	try {
		if (user) localStorage.setItem(USER_KEY, JSON.stringify(user));
		else localStorage.removeItem(USER_KEY);
	} catch {
		// Not cached: the next offline start asks to log in once online. Never leave the previous
		// user behind, or the next start would open the tables as them.
		try {
			localStorage.removeItem(USER_KEY);
		} catch {
			// no storage at all: nothing cached either
		}
	}
}

/** How long to wait for the server to say who is logged in before working offline. */
const ME_TIMEOUT_MS = 10_000;
/**
 * While offline, ask again after this long, doubling up to the most (and at once when online).
 * The most is short: a page loaded offline is told nothing when the network comes back (its
 * navigator.onLine was true all along, and no 'online' event comes), nor is a browser on a network
 * whose server was down; only asking again tells. One small request every few seconds is nothing
 * beside the top bar saying オフライン for a minute after everything works again.
 */
const RETRY_FIRST_MS = 2_000;
const RETRY_MOST_MS = 5_000;

export class Auth {
	/**
	 * The last known user until the server answers: the tables on the device open at once, and
	 * are closed again (the page goes to the login) if the server says the session is over.
	 */
	user = $state<AuthUser | null>(cachedUser());
	/** 'unknown' until the server has answered (or could not be reached). */
	status = $state<AuthStatus>('unknown');
	readonly canEdit = $derived(this.user !== null && this.user.role !== 'viewer');
	private retryMs = RETRY_FIRST_MS;
	private retryTimer: ReturnType<typeof setTimeout> | undefined;

	constructor() {
		// Offline is only the last answer: once the network or the server is back, the top bar
		// must stop saying オフライン without a reload.
		if (typeof window !== 'undefined') window.addEventListener('online', () => this.reachable());
		onServerAnswered(() => this.reachable());
	}

	/**
	 * The network came back, or a sync connection got through: ask again now if offline. The
	 * back-off starts over, so an answer that fails while the network settles is asked again soon.
	 */
	private reachable(): void {
		if (this.status !== 'offline') return;
		this.retryMs = RETRY_FIRST_MS;
		void this.refresh();
	}

	async refresh(): Promise<void> {
		clearTimeout(this.retryTimer);
		this.retryTimer = undefined;
		try {
			// A server that does not answer counts as out of reach, not as a check still running.
			const sentAt = Date.now();
			const res = await fetch('/api/me', {
				credentials: 'same-origin',
				signal: AbortSignal.timeout(ME_TIMEOUT_MS)
			});
			const receivedAt = Date.now();
			if (res.status === 401) {
				this.set(null, 'anonymous');
				return;
			}
			const body = z
				.object({ user: userSchema, serverTime: z.optional(z.number()) })
				.safeParse(await res.json());
			if (body.success) learnServerTime(body.data.serverTime, sentAt, receivedAt);
			if (res.ok && body.success) {
				const wasOffline = this.status === 'offline';
				this.set(body.data.user, 'authenticated');
				if (wasOffline) serverAnswered();
			} else this.offline();
		} catch {
			this.offline();
		}
	}

	async login(username: string, password: string): Promise<LoginResult> {
		let res: Response;
		const sentAt = Date.now();
		try {
			res = await fetch('/api/login', {
				method: 'POST',
				credentials: 'same-origin',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ username, password })
			});
		} catch {
			return { ok: false, reason: 'network' };
		}
		if (res.status === 401) return { ok: false, reason: 'invalid' };
		if (res.status === 429) {
			const body = (await res.json().catch(() => ({}))) as { retryAfterSeconds?: number };
			return { ok: false, reason: 'rateLimited', retryAfterSeconds: body.retryAfterSeconds };
		}
		const receivedAt = Date.now();
		const body = z
			.object({ user: userSchema, serverTime: z.optional(z.number()) })
			.safeParse(await res.json().catch(() => null));
		if (!res.ok || !body.success) return { ok: false, reason: 'server' };
		learnServerTime(body.data.serverTime, sentAt, receivedAt);
		this.set(body.data.user, 'authenticated');
		return { ok: true };
	}

	async logout(): Promise<void> {
		try {
			await fetch('/api/logout', { method: 'POST', credentials: 'same-origin' });
		} finally {
			this.set(null, 'anonymous');
		}
	}

	private set(user: AuthUser | null, status: AuthStatus): void {
		this.user = user;
		this.status = status;
		this.retryMs = RETRY_FIRST_MS;
		cache(user);
	}

	private offline(): void {
		this.user = cachedUser();
		this.status = this.user ? 'offline' : 'anonymous';
		if (this.status !== 'offline') return;
		this.retryTimer = setTimeout(() => void this.refresh(), this.retryMs);
		this.retryMs = Math.min(this.retryMs * 2, RETRY_MOST_MS);
	}
}
