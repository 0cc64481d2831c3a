// Cluster mode (DATABASE_URL, REDIS_URL): a viewer's comment sent to one process reaches the
// clients of another through the room's relay, and is in PostgreSQL when the answer comes.
import { describe, expect, it } from 'vitest';
import { hashPassword } from '../../server/passwords.ts';
import { loadDoc } from '../../server/store.ts';
import { readComments } from '../../src/lib/doc/comments.ts';
import { INDEX_DOC_ID, listTables } from '../../src/lib/doc/index-doc.ts';
import { useCleanups } from '../helpers/cleanup.ts';
import { useServices } from '../helpers/services.ts';
import {
	ackingClient,
	login,
	postJson,
	startTestServer,
	synced,
	tempDataDir,
	waitFor
} from '../helpers/server.ts';

const cleanups = useCleanups();
const services = useServices({ redis: true });

describe('comments through the server, in cluster mode', () => {
	it('relays a comment sent to one process to the clients of another', async () => {
		const databaseUrl = await services.postgres.createDatabase();
		/** A process on the shared database and Redis, polling the store once an hour: what it
		 * gets from the other crosses through the relay. */
		const startProcess = async () => {
			const data = tempDataDir();
			cleanups.push(data.remove);
			const server = await startTestServer(data.dir, 0, {
				databaseUrl,
				redisUrl: services.redis.url,
				storePollMs: 3600_000
			});
			cleanups.push(() => server.close());
			return server;
		};
		const first = await startProcess();
		const second = await startProcess();
		const tableId = listTables(await loadDoc(first.store, INDEX_DOC_ID))[0]!.id;
		await first.users.add('mori', 'viewer', await hashPassword('viewer-password'), '森');
		const editor = ackingClient(cleanups, second.url, tableId, await login(second.url));
		await synced(editor.provider);

		const viewer = await login(first.url, 'mori', 'viewer-password');
		const res = await postJson(
			first.url,
			`/api/docs/${tableId}/comments`,
			{ itemId: 'p3s1i1', text: '別のサーバーから' },
			{ cookie: viewer }
		);
		expect(res.status).toBe(201);
		expect(
			readComments(await loadDoc(second.store, tableId))
				.get('p3s1i1')!
				.map((c) => [c.author, c.text])
		).toEqual([['森', '別のサーバーから']]);
		await waitFor(
			() => readComments(editor.doc).get('p3s1i1')?.length === 1,
			'the comment on the other process’s client'
		);
	});
});
