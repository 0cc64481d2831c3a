// Issue 18, 3: a store that is empty, missing, behind what clients were told is saved, or holding
// a row Yjs cannot read. Never silently replaced by a new one; one bad table never takes the rest.
import { execFileSync } from 'node:child_process';
import {
	copyFileSync,
	existsSync,
	openSync,
	readFileSync,
	rmSync,
	statSync,
	truncateSync,
	writeFileSync,
	writeSync,
	closeSync
} from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MARK_FILE, SqliteStore, STORE_FILE } from '../../server/store.ts';
import { SavedAcks } from '../../src/lib/sync/saved-acks.ts';
import { shinko } from '../helpers/cli.ts';
import { addUsers, EDITOR } from '../helpers/hostile.ts';
import {
	connectClient,
	login,
	ROOT,
	spawnServer,
	startTestServer,
	synced,
	tempDataDir,
	waitFor,
	exited
} from '../helpers/server.ts';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
	for (const c of cleanups.splice(0).reverse()) await c();
});

/**
 * A server process on a fresh data dir, a client that has typed `edits` tokens and been told each
 * is saved, then kill -9: the store as a crash leaves it (its last commits in the WAL).
 */
async function crashedStore(edits = 30) {
	const data = tempDataDir();
	cleanups.push(data.remove);
	const server = await spawnServer(data.dir);
	cleanups.push(() => server.child.kill('SIGKILL'));
	const cookie = await login(server.url);
	const client = connectClient(server.url, 'crashed', cookie, { acks: true });
	const acks = new SavedAcks(client.provider);
	await synced(client.provider);
	const text = client.doc.getText('t');
	for (let i = 0; i < edits; i++) {
		text.insert(text.length, `<${i}>`);
		await waitFor(() => acks.allSaved, `edit ${i} saved`);
	}
	const saved = text.toString();
	client.provider.destroy();
	server.child.kill('SIGKILL');
	await exited(server.child);
	return { dir: data.dir, saved, cookie };
}

/** Starting the server in `dir` fails; returns what it said. */
async function refusedStart(dir: string): Promise<string> {
	const err = await startTestServer(dir).then(
		(running) => {
			cleanups.push(() => running.close());
			throw new Error('the server started');
		},
		(e: Error) => e
	);
	expect(err.name).toBe('StoreCheckError');
	return err.message;
}

/** What a fresh server holds of the crashed table. */
async function servedText(dir: string): Promise<string> {
	const running = await startTestServer(dir);
	cleanups.push(() => running.close());
	const cookie = await login(running.url);
	const client = connectClient(running.url, 'crashed', cookie);
	await synced(client.provider);
	const text = client.doc.getText('t').toString();
	client.provider.destroy();
	return text;
}

describe('a store that is not what was saved', () => {
	it('refuses to start on an empty store in a used data dir, saying how to restore', async () => {
		const { dir } = await crashedStore(3);
		truncateSync(join(dir, STORE_FILE), 0);
		rmSync(join(dir, `${STORE_FILE}-wal`), { force: true });
		const said = await refusedStart(dir);
		expect(said).toContain(`${STORE_FILE} が空です`);
		expect(said).toContain('npx shinko restore');
		expect(said).toContain(MARK_FILE);
		// Nothing was written: no admin, no reference table over what is gone.
		expect(statSync(join(dir, STORE_FILE)).size).toBe(0);
	}, 60_000);

	it('refuses to start on a missing store, the WAL or the pid file left', async () => {
		const { dir } = await crashedStore(3);
		rmSync(join(dir, STORE_FILE));
		const said = await refusedStart(dir);
		expect(said).toContain(`${STORE_FILE} がありません`);
		expect(said).toContain(`${STORE_FILE}-wal`);
		expect(said).toContain('server.pid');
		expect(existsSync(join(dir, STORE_FILE))).toBe(false);
	}, 60_000);

	it('refuses a store whose WAL was deleted after kill -9, then starts once restored', async () => {
		const { dir, saved } = await crashedStore();
		// A copy of the stopped store with its WAL is a backup that holds everything.
		const backup = join(tempDataDir().dir, 'backup.sqlite');
		cleanups.push(() => rmSync(join(backup, '..'), { recursive: true, force: true }));
		copyFileSync(join(dir, STORE_FILE), backup);
		copyFileSync(join(dir, `${STORE_FILE}-wal`), `${backup}-wal`);
		rmSync(join(dir, `${STORE_FILE}-wal`));
		rmSync(join(dir, `${STORE_FILE}-shm`), { force: true });
		const said = await refusedStart(dir);
		expect(said).toMatch(/表がひとつもありません|保存済みと応答した更新の一部がありません/);
		expect(said).toContain('npx shinko restore');
		const restored = await shinko(['restore', backup], dir);
		expect(restored.code, restored.stderr).toBe(0);
		expect(await servedText(dir)).toBe(saved);
	}, 60_000);

	it('refuses a truncated WAL, and starts from what is left once the mark is removed', async () => {
		const { dir, saved } = await crashedStore();
		const wal = join(dir, `${STORE_FILE}-wal`);
		truncateSync(wal, Math.floor(statSync(wal).size / 2));
		const said = await refusedStart(dir);
		expect(said).toContain('保存済みと応答した更新の一部がありません');
		expect(said).toContain(join(dir, MARK_FILE));
		// The way out the message gives: start from what the store still has.
		rmSync(join(dir, MARK_FILE));
		const left = await servedText(dir);
		expect(saved.startsWith(left)).toBe(true);
		expect(left.length).toBeLessThan(saved.length);
	}, 60_000);

	it('refuses a WAL with flipped bits', async () => {
		const { dir } = await crashedStore();
		const wal = join(dir, `${STORE_FILE}-wal`);
		const size = statSync(wal).size;
		const fd = openSync(wal, 'r+');
		// A few bytes in the middle: SQLite's frame checksums drop that frame and all after it.
		const at = Math.floor(size / 2);
		const bytes = readFileSync(wal)
			.subarray(at, at + 8)
			.map((b) => b ^ 0xff);
		writeSync(fd, bytes, 0, bytes.length, at);
		closeSync(fd);
		expect(await refusedStart(dir)).toContain('保存済みと応答した更新の一部がありません');
	}, 60_000);

	it('refuses a store whose header is damaged, and a restore puts a good one in place', async () => {
		const { dir, saved } = await crashedStore(5);
		const backup = join(tempDataDir().dir, 'backup.sqlite');
		cleanups.push(() => rmSync(join(backup, '..'), { recursive: true, force: true }));
		expect((await shinko(['backup', '--out', backup], dir)).code).toBe(0);
		const fd = openSync(join(dir, STORE_FILE), 'r+');
		writeSync(fd, Buffer.alloc(100, 0x41), 0, 100, 0);
		closeSync(fd);
		const said = await refusedStart(dir);
		expect(said).toContain('を開けません');
		expect(said).toContain('npx shinko restore');
		const restored = await shinko(['restore', backup], dir);
		expect(restored.code, restored.stderr).toBe(0);
		expect(await servedText(dir)).toBe(saved);
	}, 60_000);

	it('starts as new after a first start that was killed before it seeded', async () => {
		const data = tempDataDir();
		cleanups.push(data.remove);
		// The first start's check and open, then the process gone without closing the store (as
		// kill -9 leaves it: the schema only in the WAL).
		const script =
			`const { openCheckedStore } = await import(${JSON.stringify(join(ROOT, 'server/store-check.ts'))});` +
			`openCheckedStore(${JSON.stringify(data.dir)}); process.exit(0);`;
		execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
			cwd: ROOT
		});
		expect(existsSync(join(data.dir, `${STORE_FILE}-wal`))).toBe(true);
		const running = await startTestServer(data.dir);
		cleanups.push(() => running.close());
		const cookie = await login(running.url);
		expect(cookie).toBeTruthy();
	}, 60_000);

	it('starts on a data dir with users added before the first start (`shinko users add`)', async () => {
		const data = tempDataDir();
		cleanups.push(data.remove);
		await addUsers(data.dir, [EDITOR]);
		const running = await startTestServer(data.dir);
		cleanups.push(() => running.close());
		expect((await running.users.get(EDITOR.username))?.user.role).toBe('editor');
	}, 60_000);
});

describe('a row Yjs cannot read', () => {
	const GARBAGE = Uint8Array.from([0xff, 0xff, 0xff, 0xff, 0x0f, 1, 2, 3]);

	async function twoTables() {
		const data = tempDataDir();
		cleanups.push(data.remove);
		const running = await startTestServer(data.dir);
		const cookie = await login(running.url);
		for (const docId of ['good', 'bad']) {
			const client = connectClient(running.url, docId, cookie, { acks: true });
			const acks = new SavedAcks(client.provider);
			await synced(client.provider);
			client.doc.getText('t').insert(0, `${docId} table`);
			await waitFor(() => acks.allSaved, `${docId} saved`);
			client.provider.destroy();
		}
		return { dir: data.dir, running, cookie };
	}

	function closeCode(url: string, cookie: string, docId: string): Promise<number> {
		const client = connectClient(url, docId, cookie);
		return new Promise((resolve) => {
			client.provider.on('connection-close', (e: CloseEvent | null) => {
				setTimeout(() => client.provider.destroy());
				resolve(e?.code ?? 0);
			});
		});
	}

	it('at start: names the table and the way out, and serves the others', async () => {
		const { dir, running } = await twoTables();
		await running.close();
		const store = new SqliteStore(dir);
		await store.commit({ updates: [{ docId: 'bad', update: GARBAGE }] }, 'cli');
		store.closeNow();

		const logged: { level: string; message: string; docId?: string; wayOut?: string }[] = [];
		const log =
			(level: string) =>
			(message: string, fields: Record<string, unknown> = {}) =>
				logged.push({ level, message, ...fields });
		const { startServer } = await import('../../server/main.ts');
		const { readConfig } = await import('../../server/config.ts');
		const again = await startServer(
			{ ...readConfig({ DATA_DIR: dir, PORT: '0' }), initialAdminPassword: undefined },
			{ info: log('info'), warn: log('warn'), error: log('error') }
		);
		cleanups.push(() => again.close());
		const cookie = await login(again.url);
		const bad = logged.find((l) => l.docId === 'bad');
		expect(bad?.level).toBe('error');
		expect(bad?.wayOut).toContain('npx shinko restore');

		expect(await closeCode(again.url, cookie, 'bad')).toBe(1011);
		const good = connectClient(again.url, 'good', cookie);
		await synced(good.provider);
		expect(good.doc.getText('t').toString()).toBe('good table');
		good.provider.destroy();
	}, 60_000);

	it('while running: closes that table only, and the process and other tables go on', async () => {
		const { dir, running, cookie } = await twoTables();
		cleanups.push(() => running.close());
		const good = connectClient(running.url, 'good', cookie, { acks: true });
		const goodAcks = new SavedAcks(good.provider);
		const bad = connectClient(running.url, 'bad', cookie);
		cleanups.push(
			() => good.provider.destroy(),
			() => bad.provider.destroy()
		);
		await synced(good.provider);
		await synced(bad.provider);
		const closes: number[] = [];
		bad.provider.on('connection-close', (e: CloseEvent | null) => closes.push(e?.code ?? 0));
		// Another writer (the CLI, another process) appends a row the room cannot apply.
		const store = new SqliteStore(dir);
		await store.commit({ updates: [{ docId: 'bad', update: GARBAGE }] }, 'cli');
		store.closeNow();
		await waitFor(() => closes.includes(1011), 'the bad table closed with 1011');
		good.doc.getText('t').insert(0, '続けて');
		await waitFor(() => goodAcks.allSaved, 'the good table still saves');
		expect(good.provider.wsconnected).toBe(true);
	}, 60_000);
});

// The mark is written in place: a store copied in by hand (an older backup) is refused too.
it('refuses an older copy of the store put in place by hand, until the mark is removed', async () => {
	const { dir, saved } = await crashedStore(5);
	const old = readFileSync(join(dir, STORE_FILE));
	const running = await startTestServer(dir);
	const cookie = await login(running.url);
	const client = connectClient(running.url, 'crashed', cookie, { acks: true });
	const acks = new SavedAcks(client.provider);
	await synced(client.provider);
	client.doc.getText('t').insert(0, '<later>');
	await waitFor(() => acks.allSaved, 'a later edit saved');
	client.provider.destroy();
	await running.close();
	writeFileSync(join(dir, STORE_FILE), old);
	rmSync(join(dir, `${STORE_FILE}-wal`), { force: true });
	expect(await refusedStart(dir)).toMatch(
		/表がひとつもありません|保存済みと応答した更新の一部がありません/
	);
	expect(saved).not.toContain('<later>');
}, 60_000);
