import { describe, expect, it } from 'vitest';
import { INDEX_DOC_ID, listTables } from '../../src/lib/doc/index-doc.ts';
import { hashPassword } from '../../server/passwords.ts';
import { loadDoc } from '../../server/store.ts';
import { login, startTestServer, tempDataDir } from '../helpers/server.ts';
import { useCleanups } from '../helpers/cleanup.ts';

const cleanups = useCleanups();

describe('history API', () => {
	it('lists automatic snapshots, takes named ones, and returns a snapshot as SheetJSON', async () => {
		const data = tempDataDir();
		const server = await startTestServer(data.dir);
		cleanups.push(data.remove, () => server.close());
		const tableId = listTables(await loadDoc(server.store, INDEX_DOC_ID))[0]!.id;
		const url = `${server.url}/api/docs/${tableId}/snapshots`;
		expect((await fetch(url)).status).toBe(401);

		const cookie = await login(server.url);
		const first = (await (await fetch(url, { headers: { cookie } })).json()) as {
			snapshots: { kind: string }[];
		};
		// A new table gets its first quarter-end snapshot at once (that day's daily copy too).
		expect(first.snapshots.map((s) => s.kind).sort()).toEqual(['quarter']);

		const created = await fetch(url, {
			method: 'POST',
			headers: { cookie, origin: server.url, 'content-type': 'application/json' },
			body: JSON.stringify({ name: '第2四半期会議後' })
		});
		expect(created.status).toBe(201);
		const { snapshot } = (await created.json()) as { snapshot: { id: number; author: string } };
		expect(snapshot.author).toBe('管理者');
		const one = (await (await fetch(`${url}/${snapshot.id}`, { headers: { cookie } })).json()) as {
			sheet: { pillars: { sections: { items: unknown[] }[] }[] };
		};
		expect(one.sheet.pillars.flatMap((p) => p.sections).flatMap((s) => s.items)).toHaveLength(68);

		await server.users.add('mori', 'viewer', await hashPassword('viewer-password'));
		const viewer = await login(server.url, 'mori', 'viewer-password');
		const refused = await fetch(url, {
			method: 'POST',
			headers: { cookie: viewer, origin: server.url, 'content-type': 'application/json' },
			body: JSON.stringify({ name: 'x' })
		});
		expect(refused.status).toBe(403);
		expect(
			(await fetch(`${server.url}/api/docs/..%2f/snapshots`, { headers: { cookie } })).status
		).toBe(400);
	});
});
