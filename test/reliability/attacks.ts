// The hostile-user attacks of issue #17, for `npm run soak`: each runs for a while against a
// server process while /healthz is probed every 20 ms and the server's RSS read. Each must leave
// the server up, /healthz p99 within HEALTH_P99_MS and RSS growth within RSS_GROWTH_MB.
import WebSocket from 'ws';
import * as Y from 'yjs';
import { MESSAGE } from '../../src/lib/sync/protocol.ts';
import {
	addUsers,
	ADMIN,
	deepMapChain,
	EDITOR,
	healthDuring,
	percentile,
	presenceMessage,
	rssMb,
	syncMessage,
	updateMessage,
	VIEWER
} from '../helpers/hostile.ts';
import { openRawSocket } from '../helpers/raw-socket.ts';
import {
	authedSocket,
	listTable,
	login,
	spawnServer,
	tempDataDir,
	wsUrl
} from '../helpers/server.ts';

const HEALTH_P99_MS = 200;
const RSS_GROWTH_MB = 100;
const TABLE = 'attacked';

export interface AttackReport {
	name: string;
	messages: number;
	healthP99Ms: number;
	healthMaxMs: number;
	rssGrowthMb: number;
}

export async function runAttacks(
	durationMs: number,
	log: (line: string) => void
): Promise<AttackReport[]> {
	const data = tempDataDir();
	await addUsers(data.dir, [ADMIN, EDITOR, VIEWER]);
	const server = await spawnServer(data.dir);
	const rss = () => rssMb(server.child.pid!);
	try {
		const admin = await login(server.url);
		const editor = await login(server.url, EDITOR.username, EDITOR.password);
		const viewer = await login(server.url, VIEWER.username, VIEWER.password);
		await listTable(server.url, admin, TABLE);
		const open = async (cookie: string): Promise<WebSocket> => {
			const Authed = authedSocket(server.url, cookie) as unknown as typeof WebSocket;
			const ws = new Authed(`${wsUrl(server.url)}/${TABLE}`);
			ws.on('error', () => {});
			await new Promise((resolve, reject) => {
				ws.once('open', resolve);
				ws.once('close', reject);
			});
			return ws;
		};
		/** Sends on a socket, opening a new one whenever the server closed the last. */
		const sender = (cookie: string) => {
			let ws: WebSocket | null = null;
			return async (m: Uint8Array) => {
				if (!ws || ws.readyState !== WebSocket.OPEN) ws = await open(cookie);
				ws.send(m);
			};
		};
		const deep = updateMessage(deepMapChain(6000));
		const forged = (() => {
			const doc = new Y.Doc();
			doc.getMap('changes').set('p1/note', { by: '管理者', at: 1 });
			return updateMessage(Y.encodeStateAsUpdate(doc));
		})();
		const big = (i: number) => {
			const doc = new Y.Doc();
			doc.getText('big').insert(0, `${i}` + 'あ'.repeat(300_000));
			return updateMessage(Y.encodeStateAsUpdate(doc));
		};

		const attacks: { name: string; step: (i: number) => Promise<number> }[] = [
			{
				name: 'presence nested 6,000 deep (viewer)',
				step: (() => {
					const send = sender(viewer);
					const state = '['.repeat(6000) + ']'.repeat(6000);
					return async (i) => (await send(presenceMessage([{ id: 5000 + i, clock: 1, state }])), 1);
				})()
			},
			{
				name: 'updates nesting maps 6,000 deep (editor)',
				step: (() => {
					const send = sender(editor);
					return async () => (await send(deep), 1);
				})()
			},
			{
				name: 'presence queries and step 1 from a socket that never reads',
				step: (() => {
					let raw: Awaited<ReturnType<typeof openRawSocket>> | null = null;
					const query = new Uint8Array([MESSAGE.queryAwareness]);
					const step1 = syncMessage(0, new Uint8Array([0]));
					return async () => {
						raw ??= await openRawSocket(server.port, `/sync/${TABLE}`, editor);
						raw.pause();
						raw.write(Array.from({ length: 200 }, (_, k) => ({ payload: k % 2 ? query : step1 })));
						return 200;
					};
				})()
			},
			{
				name: 'fake presence ids (20 per message)',
				step: (() => {
					const send = sender(editor);
					let id = 1_000_000;
					const state = JSON.stringify({ pad: 'x'.repeat(3000) });
					return async () => {
						await send(
							presenceMessage(Array.from({ length: 20 }, () => ({ id: id++, clock: 1, state })))
						);
						return 1;
					};
				})()
			},
			{
				name: 'marks and changes in another user’s name',
				step: (() => {
					const send = sender(editor);
					return async () => (await send(forged), 1);
				})()
			},
			{
				name: '300 K-character values until the table is full',
				step: (() => {
					const send = sender(admin);
					return async (i) => (await send(big(i)), 1);
				})()
			},
			{
				name: '20 parallel logins with wrong passwords',
				step: async () => {
					await Promise.all(
						Array.from({ length: 20 }, () =>
							fetch(`${server.url}/api/login`, {
								method: 'POST',
								headers: { 'content-type': 'application/json', origin: server.url },
								body: JSON.stringify({ username: 'sato', password: 'wrong-password' })
							}).then((r) => r.arrayBuffer())
						)
					);
					return 20;
				}
			}
		];

		const reports: AttackReport[] = [];
		for (const attack of attacks) {
			const before = rss();
			let messages = 0;
			let peak = before;
			const times = await healthDuring(server.url, async () => {
				const until = Date.now() + durationMs;
				for (let i = 0; Date.now() < until; i++) {
					messages += await attack.step(i);
					peak = Math.max(peak, rss());
					await new Promise((r) => setTimeout(r, 10));
				}
			});
			if (server.child.exitCode !== null || server.child.signalCode !== null)
				throw new Error(`the server died during: ${attack.name}`);
			const report: AttackReport = {
				name: attack.name,
				messages,
				healthP99Ms: Math.round(percentile(times, 99) * 10) / 10,
				healthMaxMs: Math.round(Math.max(...times) * 10) / 10,
				rssGrowthMb: Math.round((peak - before) * 10) / 10
			};
			reports.push(report);
			log(
				`attack: ${report.name}: ${report.messages} messages, /healthz p99 ` +
					`${report.healthP99Ms} ms (max ${report.healthMaxMs}), RSS +${report.rssGrowthMb} MB`
			);
			if (report.healthP99Ms > HEALTH_P99_MS)
				throw new Error(`/healthz p99 over ${HEALTH_P99_MS} ms during: ${attack.name}`);
			if (report.rssGrowthMb > RSS_GROWTH_MB)
				throw new Error(`RSS grew over ${RSS_GROWTH_MB} MB during: ${attack.name}`);
		}
		return reports;
	} finally {
		server.child.kill('SIGKILL');
		data.remove();
	}
}
