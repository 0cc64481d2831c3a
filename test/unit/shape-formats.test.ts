// A table that is not the reference one (two half-years, marks S A B C, a renamed column and an
// added column 課題) through every export format and back.
import { describe, it, expect } from 'vitest';
import ExcelJS from 'exceljs';
import { sheetToCsv } from '../../src/lib/export/csv.ts';
import { sheetToJson } from '../../src/lib/export/json.ts';
import { sheetToXlsx } from '../../src/lib/export/xlsx.ts';
import { importBytes } from '../../src/lib/import/any.ts';
import { JsonImportError, parseJsonBackup } from '../../src/lib/import/json.ts';
import { XlsxImportError, xlsxToSheet } from '../../src/lib/import/xlsx.ts';
import type { SheetJSON } from '../../src/lib/model/schema.ts';
import { sheetShapeFields } from '../../src/lib/model/sheet-shape.ts';
import { TABLE_PRESETS } from '../../src/lib/model/shape-presets.ts';
import { STANDARD_COLUMN_DEFS, type TableShape } from '../../src/lib/model/shape.ts';
import { item } from '../helpers/sheet.ts';

const HALF_YEAR = TABLE_PRESETS.find((preset) => preset.id === 'half-year')!.shape;

const SHAPE: TableShape = {
	...HALF_YEAR,
	departments: [
		{ id: 'd0', name: '総務課' },
		{ id: 'd1', name: '企画課' }
	],
	columns: [
		...STANDARD_COLUMN_DEFS.map((column) =>
			column.key === 'title' ? { ...column, label: '事業名' } : column
		),
		{ key: 'xissue', label: '課題' }
	]
};

/** The half-year table: conflicts, a mark taken off the scale that a cell still holds, blanks. */
function halfYearSheet(): SheetJSON {
	return {
		schemaVersion: 2,
		title: '令和6年度 総合計画 進行管理表',
		planName: '第2次総合計画',
		organisation: 'テスト市',
		fiscalYear: 2024,
		...sheetShapeFields(SHAPE, [
			{ id: 'sx', mark: 'D', label: '大幅な遅れ', tone: 'behind', key: '' }
		]),
		pillars: [
			{
				id: 'p1',
				no: '1',
				title: '安心して暮らせるまち',
				sections: [
					{
						id: 's1',
						no: '(1)',
						title: '防災',
						items: [
							item('a', {
								title: '防災訓練',
								departments: ['総務課'],
								plans: ['訓練の計画', '訓練の実施'],
								marks: ['S', ['A', 'C']],
								extra: { xissue: '参加者が少ない\n若い世代' }
							}),
							item('b', {
								no: '②',
								title: '備蓄',
								departments: ['総務課', '企画課'],
								plans: ['', '=1+1'],
								marks: ['', 'D'],
								note: '',
								extra: {}
							})
						]
					}
				]
			}
		],
		kpis: []
	};
}

async function load(bytes: Uint8Array): Promise<ExcelJS.Workbook> {
	const workbook = new ExcelJS.Workbook();
	await workbook.xlsx.load(bytes.slice().buffer);
	return workbook;
}

function jsonError(text: string): JsonImportError {
	try {
		parseJsonBackup(text);
	} catch (error) {
		if (error instanceof JsonImportError) return error;
		throw error;
	}
	throw new Error('expected a JsonImportError, but the backup was imported');
}

describe('a half-year table with marks S A B C and a column 課題', () => {
	it('is a sheet the schema and its shape accept', () => {
		const sheet = halfYearSheet();
		expect(sheet.periodLabels).toEqual(['上半期', '下半期']);
		expect(sheet.markScale.map((entry) => entry.mark)).toEqual(['S', 'A', 'B', 'C', 'D']);
		expect(parseJsonBackup(sheetToJson(sheet))).toStrictEqual(sheet);
	});

	it('round-trips through JSON, by content as the CLI and the browser read it', async () => {
		const sheet = halfYearSheet();
		const bytes = new TextEncoder().encode(sheetToJson(sheet));
		expect(await importBytes(bytes)).toStrictEqual({ sheet, format: 'json' });
	});

	it('round-trips through xlsx unchanged', async () => {
		const sheet = halfYearSheet();
		const bytes = await sheetToXlsx(sheet);
		expect(await importBytes(bytes)).toStrictEqual({ sheet, format: 'xlsx' });
	});

	it('writes its periods, marks, headings and 課題 in the xlsx', async () => {
		const workbook = await load(await sheetToXlsx(halfYearSheet()));
		const ws = workbook.getWorksheet('進行管理表')!;
		expect(ws.getRow(3).values).toEqual([
			undefined,
			'事業名',
			'具体的内容',
			'担当課',
			'令和6年度',
			'上半期',
			'下半期',
			'達成状況及び今後の方針',
			'課題'
		]);
		// The legend says what the table's own marks mean; D is off the scale, so not listed.
		expect(ws.getCell('E2').value).toBe(
			'進行管理: S 計画以上\u3000A 計画どおり\u3000B やや遅れ\u3000C 遅れ'
		);
		expect(ws.getCell('A6').value).toBe('①防災訓練');
		expect(ws.getCell('E7').value).toBe('S');
		expect(ws.getCell('F7').value).toBe('A/C');
		expect(ws.getCell('H6').value).toBe('参加者が少ない\n若い世代');
		expect(ws.getCell('F9').value).toBe('D');
		const merges = (ws.model as { merges: string[] }).merges;
		for (const range of ['A1:H1', 'A4:H4', 'G6:G7', 'H6:H7', 'E2:H2']) {
			expect(merges).toContain(range);
		}
	});

	it('takes marks typed in Excel by the table’s scale, full-width ones too', async () => {
		const workbook = await load(await sheetToXlsx(halfYearSheet()));
		const ws = workbook.getWorksheet('進行管理表')!;
		ws.getCell('E7').value = 'Ｂ';
		ws.getCell('H8').value = '予算';
		const sheet = await xlsxToSheet(new Uint8Array(await workbook.xlsx.writeBuffer()));
		const [first, second] = sheet.pillars[0]!.sections[0]!.items;
		expect(first!.marks).toEqual(['B', ['A', 'C']]);
		expect(second!.extra).toEqual({ xissue: '予算' });
	});

	it('refuses a mark typed in Excel that is not in the table’s scale, naming the cell', async () => {
		const workbook = await load(await sheetToXlsx(halfYearSheet()));
		workbook.getWorksheet('進行管理表')!.getCell('E7').value = '○';
		const bytes = new Uint8Array(await workbook.xlsx.writeBuffer());
		const error = await xlsxToSheet(bytes).then(
			() => null,
			(e: unknown) => e
		);
		expect(error).toBeInstanceOf(XlsxImportError);
		expect((error as XlsxImportError).cell).toBe('E7');
		expect((error as XlsxImportError).message).toBe(
			'シート「進行管理表」のセル E7: 進行管理のマーク「○」は使えません（S A B C または空欄）'
		);
	});

	it('has a CSV header of its own: a plan and a mark per half-year, then 課題', () => {
		const csv = sheetToCsv(halfYearSheet());
		const rows = csv
			.slice(1)
			.split('\r\n')
			.filter((row) => row !== '');
		expect(rows[0]!.split(',')).toEqual([
			'基本目標',
			'施策',
			'番号',
			'事業名',
			'具体的内容',
			'担当課',
			'年度計画',
			'上半期 計画',
			'上半期 進行管理',
			'下半期 計画',
			'下半期 進行管理',
			'達成状況及び今後の方針',
			'課題'
		]);
		expect(csv).toContain(
			'1 安心して暮らせるまち,(1) 防災,①,防災訓練,内容,総務課,実施,訓練の計画,S,訓練の実施,A/C,達成状況,"参加者が少ない\n若い世代"\r\n'
		);
		expect(csv).toContain(",,'=1+1,D,,\r\n");
	});

	it('refuses a JSON mark not in its scale, naming the item and the period', () => {
		const sheet = halfYearSheet();
		sheet.pillars[0]!.sections[0]!.items[0]!.marks[1] = ['A', '○'];
		const error = jsonError(sheetToJson(sheet));
		expect(error.path).toBe('pillars[0].sections[0].items[0].marks[1]');
		expect(error.message).toBe(
			'pillars[0].sections[0].items[0].marks[1]: 項目「①防災訓練」の「下半期」の評価「○」は評価の記号（S A B C D）にありません。'
		);
	});

	it('refuses a JSON item with a plan too many, or a column the table does not have', () => {
		const sheet = halfYearSheet();
		sheet.pillars[0]!.sections[0]!.items[1]!.plans.push('3つ目');
		const error = jsonError(sheetToJson(sheet));
		expect(error.path).toBe('pillars[0].sections[0].items[1].plans');
		expect(error.message).toContain('期間は2つです（上半期・下半期）');

		const other = halfYearSheet();
		other.pillars[0]!.sections[0]!.items[1]!.extra = { xreason: '理由' };
		expect(jsonError(sheetToJson(other)).path).toBe(
			'pillars[0].sections[0].items[1].extra.xreason'
		);
	});

	it('refuses an added column key the format cannot hold, in plain Japanese', () => {
		const sheet = JSON.parse(sheetToJson(halfYearSheet()));
		sheet.pillars[0].sections[0].items[0].extra = { Issue: 'x' };
		const error = jsonError(JSON.stringify(sheet));
		expect(error.path).toBe('pillars[0].sections[0].items[0].extra.Issue');
		expect(error.message).toContain('キー「Issue」は使えません');
	});
});
