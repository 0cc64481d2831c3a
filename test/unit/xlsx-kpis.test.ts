// The .xlsx's KPI sheet (計画期間の目標) as an office uses it: numbers it can calculate with, the
// unit in the cell's format, a year's target and actual in columns of their own, the rate as a
// percentage; read back by Shinko's import and by the office importer.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import { sheetToXlsx } from '../../src/lib/export/xlsx.ts';
import { importBytes } from '../../src/lib/import/any.ts';
import { parseTextTable } from '../../src/lib/import/text-table.ts';
import { XlsxImportError, xlsxToSheet } from '../../src/lib/import/xlsx.ts';
import type { KpiJSON, SheetJSON } from '../../src/lib/model/schema.ts';

const reference = parseTextTable(
	readFileSync(new URL('../../server/seed/r2-progress-table.txt', import.meta.url), 'utf8')
);

async function kpiSheet(sheet: SheetJSON): Promise<ExcelJS.Worksheet> {
	const workbook = new ExcelJS.Workbook();
	await workbook.xlsx.load((await sheetToXlsx(sheet)).slice().buffer);
	return workbook.getWorksheet('計画期間の目標')!;
}

async function save(ws: ExcelJS.Worksheet): Promise<Uint8Array> {
	return new Uint8Array(await ws.workbook.xlsx.writeBuffer());
}

/** A table with KPIs of rates (95.5 beside 93), a year one KPI lacks, and two baseline labels. */
function ratesSheet(): SheetJSON {
	const year = (fiscalYear: number, target: number | null, actual: number | null) => ({
		label: `令和${fiscalYear - 2018}年度`,
		fiscalYear,
		target,
		actual
	});
	const kpis: KpiJSON[] = [
		{
			id: 'rate',
			name: '就業率',
			unit: '%',
			baseline: { label: '現状 (H29)', value: 90 },
			target: 95.5,
			years: [year(2020, 95, 93), year(2021, 95.5, null)]
		},
		{
			id: 'accidents',
			name: '事故の件数',
			unit: '件',
			baseline: { label: '基準 (R1)', value: 12 },
			target: 5,
			years: [year(2020, 8, 10)],
			lowerIsBetter: true
		}
	];
	return { ...reference, kpis };
}

describe('the KPI sheet of the .xlsx', () => {
	it('writes each value as a number whose format shows the unit, a year’s target and actual in columns of their own', async () => {
		const ws = await kpiSheet(reference);
		expect(ws.getRow(2).values).toEqual([
			undefined,
			'取り組み項目',
			'現状 (H29)',
			'目標',
			...['平成30年度', '令和元年度', '令和2年度', '令和3年度', '令和4年度'].flatMap((year) => [
				`${year}\n目標`,
				`${year}\n実績`
			]),
			'達成率'
		]);
		// 会員数: 現状 2,431, 目標 3,000, 平成30年度 2,600 (2,252), 令和3年度 2,900 and no actual yet.
		const members = (address: string) => ws.getCell(`${address}3`);
		for (const [address, value] of [
			['B', 2431],
			['C', 3000],
			['D', 2600],
			['E', 2252],
			['J', 2900]
		] as const) {
			expect(members(address).type).toBe(ExcelJS.ValueType.Number);
			expect(members(address).value).toBe(value);
			expect(members(address).numFmt).toBe('#,##0"人"');
		}
		// No actual yet: a blank cell (SUM skips it), not 「(—)」, still bordered and in the format.
		expect(members('K').value).toBeNull();
		expect(members('K').numFmt).toBe('#,##0"人"');
		expect(members('K').border?.left?.style).toBe('thin');
		// 契約金額 in yen as numbers: 11億2千万円 is 1,120,000,000.
		expect(ws.getCell('D4').value).toBe(1_120_000_000);
		expect(ws.getCell('D4').numFmt).toBe('#,##0"円"');
		// Wide enough for ten digits, three commas and 円 (Excel shows ### where a number does not fit).
		expect(ws.getColumn(4).width).toBeGreaterThan(10 + 3 * 0.5 + 2);
		// The rate: the latest actual (令和2年度, 2,034) against the plan-period target 3,000.
		expect(members('N').value).toBe(0.678);
		expect(members('N').numFmt).toBe('0.0%');
		// 重篤事故, a target of 0: met or not, as on screen.
		expect(ws.getCell('N5').value).toBe('達成');
		expect(ws.getCell('A7').value).toBe('※達成率は、直近の実績の計画期間の目標に対する割合');

		expect(ws.pageSetup).toMatchObject({
			paperSize: 9,
			orientation: 'landscape',
			fitToPage: true,
			fitToWidth: 1,
			fitToHeight: 0
		});
		expect(ws.views[0]).toMatchObject({ state: 'frozen', xSplit: 1, ySplit: 2 });
	});

	it('shows a KPI’s values with the decimals any of them has, and every rate with one', async () => {
		const ws = await kpiSheet(ratesSheet());
		for (const address of ['B3', 'C3', 'D3', 'E3', 'F3'])
			expect(ws.getCell(address).numFmt).toBe('#,##0.0"%"');
		expect(ws.getCell('E3').value).toBe(93);
		// 就業率: 93 of 95.5 is 97.4 %; 事故の件数, to stay under: 5 of 10 is 50.0 %.
		expect(ws.getCell('H3').value).toBe(0.974);
		expect(ws.getCell('H4').value).toBe(0.5);
		expect(ws.getCell('H4').numFmt).toBe('0.0%');
	});

	it('heads the baseline column with its label, and shows a KPI’s own label where it differs', async () => {
		const ws = await kpiSheet(ratesSheet());
		expect(ws.getCell('B2').value).toBe('現状 (H29)');
		expect(ws.getCell('B4').value).toBe(12);
		expect(ws.getCell('B4').numFmt).toBe('"基準 (R1) "#,##0"件";"基準 (R1) "-#,##0"件"');
		// A year the KPI does not have: shaded, blank.
		expect(ws.getCell('F4').value).toBeNull();
		expect(ws.getCell('F4').fill).toMatchObject({ pattern: 'solid' });
	});

	it('round-trips decimals, a missing year, two baseline labels and a target to stay under', async () => {
		const sheet = ratesSheet();
		expect(await xlsxToSheet(await save(await kpiSheet(sheet)))).toStrictEqual(sheet);
	});

	it('takes no rate edited in Excel: it is worked out from the values', async () => {
		const ws = await kpiSheet(reference);
		ws.getCell('N3').value = 0.5;
		ws.getCell('N5').value = '未達成';
		expect(await xlsxToSheet(await save(ws))).toStrictEqual(reference);
	});

	it('refuses a value in a year the KPI does not have, and an actual in another unit, naming the cell', async () => {
		const refused = async (ws: ExcelJS.Worksheet) => {
			const error = await xlsxToSheet(await save(ws)).then(
				() => null,
				(e: unknown) => e
			);
			expect(error).toBeInstanceOf(XlsxImportError);
			return error as XlsxImportError;
		};
		let ws = await kpiSheet(ratesSheet());
		ws.getCell('G4').value = 3;
		let error = await refused(ws);
		expect([error.cell, error.message]).toEqual(['G4', expect.stringContaining('令和3年度')]);

		ws = await kpiSheet(reference);
		ws.getCell('E3').value = '2,252件';
		error = await refused(ws);
		expect([error.cell, error.message]).toEqual(['E3', expect.stringContaining('単位は「人」')]);
	});

	it('is read by the office importer too, when the hidden sheet is gone', async () => {
		const ws = await kpiSheet(reference);
		const workbook = ws.workbook;
		workbook.removeWorksheet(workbook.getWorksheet('_shinko')!.id);
		const { sheet, office } = await importBytes(await save(ws));
		expect(office).toBeDefined();
		expect(sheet.kpis).toEqual(reference.kpis);
		// Its header (目標 | 令和2年度 目標 | 令和2年度 実績 …) is not taken for a second table.
		expect(office!.warnings).toEqual([]);
	});
});
