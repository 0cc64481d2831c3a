// Tables of three heading levels (基本目標 › 施策 › 具体的施策) and of one, through the doc, the
// summary and every export format and back.
import { describe, it, expect } from 'vitest';
import ExcelJS from 'exceljs';
import * as Y from 'yjs';
import { insertSection } from '../../src/lib/doc/ops.ts';
import { restoreSheet } from '../../src/lib/doc/restore.ts';
import { docToSheet } from '../../src/lib/doc/sheet-doc.ts';
import { sheetToDoc } from '../../src/lib/doc/sheet-to-doc.ts';
import { readOutline, roots } from '../../src/lib/doc/table-doc.ts';
import { sheetToCsv } from '../../src/lib/export/csv.ts';
import { sheetToJson } from '../../src/lib/export/json.ts';
import { sheetToXlsx } from '../../src/lib/export/xlsx.ts';
import { importBytes } from '../../src/lib/import/any.ts';
import { parseJsonBackup } from '../../src/lib/import/json.ts';
import { countChanges, diffSheets } from '../../src/lib/model/diff.ts';
import type { SheetJSON } from '../../src/lib/model/schema.ts';
import { sheetProblems } from '../../src/lib/model/sheet-shape.ts';
import { summarize } from '../../src/lib/model/summary.ts';
import { item, smallSheet } from '../helpers/sheet.ts';

/** 1 › (1) with an item of its own, then ア and イ under it; (2) after them. */
function threeLevels(): SheetJSON {
	const sheet = smallSheet();
	sheet.levelLabels = ['基本目標', '施策', '具体的施策'];
	sheet.pillars = [
		{
			id: 'p1',
			no: '1',
			title: '安心して暮らせるまち',
			sections: [
				{ id: 's1', no: '(1)', title: '防災', items: [item('a', { marks: ['○', '', '', ''] })] },
				{
					id: 's1a',
					no: 'ア',
					title: '訓練',
					level: 3,
					items: [item('b', { marks: ['×', '', '', ''] }), item('c', { no: '②' })]
				},
				{ id: 's1b', no: 'イ', title: '備蓄', level: 3, items: [item('d')] },
				{ id: 's2', no: '(2)', title: '防犯', items: [item('e', { marks: ['×', '', '', ''] })] }
			]
		}
	];
	return sheet;
}

/** One heading level: each heading holds its items in one untitled section. */
function oneLevel(): SheetJSON {
	const sheet = smallSheet();
	sheet.levelLabels = ['施策'];
	sheet.pillars = [
		{
			id: 'p1',
			no: '1',
			title: '会員の増強',
			sections: [{ id: 's1', no: '(1)', title: '', items: [item('a'), item('b', { no: '②' })] }]
		},
		{
			id: 'p2',
			no: '2',
			title: '就業機会の拡大',
			sections: [{ id: 's2', no: '(1)', title: '', items: [item('c')] }]
		}
	];
	return sheet;
}

async function table(bytes: Uint8Array): Promise<ExcelJS.Worksheet> {
	const workbook = new ExcelJS.Workbook();
	await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
	return workbook.getWorksheet('進行管理表')!;
}

describe('a table of three heading levels', () => {
	it('is a sheet the schema accepts, and round-trips through JSON', () => {
		const sheet = threeLevels();
		expect(sheetProblems(sheet)).toEqual([]);
		expect(parseJsonBackup(sheetToJson(sheet))).toStrictEqual(sheet);
	});

	it('round-trips through the doc, keeping which headings are level 3', () => {
		const sheet = threeLevels();
		const doc = new Y.Doc();
		sheetToDoc(sheet, doc);
		expect(docToSheet(doc)).toStrictEqual(sheet);
		expect(readOutline(doc).pillars[0]!.sections.map((s) => s.level)).toEqual([2, 3, 3, 2]);
	});

	it('round-trips through xlsx, its level-3 headings indented under their level-2 one', async () => {
		const sheet = threeLevels();
		const bytes = await sheetToXlsx(sheet);
		expect(await importBytes(bytes)).toStrictEqual({ sheet, format: 'xlsx' });
		const ws = await table(bytes);
		// Rows: 4 pillar, 5 (1), 6–7 ①, 8 ア, 9–12 two items, 13 イ.
		expect(ws.getCell('A5').value).toBe('(1) 防災');
		expect(ws.getCell('A5').alignment?.indent ?? 0).toBe(0);
		expect(ws.getCell('A8').value).toBe('ア 訓練');
		expect(ws.getCell('A8').alignment?.indent).toBe(2);
		expect(ws.getCell('A13').value).toBe('イ 備蓄');
	});

	it('keeps a level-3 heading’s empty title and its number through xlsx', async () => {
		const sheet = threeLevels();
		sheet.pillars[0]!.sections[2]!.title = '';
		expect(await importBytes(await sheetToXlsx(sheet))).toStrictEqual({ sheet, format: 'xlsx' });
	});

	it('has a CSV column per level: a level-3 item names its level-2 heading too', () => {
		const rows = sheetToCsv(threeLevels()).slice(1).split('\r\n');
		expect(rows[0]!.split(',').slice(0, 4)).toEqual(['基本目標', '施策', '具体的施策', '番号']);
		expect(rows[1]!.startsWith('1 安心して暮らせるまち,(1) 防災,,①,項目 a,')).toBe(true);
		expect(rows[2]!.startsWith('1 安心して暮らせるまち,(1) 防災,ア 訓練,①,項目 b,')).toBe(true);
		expect(rows[4]!.startsWith('1 安心して暮らせるまち,(1) 防災,イ 備蓄,①,項目 d,')).toBe(true);
		expect(rows[5]!.startsWith('1 安心して暮らせるまち,(2) 防犯,,①,項目 e,')).toBe(true);
	});

	it('counts a level-2 heading with the level-3 headings it holds in the summary', () => {
		const [pillar] = summarize(threeLevels()).pillars;
		const rows = pillar!.sections.map((s) => [s.label, s.items, s.level ?? 2, s.periods[0]!['×']]);
		expect(rows).toEqual([
			['(1) 防災', 4, 2, 1],
			['ア 訓練', 2, 3, 1],
			['イ 備蓄', 1, 3, 0],
			['(2) 防犯', 1, 2, 1]
		]);
		expect(pillar!.items).toBe(5);
	});

	it('in a table of two levels, reads level-3 headings as level 2 (summary and CSV)', () => {
		const sheet = threeLevels();
		sheet.levelLabels = ['基本目標', '施策'];
		expect(sheetProblems(sheet)).toEqual([]);
		expect(summarize(sheet).pillars[0]!.sections.map((s) => s.items)).toEqual([1, 2, 1, 1]);
		const rows = sheetToCsv(sheet).slice(1).split('\r\n');
		expect(rows[0]!.split(',').slice(0, 3)).toEqual(['基本目標', '施策', '番号']);
		expect(rows[2]!.startsWith('1 安心して暮らせるまち,ア 訓練,①,')).toBe(true);
	});

	it('restores which headings are level 3 from a snapshot, both ways', () => {
		const snapshot = threeLevels();
		const doc = new Y.Doc();
		const flat = threeLevels();
		delete flat.pillars[0]!.sections[1]!.level;
		flat.pillars[0]!.sections[3]!.level = 3;
		sheetToDoc(flat, doc);
		restoreSheet(doc, snapshot, 'hanako');
		expect(docToSheet(doc)).toStrictEqual(snapshot);
	});

	it('adds a level-3 heading at the end of a level-2 heading’s own, numbered ア, イ, ウ', () => {
		const doc = new Y.Doc();
		sheetToDoc(threeLevels(), doc);
		const third = insertSection(doc, 'p1', undefined, 's1');
		const second = insertSection(doc, 'p1');
		const first = insertSection(doc, 'p1', undefined, 's2');
		const sections = readOutline(doc).pillars[0]!.sections;
		const rows = sections.map((s) => [s.id, s.row.get('no'), s.level]);
		expect(rows).toEqual([
			['s1', '(1)', 2],
			['s1a', 'ア', 3],
			['s1b', 'イ', 3],
			[third, 'ウ', 3],
			['s2', '(2)', 2],
			[first, 'ア', 3],
			[second, '(3)', 2]
		]);
	});
});

describe('three heading levels edited by two people at once', () => {
	const headings = (doc: Y.Doc) =>
		readOutline(doc).pillars[0]!.sections.map((s) => `${String(s.row.get('no'))}:${s.level}`);

	it('keeps a level-3 heading under its own level-2 heading when another is appended at once', () => {
		// Appended at the same time, the two rows get the same order key; the parent decides.
		for (let trial = 0; trial < 20; trial++) {
			const a = new Y.Doc();
			sheetToDoc(threeLevels(), a);
			const b = new Y.Doc();
			Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
			insertSection(a, 'p1');
			insertSection(b, 'p1', undefined, 's2');
			Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
			Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
			const expected = ['(1):2', 'ア:3', 'イ:3', '(2):2', 'ア:3', '(3):2'];
			expect(headings(a), `trial ${trial}`).toEqual(expected);
			expect(headings(b)).toEqual(expected);
		}
	});

	it('keeps a level-3 heading whose level-2 heading was deleted, under the one before', () => {
		const doc = new Y.Doc();
		sheetToDoc(threeLevels(), doc);
		const added = insertSection(doc, 'p1', undefined, 's2');
		roots(doc).sections.delete('s2');
		const sections = readOutline(doc).pillars[0]!.sections;
		expect(sections.map((s) => s.id)).toEqual(['s1', 's1a', 's1b', added]);
		expect(sections.at(-1)!.level).toBe(3);
	});

	it('refuses a level-3 heading under a level-3 heading', () => {
		const doc = new Y.Doc();
		sheetToDoc(threeLevels(), doc);
		expect(() => insertSection(doc, 'p1', undefined, 's1a')).toThrow(/not of level 2/);
		expect(headings(doc)).toEqual(['(1):2', 'ア:3', 'イ:3', '(2):2']);
	});

	it('shows a heading moved between levels as a change in history', () => {
		const flat = threeLevels();
		delete flat.pillars[0]!.sections[1]!.level;
		expect(countChanges(diffSheets(threeLevels(), flat))).toBe(1);
	});
});

describe('a table of one heading level', () => {
	it('has no empty section rows in its xlsx, and round-trips', async () => {
		const sheet = oneLevel();
		const bytes = await sheetToXlsx(sheet);
		const ws = await table(bytes);
		// Rows: 4 heading 1, 5–6 ①, 7–8 ②, 9 heading 2, 10–11 ①.
		expect(ws.getCell('A4').value).toBe('1 会員の増強');
		expect(ws.getCell('A5').value).toBe('①項目 a');
		expect(ws.getCell('A9').value).toBe('2 就業機会の拡大');
		expect(ws.getCell('A10').value).toBe('①項目 c');
		expect(await importBytes(bytes)).toStrictEqual({ sheet, format: 'xlsx' });
	});

	it('round-trips a two-level table’s section with neither number nor title', async () => {
		const sheet = smallSheet();
		sheet.pillars[0]!.sections[0]!.no = '';
		sheet.pillars[0]!.sections[0]!.title = '';
		expect(await importBytes(await sheetToXlsx(sheet))).toStrictEqual({ sheet, format: 'xlsx' });
	});

	it('keeps the row of a section that has a title (a table made one-level later)', async () => {
		const sheet = oneLevel();
		sheet.pillars[1]!.sections[0]!.title = '高齢者の就業';
		const bytes = await sheetToXlsx(sheet);
		expect((await table(bytes)).getCell('A10').value).toBe('(1) 高齢者の就業');
		expect(await importBytes(bytes)).toStrictEqual({ sheet, format: 'xlsx' });
	});
});
