// Hostile users and careless operators (issue 17): an exported CSV that runs as a formula, an
// import that makes the server unable to start, and CLI commands that overwrite the live store,
// restore a planted trigger or role, or report success into a store no server reads.
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import {
	existsSync,
	linkSync,
	readdirSync,
	readFileSync,
	symlinkSync,
	writeFileSync
} from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { csvCell } from '../../src/lib/export/csv.ts';
import { sheetToJson } from '../../src/lib/export/json.ts';
import { MAX_ITEMS } from '../../src/lib/import/limits.ts';
import { parseTextTable } from '../../src/lib/import/text-table.ts';
import type { SheetJSON } from '../../src/lib/model/schema.ts';
import { hashPassword } from '../../server/passwords.ts';
import { MARK_FILE, SqliteStore, STORE_FILE } from '../../server/store.ts';
import { useCleanups } from '../helpers/cleanup.ts';
import { REFERENCE, shinko, tableCount } from '../helpers/cli.ts';
import { tempDataDir } from '../helpers/server.ts';

// Each CLI run starts tsx (a second or two, more on a loaded machine); a test makes up to eleven.
const CLI_TIMEOUT = 180_000;

const cleanups = useCleanups();

function dataDir(): string {
	const data = tempDataDir();
	cleanups.push(data.remove);
	return data.dir;
}

/** The store's bytes, so "unchanged" means unchanged, not just "still opens". */
function fingerprint(dir: string): string {
	return createHash('sha256')
		.update(readFileSync(join(dir, 'shinko.sqlite')))
		.digest('hex');
}

async function importReference(dir: string): Promise<string> {
	const done = await shinko(['import', REFERENCE], dir);
	expect(done.code, done.stderr).toBe(0);
	return done.stdout.trim().split('\n').pop()!;
}

describe('CSV export', () => {
	it('escapes every formula start Excel honours, full-width and after whitespace too', () => {
		const formulas = [
			...['=', '+', '-', '@', '＝', '＋', '－', '＠'].map((start) => `${start}1+1`),
			'\tx',
			'\rx',
			'\n=cmd|calc',
			' =1+1',
			'\u3000＝1+1',
			' \t@SUM(A1)',
			'-5'
		];
		for (const text of formulas) {
			const cell = csvCell(text);
			expect(cell.replace(/^"/, ''), JSON.stringify(text)).toMatch(/^'/);
		}
		// Marks, plain words and a formula sign inside the text stay as written.
		for (const text of ['—', '○', '実施', 'a=1', ' 予定', '\u3000実施']) {
			expect(csvCell(text)).toBe(text);
		}
	});
});

/** A text table of `count` items, 1000 to a section (the schema allows 2000 per section). */
function textTable(count: number): { text: string; lineOfItem: (n: number) => number } {
	const lines = ['令和2年度 大きな表', '<基本計画の取り組み>', '1 会員の増強'];
	const itemLines: number[] = [];
	for (let n = 1; n <= count; n++) {
		if (n % 1000 === 1) {
			lines.push(`(${Math.ceil(n / 1000)}) 節`);
			lines.push(
				'取り組み項目\t具体的内容\t担当課\t令和2年度\t～6月\t～9月\t～12月\t～3月\t達成状況及び今後の方針'
			);
		}
		lines.push(`項目${n}\t内容\t総務\t実施\t\t\t\t\t`);
		itemLines.push(lines.length);
		lines.push('\t\t\t進行管理\t○\t○\t○\t○');
	}
	return { text: lines.join('\n'), lineOfItem: (n) => itemLines[n - 1]! };
}

describe('the item cap on every import format', { timeout: CLI_TIMEOUT }, () => {
	it(`refuses item ${MAX_ITEMS + 1} of a text table naming its line, and stores nothing`, async () => {
		const dir = dataDir();
		await importReference(dir);
		const before = fingerprint(dir);
		const { text, lineOfItem } = textTable(MAX_ITEMS + 1);
		const file = join(dir, 'huge.txt');
		writeFileSync(file, text);

		const refused = await shinko(['import', file], dir);
		expect(refused.code).toBe(2);
		expect(refused.stderr).toContain(`huge.txt: ${lineOfItem(MAX_ITEMS + 1)}行目`);
		expect(refused.stderr).toContain('取り組み項目が多すぎます');
		expect(fingerprint(dir)).toBe(before);
		expect(await tableCount(dir)).toBe(1);

		// The cap is the limit, not below it: exactly MAX_ITEMS items read.
		const atCap = parseTextTable(textTable(MAX_ITEMS).text);
		expect(atCap.pillars[0]!.sections.flatMap((s) => s.items)).toHaveLength(MAX_ITEMS);
	});

	it('refuses the same count as a JSON backup, through the same constant', async () => {
		const dir = dataDir();
		await importReference(dir);
		const before = fingerprint(dir);
		const sheet: SheetJSON = parseTextTable(textTable(MAX_ITEMS).text);
		const last = sheet.pillars[0]!.sections.at(-1)!;
		last.items.push({ ...last.items[0]!, id: 'one-too-many' });
		const file = join(dir, 'huge.json');
		writeFileSync(file, sheetToJson(sheet));

		const refused = await shinko(['import', file], dir);
		expect(refused.code).toBe(2);
		expect(refused.stderr).toContain(`${MAX_ITEMS}個まで`);
		expect(fingerprint(dir)).toBe(before);
	});
});

describe('--out never writes into DATA_DIR', { timeout: CLI_TIMEOUT }, () => {
	it('refuses the store itself, a relative path, a symlink and a hard link into it', async () => {
		const parent = dataDir();
		const dir = join(parent, 'data');
		const id = await importReference(dir);
		const before = fingerprint(dir);
		symlinkSync(join(dir, 'shinko.sqlite'), join(parent, 'link.csv'));
		symlinkSync(join(dir, 'new.csv'), join(parent, 'dangling.csv'));
		symlinkSync(dir, join(parent, 'alias'));
		linkSync(join(dir, 'shinko.sqlite'), join(parent, 'hard.sqlite'));

		const attempts = [
			['export', id, '--format', 'csv', '--out', join(dir, 'shinko.sqlite')],
			['export', id, '--format', 'json', '--out', 'data/../data/shinko.sqlite-wal'],
			['export', id, '--format', 'csv', '--out', 'link.csv'],
			['export', id, '--format', 'csv', '--out', 'dangling.csv'],
			['export', id, '--format', 'xlsx', '--out', 'alias/new.xlsx'],
			['backup', '--out', join(dir, 'shinko.sqlite')],
			['backup', '--out', 'alias/copy.sqlite'],
			['backup', '--out', 'hard.sqlite']
		];
		for (const args of attempts) {
			const out = args.at(-1)!;
			const refused = await shinko(args, 'data', parent);
			expect(refused.code, out).toBe(2);
			expect(refused.stderr, out).toContain(`--out ${out}`);
			expect(refused.stderr, out).toContain('データディレクトリ');
		}
		expect(readdirSync(dir).sort()).toEqual([STORE_FILE, MARK_FILE].sort());
		expect(fingerprint(dir)).toBe(before);
		expect(await tableCount(dir)).toBe(1);

		const elsewhere = await shinko(
			['export', id, '--format', 'csv', '--out', 'ok.csv'],
			'data',
			parent
		);
		expect(elsewhere.code, elsewhere.stderr).toBe(0);
		expect(existsSync(join(parent, 'ok.csv'))).toBe(true);
	});
});

describe('restore builds a fresh store from checked rows', { timeout: CLI_TIMEOUT }, () => {
	/** A store with the reference table, an admin and a viewer, and a backup of it to tamper with. */
	async function storeAndBackup(): Promise<{ dir: string; backup: string; docId: string }> {
		const parent = dataDir();
		const dir = join(parent, 'data');
		const docId = await importReference(dir);
		const store = new SqliteStore(dir);
		const users = store.users(3600_000);
		await users.add('root', 'admin', await hashPassword('root-password'));
		await users.add('guest', 'viewer', await hashPassword('guest-password'));
		store.closeNow();
		const backup = join(parent, 'backup.sqlite');
		const done = await shinko(['backup', '--out', backup], dir);
		expect(done.code, done.stderr).toBe(0);
		return { dir, backup, docId };
	}

	function tamper(file: string, sql: string): void {
		const db = new Database(file);
		db.exec(sql);
		db.close();
	}

	it('carries no trigger, view or foreign object: a login stays the role it had', async () => {
		const { dir, backup } = await storeAndBackup();
		tamper(
			backup,
			`CREATE TRIGGER promote AFTER INSERT ON sessions
			   BEGIN UPDATE users SET role = 'admin' WHERE username = NEW.username; END;
			 CREATE VIEW everyone AS SELECT username FROM users;
			 CREATE TABLE notes (text TEXT);`
		);

		const restored = await shinko(['restore', backup], dir);
		expect(restored.code, restored.stderr).toBe(0);
		expect(restored.stdout).toContain('trigger promote');
		const store = new SqliteStore(dir);
		cleanups.push(() => store.close());
		const objects = store.db.prepare('SELECT type, name FROM sqlite_master').all() as {
			type: string;
			name: string;
		}[];
		expect(objects.filter((o) => o.type === 'trigger' || o.type === 'view')).toEqual([]);
		expect(objects.map((o) => o.name)).not.toContain('notes');
		const users = store.users(3600_000);
		await users.createSession('guest');
		expect((await users.get('guest'))?.user.role).toBe('viewer');
		expect(await tableCount(dir)).toBe(1);
	});

	it('refuses a role spelled Viewer, naming the table, the row and the roles', async () => {
		const { dir, backup } = await storeAndBackup();
		tamper(
			backup,
			`PRAGMA ignore_check_constraints = ON;
			 UPDATE users SET role = 'Viewer' WHERE username = 'guest';`
		);
		const before = fingerprint(dir);

		const refused = await shinko(['restore', backup], dir);
		expect(refused.code).toBe(2);
		expect(refused.stderr).toContain('users');
		expect(refused.stderr).toContain('username=guest');
		expect(refused.stderr).toContain('「Viewer」');
		expect(refused.stderr).toContain('admin / editor / viewer');
		expect(fingerprint(dir)).toBe(before);
		expect(readdirSync(dir).sort()).toEqual([STORE_FILE, MARK_FILE].sort());
	});

	it('refuses a doc row Yjs cannot apply, naming its seq and doc', async () => {
		const { dir, backup, docId } = await storeAndBackup();
		tamper(
			backup,
			`INSERT INTO updates (doc_id, data, writer, created_at) VALUES ('${docId}', x'00ff', 'x', 0)`
		);
		const seq = (() => {
			const db = new Database(backup, { readonly: true });
			const row = db.prepare('SELECT MAX(seq) AS seq FROM updates').get() as { seq: number };
			db.close();
			return row.seq;
		})();
		const before = fingerprint(dir);

		const refused = await shinko(['restore', backup], dir);
		expect(refused.code).toBe(2);
		expect(refused.stderr).toContain(`updates の行 seq=${seq} (doc_id=${docId})`);
		expect(refused.stderr).toContain('Yjs');
		expect(fingerprint(dir)).toBe(before);
		expect(readdirSync(dir).sort()).toEqual([STORE_FILE, MARK_FILE].sort());
	});
});

describe('the store the CLI uses', { timeout: CLI_TIMEOUT }, () => {
	it('without DATA_DIR, refuses to create ./data and says to set DATA_DIR', async () => {
		const cwd = dataDir();
		for (const args of [
			['users', 'list'],
			['import', REFERENCE],
			['backup', '--out', 'b.sqlite']
		]) {
			const refused = await shinko(args, null, cwd);
			expect(refused.code, args[0]).toBe(2);
			expect(refused.stderr, args[0]).toContain(join(cwd, 'data', 'shinko.sqlite'));
			expect(refused.stderr, args[0]).toContain('DATA_DIR');
		}
		expect(readdirSync(cwd)).toEqual([]);

		// An existing default store is used, and named.
		new SqliteStore(join(cwd, 'data')).closeNow();
		const listed = await shinko(['users', 'list'], null, cwd);
		expect(listed.code, listed.stderr).toBe(0);
		expect(listed.stderr).toContain(`ストア ${join(cwd, 'data', 'shinko.sqlite')}`);
	});

	it('with DATA_DIR set, creates a new store as before and names it', async () => {
		const dir = join(dataDir(), 'new');
		const done = await shinko(['import', REFERENCE], dir);
		expect(done.code, done.stderr).toBe(0);
		expect(done.stderr).toContain(`ストア ${join(dir, 'shinko.sqlite')}`);
		expect(await tableCount(dir)).toBe(1);
	});
});
