// Office layouts beyond the published one, and the traps in them: lines that look like legends,
// headings in two cells or in a column of their own, 1 / 1-1 numbering, sheets that differ, sub-
// headers with 実績, year-named columns, ranges in titles, look-alike marks and hostile cells.
import { describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { importBytes, isImportError } from '../../src/lib/import/any.ts';
import { OfficeImportError } from '../../src/lib/import/office/errors.ts';
import type { SheetJSON } from '../../src/lib/model/schema.ts';
import { save } from '../helpers/office-workbooks.ts';

type Rows = (string | null)[][];

function addSheet(workbook: ExcelJS.Workbook, name: string, rows: Rows, merges: string[] = []) {
	const ws = workbook.addWorksheet(name);
	rows.forEach((values, r) =>
		values.forEach((v, c) => {
			if (v !== null && v !== '') ws.getCell(r + 1, c + 1).value = v;
		})
	);
	for (const range of merges) ws.mergeCells(range);
	return ws;
}

async function read(rows: Rows, merges: string[] = [], more?: (wb: ExcelJS.Workbook) => void) {
	const workbook = new ExcelJS.Workbook();
	addSheet(workbook, '表', rows, merges);
	more?.(workbook);
	const result = await importBytes(await save(workbook));
	return { sheet: result.sheet, office: result.office! };
}

const items = (sheet: SheetJSON) =>
	sheet.pillars.flatMap((p) => p.sections.flatMap((s) => s.items));
const R5 = '令和5年度 進行管理表';
const HEADER = ['事業名', '内容', '担当課', '年度計画', '上半期', '評価', '下半期', '評価'];

describe('legends and lines that only look like them', () => {
	it('takes the legend that names the marks, not a 作成：… 更新日：… line', async () => {
		const { sheet } = await read([
			[R5],
			['作成：企画政策課　更新日：令和5年10月1日'],
			['評価 A：順調 B：やや遅れ C：遅れ'],
			HEADER,
			['(1) 防災'],
			['訓練', '年2回', '危機管理課', '実施', '1回', 'A', '1回', 'B']
		]);
		expect(sheet.markScale.map((m) => m.mark)).toEqual(['A', 'B', 'C']);
		expect(sheet.markScale[0]!.label).toBe('順調');
		expect(items(sheet)[0]!.marks).toEqual(['A', 'B']);
	});

	it('keeps an item whose text reads like a legend, and reads 【評価】 and ※ legends', async () => {
		const { sheet } = await read([
			[R5],
			['【評価】A：順調 B：やや遅れ C：遅れ'],
			HEADER,
			['(1) 講座'],
			['講座の開催', '目標：100人、実績：80人', '生涯学習課', '実施', '', 'A', '', 'C']
		]);
		expect(items(sheet).map((i) => i.content)).toEqual(['目標：100人、実績：80人']);
		expect(sheet.markScale.map((m) => [m.mark, m.label])).toEqual([
			['A', '順調'],
			['B', 'やや遅れ'],
			['C', '遅れ']
		]);
		const below = await read([
			[R5],
			HEADER,
			['(1) 講座'],
			['講座の開催', '', '生涯学習課', '実施', '', 'A', '', 'B'],
			[],
			['※評価 A：順調 B：やや遅れ C：遅れ']
		]);
		expect(below.sheet.markScale[0]!.label).toBe('順調');
	});
});

describe('headings', () => {
	it('reads a lone unnumbered title as an item, a merged one as a heading', async () => {
		const { sheet } = await read(
			[
				[R5],
				HEADER,
				['防災の推進'],
				['訓練', '年2回', '危機管理課', '実施', '', 'A', '', 'A'],
				['備蓄品の更新'],
				['マップ', '改訂', '危機管理課', '実施', '', 'B', '', 'A']
			],
			['A3:H3']
		);
		expect(sheet.pillars.map((p) => p.title)).toEqual(['防災の推進']);
		expect(items(sheet).map((i) => i.title)).toEqual(['訓練', '備蓄品の更新', 'マップ']);
	});

	it('reads No. | title merged across as a heading, and 1 / 1-1 as two levels', async () => {
		const { sheet } = await read(
			[
				[R5],
				['No.', ...HEADER],
				['1', '安心して暮らせるまち'],
				['1-1', '防災の推進'],
				['1', '訓練', '年2回', '危機管理課', '実施', '', 'A', '', 'A'],
				['2', '安全なまち'],
				['2-1', '交通安全'],
				['1', '教室', '小学校', '市民課', '実施', '', 'A', '', 'A']
			],
			['B3:I3', 'B4:I4', 'B6:I6', 'B7:I7']
		);
		expect(sheet.pillars.map((p) => [p.no, p.title])).toEqual([
			['1', '安心して暮らせるまち'],
			['2', '安全なまち']
		]);
		expect(sheet.pillars[0]!.sections.map((s) => [s.no, s.title])).toEqual([['1-1', '防災の推進']]);
		expect(items(sheet).map((i) => [i.no, i.title])).toEqual([
			['1', '訓練'],
			['1', '教室']
		]);
	});

	it('reads 施策 merged down over its 事業 as headings, each 事業 an item with its marks', async () => {
		const { sheet } = await read(
			[
				[R5],
				['施策', '事業名', '事業内容', '担当課', '年度計画', '評価'],
				['防災の推進', '訓練', '年2回', '危機管理課', '実施', 'A'],
				[null, 'マップ', '改訂', '危機管理課', '改訂', 'C'],
				[null, '備蓄', '更新', '危機管理課', '更新', 'B'],
				['交通安全', '教室', '小学校', '市民課', '実施', 'A']
			],
			['A3:A5']
		);
		expect(sheet.pillars.map((p) => p.title)).toEqual(['防災の推進', '交通安全']);
		expect(items(sheet).map((i) => [i.title, i.marks])).toEqual([
			['訓練', ['A']],
			['マップ', ['C']],
			['備蓄', ['B']],
			['教室', ['A']]
		]);
	});
});

describe('columns, periods and years', () => {
	it('reads 計画・実績・評価 under each period: marks read, 実績 kept as added columns', async () => {
		const { sheet } = await read(
			[
				[R5],
				['事業名', '担当課', '上半期', null, null, '下半期', null, null],
				[null, null, '計画', '実績', '評価', '計画', '実績', '評価'],
				['(1) 防災'],
				['訓練', '危機管理課', '1回', '1回実施', 'A', '1回', '中止', 'C']
			],
			['C2:E2', 'F2:H2']
		);
		expect(sheet.periodLabels).toEqual(['上半期', '下半期']);
		const [drill] = items(sheet);
		expect(drill!.plans).toEqual(['1回', '1回']);
		expect(drill!.marks).toEqual(['A', 'C']);
		expect(sheet.extraColumns.map((c) => c.label)).toEqual(['上半期 実績', '下半期 実績']);
		expect(Object.values(drill!.extra)).toEqual(['1回実施', '中止']);
	});

	it('keeps 評価理由 as text, reads 上期・下期 and 第1四半期(4～6月) as periods', async () => {
		const { sheet } = await read([
			[R5],
			['事業名', '上期', '評価', '評価理由', '下期', '評価', '評価理由'],
			['(1) 防災'],
			['訓練', '1回', 'A', '予定どおり', '1回', 'B', '雨天で延期']
		]);
		expect(sheet.periodLabels).toEqual(['上期', '下期']);
		expect(items(sheet)[0]!.marks).toEqual(['A', 'B']);
		expect(sheet.extraColumns.map((c) => c.label)).toEqual(['評価理由', '評価理由2']);
		const quarters = await read([
			[R5],
			['事業名', '第1四半期(4～6月)', '第2四半期(7～9月)', '担当課'],
			['(1) 防災'],
			['訓練', '準備', '実施', '危機管理課']
		]);
		expect(quarters.sheet.periodLabels).toEqual(['第1四半期(4～6月)', '第2四半期(7～9月)']);
	});

	it('reads 令和5年度計画 / 実績 / 評価 as the year plan, the note and a yearly mark', async () => {
		const { sheet } = await read([
			[R5],
			['事業名', '担当課', '令和5年度計画', '令和5年度実績', '令和5年度評価'],
			['(1) 防災'],
			['訓練', '危機管理課', '2回', '2回実施した', 'A']
		]);
		expect(sheet.periodLabels).toEqual(['年度']);
		const [drill] = items(sheet);
		expect([drill!.yearPlan, drill!.note, drill!.marks]).toEqual(['2回', '2回実施した', ['A']]);
	});

	it('gives 年度評価 after the last quarter a period of its own', async () => {
		const { sheet } = await read([
			[R5],
			['事業名', '～9月', '評価', '～3月', '評価', '年度評価'],
			['(1) 防災'],
			['訓練', '準備', 'A', '実施', 'B', 'A']
		]);
		expect(sheet.periodLabels).toEqual(['～9月', '～3月', '年度']);
		expect(items(sheet)[0]!.marks).toEqual(['A', 'B', 'A']);
	});

	it('reads marks under a 自己評価 label, the year of a title with its plan span, A Ｂ ｃ as S/A/B/C', async () => {
		const { sheet } = await read([
			['第２次総合計画（令和２年度～令和６年度）令和５年度進行管理表'],
			['事業名', '担当課', '令和5年度', '上半期', '下半期'],
			['(1) 防災'],
			['訓練', '子ども・子育て支援課', '実施', '準備', '実施'],
			[null, null, '自己評価', 'A', 'Ｂ'],
			['教室', '総務・事業', '実施', '準備', '実施'],
			[null, null, '自己評価', 'ｃ', 'A']
		]);
		expect(sheet.fiscalYear).toBe(2023);
		expect(sheet.markScale.map((m) => m.mark)).toEqual(['S', 'A', 'B', 'C']);
		expect(items(sheet).map((i) => [i.plans, i.marks])).toEqual([
			[
				['準備', '実施'],
				['A', 'B']
			],
			[
				['準備', '実施'],
				['C', 'A']
			]
		]);
		expect(sheet.departments).toEqual(['子ども・子育て支援課', '総務', '事業']);
	});

	it('reads a KPI target headed 目標値（令和6年度） and a year’s actual in its own column', async () => {
		const { sheet } = await read(
			[[R5], HEADER, ['(1) 防災'], ['訓練', '', '危機管理課', '実施', '', 'A', '', 'A']],
			[],
			(wb) =>
				addSheet(wb, '指標', [
					['指標', '現状値', '目標値（令和6年度）', '令和5年度', '令和5年度実績'],
					['訓練参加者', '300人', '500人', '400人', '420人']
				])
		);
		expect(sheet.kpis.map((k) => [k.name, k.target, k.years])).toEqual([
			['訓練参加者', 500, [{ label: '令和5年度', fiscalYear: 2023, target: 400, actual: 420 }]]
		]);
	});
});

describe('several sheets', () => {
	it('takes the table over a summary sheet, includes a sheet shifted one column, and says which it left out', async () => {
		const workbook = new ExcelJS.Workbook();
		addSheet(workbook, '総括', [
			['施策', '担当課', '評価'],
			['防災', '危機管理課', 'A']
		]);
		addSheet(workbook, '基本目標1', [
			[R5],
			HEADER,
			['(1) 防災'],
			['訓練', '年2回', '危機管理課', '実施', '', 'A', '', 'A']
		]);
		addSheet(workbook, '基本目標2', [
			[R5],
			[null, ...HEADER],
			[null, '(1) 交通'],
			[null, '教室', '小学校', '市民課', '実施', '', 'B', '', 'A']
		]);
		const { sheet, office } = await importBytes(await save(workbook)).then((r) => ({
			sheet: r.sheet,
			office: r.office!
		}));
		expect(items(sheet).map((i) => [i.title, i.marks])).toEqual([
			['訓練', ['A', 'A']],
			['教室', ['B', 'A']]
		]);
		expect(office.mapping.sheets).toEqual([
			{ name: '基本目標1', headerRow: 2 },
			{ name: '基本目標2', headerRow: 2, columnOffset: 1 }
		]);
		expect(office.warnings.map((w) => w.message).join()).toContain('シート「総括」');
	});
});

describe('files that cannot be read as they are', () => {
	it('gives back the mapping when no column is the item, so it can be corrected', async () => {
		const workbook = new ExcelJS.Workbook();
		addSheet(workbook, '表', [
			[R5],
			['主要事業', '取組内容', '担当課', '評価'],
			['(1) 防災'],
			['訓練', '年2回', '危機管理課', 'A']
		]);
		const error = await importBytes(await save(workbook)).then(
			() => null,
			(e: unknown) => e
		);
		expect(error).toBeInstanceOf(OfficeImportError);
		const mapping = (error as OfficeImportError).mapping!;
		expect((error as Error).message).toContain('シート「表」の2行目');
		const corrected = {
			...mapping,
			columns: mapping.columns.map((c) =>
				c.header === '主要事業' ? { ...c, role: 'title' as const } : c
			)
		};
		const { sheet } = await importBytes(await save(workbook), corrected);
		expect(items(sheet).map((i) => i.title)).toEqual(['訓練']);
	});

	it('renames a mark in every cell when the mapping says the file’s mark (from) is another', async () => {
		const workbook = new ExcelJS.Workbook();
		addSheet(workbook, '表', [
			[R5],
			HEADER,
			['(1) 防災'],
			['訓練', '年2回', '危機管理課', '実施', '', 'A', '', 'B']
		]);
		const bytes = await save(workbook);
		const { office } = await importBytes(bytes);
		const mapping = office!.mapping;
		const renamed = {
			...mapping,
			marks: mapping.marks.map((m) => (m.mark === 'A' ? { ...m, mark: '◎', from: 'A' } : m))
		};
		const { sheet, office: again } = await importBytes(bytes, renamed);
		expect(items(sheet)[0]!.marks).toEqual(['◎', 'B']);
		expect(again!.warnings).toEqual([]);
		// A mapping whose header row is not this file's header says so.
		const shifted = { ...mapping, sheets: [{ name: '表', headerRow: 3 }] };
		const moved = await importBytes(bytes, shifted).then(
			(r) => r.office!.warnings.map((w) => w.message).join(),
			(e: unknown) => String(e)
		);
		expect(moved).toContain('対応表の見出しの行（3行目）');
	});

	it('reads hostile cells quickly enough to finish: long texts of spaces, words and brackets', async () => {
		const words = 'あ '.repeat(50_000);
		const { sheet } = await read([
			[R5],
			HEADER,
			['(1) 防災'],
			['訓練', words, '危機管理課', '実施', '', 'A', '', 'A'],
			['x' + ' '.repeat(50_000) + 'y'],
			['課'.repeat(31) + '係 '.repeat(1) + ('課'.repeat(31) + '係 ').repeat(200)]
		]);
		expect(items(sheet)[0]!.content.length).toBeGreaterThan(50_000);
	});

	it('refuses a workbook with more merged ranges than a table has, before loading it', async () => {
		const workbook = new ExcelJS.Workbook();
		const ws = addSheet(workbook, '表', [[R5], HEADER]);
		for (let r = 3; r < 3 + 12_001; r++) ws.mergeCells(r, 1, r, 2);
		const error = await importBytes(await save(workbook)).then(
			() => null,
			(e: unknown) => e
		);
		expect(isImportError(error)).toBe(true);
		expect((error as Error).message).toContain('結合したセルが多すぎます');
	});
});

describe('what Excel hides', () => {
	it('reads a sheet as Excel shows it: hidden rows and columns left out, and said', async () => {
		const workbook = new ExcelJS.Workbook();
		const ws = addSheet(workbook, '表', [
			[R5],
			['事業名', '担当課', '前年度評価', '上半期', '評価'],
			['(1) 防災'],
			['訓練', '危機管理課', 'C', '1回', 'A'],
			['廃止した事業', '危機管理課', 'B', '', '']
		]);
		ws.getColumn(3).hidden = true;
		ws.getRow(5).hidden = true;
		const { sheet, office } = await importBytes(await save(workbook)).then((r) => ({
			sheet: r.sheet,
			office: r.office!
		}));
		expect(items(sheet).map((i) => [i.title, i.marks])).toEqual([['訓練', ['A']]]);
		expect(office.warnings.map((w) => w.message).join()).toContain('非表示の行 1・列 1');
	});
});
