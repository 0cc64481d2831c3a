import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { TextImportError, parseTextTable } from '../../src/lib/import/text-table.ts';
import { YEAR_PLANS, sheetSchema, type SheetJSON } from '../../src/lib/model/schema.ts';
import { sheetShapeFields } from '../../src/lib/model/sheet-shape.ts';
import { REFERENCE_SHAPE } from '../../src/lib/model/shape.ts';
import { shapeFieldsOf } from '../helpers/sheet.ts';

const source = readFileSync(
	new URL('../../server/seed/r2-progress-table.txt', import.meta.url),
	'utf8'
);
const sourceLines = source.split('\n');

const allItems = (sheet: SheetJSON) =>
	sheet.pillars.flatMap((pillar) => pillar.sections.flatMap((section) => section.items));

/** 1-based number of the first source line for which `test` holds. */
function lineWhere(test: (line: string) => boolean): number {
	const index = sourceLines.findIndex(test);
	if (index < 0) throw new Error('test fixture: no such line in the reference file');
	return index + 1;
}

/** The reference text with line `line` (1-based) replaced; line numbers stay the same. */
function withLine(line: number, edit: (text: string) => string): string {
	return sourceLines.map((text, index) => (index === line - 1 ? edit(text) : text)).join('\n');
}

function setCell(text: string, column: number, value: string): string {
	const cells = text.split('\t');
	cells[column] = value;
	return cells.join('\t');
}

/** The reference text with every header line (it repeats at each page break) edited alike. */
function withHeaders(edit: (text: string) => string): string {
	return sourceLines
		.map((text) => (text.startsWith('取り組み項目\t具体的内容') ? edit(text) : text))
		.join('\n');
}

function importError(text: string): TextImportError {
	try {
		parseTextTable(text);
	} catch (error) {
		if (error instanceof TextImportError) return error;
		throw error;
	}
	throw new Error('expected a TextImportError, but the text was imported');
}

function expectErrorAt(text: string, line: number, ...details: (string | RegExp)[]) {
	const error = importError(text);
	expect(error.line).toBe(line);
	expect(error.message.startsWith(`${line}行目: `)).toBe(true);
	for (const detail of details) expect(error.message).toMatch(detail);
	return error;
}

describe('parseTextTable on the reference table', () => {
	const sheet = parseTextTable(source);
	const items = allItems(sheet);

	it('reads the title, year and plan', () => {
		expect(sheet.title).toBe('令和2年度 第3次基本計画に係る取り組み事項進行管理表');
		expect(sheet.fiscalYear).toBe(2020);
		expect(sheet.planName).toBe('第3次基本計画');
		expect(sheet.organisation).toBe('');
		expect(sheet.schemaVersion).toBe(2);
		expect(sheet.periodLabels).toEqual(['～6月', '～9月', '～12月', '～3月']);
		expect(sheetSchema.parse(sheet)).toEqual(sheet);
	});

	it('has the reference shape: four quarters, ○ ◎ △ × —, 総務 and 事業, no added columns', () => {
		expect(shapeFieldsOf(sheet)).toEqual(sheetShapeFields(REFERENCE_SHAPE));
		const { markScale } = sheet;
		expect(markScale.map((entry) => [entry.mark, entry.label])).toEqual([
			['○', '順調'],
			['◎', '計画以上'],
			['△', '一部実施'],
			['×', '未実施'],
			['—', '該当なし']
		]);
		expect(items.every((item) => Object.keys(item.extra).length === 0)).toBe(true);
	});

	it('reads the quarters as the header labels them', () => {
		const text = withHeaders((header) => setCell(header, 7, '年度末'));
		expect(parseTextTable(text).periodLabels).toEqual(['～6月', '～9月', '～12月', '年度末']);
	});

	it('finds every pillar, section, item and KPI', () => {
		expect(sheet.pillars).toHaveLength(4);
		expect(sheet.pillars.flatMap((pillar) => pillar.sections)).toHaveLength(17);
		expect(items).toHaveLength(68);
		expect(sheet.kpis).toHaveLength(3);
		expect(sheet.pillars.map((pillar) => `${pillar.no} ${pillar.title}`)).toEqual([
			'1 会員の増強',
			'2 就業機会の拡大',
			'3 安全就業の推進',
			'4 事業推進体制の強化'
		]);
		expect(sheet.pillars[1]?.sections.map((section) => section.no)).toEqual([
			'(1)',
			'(2)',
			'(3)',
			'(4)',
			'(5)',
			'(6)'
		]);
	});

	it('gives deterministic ids', () => {
		expect(sheet.pillars[0]?.id).toBe('p1');
		expect(sheet.pillars[0]?.sections[1]?.id).toBe('p1s2');
		expect(items[0]?.id).toBe('p1s1i1');
		expect(items.at(-1)?.id).toBe('p4s4i3');
		expect(sheet.kpis.map((kpi) => kpi.id)).toEqual(['k1', 'k2', 'k3']);
		expect(parseTextTable(source)).toEqual(sheet);
	});

	it('keeps every item’s four marks exactly as the source’s 進行管理 rows', () => {
		const expected = sourceLines
			.filter((line) => line.includes('\t進行管理\t'))
			.map((line) => line.split('\t').slice(4, 8));
		expect(expected).toHaveLength(68);
		expect(items.map((item) => item.marks)).toEqual(expected);
	});

	it('reads the first item field by field', () => {
		expect(items[0]).toEqual({
			id: 'p1s1i1',
			no: '①',
			title: 'ホームページからの入会説明会参加予約',
			content: 'HP から、入会説明会の参加予約ができるよう整備する。',
			departments: ['総務'],
			yearPlan: '実施',
			plans: ['委託業者との調整', 'HP 改修 運用方法実証', '実施', '—'],
			marks: ['×', '×', '×', '×'],
			note: expect.stringMatching(/^新型コロナ/),
			extra: {}
		});
	});

	it('splits the item number from the title, with or without a space after it', () => {
		const item = items.find((candidate) => candidate.title === 'シルバーだよりの発行');
		expect(item?.no).toBe('①');
		expect(items.every((candidate) => /^[①-⑳]$/.test(candidate.no))).toBe(true);
		expect(items.some((candidate) => /^\s|^[①-⑳]/.test(candidate.title))).toBe(false);
	});

	it('reads departments run together, spaced, or in either order', () => {
		const byTitle = (title: string) => items.find((item) => item.title === title)?.departments;
		expect(sourceLines.some((line) => line.includes('\t総務事業\t'))).toBe(true);
		expect(sourceLines.some((line) => line.includes('\t総務 事業\t'))).toBe(true);
		expect(byTitle('シルバーだよりの発行')).toEqual(['総務', '事業']);
		expect(byTitle('女性会員募集チラシの配布')).toEqual(['総務', '事業']);
		expect(byTitle('行政機関等の政策情報の収集と連携')).toEqual(['事業', '総務']);
		expect(byTitle('未就業会員就業相談会の開催')).toEqual(['事業']);
	});

	it('keeps — marks', () => {
		const byTitle = (title: string) => items.find((item) => item.title === title)?.marks;
		expect(byTitle('役員等の会員活用')).toEqual(['○', '○', '—', '○']);
		expect(byTitle('専門部会の所掌事務の見直し')).toEqual(['—', '—', '—', '—']);
		expect(byTitle('再雇用職員の活用')).toEqual(['—', '—', '○', '○']);
		expect(items.filter((item) => item.marks.includes('—'))).toHaveLength(5);
	});

	it('reads every year plan as one of the known classes', () => {
		expect(items.every((item) => (YEAR_PLANS as readonly string[]).includes(item.yearPlan))).toBe(
			true
		);
	});

	it('reads the KPIs with their targets and actuals', () => {
		const years = [
			['平成30年度', 2018],
			['令和元年度', 2019],
			['令和2年度', 2020],
			['令和3年度', 2021],
			['令和4年度', 2022]
		] as const;
		const withYears = (targets: number[], actuals: (number | null)[]) =>
			years.map(([label, fiscalYear], index) => ({
				label,
				fiscalYear,
				target: targets[index],
				actual: actuals[index]
			}));
		const baseline = (value: number) => ({ label: '現状 (H29)', value });

		expect(sheet.kpis).toEqual([
			{
				id: 'k1',
				name: '会員数',
				unit: '人',
				baseline: baseline(2431),
				target: 3000,
				years: withYears([2600, 2700, 2800, 2900, 3000], [2252, 2189, 2034, null, null])
			},
			{
				id: 'k2',
				name: '契約金額',
				unit: '円',
				baseline: baseline(1_100_000_000),
				target: 1_200_000_000,
				years: withYears(
					[1_120_000_000, 1_140_000_000, 1_160_000_000, 1_180_000_000, 1_200_000_000],
					[1_070_000_000, 1_060_000_000, 970_000_000, null, null]
				)
			},
			{
				id: 'k3',
				name: '重篤事故',
				unit: '件',
				baseline: baseline(1),
				target: 0,
				years: withYears([0, 0, 0, 0, 0], [1, 0, 0, null, null])
			}
		]);
	});

	it('reads the same table from CRLF text with a BOM', () => {
		expect(parseTextTable(`\uFEFF${sourceLines.join('\r\n')}`)).toEqual(sheet);
	});
});

describe('parseTextTable variations', () => {
	const titleLine = lineWhere((line) => line.startsWith('令和2年度'));

	it.each([
		['平成30年度 第2次基本計画に係る進行管理表', 2018, '第2次基本計画'],
		['令和元年度 第3次基本計画 進行管理表', 2019, '第3次基本計画'],
		['令和\u3000３年度　第３次基本計画　進行管理表', 2021, '第3次基本計画'],
		['2021年度 進行管理表', 2021, '']
	])('reads the year and plan from the title %j', (title, fiscalYear, planName) => {
		const sheet = parseTextTable(withLine(titleLine, () => title));
		expect(sheet.fiscalYear).toBe(fiscalYear);
		expect(sheet.planName).toBe(planName);
	});

	it('maps dash look-alikes to — and keeps a blank mark blank', () => {
		const marksLine = lineWhere((line) => line.includes('\t進行管理\t'));
		const edited = withLine(marksLine, (text) =>
			setCell(setCell(setCell(text, 4, '-'), 5, 'ー'), 6, '')
		);
		expect(allItems(parseTextTable(edited))[0]?.marks).toEqual(['—', '—', '', '×']);
	});

	it('accepts a 進行管理 row whose trailing blank marks lost their tabs', () => {
		const marksLine = lineWhere((line) => line.includes('\t進行管理\t'));
		const edited = withLine(marksLine, () => '\t\t\t進行管理\t○\t×');
		expect(allItems(parseTextTable(edited))[0]?.marks).toEqual(['○', '×', '', '']);
	});
});

describe('parseTextTable on less usual text', () => {
	it('reads full-width section numbers and spaces', () => {
		const sectionLine = lineWhere((line) => line.startsWith('(1) 入会の促進'));
		const sheet = parseTextTable(withLine(sectionLine, () => '（１）\u3000入会の促進'));
		expect(sheet.pillars[0]?.sections[0]).toMatchObject({ no: '(1)', title: '入会の促進' });
	});

	it('reads a blank KPI cell as not set', () => {
		const kpiLine = lineWhere((line) => line.startsWith('1 会員数'));
		const sheet = parseTextTable(withLine(kpiLine, (text) => setCell(text, 7, '')));
		expect(sheet.kpis[0]?.years[4]).toEqual({
			label: '令和4年度',
			fiscalYear: 2022,
			target: null,
			actual: null
		});
	});

	it('imports a table without KPIs', () => {
		const kpiMarker = lineWhere((line) => line.startsWith('<計画期間の目標>'));
		const sheet = parseTextTable(sourceLines.slice(0, kpiMarker - 1).join('\n'));
		expect(sheet.kpis).toEqual([]);
		expect(allItems(sheet)).toHaveLength(68);
	});
});

describe('parseTextTable on broken text', () => {
	const firstItemLine = lineWhere((line) => line.startsWith('①ホームページ'));
	const kpiLine = lineWhere((line) => line.startsWith('2 契約金額'));

	it('rejects an unknown mark, naming its line', () => {
		const marksLine = lineWhere((line) => line.startsWith('①役員等')) + 1;
		expect(sourceLines[marksLine - 1]?.split('\t')[6]).toBe('—');
		const error = expectErrorAt(
			withLine(marksLine, (text) => setCell(text, 6, '◇')),
			marksLine,
			'「◇」',
			'～12月',
			'○ ◎ △ × —'
		);
		expect(error).toBeInstanceOf(Error);
		expect(error.name).toBe('TextImportError');
	});

	it('rejects a Latin letter used as a mark', () => {
		const marksLine = lineWhere((line) => line.includes('\t進行管理\t'));
		expectErrorAt(
			withLine(marksLine, (text) => setCell(text, 4, 'x')),
			marksLine,
			'「x」'
		);
	});

	it('rejects an item whose 進行管理 row is missing, naming the item', () => {
		const itemLine = lineWhere((line) => line.startsWith('⑤1会員1勧誘運動'));
		expect(sourceLines[itemLine]).toContain('\t進行管理\t');
		expectErrorAt(
			withLine(itemLine + 1, () => ''),
			itemLine,
			'1会員1勧誘運動',
			'進行管理'
		);
	});

	it('rejects a missing 進行管理 row on the last item too', () => {
		const kpiMarker = lineWhere((line) => line.startsWith('<計画期間の目標>'));
		const lastMarks = kpiMarker - 2;
		expect(sourceLines[lastMarks - 1]).toContain('\t進行管理\t');
		expectErrorAt(
			withLine(lastMarks, () => ''),
			lastMarks - 1,
			'<計画期間の目標>'
		);
	});

	it('rejects a 進行管理 row with no item before it', () => {
		const marksLine = lineWhere((line) => line.includes('\t進行管理\t'));
		expectErrorAt(
			withLine(marksLine, (text) => `${text}\n${text}`),
			marksLine + 1,
			'取り組み項目の行がありません'
		);
	});

	it('rejects a 進行管理 row of the wrong shape', () => {
		const marksLine = lineWhere((line) => line.includes('\t進行管理\t'));
		expectErrorAt(
			withLine(marksLine, (text) => `\t${text}`),
			marksLine,
			'5列目'
		);
		expectErrorAt(
			withLine(marksLine, (text) => `メモ${text}`),
			marksLine,
			'「メモ」'
		);
		expectErrorAt(
			withLine(marksLine, (text) => `${text}メモ`),
			marksLine,
			'「メモ」'
		);
	});

	it('rejects a bad KPI number, naming the line and the column', () => {
		const edited = withLine(kpiLine, (text) => setCell(text, 4, '1 1 億 4 千万円 (1 0 億 億円)'));
		expectErrorAt(edited, kpiLine, '契約金額', '令和元年度', '数値として読めません');
	});

	it('rejects a KPI actual in another unit', () => {
		const edited = withLine(kpiLine, (text) => setCell(text, 5, '1 1 億 6 千万円 (9 件)'));
		expectErrorAt(edited, kpiLine, '令和2年度', '単位');
	});

	it('rejects a KPI line with the wrong number of fields', () => {
		expectErrorAt(
			withLine(kpiLine, (text) => `${text}\t余分`),
			kpiLine,
			'9個',
			'8列'
		);
	});

	it('rejects an item line with the wrong number of fields', () => {
		const dropNote = (text: string) => text.split('\t').slice(0, 8).join('\t');
		expectErrorAt(withLine(firstItemLine, dropNote), firstItemLine, '8個', '9列');
		expectErrorAt(
			withLine(firstItemLine, (text) => `${text}\t余分`),
			firstItemLine,
			'10個'
		);
	});

	it('rejects an unknown department, naming the line', () => {
		const edited = withLine(firstItemLine, (text) => setCell(text, 2, '経理'));
		expectErrorAt(edited, firstItemLine, '担当課', '「経理」');
		const partly = withLine(firstItemLine, (text) => setCell(text, 2, '総務経理'));
		expectErrorAt(partly, firstItemLine, '「経理」');
	});

	it('rejects an item before any section', () => {
		const sectionLine = lineWhere((line) => line.startsWith('(1) 入会の促進'));
		expectErrorAt(
			withLine(sectionLine, () => ''),
			firstItemLine,
			'節の行'
		);
	});

	it('rejects a line that is neither heading nor item', () => {
		const pillarLine = lineWhere((line) => line.startsWith('2 就業機会の拡大'));
		expectErrorAt(
			withLine(pillarLine, () => '就業機会の拡大'),
			pillarLine,
			'柱',
			'節'
		);
	});

	it('rejects text with no title', () => {
		const markerLine = lineWhere((line) => line.startsWith('<基本計画の取り組み>'));
		const titleLine = lineWhere((line) => line.startsWith('令和2年度'));
		expectErrorAt(
			withLine(titleLine, () => ''),
			markerLine,
			'表題'
		);
		expectErrorAt('', 1, '表題');
		expectErrorAt('\n\n   \n', 1, '表題');
	});

	it('rejects a value the schema does not allow, naming its line', () => {
		const titleLine = lineWhere((line) => line.startsWith('令和2年度'));
		const long = `令和2年度 ${'長'.repeat(600)}`;
		expectErrorAt(
			withLine(titleLine, () => long),
			titleLine,
			'title'
		);
	});

	it('rejects a repeated header whose quarters differ', () => {
		const headers = sourceLines.flatMap((line, index) =>
			line.startsWith('取り組み項目\t具体的内容') ? [index + 1] : []
		);
		const second = headers[1] ?? 0;
		const edited = withLine(second, (text) => setCell(text, 4, '～5月'));
		expectErrorAt(edited, second, '～5月');
	});

	it('rejects quarters labelled alike, naming the header', () => {
		const header = lineWhere((line) => line.startsWith('取り組み項目\t具体的内容'));
		const text = withHeaders((line) => setCell(line, 5, '～6月'));
		expectErrorAt(text, header, '期間「～6月」が二つあります');
	});

	it('rejects a title without a fiscal year', () => {
		const titleLine = lineWhere((line) => line.startsWith('令和2年度'));
		expectErrorAt(
			withLine(titleLine, () => '進行管理表'),
			titleLine,
			'年度'
		);
	});

	it('rejects a table with no items at all', () => {
		const kpiMarker = lineWhere((line) => line.startsWith('<計画期間の目標>'));
		const markerLine = lineWhere((line) => line.startsWith('<基本計画の取り組み>'));
		const text = sourceLines
			.map((line, index) => (index + 1 > markerLine && index + 1 < kpiMarker ? '' : line))
			.join('\n');
		expectErrorAt(text, kpiMarker, '取り組み項目が1つもありません');
	});

	it('rejects a section left without items', () => {
		const sectionLine = lineWhere((line) => line.startsWith('(2) 退会の防止'));
		const text = sourceLines.slice(0, sectionLine).join('\n');
		expectErrorAt(text, sectionLine, '退会の防止');
	});
});
