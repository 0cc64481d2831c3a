// The HTTP side: the built SPA, /healthz, the JSON API (auth, history, comments) and the
// WebSocket upgrade at /sync/<docId>.
import { existsSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { fileURLToPath } from 'node:url';
import sirv from 'sirv';
import { WebSocketServer } from 'ws';
import { DOC_ID } from '../src/lib/model/schema.ts';
import { ACKS_PARAM, CLOSE, SYNC_PATH } from '../src/lib/sync/protocol.ts';
import { json, requestHost, type Auth } from './auth.ts';
import { loopDelay as watchLoopDelay } from './loop-delay.ts';
import { CommentsApi } from './comments-api.ts';
import type { HistoryApi } from './history-api.ts';
import { securityHeaders } from './security-headers.ts';
import type { SyncServer } from './sync/registry.ts';

export const DEFAULT_BUILD_DIR = fileURLToPath(new URL('../build', import.meta.url));

/** The request's path and query, or null for a target no URL can be made of (`GET http://[`). */
function requestUrl(req: IncomingMessage): URL | null {
	try {
		return new URL(req.url ?? '/', 'http://localhost');
	} catch {
		return null;
	}
}

/** One range of bytes a client may ask for: `bytes=first-[last]`, first ≤ last, no list. */
const RANGE = /^bytes=(\d{1,15})-(\d{0,15})$/;

/**
 * A Range header sirv would read wrong (`bytes=-500` as the first 500 bytes) or throw on
 * (`bytes=5-1`, a last byte past 2^53, out of fs.createReadStream's range, which ended the
 * process): dropped, so the whole file is sent, as RFC 9110 lets a server do with any Range.
 */
function dropUnreadableRange(req: IncomingMessage): void {
	const range = req.headers.range;
	if (range === undefined) return;
	const m = RANGE.exec(range);
	if (!m || (m[2] !== '' && Number(m[2]) < Number(m[1]))) delete req.headers.range;
}

function refuseUpgrade(socket: Duplex, status: number, reason: string): void {
	socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

export function createHttpServer(
	sync: SyncServer,
	auth: Auth,
	options: { maxMessageBytes: number; buildDir: string; history: HistoryApi }
) {
	const assets = existsSync(options.buildDir)
		? sirv(options.buildDir, {
				single: true,
				etag: true,
				// The build's precompressed copies (adapter-static's precompress), no compression at run time.
				brotli: true,
				gzip: true,
				// Hashed build files never change; the shell must always be revalidated.
				setHeaders: (res, path) => {
					if (path.includes('/_app/immutable/'))
						res.setHeader('cache-control', 'public, max-age=31536000, immutable');
					else res.setHeader('cache-control', 'no-cache');
				}
			})
		: null;

	const loopDelay = watchLoopDelay();
	const comments = new CommentsApi({ auth, sync, log: sync.log });

	// Hashed once: the build the server serves does not change under it (sirv lists it at start).
	const headers = Object.entries(securityHeaders(options.buildDir));

	const server = createServer((req: IncomingMessage, res: ServerResponse) => {
		// Whatever a request makes throw ends that request, never the process.
		try {
			handle(req, res);
		} catch (err) {
			sync.log.error('a request failed', { error: String(err) });
			if (!res.headersSent) json(res, 500, { error: 'internal' }, { connection: 'close' });
			else res.destroy();
		}
	});

	function handle(req: IncomingMessage, res: ServerResponse): void {
		for (const [name, value] of headers) res.setHeader(name, value);
		// Origins are checked against the Host when PUBLIC_ORIGIN is not set, and a request
		// without one (HTTP/1.0, which Node lets through) has no origin to check against.
		if (requestHost(req) === undefined) {
			json(res, 400, { error: 'bad_host' }, { connection: 'close' });
			return;
		}
		const url = requestUrl(req);
		if (!url) {
			json(res, 400, { error: 'bad_url' }, { connection: 'close' });
			return;
		}
		if (url.pathname === '/healthz') {
			// 503 while the store cannot be read (cluster mode's PostgreSQL down): a load balancer
			// sends no one here. A relay that is down only slows what crosses processes.
			const store = sync.storeReachable;
			json(res, store ? 200 : 503, {
				ok: store,
				rooms: sync.roomCount,
				eventLoopDelayMs: loopDelay.last(),
				store: store ? 'ok' : 'unreachable',
				...(sync.relay ? { relay: sync.relay.reachable ? 'ok' : 'unreachable' } : {})
			});
			return;
		}
		if (url.pathname.startsWith('/api/')) {
			auth
				.handle(req, res, url.pathname)
				.then((handled) => handled || options.history.handle(req, res, url.pathname))
				.then((handled) => handled || comments.handle(req, res, url.pathname))
				.then(
					(handled) => {
						if (!handled) json(res, 404, { error: 'not_found' });
					},
					() => json(res, 500, { error: 'internal' })
				);
			return;
		}
		if (!assets) {
			res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' });
			res.end('The app is not built: run `npm run build` (npm start does it for you).\n');
			return;
		}
		dropUnreadableRange(req);
		assets(req, res, () => json(res, 404, { error: 'not_found' }));
	}

	server.on('close', () => loopDelay.stop());

	const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxMessageBytes });
	wss.on('error', () => {}); // errors of single sockets are handled per connection

	server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
		socket.on('error', () => socket.destroy());
		// Whatever fails here (the store, on a full disk) refuses this socket, never the process.
		upgrade(req, socket, head).catch((err: unknown) => {
			sync.log.error('a WebSocket upgrade failed', { error: String(err) });
			if (socket.writable) refuseUpgrade(socket, 503, 'Service Unavailable');
			else socket.destroy();
		});
	});

	async function upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
		// Node's own check for a missing Host does not cover upgrades.
		if (requestHost(req) === undefined) return refuseUpgrade(socket, 400, 'Bad Request');
		const url = requestUrl(req);
		if (!url) return refuseUpgrade(socket, 400, 'Bad Request');
		const prefix = SYNC_PATH + '/';
		if (!url.pathname.startsWith(prefix)) return refuseUpgrade(socket, 404, 'Not Found');
		let docId: string;
		try {
			docId = decodeURIComponent(url.pathname.slice(prefix.length));
		} catch {
			return refuseUpgrade(socket, 400, 'Bad Request');
		}
		if (!DOC_ID.test(docId)) return refuseUpgrade(socket, 400, 'Bad Request');
		// A page on another site must not get a socket carrying our user's cookie.
		if (!auth.originAllowed(req, { required: true }))
			return refuseUpgrade(socket, 403, 'Forbidden');
		const current = await auth.session(req, true);
		if (socket.destroyed) return;
		const acks = url.searchParams.get(ACKS_PARAM) === '1';
		wss.handleUpgrade(req, socket, head, (ws) => {
			// Accept, then close with 4401: a browser cannot read an HTTP status, but it can read this.
			if (!current) return ws.close(CLOSE.unauthorized, 'login required');
			try {
				sync.connect(ws, docId, {
					acks,
					role: current.session.user.role,
					sessionId: current.session.id,
					username: current.session.user.username,
					displayName: current.session.user.displayName
				});
			} catch (err) {
				sync.log.error('joining a table failed', { room: docId, error: String(err) });
				ws.close(CLOSE.storeFailed, 'table could not be joined');
			}
		});
	}

	return { server, wss };
}
