import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { deflateRawSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import { sheetToXlsx } from '../../src/lib/export/xlsx.ts';
import { XlsxImportError, xlsxToSheet } from '../../src/lib/import/xlsx.ts';
import { parseTextTable } from '../../src/lib/import/text-table.ts';
import type { SheetJSON } from '../../src/lib/model/schema.ts';
import { sheetShapeFields } from '../../src/lib/model/sheet-shape.ts';
import { REFERENCE_SHAPE } from '../../src/lib/model/shape.ts';
import { kpiRows } from '../helpers/office-workbooks.ts';
import { item } from '../helpers/sheet.ts';

const reference = parseTextTable(
	readFileSync(new URL('../../server/seed/r2-progress-table.txt', import.meta.url), 'utf8')
);

/** Everything a careless round trip would lose: conflicts, blanks, line breaks, nulls, `=`. */
function trickySheet(): SheetJSON {
	return {
		schemaVersion: 2,
		title: '令和3年度 テスト',
		planName: '',
		organisation: 'テスト市シルバー人材センター',
		fiscalYear: 2021,
		...sheetShapeFields(REFERENCE_SHAPE),
		pillars: [
			{
				id: 'pa',
				no: '1',
				title: ' 会員の増強 ',
				sections: [
					{
						id: 'sa',
						no: '(1)',
						title: '入会の促進',
						items: [
							item('i1', {
								marks: [['○', '×'], ['◎', '△', '—'], '', '—'],
								note: '一行目\n二行目\n\n四行目',
								departments: ['総務', '事業']
							}),
							item('i2', {
								no: '',
								title: '②番号のない項目',
								content: '',
								departments: [],
								yearPlan: '',
								plans: ['=SUM(A1:A2)', '', '-', '@x'],
								note: '  前後に空白  '
							}),
							item('i3', {
								no: '③',
								title: '_x0041_ と\r\nCRLF と\u0001制御文字',
								plans: ['a', 'b', 'c', 'd'],
								marks: ['○', '○', '○', '○'],
								note: ''
							})
						]
					}
				]
			},
			{
				id: 'pb',
				no: '',
				title: '番号のない柱',
				sections: [{ id: 'sb', no: '', title: '番号のない節', items: [item('i4')] }]
			}
		],
		kpis: [
			{
				id: 'k1',
				name: '契約金額',
				unit: '円',
				baseline: { label: '現状 (H29)', value: null },
				target: null,
				years: [
					{ label: '令和2年度', fiscalYear: 2020, target: 1_160_000_000, actual: null },
					{ label: '令和3年度', fiscalYear: 2021, target: 0.1, actual: -3 }
				]
			},
			{
				id: 'k2',
				name: '空の目標',
				unit: '',
				baseline: { label: '', value: 0 },
				target: 0,
				years: []
			}
		]
	};
}

async function load(bytes: Uint8Array): Promise<ExcelJS.Workbook> {
	const workbook = new ExcelJS.Workbook();
	await workbook.xlsx.load(bytes.slice().buffer);
	return workbook;
}

async function save(workbook: ExcelJS.Workbook): Promise<Uint8Array> {
	return new Uint8Array(await workbook.xlsx.writeBuffer());
}

async function importError(bytes: Uint8Array | ArrayBuffer): Promise<XlsxImportError> {
	try {
		await xlsxToSheet(bytes);
	} catch (error) {
		if (error instanceof XlsxImportError) return error;
		throw error;
	}
	throw new Error('expected an XlsxImportError, but the workbook was imported');
}

/** Reference workbook, edited in place the way an office worker would in Excel. */
async function edited(edit: (ws: ExcelJS.Worksheet) => void): Promise<Uint8Array> {
	const workbook = await load(await sheetToXlsx(reference));
	const ws = workbook.getWorksheet('進行管理表');
	if (!ws) throw new Error('test fixture: no table sheet');
	edit(ws);
	return save(workbook);
}

/**
 * The KPI sheet as format 2 and before wrote it, built by hand: each value a text, a year's
 * target and its actual in one cell (2,600人 (2,252人)), and the note on the brackets.
 */
function textKpiSheet(workbook: ExcelJS.Workbook, sheet: SheetJSON): void {
	workbook.getWorksheet('_shinko')!.getCell('B1').value = 2;
	workbook.removeWorksheet(workbook.getWorksheet('計画期間の目標')!.id);
	const ws = workbook.addWorksheet('計画期間の目標');
	ws.addRow(['<計画期間の目標>']);
	for (const row of kpiRows(sheet)) ws.addRow(row.map((text) => (text === '' ? null : text)));
	ws.addRow([]);
	ws.addRow(['※括弧は年度実績']);
}

/**
 * The reference workbook as an older Shinko wrote it (format 1): no shape in _shinko, the four
 * quarters' labels on one quarterLabels row, the KPIs as texts.
 */
async function formatOne(): Promise<Uint8Array> {
	const workbook = await load(await sheetToXlsx(reference));
	textKpiSheet(workbook, reference);
	const data = workbook.getWorksheet('_shinko')!;
	data.getCell('B1').value = 1;
	const shapeRows = [
		'levelLabels',
		'periodLabels',
		'mark',
		'department',
		'columnLabel',
		'extraColumn'
	];
	for (let row = data.rowCount; row >= 2; row--) {
		const key = data.getCell(row, 1).value;
		if (key === 'schemaVersion') data.getCell(row, 2).value = 1;
		if (key === 'periodLabels') data.getCell(row, 1).value = 'quarterLabels';
		else if (shapeRows.includes(String(key))) data.spliceRows(row, 1);
	}
	return save(workbook);
}

type ZipPart = { name: string; data: Uint8Array; method: 0 | 8; size: number };

/** A minimal zip whose directory says whatever the test wants it to say. */
function zip(parts: ZipPart[]): Uint8Array {
	const locals: Buffer[] = [];
	const central: Buffer[] = [];
	let offset = 0;
	for (const part of parts) {
		const name = Buffer.from(part.name);
		const local = Buffer.alloc(30);
		local.writeUInt32LE(0x04034b50, 0);
		local.writeUInt16LE(part.method, 8);
		local.writeUInt32LE(part.data.length, 18);
		local.writeUInt32LE(part.size, 22);
		local.writeUInt16LE(name.length, 26);
		const entry = Buffer.alloc(46);
		entry.writeUInt32LE(0x02014b50, 0);
		entry.writeUInt16LE(part.method, 10);
		entry.writeUInt32LE(part.data.length, 20);
		entry.writeUInt32LE(part.size, 24);
		entry.writeUInt16LE(name.length, 28);
		entry.writeUInt32LE(offset, 42);
		locals.push(local, name, Buffer.from(part.data));
		central.push(entry, name);
		offset += local.length + name.length + part.data.length;
	}
	const directory = Buffer.concat(central);
	const end = Buffer.alloc(22);
	end.writeUInt32LE(0x06054b50, 0);
	end.writeUInt16LE(parts.length, 8);
	end.writeUInt16LE(parts.length, 10);
	end.writeUInt32LE(directory.length, 12);
	end.writeUInt32LE(offset, 16);
	return new Uint8Array(Buffer.concat([...locals, directory, end]));
}

describe('sheetToXlsx → xlsxToSheet', () => {
	it('round-trips the reference table exactly', async () => {
		const bytes = await sheetToXlsx(reference);
		expect(await xlsxToSheet(bytes)).toStrictEqual(reference);
	});

	it('round-trips conflicts, blanks, line breaks, escapes and null KPI values', async () => {
		const sheet = trickySheet();
		const bytes = await sheetToXlsx(sheet);
		expect(await xlsxToSheet(bytes)).toStrictEqual(sheet);
		expect(await xlsxToSheet(bytes.slice().buffer)).toStrictEqual(sheet);
	});

	it('writes the published layout, ready to print', async () => {
		const workbook = await load(await sheetToXlsx(reference));
		const names = workbook.worksheets.map((ws) => [ws.name, ws.state]);
		expect(names).toEqual([
			['進行管理表', 'visible'],
			['計画期間の目標', 'visible'],
			['_shinko', 'veryHidden']
		]);

		const ws = workbook.getWorksheet('進行管理表')!;
		expect(ws.pageSetup).toMatchObject({
			paperSize: 9,
			orientation: 'landscape',
			fitToPage: true,
			fitToWidth: 1,
			fitToHeight: 0,
			printTitlesRow: '3:3'
		});
		expect(ws.pageSetup.margins?.left).toBe(0.25);
		expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 3 });
		expect(ws.getCell('A1').value).toBe(reference.title);
		expect(ws.getCell('A1').font?.bold).toBe(true);
		expect(ws.getCell('A2').value).toBe('<基本計画の取り組み>');
		expect(ws.getRow(3).values).toEqual([
			undefined,
			'取り組み項目',
			'具体的内容',
			'担当課',
			'令和2年度',
			'～6月',
			'～9月',
			'～12月',
			'～3月',
			'達成状況及び今後の方針'
		]);
		expect(ws.getCell('A4').value).toBe('1 会員の増強');
		expect(ws.getCell('A5').value).toBe('(1) 入会の促進');
		expect(ws.getCell('A6').value).toBe('①ホームページからの入会説明会参加予約');
		expect(ws.getCell('D7').value).toBe('進行管理');
		expect(ws.getCell('E7').value).toBe('×');

		const merges = (ws.model as { merges: string[] }).merges;
		for (const range of ['A1:I1', 'A4:I4', 'A5:I5', 'A6:A7', 'B6:B7', 'C6:C7', 'I6:I7']) {
			expect(merges).toContain(range);
		}
		expect(ws.getCell('I7').master.address).toBe('I6');
		const content = ws.getCell('B6');
		expect(content.border).toEqual({
			top: { style: 'thin' },
			left: { style: 'thin' },
			bottom: { style: 'thin' },
			right: { style: 'thin' }
		});
		expect(content.alignment).toMatchObject({ wrapText: true, vertical: 'top' });
		expect(ws.getCell('E7').alignment?.horizontal).toBe('center');
		expect(ws.getColumn(9).width).toBeGreaterThan(ws.getColumn(2).width ?? 0);
		// Excel cannot fit rows to text merged across them: the note's three lines set the height.
		expect(ws.getRow(7).height).toBe(21);
		expect((ws.getRow(6).height ?? 0) + 21).toBeGreaterThanOrEqual(3 * 16);

		const kpis = workbook.getWorksheet('計画期間の目標')!;
		expect(kpis.pageSetup).toMatchObject({ paperSize: 9, orientation: 'landscape', fitToWidth: 1 });
	});

	it('keeps the table’s shape in the hidden sheet; the reference table needs no legend', async () => {
		const workbook = await load(await sheetToXlsx(reference));
		const rows: unknown[][] = [];
		workbook.getWorksheet('_shinko')!.eachRow((row) => {
			const values = (row.values as unknown[]).slice(1);
			if (!['pillar', 'section', 'item', 'kpi', 'kpiYear'].includes(String(values[0])))
				rows.push(values);
		});
		expect(rows).toEqual([
			['shinko-xlsx', 3],
			['schemaVersion', 2],
			['title', reference.title],
			['planName', '第3次基本計画'],
			['organisation', ''],
			['fiscalYear', 2020],
			['levelLabels', '基本計画', '施策'],
			['periodLabels', '～6月', '～9月', '～12月', '～3月'],
			['mark', '○', '順調', 'good', 'o', ''],
			['mark', '◎', '計画以上', 'good', 'w', ''],
			['mark', '△', '一部実施', 'partly', 't', ''],
			['mark', '×', '未実施', 'behind', 'x', ''],
			['mark', '—', '該当なし', 'na', '-', ''],
			['department', '総務'],
			['department', '事業']
		]);
		// Exported as it is published: the legend is for tables of other marks (shape-formats test).
		const ws = workbook.getWorksheet('進行管理表')!;
		expect(ws.getCell('E2').value).toBeNull();
	});

	it('reads a workbook an older Shinko wrote (format 1) as the reference shape', async () => {
		expect(await xlsxToSheet(await formatOne())).toStrictEqual(reference);
	});

	it('reads the KPI sheet of format 2, each year one text with its actual in brackets', async () => {
		const workbook = await load(await sheetToXlsx(reference));
		textKpiSheet(workbook, reference);
		expect(await xlsxToSheet(await save(workbook))).toStrictEqual(reference);

		const kpis = workbook.getWorksheet('計画期間の目標')!;
		expect(kpis.getCell('D3').value).toBe('2,600人 (2,252人)');
		kpis.getCell('D4').value = '11億3千万円 (10億8千万円)';
		kpis.getCell('G5').value = '';
		const [, money, accidents] = (await xlsxToSheet(await save(workbook))).kpis;
		expect(money!.years[0]).toMatchObject({ target: 1_130_000_000, actual: 1_080_000_000 });
		expect(accidents!.years[3]).toMatchObject({ target: null, actual: null });

		kpis.getCell('E3').value = '2,700人 (2,189件)';
		const error = await importError(await save(workbook));
		expect([error.cell, error.message]).toEqual(['E3', expect.stringContaining('単位')]);
	});

	it('writes text starting with = as text, never as a formula', async () => {
		const workbook = await load(await sheetToXlsx(trickySheet()));
		const cell = workbook.getWorksheet('進行管理表')!.getCell('E8');
		expect(cell.value).toBe('=SUM(A1:A2)');
		expect(cell.formula).toBeUndefined();
	});
});

describe('xlsxToSheet on an edited workbook', () => {
	it('takes texts and marks edited in Excel', async () => {
		const bytes = await edited((ws) => {
			ws.getCell('I6').value = { richText: [{ text: '書き' }, { text: '直した' }] };
			ws.getCell('F7').value = '〇 / ×';
		});
		const sheet = await xlsxToSheet(bytes);
		const first = sheet.pillars[0]!.sections[0]!.items[0]!;
		expect(first.note).toBe('書き直した');
		expect(first.marks).toEqual(['×', ['○', '×'], '×', '×']);
	});

	it('reads the title and the KPI sheet as edited in Excel', async () => {
		const workbook = await load(await sheetToXlsx(reference));
		workbook.getWorksheet('進行管理表')!.getCell('A1').value = '令和2年度 進行管理表（修正版）';
		const kpis = workbook.getWorksheet('計画期間の目標')!;
		kpis.getCell('A3').value = '1 会員数（登録）';
		kpis.getCell('B3').value = '２，５００人'; // text, full-width, as typed with an IME
		kpis.getCell('K3').value = 1990.5; // a number typed into the blank actual of 令和3年度
		kpis.getCell('D4').value = 1_130_000_000;
		kpis.getCell('E4').value = '10億8千万円';
		kpis.getCell('L5').value = null;
		kpis.getCell('I5').value = '—'; // a dash, as the screen shows no value
		const sheet = await xlsxToSheet(await save(workbook));
		expect(sheet.title).toBe('令和2年度 進行管理表（修正版）');
		const [members, money, accidents] = sheet.kpis;
		expect(members!.name).toBe('会員数（登録）');
		expect(members!.baseline.value).toBe(2500);
		expect(members!.target).toBe(reference.kpis[0]!.target);
		expect(members!.years[3]).toMatchObject({ label: '令和3年度', target: 2900, actual: 1990.5 });
		expect(money!.years[0]).toMatchObject({ target: 1_130_000_000, actual: 1_080_000_000 });
		expect(money!.years.slice(1)).toEqual(reference.kpis[1]!.years.slice(1));
		expect(accidents!.years[2]).toMatchObject({ target: 0, actual: null });
		expect(accidents!.years.at(-1)).toMatchObject({ target: null, actual: null });
		expect(accidents!.lowerIsBetter).toBe(reference.kpis[2]!.lowerIsBetter);
	});

	it('refuses a KPI cell it cannot read, a row added and an empty title, naming the cell', async () => {
		const withKpis = async (edit: (ws: ExcelJS.Worksheet) => void) => {
			const workbook = await load(await sheetToXlsx(reference));
			edit(workbook.getWorksheet('計画期間の目標')!);
			return importError(await save(workbook));
		};
		let error = await withKpis((ws) => (ws.getCell('C3').value = '三千人くらい'));
		expect([error.sheet, error.cell]).toEqual(['計画期間の目標', 'C3']);
		expect(error.message).toContain('数値として読めません');
		error = await withKpis((ws) => (ws.getCell('C4').value = '12億人'));
		expect(error.message).toContain('単位は「円」');
		error = await withKpis((ws) => (ws.getCell('A6').value = '4 新しい指標'));
		expect([error.cell, error.message]).toEqual([
			'A6',
			expect.stringContaining('KPI の追加は Shinko の画面で')
		]);
		error = await withKpis((ws) => (ws.getCell('A4').value = '契約金額'));
		expect(error.cell).toBe('A4');
		error = await withKpis((ws) => (ws.getCell('D2').value = 'H30'));
		expect(error.message).toContain('表の設定');
		error = await importError(await edited((ws) => (ws.getCell('A1').value = '')));
		expect([error.cell, error.message]).toEqual(['A1', expect.stringContaining('表題が空です')]);
	});

	it('refuses an unknown mark, naming the cell', async () => {
		const error = await importError(await edited((ws) => (ws.getCell('F7').value = '◇')));
		expect(error.sheet).toBe('進行管理表');
		expect(error.cell).toBe('F7');
		expect(error.message).toBe(
			'シート「進行管理表」のセル F7: 進行管理のマーク「◇」は使えません（○ ◎ △ × — または空欄）'
		);
	});

	it('refuses a formula, naming the cell', async () => {
		const error = await importError(
			await edited((ws) => (ws.getCell('I12').value = { formula: '1+1', result: 2 }))
		);
		expect(error.cell).toBe('I12');
		expect(error.message).toContain('数式');
	});

	it('refuses rows added after the table', async () => {
		const error = await importError(
			await edited((ws) => (ws.getCell(ws.rowCount + 2, 2).value = 'x'))
		);
		expect(error.sheet).toBe('進行管理表');
		expect(error.message).toContain('行の追加');
	});

	it('refuses a sheet with too many rows in use', async () => {
		const error = await importError(await edited((ws) => (ws.getCell('A20000').value = 'x')));
		expect(error.message).toContain('大きすぎます');
	});

	it('refuses text longer than a cell may hold', async () => {
		const error = await importError(
			await edited((ws) => (ws.getCell('I6').value = 'あ'.repeat(100_001)))
		);
		expect(error.cell).toBe('I6');
	});
});

describe('xlsxToSheet on hostile or foreign files', () => {
	it('tells a workbook Shinko did not write by its missing hidden sheet (importBytes reads it as the office’s own)', async () => {
		const workbook = new ExcelJS.Workbook();
		workbook.addWorksheet('Sheet1').getCell('A1').value = '取り組み項目';
		const error = await importError(await save(workbook));
		expect(error.message).toContain('Shinko で書き出した .xlsx ではありません');
		expect(error.message).toContain('_shinko');
	});

	it('refuses random bytes as not a zip', async () => {
		const bytes = new Uint8Array(4096).map((_, index) => (index * 7919 + 13) % 251);
		expect((await importError(bytes)).message).toContain('zip 形式として読めません');
		expect((await importError(new TextEncoder().encode('PK not really'))).message).toContain('zip');
	});

	it('refuses a file over 10 MB before reading it', async () => {
		const error = await importError(new Uint8Array(10 * 1024 * 1024 + 1));
		expect(error.message).toContain('大きすぎます');
	});

	it('refuses a directory that claims a huge uncompressed size', async () => {
		const data = deflateRawSync(Buffer.from('<x/>'));
		const bomb = zip([{ name: 'xl/workbook.xml', data, method: 8, size: 0xfffffff0 }]);
		expect((await importError(bomb)).message).toContain('展開後のサイズが大きすぎます');
	});

	it('refuses a zip bomb by its compression ratio', async () => {
		const data = deflateRawSync(Buffer.alloc(20 * 1024 * 1024));
		const bomb = zip([{ name: 'xl/sharedStrings.xml', data, method: 8, size: 20 * 1024 * 1024 }]);
		expect((await importError(bomb)).message).toContain('zip 爆弾');
	});

	it('refuses a zip bomb whose directory lies about its size', async () => {
		const data = deflateRawSync(Buffer.alloc(20 * 1024 * 1024));
		const bomb = zip([{ name: 'xl/sharedStrings.xml', data, method: 8, size: 1000 }]);
		const started = Date.now();
		expect((await importError(bomb)).message).toContain('目次の大きさより大きく展開されます');
		expect(Date.now() - started).toBeLessThan(2000);
	});

	it('refuses a zip with more than 1000 entries', async () => {
		const parts = Array.from({ length: 1001 }, (_, index): ZipPart => {
			return { name: `f${index}`, data: new Uint8Array(0), method: 0, size: 0 };
		});
		expect((await importError(zip(parts))).message).toContain('多すぎます');
	});
});
