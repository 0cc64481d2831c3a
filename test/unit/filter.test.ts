import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
	describeFilter,
	filterToParams,
	isActive,
	MARK_CONFLICT,
	matchingItemIds,
	parseFilter
} from '../../src/lib/model/filter.ts';
import { REFERENCE_SHAPE } from '../../src/lib/model/shape.ts';
import { parseTextTable } from '../../src/lib/import/text-table.ts';
import { en } from '../../src/lib/i18n/en.ts';
import { ja } from '../../src/lib/i18n/ja.ts';

const source = readFileSync(
	new URL('../../server/seed/r2-progress-table.txt', import.meta.url),
	'utf8'
);
const sheet = parseTextTable(source);

// Expected counts come from the raw text, independently of the importer: each item line is
// followed by its 進行管理 line; the pillar is the last "N title" line above it.
interface RawItem {
	pillar: string;
	fields: string[];
	marks: string[];
}
function rawItems(): RawItem[] {
	const lines = source.split('\n');
	const items: RawItem[] = [];
	let pillar = '';
	let inKpis = false;
	lines.forEach((line, i) => {
		if (line.startsWith('<計画期間の目標>')) inKpis = true;
		const p = /^(\d+) \S/.exec(line);
		if (p && !line.includes('\t') && !inKpis) pillar = p[1]!;
		if (lines[i + 1]?.includes('\t進行管理\t') && !line.startsWith('取り組み項目')) {
			items.push({
				pillar,
				fields: line.split('\t'),
				marks: lines[i + 1]!.split('\t').slice(4, 8)
			});
		}
	});
	return items;
}
const raw = rawItems();

describe('filters on the reference table', () => {
	it('the raw view agrees on the number of items', () => {
		expect(raw).toHaveLength(68);
		expect(matchingItemIds(sheet, {})).toHaveLength(68);
	});

	it('filters by department, mark (any quarter or one), year plan, pillar and text', () => {
		const dept = raw.filter((r) => r.fields[2]!.includes('総務')).length;
		expect(matchingItemIds(sheet, { dept: '総務' })).toHaveLength(dept);
		const crossAny = raw.filter((r) => r.marks.includes('×')).length;
		expect(matchingItemIds(sheet, { mark: '×' })).toHaveLength(crossAny);
		const crossQ1 = raw.filter((r) => r.marks[0] === '×').length;
		expect(matchingItemIds(sheet, { mark: '×', quarter: 1 })).toHaveLength(crossQ1);
		expect(crossQ1).toBeLessThan(crossAny);
		const dash = raw.filter((r) => r.marks.includes('—')).length;
		expect(matchingItemIds(sheet, { mark: '—' })).toHaveLength(dash);
		const plan = raw.filter((r) => r.fields[3] === '検討').length;
		expect(matchingItemIds(sheet, { yearPlan: '検討' })).toHaveLength(plan);
		const pillar2 = raw.filter((r) => r.pillar === '2').length;
		expect(matchingItemIds(sheet, { pillar: '2' })).toHaveLength(pillar2);
		const covid = raw.filter((r) => r.fields.join('\t').includes('新型コロナ')).length;
		expect(matchingItemIds(sheet, { search: '新型コロナ' })).toHaveLength(covid);
		expect(covid).toBeGreaterThan(5);
	});

	it('combines filters with AND', () => {
		const expected = raw.filter(
			(r) => r.fields[2]!.includes('事業') && r.marks.includes('×') && r.pillar === '2'
		).length;
		expect(matchingItemIds(sheet, { dept: '事業', mark: '×', pillar: '2' })).toHaveLength(expected);
		expect(expected).toBeGreaterThan(0);
	});

	it('finds the items with competing marks, in any period or in one', () => {
		const conflicted = structuredClone(sheet);
		const items = conflicted.pillars.flatMap((p) => p.sections.flatMap((s) => s.items));
		items[3]!.marks[1] = ['○', '×'];
		items[40]!.marks[3] = ['△', '×'];
		expect(matchingItemIds(sheet, { mark: MARK_CONFLICT })).toEqual([]);
		expect(matchingItemIds(conflicted, { mark: MARK_CONFLICT })).toEqual([
			items[3]!.id,
			items[40]!.id
		]);
		expect(matchingItemIds(conflicted, { mark: MARK_CONFLICT, quarter: 4 })).toEqual([
			items[40]!.id
		]);
		// A mark of the scale still finds the cell that holds it among others.
		expect(matchingItemIds(conflicted, { mark: '△', quarter: 4 })).toContain(items[40]!.id);
	});

	it('searches full-width and half-width alike, notes included', () => {
		const hp = raw.filter((r) => r.fields.join('\t').toLowerCase().includes('hp')).length;
		expect(matchingItemIds(sheet, { search: 'ｈｐ' })).toHaveLength(hp);
	});
});

describe('filters in the URL', () => {
	it('round-trips and drops values that make no sense', () => {
		const filter = parseFilter(new URLSearchParams('dept=総務&mark=×&quarter=2&search=HP'));
		expect(filter).toEqual({ dept: '総務', mark: '×', quarter: 2, search: 'HP' });
		expect(parseFilter(filterToParams(filter))).toEqual(filter);
		// Any table's marks and up to 12 periods; what no table can have is dropped.
		expect(parseFilter(new URLSearchParams('mark=S&quarter=12'))).toEqual({
			mark: 'S',
			quarter: 12
		});
		expect(parseFilter(new URLSearchParams(`mark=${'☆'.repeat(40)}&quarter=13&pillar=`))).toEqual(
			{}
		);
		expect(parseFilter(new URLSearchParams('mark=conflict&quarter=1'))).toEqual({
			mark: MARK_CONFLICT,
			quarter: 1
		});
		expect(filterToParams({ mark: MARK_CONFLICT }).toString()).toBe('mark=conflict');
		expect(isActive({})).toBe(false);
		expect(isActive({ pillar: '1' })).toBe(true);
	});
});

describe('a filter in words (the note on a filtered printout)', () => {
	it('names each term as the filter bar does, in its order', () => {
		const filter = parseFilter(
			new URLSearchParams('search=HP&quarter=2&mark=×&yearPlan=検討&dept=総務&pillar=2')
		);
		expect(describeFilter(filter, REFERENCE_SHAPE, ja)).toEqual([
			['基本計画', '2'],
			['担当課', '総務'],
			['年度計画', '検討'],
			['進行管理', '× 未実施'],
			['期間', '～9月'],
			['検索', '「HP」']
		]);
		expect(describeFilter({}, REFERENCE_SHAPE, ja)).toEqual([]);
	});

	it('follows the table’s shape, and keeps a value the shape no longer has', () => {
		const shape = {
			levelLabels: ['重点目標'],
			periods: [{ id: 'h1', label: '上期' }],
			marks: [{ id: 'a', mark: 'A', label: '達成', tone: 'good' as const, key: 'a' }]
		};
		expect(describeFilter({ pillar: '1', mark: 'A', quarter: 1 }, shape, ja)).toEqual([
			['重点目標', '1'],
			['進行管理', 'A 達成'],
			['期間', '上期']
		]);
		expect(describeFilter({ mark: '×', quarter: 3 }, shape, ja)).toEqual([
			['進行管理', '×'],
			['期間', '3']
		]);
		expect(describeFilter({ mark: 'none' }, shape, ja)).toEqual([['進行管理', '未評価']]);
		expect(describeFilter({ mark: MARK_CONFLICT, quarter: 1 }, shape, ja)).toEqual([
			['進行管理', '競合あり'],
			['期間', '上期']
		]);
		expect(describeFilter({ mark: MARK_CONFLICT }, shape, en)).toEqual([
			['Progress', 'In conflict']
		]);
	});

	it('reads as a sentence with the counts, in either language', () => {
		const terms = describeFilter({ dept: '総務', mark: '×' }, REFERENCE_SHAPE, ja);
		expect(ja.printFiltered(terms, 7, 68)).toBe(
			'絞り込み表示：担当課＝総務、進行管理＝× 未実施（7 / 68 項目）'
		);
		const english = describeFilter({ dept: '総務', search: 'HP' }, REFERENCE_SHAPE, en);
		expect(en.printFiltered(english, 3, 68)).toBe(
			'Filtered view: Dept. = 総務, Search = “HP” (3 of 68 items)'
		);
	});
});
