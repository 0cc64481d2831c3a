import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ImportMapping } from '../../src/lib/import/office/mapping.ts';
import type { SheetJSON } from '../../src/lib/model/schema.ts';
import { useCleanups } from '../helpers/cleanup.ts';
import { shinko, tableCount } from '../helpers/cli.ts';
import { halfYearWorkbook, save } from '../helpers/office-workbooks.ts';
import { tempDataDir } from '../helpers/server.ts';

const cleanups = useCleanups();

describe('shinko import of an office’s own workbook', { timeout: 120_000 }, () => {
	it('infers the mapping, takes a corrected one with --map, prints with --json and stores', async () => {
		const data = tempDataDir();
		const files = tempDataDir();
		cleanups.push(data.remove, files.remove);
		const book = join(files.dir, '進行管理表.xlsx');
		writeFileSync(book, await save(halfYearWorkbook()));

		const printed = await shinko(['import', book, '--print-map'], data.dir);
		expect(printed.code, printed.stderr).toBe(0);
		const mapping = JSON.parse(printed.stdout) as ImportMapping;
		expect(mapping.periods).toEqual(['上半期', '下半期']);
		expect(mapping.columns.find((c) => c.header === '備考')?.role).toBe('extra');

		// The office says 備考 is not to be kept, and the year plan is called 年間目標.
		const corrected = {
			...mapping,
			columns: mapping.columns.map((c) => (c.header === '備考' ? { ...c, role: 'ignore' } : c))
		};
		const mapFile = join(files.dir, 'map.json');
		writeFileSync(mapFile, JSON.stringify(corrected));
		const json = await shinko(['import', book, '--map', mapFile, '--json'], data.dir);
		expect(json.code, json.stderr).toBe(0);
		const sheet = JSON.parse(json.stdout) as SheetJSON;
		expect(sheet.extraColumns.map((c) => c.label)).toEqual(['課題']);
		expect(json.stderr).toContain('見出し 7、項目 5、目標 2 を読みました');
		expect(await tableCount(data.dir)).toBe(0);

		const stored = await shinko(['import', book], data.dir);
		expect(stored.code, stored.stderr).toBe(0);
		expect(stored.stdout).toContain('令和元年度');
		expect(await tableCount(data.dir)).toBe(1);
	});

	it('refuses a mapping that does not fit, naming the field, and stores nothing', async () => {
		const data = tempDataDir();
		const files = tempDataDir();
		cleanups.push(data.remove, files.remove);
		const book = join(files.dir, 'book.xlsx');
		writeFileSync(book, await save(halfYearWorkbook()));
		const mapFile = join(files.dir, 'map.json');

		writeFileSync(mapFile, '{"sheets": [');
		let result = await shinko(['import', book, '--map', mapFile], data.dir);
		expect(result.code).toBe(2);
		expect(result.stderr).toContain('対応表の JSON が読めません');

		const mapping = JSON.parse((await shinko(['import', book, '--print-map'], data.dir)).stdout);
		writeFileSync(mapFile, JSON.stringify({ ...mapping, periods: [] }));
		result = await shinko(['import', book, '--map', mapFile], data.dir);
		expect(result.code).toBe(2);
		expect(result.stderr).toContain('対応表の periods が正しくありません');

		const noTitle = mapping.columns.map((c: { role: string }) =>
			c.role === 'title' ? { ...c, role: 'extra' } : c
		);
		writeFileSync(mapFile, JSON.stringify({ ...mapping, columns: noTitle }));
		result = await shinko(['import', book, '--map', mapFile], data.dir);
		expect(result.code).toBe(2);
		expect(result.stderr).toContain('「取り組み項目」の列を一つ選んでください');
		expect(readFileSync(book).length).toBeGreaterThan(0);
		expect(await tableCount(data.dir)).toBe(0);
	});
});
