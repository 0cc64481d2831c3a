import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import { importBytes, isImportError } from '../../src/lib/import/any.ts';
import { parseTextTable } from '../../src/lib/import/text-table.ts';
import type { SheetJSON } from '../../src/lib/model/schema.ts';
import {
	halfYearWorkbook,
	markColumnsLayout,
	publishedLayout,
	save,
	sheetPerPillar
} from '../helpers/office-workbooks.ts';

const reference = parseTextTable(
	readFileSync(new URL('../../server/seed/r2-progress-table.txt', import.meta.url), 'utf8')
);

/** What a table holds, without ids and the names its columns happen to have. */
function content(sheet: SheetJSON) {
	return {
		fiscalYear: sheet.fiscalYear,
		periods: sheet.periodLabels,
		marks: sheet.markScale.map((m) => m.mark),
		pillars: sheet.pillars.map((p) => ({
			no: p.no,
			title: p.title,
			sections: p.sections.map((s) => ({
				no: s.no,
				title: s.title,
				items: s.items.map((i) => ({
					no: i.no,
					title: i.title,
					content: i.content,
					departments: i.departments,
					yearPlan: i.yearPlan,
					plans: i.plans,
					marks: i.marks,
					note: i.note
				}))
			}))
		})),
		kpis: sheet.kpis.map((k) => ({
			name: k.name,
			unit: k.unit,
			baseline: k.baseline.value,
			target: k.target,
			years: k.years.map((y) => [y.fiscalYear, y.target, y.actual])
		}))
	};
}

async function officeImport(workbook: ExcelJS.Workbook) {
	const result = await importBytes(await save(workbook));
	expect(result.office).toBeDefined();
	return { sheet: result.sheet, office: result.office! };
}

describe('an office’s own workbook, in the layouts offices use', () => {
	it('reads the published layout (marks on the row under the plans, merged cells, repeated headers) as the reference table', async () => {
		const { sheet, office } = await officeImport(publishedLayout(reference));
		expect(content(sheet)).toEqual(content(reference));
		expect(sheet.title).toBe(reference.title);
		expect(sheet.departments).toEqual(['総務', '事業']);
		expect(office.counts).toEqual({ headings: 21, items: 68, kpis: 3 });
		expect(office.notes.map((n) => n.text)).toContain('※括弧は年度実績');
		expect(office.warnings).toEqual([]);
	});

	it('reads the table wherever it starts (blank margin rows and columns)', async () => {
		const { sheet } = await officeImport(publishedLayout(reference, { row: 4, column: 3 }));
		expect(content(sheet)).toEqual(content(reference));
	});

	it('reads marks in their own columns, a number column, merged headings, look-alike marks and a KPI sheet', async () => {
		const { sheet, office } = await officeImport(markColumnsLayout(reference));
		expect(content(sheet)).toEqual(content(reference));
		expect(sheet.columnLabels).toEqual({ title: '事業名', content: '内容', note: '取組状況' });
		const roles = office.mapping.columns.map((c) => [c.header, c.role, c.period]);
		expect(roles).toContainEqual(['番号', 'no', undefined]);
		expect(roles).toContainEqual(['～9月', 'plan', 1]);
		expect(roles.filter((r) => r[0] === '評価').map((r) => r[2])).toEqual([0, 1, 2, 3]);
	});

	it('reads a sheet per pillar with its heading above the header, skipping a cover sheet', async () => {
		const { sheet, office } = await officeImport(sheetPerPillar(reference));
		expect(content(sheet)).toEqual(content({ ...reference, kpis: [] }));
		expect(office.mapping.sheets.map((s) => s.name)).toEqual([
			'基本計画1',
			'基本計画2',
			'基本計画3',
			'基本計画4'
		]);
	});

	it('refuses a workbook that holds no progress table, naming what it looked for and where', async () => {
		const workbook = new ExcelJS.Workbook();
		workbook.addWorksheet('Sheet1').getCell('A1').value = '取り組み項目';
		workbook.addWorksheet('集計').getCell('B2').value = 123;
		const error = await importBytes(await save(workbook)).then(
			() => null,
			(e: unknown) => e
		);
		expect(isImportError(error)).toBe(true);
		expect((error as Error).message).toContain('進行管理表が見つかりません');
		expect((error as Error).message).toContain('「Sheet1」「集計」');
	});
});

describe('a half-year table with its own scale, levels and columns', () => {
	it('infers periods, the scale from the legend, three levels, the added columns and the year', async () => {
		const { sheet, office } = await officeImport(halfYearWorkbook());
		expect(sheet.fiscalYear).toBe(2019);
		expect(sheet.periodLabels).toEqual(['上半期', '下半期']);
		expect(sheet.markScale.map((m) => [m.mark, m.label, m.tone])).toEqual([
			['S', '計画以上', 'good'],
			['A', '計画どおり', 'good'],
			['B', 'やや遅れ', 'partly'],
			['C', '遅れ', 'behind']
		]);
		expect(sheet.levelLabels).toHaveLength(3);
		expect(sheet.extraColumns.map((c) => c.label)).toEqual(['課題', '備考']);
		expect(sheet.departments).toEqual(['危機管理課', '都市計画課', '市民課', '商工課']);
		const [goal1] = sheet.pillars;
		expect(goal1!.no).toBe('基本目標1');
		expect(goal1!.title).toBe('安心して暮らせるまち');
		expect(goal1!.sections.map((s) => [s.no, s.title, s.level ?? 2])).toEqual([
			['(1)', '防災の推進', 2],
			['ア', '地域防災', 3],
			['イ', '備蓄', 3],
			['(2)', '交通安全', 2]
		]);
		const [drill, map] = goal1!.sections[1]!.items;
		expect(drill!.content).toBe('年2回の訓練を行う。\n自主防災組織と連携する。');
		expect(drill!.marks).toEqual(['A', 'S']);
		expect(map!.marks).toEqual(['B', 'C']);
		expect(map!.departments).toEqual(['危機管理課', '都市計画課']);
		expect(Object.values(map!.extra)).toEqual(['9月補正']);
		expect(office.notes.map((n) => n.text)).toContain('※防災マップは令和2年度に配布');
		expect(sheet.kpis.map((k) => [k.name, k.unit, k.baseline.value, k.target])).toEqual([
			['創業件数', '件', 12, 20],
			['事業費', '円', 1_035_000_000, 1_200_000_000]
		]);
		expect(sheet.kpis[0]!.years.map((y) => [y.fiscalYear, y.target, y.actual])).toEqual([
			[2019, 14, 13],
			[2020, 16, null]
		]);
		expect(office.warnings).toEqual([]);
	});
});
