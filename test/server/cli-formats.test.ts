import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseTextTable } from '../../src/lib/import/text-table.ts';
import type { SheetJSON } from '../../src/lib/model/schema.ts';
import { sheetShapeFields } from '../../src/lib/model/sheet-shape.ts';
import { TABLE_PRESETS } from '../../src/lib/model/shape-presets.ts';
import { item } from '../helpers/sheet.ts';
import { startTestServer, tempDataDir } from '../helpers/server.ts';
import { useCleanups } from '../helpers/cleanup.ts';
import { REFERENCE, shinko, tableCount } from '../helpers/cli.ts';

const reference = parseTextTable(readFileSync(REFERENCE, 'utf8'));

const V2_ONLY = [
	'levelLabels',
	'periodLabels',
	'markScale',
	'departments',
	'columnLabels',
	'extraColumns'
];

/** A table of another shape: two half-years, marks S A B C, an added column 課題. */
function halfYearSheet(): SheetJSON {
	const preset = TABLE_PRESETS.find((p) => p.id === 'half-year')!.shape;
	const shape = {
		...preset,
		departments: [{ id: 'd0', name: '総務課' }],
		columns: [...preset.columns, { key: 'xissue', label: '課題' }]
	};
	return {
		schemaVersion: 2,
		title: '令和6年度 進行管理表',
		planName: '',
		organisation: '',
		fiscalYear: 2024,
		...sheetShapeFields(shape),
		pillars: [
			{
				id: 'p1',
				no: '1',
				title: '安心',
				sections: [
					{
						id: 's1',
						no: '(1)',
						title: '防災',
						items: [
							item('a', {
								departments: ['総務課'],
								plans: ['上期', '下期'],
								marks: ['S', 'B'],
								extra: { xissue: '人手' }
							}),
							item('b', { no: '②', departments: [], plans: ['', ''], marks: ['', 'C'] })
						]
					}
				]
			}
		],
		kpis: []
	};
}

const cleanups = useCleanups();

// Up to eight CLI runs, each starting tsx: slow on a loaded machine.
describe('shinko export and import, every format', { timeout: 120_000 }, () => {
	it('round-trips the reference table through json and xlsx; csv has the BOM', async () => {
		const data = tempDataDir();
		// Exports go beside the data dir: the CLI never writes into it through --out.
		const outDir = tempDataDir();
		cleanups.push(data.remove, outDir.remove);
		const imported = await shinko(['import', REFERENCE], data.dir);
		const id = imported.stdout.trim().split('\n').pop()!;
		for (const format of ['json', 'xlsx'] as const) {
			const file = join(outDir.dir, `out.${format}`);
			expect((await shinko(['export', id, '--format', format, '--out', file], data.dir)).code).toBe(
				0
			);
			const back = await shinko(['import', file, '--json'], data.dir);
			expect(back.code, back.stderr).toBe(0);
			expect(JSON.parse(back.stdout)).toEqual(reference);
			expect(JSON.parse(back.stdout).schemaVersion).toBe(2);
		}
		const csv = join(outDir.dir, 'out.csv');
		expect((await shinko(['export', id, '--format', 'csv', '--out', csv], data.dir)).code).toBe(0);
		const bytes = readFileSync(csv);
		expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
		expect(bytes.toString('utf8').trim().split('\r\n')).toHaveLength(69);
		const bad = await shinko(['export', id, '--format', 'pdf'], data.dir);
		expect(bad.code).not.toBe(0);
		expect(bad.stderr).toContain('--format');
	});

	it('stores a half-year table with S A B C and 課題, and exports it unchanged', async () => {
		const data = tempDataDir();
		const outDir = tempDataDir();
		cleanups.push(data.remove, outDir.remove);
		const sheet = halfYearSheet();
		const source = join(outDir.dir, 'half-year.json');
		writeFileSync(source, JSON.stringify(sheet));
		const imported = await shinko(['import', source], data.dir);
		expect(imported.code, imported.stderr).toBe(0);
		const id = imported.stdout.trim().split('\n').pop()!;
		const file = join(outDir.dir, 'out.xlsx');
		const exported = await shinko(['export', id, '--format', 'xlsx', '--out', file], data.dir);
		expect(exported.code, exported.stderr).toBe(0);
		const back = await shinko(['import', file, '--json'], data.dir);
		expect(back.code, back.stderr).toBe(0);
		expect(JSON.parse(back.stdout)).toEqual(sheet);
	});

	it('imports a version 1 JSON backup as the reference shape', async () => {
		const data = tempDataDir();
		cleanups.push(data.remove);
		// As an older Shinko wrote it: quarterLabels, no shape, no added columns' texts.
		const v1: Record<string, unknown> = {
			...structuredClone(reference),
			schemaVersion: 1,
			quarterLabels: reference.periodLabels
		};
		for (const key of V2_ONLY) delete v1[key];
		for (const p of v1.pillars as SheetJSON['pillars'])
			for (const s of p.sections) for (const i of s.items) delete (i as Partial<typeof i>).extra;
		const file = join(data.dir, 'v1.json');
		writeFileSync(file, JSON.stringify(v1));
		const back = await shinko(['import', file, '--json'], data.dir);
		expect(back.code, back.stderr).toBe(0);
		expect(JSON.parse(back.stdout)).toEqual(reference);
	});

	it('refuses hostile files with a message and stores nothing', async () => {
		const data = tempDataDir();
		cleanups.push(data.remove);
		await shinko(['import', REFERENCE], data.dir);
		const hostile: [string, string | Buffer, string][] = [
			['proto.json', '{"schemaVersion":1,"__proto__":{"polluted":true}}', '__proto__'],
			['deep.json', '['.repeat(10_000) + ']'.repeat(10_000), ''],
			['fake.xlsx', Buffer.concat([Buffer.from('PK\u0003\u0004'), Buffer.alloc(2000, 7)]), ''],
			['huge.txt', 'x'.repeat(21 * 1024 * 1024), '大きすぎ']
		];
		for (const [name, content, expected] of hostile) {
			const file = join(data.dir, name);
			writeFileSync(file, content);
			const result = await shinko(['import', file], data.dir);
			expect(result.code, name).not.toBe(0);
			expect(result.stderr, name).toMatch(/^shinko: /);
			if (expected) expect(result.stderr, name).toContain(expected);
		}
		expect(await tableCount(data.dir)).toBe(1);
		expect(({} as Record<string, unknown>).polluted).toBeUndefined();
	});
});

describe('shinko backup and restore', () => {
	it('backs up a running store consistently and restores it once the server is stopped', async () => {
		const data = tempDataDir();
		cleanups.push(data.remove);
		const server = await startTestServer(join(data.dir, 'store'));
		const storeDir = join(data.dir, 'store');
		const backup = join(data.dir, 'backup.sqlite');
		const done = await shinko(['backup', '--out', backup], storeDir);
		expect(done.code, done.stderr).toBe(0);
		await shinko(['import', REFERENCE], storeDir);
		expect(await tableCount(storeDir)).toBe(2);

		// The server never holds the store while it is swapped.
		const refused = await shinko(['restore', backup], storeDir);
		expect(refused.code).not.toBe(0);
		expect(refused.stderr).toContain('サーバーが動いています');
		await server.close();

		const restored = await shinko(['restore', backup], storeDir);
		expect(restored.code, restored.stderr).toBe(0);
		expect(await tableCount(storeDir)).toBe(1);
		const garbage = join(data.dir, 'garbage.sqlite');
		writeFileSync(garbage, 'not a database');
		const bad = await shinko(['restore', garbage], storeDir);
		expect(bad.code).not.toBe(0);
		expect(await tableCount(storeDir)).toBe(1);
	});
});
