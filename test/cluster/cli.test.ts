// The operator's commands in cluster mode: with DATABASE_URL every command (import, export,
// users, backup, restore) works on PostgreSQL, and `migrate-store` brings a SQLite store there.
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../server/log.ts';
import { PgStore } from '../../server/pg/store.ts';
import { loadDoc } from '../../server/store.ts';
import { docToSheet } from '../../src/lib/doc/sheet-doc.ts';
import { INDEX_DOC_ID, listTables } from '../../src/lib/doc/index-doc.ts';
import { useCleanups } from '../helpers/cleanup.ts';
import { useServices } from '../helpers/services.ts';
import { REFERENCE } from '../helpers/cli.ts';
import {
	connectClient,
	login,
	ROOT,
	spawnCleanedServer,
	synced,
	tempDataDir,
	waitFor
} from '../helpers/server.ts';

const cleanups = useCleanups();
const services = useServices();

/** bin/shinko.js with this environment (DATA_DIR and DATABASE_URL only as given), and stdin. */
function shinko(
	args: string[],
	env: { DATA_DIR?: string; DATABASE_URL?: string },
	input = ''
): Promise<{ code: number | null; stdout: string; stderr: string }> {
	const base = { ...process.env };
	delete base.DATA_DIR;
	delete base.DATABASE_URL;
	const child = spawn(process.execPath, [join(ROOT, 'bin/shinko.js'), ...args], {
		cwd: ROOT,
		env: { ...base, ...env }
	});
	let stdout = '';
	let stderr = '';
	child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
	child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
	child.stdin.end(input);
	return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

async function openPg(url: string): Promise<PgStore> {
	const store = await PgStore.open(url, silentLogger);
	cleanups.push(() => store.close());
	return store;
}

describe('shinko in cluster mode (DATABASE_URL)', () => {
	it('imports, exports and manages users on PostgreSQL; a running server picks the import up', async () => {
		const url = await services.postgres.createDatabase();
		const server = await spawnCleanedServer(cleanups, { DATABASE_URL: url });
		const cookie = await login(server.url);
		const index = connectClient(server.url, INDEX_DOC_ID, cookie);
		cleanups.push(() => index.provider.destroy());
		await synced(index.provider);
		expect(listTables(index.doc)).toHaveLength(1);

		const imported = await shinko(['import', REFERENCE], { DATABASE_URL: url });
		expect(imported.code).toBe(0);
		expect(imported.stderr).toContain('DATABASE_URL');
		const id = imported.stdout.trim().split('\n').pop()!;
		// In the database, where the server reads it.
		await waitFor(() => listTables(index.doc).length === 2, 'the import listed by the server');

		const exported = await shinko(['export', id, '--format', 'json'], { DATABASE_URL: url });
		expect(exported.code).toBe(0);
		const reference = docToSheet(await loadDoc(await openPg(url), id));
		expect(JSON.parse(exported.stdout).title).toBe(reference.title);

		expect(
			(
				await shinko(
					['users', 'add', 'sato', '--role', 'editor'],
					{ DATABASE_URL: url },
					'sato-password\n'
				)
			).code
		).toBe(0);
		await login(server.url, 'sato', 'sato-password');
		const listed = await shinko(['users', 'list'], { DATABASE_URL: url });
		expect(listed.stdout).toContain('sato\teditor');
		expect(
			(await shinko(['users', 'passwd', 'nobody'], { DATABASE_URL: url }, 'whatever-123\n')).code
		).toBe(2);
		expect((await shinko(['users', 'remove', 'sato'], { DATABASE_URL: url })).code).toBe(0);
		await expect(login(server.url, 'sato', 'sato-password')).rejects.toThrow(/401/);
	}, 60_000);

	it('migrates a SQLite store into an empty PostgreSQL, never into one in use or served', async () => {
		const data = tempDataDir();
		cleanups.push(data.remove);
		expect((await shinko(['import', REFERENCE], { DATA_DIR: data.dir })).code).toBe(0);
		expect(
			(
				await shinko(
					['users', 'add', 'ito', '--role', 'viewer'],
					{ DATA_DIR: data.dir },
					'ito-password\n'
				)
			).code
		).toBe(0);
		const url = await services.postgres.createDatabase();
		const migrated = await shinko(['migrate-store', '--to', url], { DATA_DIR: data.dir });
		expect(migrated.stderr).toBe(`shinko: ストア ${join(data.dir, 'shinko.sqlite')}\n`);
		expect(migrated.code).toBe(0);
		expect(migrated.stdout).toMatch(
			/移しました: .* \(表 2、履歴 \d+ 行、利用者 1、スナップショット 0\)/
		);

		const store = await openPg(url);
		const index = await loadDoc(store, INDEX_DOC_ID);
		expect(listTables(index)).toHaveLength(1);
		expect((await store.users(3600_000).list()).map((u) => u.username)).toEqual(['ito']);
		// A server on it serves the migrated table to the migrated user.
		const server = await spawnCleanedServer(
			cleanups,
			{
				DATABASE_URL: url,
				INITIAL_ADMIN_PASSWORD: 'unused-password'
			},
			data.dir
		);
		const cookie = await login(server.url, 'ito', 'ito-password');
		const id = listTables(index)[0]!.id;
		const table = connectClient(server.url, id, cookie);
		cleanups.push(() => table.provider.destroy());
		await synced(table.provider);
		expect(docToSheet(table.doc).title).toBe(docToSheet(await loadDoc(store, id)).title);

		const again = await shinko(['migrate-store', '--to', url], { DATA_DIR: data.dir });
		expect(again.code).toBe(2);
		expect(again.stderr).toContain('サーバーが動いています');
		// A database already in use, with no server on it, is refused too.
		const used = await services.postgres.createDatabase();
		expect(
			(
				await shinko(
					['users', 'add', 'kato', '--role', 'viewer'],
					{ DATABASE_URL: used },
					'kato-password\n'
				)
			).code
		).toBe(0);
		const refused = await shinko(['migrate-store', '--to', used], { DATA_DIR: data.dir });
		expect(refused.code).toBe(2);
		expect(refused.stderr).toContain('既に表か利用者があります');
	}, 60_000);

	it('backs the database up into a file and restores it, never while a server runs', async () => {
		const url = await services.postgres.createDatabase();
		expect((await shinko(['import', REFERENCE], { DATABASE_URL: url })).code).toBe(0);
		expect(
			(
				await shinko(
					['users', 'add', 'abe', '--role', 'editor'],
					{ DATABASE_URL: url },
					'abe-password\n'
				)
			).code
		).toBe(0);
		const files = tempDataDir();
		cleanups.push(files.remove);
		const backup = join(files.dir, 'backup.sqlite');
		const made = await shinko(['backup', '--out', backup], { DATABASE_URL: url });
		expect(made.code).toBe(0);
		expect(made.stdout).toContain('利用者 1');
		// The file is what a single server's backup is: it restores into a data dir too.
		const single = tempDataDir();
		cleanups.push(single.remove);
		expect((await shinko(['restore', backup], { DATA_DIR: single.dir })).code).toBe(0);

		// Into another database: everything back, what it held kept beside the backup.
		const other = await services.postgres.createDatabase();
		expect(
			(
				await shinko(
					['users', 'add', 'gone', '--role', 'viewer'],
					{ DATABASE_URL: other },
					'gone-password\n'
				)
			).code
		).toBe(0);
		const restored = await shinko(['restore', backup], { DATABASE_URL: other });
		expect(restored.code).toBe(0);
		expect(restored.stdout).toContain('元のデータは');
		expect(readdirSync(files.dir).some((f) => f.startsWith('shinko-before-restore-'))).toBe(true);
		const a = await openPg(url);
		const b = await openPg(other);
		expect(await b.docIds()).toEqual(await a.docIds());
		for (const id of await a.docIds())
			expect(docToSheet(await loadDoc(b, id))).toEqual(docToSheet(await loadDoc(a, id)));
		expect((await b.users(1).list()).map((u) => u.username)).toEqual(['abe']);
		// Commits go on after the restored rows.
		const [id] = await b.docIds();
		const head = (await b.heads([id!])).get(id!)!;
		const next = await b.commit(
			{ updates: [{ docId: id!, update: new Uint8Array([0, 0]) }] },
			'test'
		);
		expect(next!.get(id!)!.prev).toBe(head);

		// A server running on it.
		await spawnCleanedServer(cleanups, { DATABASE_URL: other });
		const refused = await shinko(['restore', backup], { DATABASE_URL: other });
		expect(refused.code).toBe(2);
		expect(refused.stderr).toContain('サーバーが動いています');
	}, 90_000);
});
