// Issue 18, 7: a restore while devices hold newer copies. The devices give the server back what it
// lost; an editor's device holding others' records is refused (4403: a replay of another user's
// record cannot be told from a forgery) until an admin's device has given them back.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { readChanges, recordChange } from '../../src/lib/doc/changes.ts';
import { SavedAcks } from '../../src/lib/sync/saved-acks.ts';
import { shinko } from '../helpers/cli.ts';
import { ADMIN, addUsers, EDITOR } from '../helpers/hostile.ts';
import {
	connectClient,
	listTable,
	login,
	spawnServer,
	synced,
	tempDataDir,
	waitFor,
	exited
} from '../helpers/server.ts';

const TABLE = 'heal';
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
	for (const c of cleanups.splice(0).reverse()) await c();
});

/** A device: its copy of the table outlives its connections. */
function device(url: string, cookie: string, doc: Y.Doc) {
	const { provider } = connectClient(url, TABLE, cookie, { doc, acks: true });
	const closes: number[] = [];
	provider.on('connection-close', (e: CloseEvent | null) => closes.push(e?.code ?? 0));
	cleanups.push(() => provider.destroy());
	return { provider, acks: new SavedAcks(provider), closes };
}

describe('a restore while devices hold newer copies', () => {
	it('is healed by the devices, an admin first for records in others’ names', async () => {
		const data = tempDataDir();
		cleanups.push(data.remove);
		await addUsers(data.dir, [ADMIN, EDITOR]);
		let server = await spawnServer(data.dir);
		cleanups.push(() => server.child.kill('SIGKILL'));
		const port = server.port;
		await listTable(server.url, await login(server.url), TABLE);
		const backup = join(tempDataDir().dir, 'backup.sqlite');
		cleanups.push(() => rmSync(join(backup, '..'), { recursive: true, force: true }));
		expect((await shinko(['backup', '--out', backup], data.dir)).code).toBe(0);

		// After the backup, both work on the table and each sees the other's records.
		const adminDoc = new Y.Doc();
		const editorDoc = new Y.Doc();
		const admin = device(server.url, await login(server.url), adminDoc);
		const editor = device(
			server.url,
			await login(server.url, EDITOR.username, EDITOR.password),
			editorDoc
		);
		await synced(admin.provider);
		await synced(editor.provider);
		adminDoc.transact(() => {
			adminDoc.getText('note').insert(0, '管理者の追記。');
			recordChange(adminDoc, 'p1s1i1', 'note', ADMIN.displayName);
		});
		editorDoc.transact(() => {
			editorDoc.getText('plan').insert(0, '佐藤の追記。');
			recordChange(editorDoc, 'p1s1i1', 'plan', EDITOR.displayName);
		});
		await waitFor(() => admin.acks.allSaved && editor.acks.allSaved, 'both saved');
		await waitFor(
			() => readChanges(editorDoc).size === 2 && readChanges(adminDoc).size === 2,
			'both seen'
		);
		admin.provider.destroy();
		editor.provider.destroy();

		// The store is put back to the backup; sessions are not restored: both log in again.
		server.child.kill('SIGTERM');
		await exited(server.child);
		const restored = await shinko(['restore', backup], data.dir);
		expect(restored.code, restored.stderr).toBe(0);
		server = await spawnServer(data.dir, port);

		// The editor's device holds the admin's record, which the server no longer has: refused.
		const editorAgain = device(
			server.url,
			await login(server.url, EDITOR.username, EDITOR.password),
			editorDoc
		);
		await waitFor(() => editorAgain.closes.includes(4403), 'the editor refused (4403)');
		// The admin's device gives everything back, the editor's records included.
		const adminAgain = device(server.url, await login(server.url), adminDoc);
		await waitFor(() => adminAgain.acks.allSaved, 'the admin device healed the server', 15_000);
		// Trying again (the app's 「もう一度接続する」 on its refusal banner): nothing in it is new now.
		editorAgain.provider.connect();
		await waitFor(() => editorAgain.provider.synced, 'the editor back in', 15_000);
		const check = connectClient(server.url, TABLE, await login(server.url));
		cleanups.push(() => check.provider.destroy());
		await synced(check.provider);
		expect(check.doc.getText('note').toString()).toBe('管理者の追記。');
		expect(check.doc.getText('plan').toString()).toBe('佐藤の追記。');
		expect([...readChanges(check.doc).values()].map((c) => c.by).sort()).toEqual(
			[ADMIN.displayName, EDITOR.displayName].sort()
		);
	}, 90_000);
});
