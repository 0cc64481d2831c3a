import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { INDEX_DOC_ID, listTables } from '../../src/lib/doc/index-doc.ts';
import { docToSheet } from '../../src/lib/doc/sheet-doc.ts';
import { sheetSchema } from '../../src/lib/model/schema.ts';
import { loadDoc, SqliteStore } from '../../server/store.ts';
import { login, ROOT, startTestServer, tempDataDir } from '../helpers/server.ts';
import { useCleanups } from '../helpers/cleanup.ts';
import { REFERENCE, shinko } from '../helpers/cli.ts';

const cleanups = useCleanups();

describe('shinko import', () => {
	it('prints the SheetJSON with --json and stores nothing', async () => {
		const data = tempDataDir();
		cleanups.push(data.remove);
		const { code, stdout } = await shinko(['import', REFERENCE, '--json'], data.dir);
		expect(code).toBe(0);
		const sheet = sheetSchema.parse(JSON.parse(stdout));
		expect(sheet.pillars.flatMap((p) => p.sections).flatMap((s) => s.items)).toHaveLength(68);
		expect(existsSync(join(data.dir, 'shinko.sqlite'))).toBe(false);
	});

	it('stores a new table, lists it in index and prints its id last', async () => {
		const data = tempDataDir();
		cleanups.push(data.remove);
		const { code, stdout } = await shinko(['import', REFERENCE], data.dir);
		expect(code).toBe(0);
		const id = stdout.trim().split('\n').pop()!;
		const store = new SqliteStore(data.dir);
		cleanups.push(() => store.close());
		expect(listTables(await loadDoc(store, INDEX_DOC_ID)).map((t) => t.id)).toEqual([id]);
		const sheet = docToSheet(await loadDoc(store, id));
		expect(sheet.kpis.map((k) => k.name)).toEqual(['会員数', '契約金額', '重篤事故']);
	});

	it('refuses a broken file naming the line, exits non-zero and stores nothing', async () => {
		const data = tempDataDir();
		cleanups.push(data.remove);
		const lines = readFileSync(REFERENCE, 'utf8').split('\n');
		const markLine = lines.findIndex((l) => l.includes('\t進行管理\t'));
		lines[markLine] = lines[markLine]!.replace(/\t[○×—]\t/, '\t◇\t');
		const bad = join(data.dir, 'bad.txt');
		writeFileSync(bad, lines.join('\n'));
		await shinko(['import', REFERENCE], data.dir);
		const before = new SqliteStore(data.dir);
		const heads = await before.heads(await before.docIds());
		before.closeNow();

		const { code, stderr } = await shinko(['import', bad], data.dir);
		expect(code).not.toBe(0);
		expect(stderr).toContain(`${markLine + 1}行目`);
		expect(stderr).toContain('◇');
		const after = new SqliteStore(data.dir);
		cleanups.push(() => after.close());
		expect(await after.heads(await after.docIds())).toEqual(heads);
		expect(listTables(await loadDoc(after, INDEX_DOC_ID))).toHaveLength(1);
	});

	it('names a missing file', async () => {
		const data = tempDataDir();
		cleanups.push(data.remove);
		const { code, stderr } = await shinko(['import', join(data.dir, 'nope.txt')], data.dir);
		expect(code).not.toBe(0);
		expect(stderr).toContain('nope.txt');
	});
});

describe('shinko users', () => {
	function shinkoWithInput(args: string[], dataDir: string, input: string) {
		const result = spawnSync(process.execPath, [join(ROOT, 'bin/shinko.js'), ...args], {
			cwd: ROOT,
			env: { ...process.env, DATA_DIR: dataDir },
			input,
			encoding: 'utf8'
		});
		return { code: result.status, stdout: result.stdout, stderr: result.stderr };
	}

	it('adds, lists, re-passwords and removes users, reading passwords from stdin', async () => {
		const data = tempDataDir();
		cleanups.push(data.remove);
		expect(
			shinkoWithInput(['users', 'add', 'sato', '--role', 'editor'], data.dir, 'first-password\n')
				.code
		).toBe(0);
		const listed = await shinko(['users', 'list'], data.dir);
		expect(listed.stdout).toContain('sato\teditor');

		const server = await startTestServer(data.dir);
		cleanups.push(() => server.close());
		await expect(login(server.url, 'sato', 'first-password')).resolves.toMatch(/^shinko_session=/);
		expect(shinkoWithInput(['users', 'passwd', 'sato'], data.dir, 'second-password\n').code).toBe(
			0
		);
		await expect(login(server.url, 'sato', 'first-password')).rejects.toThrow('401');
		await expect(login(server.url, 'sato', 'second-password')).resolves.toMatch(/^shinko_session=/);
		const nobody = shinkoWithInput(['users', 'passwd', 'nobody'], data.dir, 'third-password\n');
		expect(nobody.code).toBe(2);
		expect(nobody.stderr).toContain('nobody はいません');
		expect((await shinko(['users', 'remove', 'sato'], data.dir)).code).toBe(0);
		await expect(login(server.url, 'sato', 'second-password')).rejects.toThrow('401');
	});

	it('refuses a short password, a bad role and a duplicate, with a message', async () => {
		const data = tempDataDir();
		cleanups.push(data.remove);
		const short = shinkoWithInput(['users', 'add', 'ito', '--role', 'viewer'], data.dir, 'short\n');
		expect(short.code).not.toBe(0);
		expect(short.stderr).toContain('8 文字以上');
		const role = shinkoWithInput(
			['users', 'add', 'ito', '--role', 'boss'],
			data.dir,
			'long-enough\n'
		);
		expect(role.code).not.toBe(0);
		expect(role.stderr).toContain('--role');
		expect(
			shinkoWithInput(['users', 'add', 'ito', '--role', 'viewer'], data.dir, 'long-enough\n').code
		).toBe(0);
		const again = shinkoWithInput(
			['users', 'add', 'ito', '--role', 'viewer'],
			data.dir,
			'long-enough\n'
		);
		expect(again.code).not.toBe(0);
		expect(again.stderr).toContain('既に');
	});
});
