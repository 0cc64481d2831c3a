// Crash rounds shared by crash.test.ts and the soak: clients type while the server is killed -9
// (or, in cluster mode, one of several server processes on one PostgreSQL and Redis).
//
// Each round: every client edits a Y.Text and a Y.Map at a steady rate; at a random moment the
// server process gets SIGKILL; clients keep typing offline for a moment; then the store is checked
// (every edit a client was told is saved is in it, integrity_check passes), the server is restarted
// on the same port and data dir, the stock providers reconnect by themselves, and the server (seen
// through a fresh client), every client and a doc rebuilt from the database must converge.
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { silentLogger } from '../../server/log.ts';
import { PgStore } from '../../server/pg/store.ts';
import { loadDoc, SqliteStore, type DocStore } from '../../server/store.ts';
import { openStore } from '../helpers/store.ts';
import { countingSocket, SavedAcks, type CountingSocket } from '../../src/lib/sync/saved-acks.ts';
import {
	authedSocket,
	connectClient,
	login,
	spawnServer,
	tempDataDir,
	waitFor,
	wsUrl,
	exited
} from '../helpers/server.ts';

export interface CrashOptions {
	rounds: number;
	clients?: number;
	/** Edits per second per client. */
	rate?: number;
	/** How long clients edit in a round; the kill falls at a random moment inside it. */
	windowMs?: number;
	/** How long clients keep typing offline after the kill. */
	offlineMs?: number;
	random?: () => number;
	onRound?: (round: RoundReport) => void;
	/**
	 * Cluster mode: this many server processes on this database (and relay); clients spread over
	 * them, and each round kills one at random.
	 */
	cluster?: { processes: number; databaseUrl: string; redisUrl?: string };
}

export interface RoundReport {
	round: number;
	killAtMs: number;
	/** Which process was killed (0 when there is one). */
	killed: number;
	edits: number;
	acknowledged: number;
	/** Time from the restart until server, clients and store agreed. */
	convergeMs: number;
}

interface Edit {
	client: number;
	kind: 'text' | 'map';
	token: string;
	/** The socket the edit went out on, and its count of sent updates right after it. */
	ws: WebSocket | null;
	sentAt: number;
}

const DOC_ID = 'crash';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** What a doc says, for comparing replicas: the text, the map, and the state vector. */
export function fingerprint(doc: Y.Doc): string {
	const sv = Array.from(Y.decodeStateVector(Y.encodeStateVector(doc))).sort(([a], [b]) => a - b);
	// Map keys sorted: toJSON lists them in the order this replica happened to receive them.
	const m = Object.entries(doc.getMap('m').toJSON()).sort(([a], [b]) => (a < b ? -1 : 1));
	return JSON.stringify({ t: doc.getText('t').toString(), m, sv });
}

export async function runCrashRounds(options: CrashOptions): Promise<RoundReport[]> {
	const { rounds, clients: clientCount = 8, rate = 20, windowMs = 1200, offlineMs = 150 } = options;
	const random = options.random ?? Math.random;
	const cluster = options.cluster;
	const env: Record<string, string> = cluster
		? {
				DATABASE_URL: cluster.databaseUrl,
				...(cluster.redisUrl ? { REDIS_URL: cluster.redisUrl } : {})
			}
		: {};
	const dirs = Array.from({ length: cluster?.processes ?? 1 }, () => tempDataDir());
	const servers = await Promise.all(dirs.map((d) => spawnServer(d.dir, 0, env)));
	const ports = servers.map((s) => s.port);
	const openStoreOf = () =>
		cluster ? PgStore.open(cluster.databaseUrl, silentLogger) : openStore(dirs[0]!.dir);
	const cookie = await login(servers[0]!.url);
	const clients = Array.from({ length: clientCount }, (_, n) => {
		const url = servers[n % servers.length]!.url;
		const doc = new Y.Doc();
		const provider = new WebsocketProvider(wsUrl(url), DOC_ID, doc, {
			WebSocketPolyfill: countingSocket(authedSocket(url, cookie)),
			disableBc: true,
			params: { acks: '1' },
			// The default backoff (up to 2.5 s) would dominate a short round.
			maxBackoffTime: 200
		});
		// Acks count per connection: remember the highest one for each socket.
		const ackedBySocket = new Map<WebSocket, number>();
		const acks = new SavedAcks(provider, () => {
			if (provider.ws) ackedBySocket.set(provider.ws, acks.acked);
		});
		return { doc, provider, ackedBySocket, process: n % servers.length };
	});
	const reports: RoundReport[] = [];
	try {
		await waitFor(() => clients.every((c) => c.provider.synced), 'clients synced', 15_000);
		for (let round = 0; round < rounds; round++) {
			const edits: Edit[] = [];
			let counter = 0;
			const timers = clients.map((c, n) =>
				setInterval(() => {
					const i = counter++;
					const token = `<${round}:${n}:${i}>`;
					const kind = i % 3 === 0 ? 'map' : 'text';
					if (kind === 'map') c.doc.getMap('m').set(token, i);
					else {
						const text = c.doc.getText('t');
						// At either end only: an insert inside another token would split it.
						text.insert(random() < 0.5 ? 0 : text.length, token);
					}
					// The provider sends synchronously from the doc's update event, if connected.
					const ws = c.provider.wsconnected ? c.provider.ws : null;
					const sentAt = (ws as (WebSocket & Partial<CountingSocket>) | null)?.sentUpdates ?? 0;
					edits.push({ client: n, kind, token, ws, sentAt });
				}, 1000 / rate)
			);
			const killAtMs = Math.floor(100 + random() * (windowMs - 100));
			const killed = Math.floor(random() * servers.length);
			await sleep(killAtMs);
			servers[killed]!.child.kill('SIGKILL');
			await sleep(offlineMs);
			timers.forEach(clearInterval);
			await exited(servers[killed]!.child);
			await waitFor(
				() => clients.every((c) => c.process !== killed || !c.provider.wsconnected),
				'clients noticed the crash',
				10_000
			);
			// Acks that were on the wire at the kill count too: the server sent them after its write.
			const acknowledged = edits.filter((e) => {
				if (!e.ws) return false;
				return (clients[e.client]!.ackedBySocket.get(e.ws) ?? 0) >= e.sentAt;
			});
			await checkStore(openStoreOf, acknowledged, round);

			const restartedAt = Date.now();
			servers[killed] = await spawnServer(dirs[killed]!.dir, ports[killed], env);
			await converge(servers[0]!.url, cookie, clients, openStoreOf, round);
			reports.push({
				round,
				killAtMs,
				killed,
				edits: edits.length,
				acknowledged: acknowledged.length,
				convergeMs: Date.now() - restartedAt
			});
			options.onRound?.(reports[reports.length - 1]!);
			for (const c of clients) c.ackedBySocket.clear();
		}
	} finally {
		// Destroying the doc also stops the provider's awareness timer.
		for (const c of clients) {
			c.provider.destroy();
			c.doc.destroy();
		}
		for (const server of servers) {
			server.child.kill('SIGKILL');
			await exited(server.child);
		}
		for (const d of dirs) d.remove();
	}
	return reports;
}

async function checkStore(
	open: () => Promise<DocStore>,
	acknowledged: Edit[],
	round: number
): Promise<void> {
	const store = await open();
	try {
		if (store instanceof SqliteStore) {
			const integrity = store.db.pragma('integrity_check', { simple: true });
			if (integrity !== 'ok') throw new Error(`round ${round}: integrity_check says ${integrity}`);
		}
		const doc = await loadDoc(store, DOC_ID);
		const text = doc.getText('t').toString();
		const map = doc.getMap('m');
		const lost = acknowledged.filter((e) =>
			e.kind === 'text' ? !text.includes(e.token) : !map.has(e.token)
		);
		if (lost.length > 0) {
			throw new Error(
				`round ${round}: ${lost.length} of ${acknowledged.length} acknowledged edits missing ` +
					`from the store, e.g. ${lost
						.slice(0, 5)
						.map((e) => e.token)
						.join(' ')}`
			);
		}
		doc.destroy();
	} finally {
		await store.close();
	}
}

async function converge(
	url: string,
	cookie: string,
	clients: { doc: Y.Doc; provider: WebsocketProvider }[],
	open: () => Promise<DocStore>,
	round: number
): Promise<void> {
	await waitFor(
		() => clients.every((c) => c.provider.wsconnected && c.provider.synced),
		`round ${round}: clients reconnected`,
		15_000
	);
	// A fresh client sees exactly what the server holds in memory.
	const probe = connectClient(url, DOC_ID, cookie);
	try {
		const expected = () => fingerprint(clients[0]!.doc);
		await waitFor(
			() =>
				probe.provider.synced &&
				clients.every((c) => fingerprint(c.doc) === fingerprint(probe.doc)),
			`round ${round}: server and clients converge`,
			15_000
		).catch((err: Error) => {
			const distinct = new Set(clients.map((c) => fingerprint(c.doc)));
			throw new Error(`${err.message} (${distinct.size} distinct client states)`);
		});
		// The server relays before it commits: what the probe has reaches the disk a moment later.
		const store = await open();
		try {
			await waitFor(
				async () => {
					const rebuilt = await loadDoc(store, DOC_ID);
					const same = fingerprint(rebuilt) === expected();
					rebuilt.destroy();
					return same;
				},
				`round ${round}: the doc rebuilt from the database to match`,
				5_000
			);
		} finally {
			await store.close();
		}
	} finally {
		probe.provider.destroy();
		probe.doc.destroy();
	}
}
