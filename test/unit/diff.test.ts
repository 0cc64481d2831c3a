import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseTextTable } from '../../src/lib/import/text-table.ts';
import { countChanges, diffSheets, kpiDiffs } from '../../src/lib/model/diff.ts';
import type { SheetJSON } from '../../src/lib/model/schema.ts';
import { item, smallSheet } from '../helpers/sheet.ts';

const reference = (): SheetJSON =>
	parseTextTable(
		readFileSync(new URL('../../server/seed/r2-progress-table.txt', import.meta.url), 'utf8')
	);

describe('diffSheets', () => {
	it('finds nothing between a table and itself', () => {
		const diff = diffSheets(reference(), reference());
		expect(diff).toEqual({
			meta: [],
			outline: [],
			items: [],
			added: [],
			removed: [],
			changed: [],
			kpis: []
		});
		expect(countChanges(diff)).toBe(0);
	});

	it('lists changed text fields, departments and marks with before and after', () => {
		const before = reference();
		const after = structuredClone(before);
		const target = after.pillars[0]!.sections[0]!.items[1]!;
		target.note = '新型コロナの影響で一部中止';
		target.plans[2] = '説明会を延期';
		target.departments = ['総務', '事業'];
		target.marks[3] = '×';
		target.marks[0] = ['○', '×'];
		const diff = diffSheets(before, after);
		expect(diff.added).toEqual([]);
		expect(diff.removed).toEqual([]);
		expect(diff.changed).toHaveLength(1);
		const change = diff.changed[0]!;
		expect(change.id).toBe('p1s1i2');
		expect(change.sectionId).toBe('p1s1');
		expect(change.fields).toEqual([
			{
				field: 'plan',
				period: 2,
				label: '～12月',
				before: before.pillars[0]!.sections[0]!.items[1]!.plans[2],
				after: '説明会を延期'
			},
			{
				field: 'note',
				before: before.pillars[0]!.sections[0]!.items[1]!.note,
				after: '新型コロナの影響で一部中止'
			},
			{
				field: 'departments',
				before: before.pillars[0]!.sections[0]!.items[1]!.departments,
				after: ['総務', '事業']
			}
		]);
		expect(change.marks).toEqual([
			{ period: 0, label: '～6月', before: '○', after: ['○', '×'] },
			{ period: 3, label: '～3月', before: '○', after: '×' }
		]);
		expect(countChanges(diff)).toBe(5);
	});

	it('orders items as in after, with removed items last in their old order', () => {
		const before = smallSheet();
		before.pillars[0]!.sections[0]!.items.push(item('c'), item('d'));
		const after = structuredClone(before);
		const items = after.pillars[0]!.sections[0]!.items;
		// after: d (changed), x (new), b (changed); a and c removed
		after.pillars[0]!.sections[0]!.items = [
			{ ...items[3]!, title: 'D' },
			item('x'),
			{ ...items[1]!, no: '③' }
		];
		const diff = diffSheets(before, after);
		expect(diff.items.map((d) => `${d.kind}:${d.id}`)).toEqual([
			'changed:d',
			'added:x',
			'changed:b',
			'removed:a',
			'removed:c'
		]);
		expect(diff.added.map((d) => d.id)).toEqual(['x']);
		expect(diff.removed.map((d) => d.item.title)).toEqual(['項目 a', '項目 c']);
		expect(diff.changed.find((d) => d.id === 'b')!.fields).toEqual([
			{ field: 'no', before: '②', after: '③' }
		]);
		expect(countChanges(diff)).toBe(5);
	});

	it('reports a move to another section with both sections named', () => {
		const before = reference();
		const after = structuredClone(before);
		const [moved] = after.pillars[0]!.sections[0]!.items.splice(0, 1);
		after.pillars[1]!.sections[0]!.items.push(moved!);
		const diff = diffSheets(before, after);
		expect(diff.changed).toHaveLength(1);
		expect(diff.changed[0]!.fields).toEqual([
			{
				field: 'section',
				before: 'p1s1',
				after: 'p2s1',
				beforeLabel: `(1) ${before.pillars[0]!.sections[0]!.title}`,
				afterLabel: `(1) ${before.pillars[1]!.sections[0]!.title}`
			}
		]);
	});

	it('reports meta, outline and KPI changes', () => {
		const before = reference();
		const after = structuredClone(before);
		after.title = '令和2年度 進行管理表（改訂）';
		after.periodLabels = ['Q1', 'Q2', 'Q3', 'Q4'];
		after.pillars[0]!.sections[1]!.title = '会員の定着';
		after.pillars[3]!.sections.pop();
		after.kpis[0]!.years[2]!.actual = 2100;
		after.kpis[1]!.target = 1_300_000_000;
		after.kpis[2]!.years.pop();
		after.kpis.push({ ...structuredClone(after.kpis[0]!), id: 'k9', name: '就業率' });
		const diff = diffSheets(before, after);
		expect(diff.meta).toEqual([
			{ field: 'title', before: before.title, after: '令和2年度 進行管理表（改訂）' },
			{
				field: 'periodLabels',
				before: '～6月 / ～9月 / ～12月 / ～3月',
				after: 'Q1 / Q2 / Q3 / Q4'
			}
		]);
		const removedSection = before.pillars[3]!.sections.at(-1)!;
		expect(diff.outline).toEqual([
			{
				level: 'section',
				id: 'p1s2',
				change: 'changed',
				before: `(2) ${before.pillars[0]!.sections[1]!.title}`,
				after: '(2) 会員の定着'
			},
			{
				level: 'section',
				id: removedSection.id,
				change: 'removed',
				before: `${removedSection.no} ${removedSection.title}`,
				after: null
			}
		]);
		// The removed section's items are reported as removed too.
		expect(diff.removed.map((d) => d.id)).toEqual(removedSection.items.map((i) => i.id));
		expect(diff.kpis).toEqual([
			{
				kpiId: 'k1',
				name: '会員数',
				units: { before: '人', after: '人' },
				fiscalYear: 2020,
				field: 'actual',
				before: before.kpis[0]!.years[2]!.actual,
				after: 2100
			},
			{
				kpiId: 'k2',
				name: '契約金額',
				units: { before: '円', after: '円' },
				fiscalYear: null,
				field: 'target',
				before: before.kpis[1]!.target,
				after: 1_300_000_000
			},
			{
				kpiId: 'k3',
				name: '重篤事故',
				units: { before: '件', after: '件' },
				fiscalYear: 2022,
				field: 'year',
				before: before.kpis[2]!.years[4]!.label,
				after: null
			},
			{
				kpiId: 'k9',
				name: '就業率',
				units: { before: '', after: '人' },
				fiscalYear: null,
				field: 'kpi',
				before: null,
				after: '就業率'
			}
		]);
		expect(countChanges(diff)).toBe(2 + 2 + removedSection.items.length + 4);
	});

	it('treats a conflict with the same marks in another order as unchanged', () => {
		const before = smallSheet();
		before.pillars[0]!.sections[0]!.items[0]!.marks[1] = ['○', '×'];
		const after = structuredClone(before);
		after.pillars[0]!.sections[0]!.items[0]!.marks[1] = ['×', '○'];
		expect(countChanges(diffSheets(before, after))).toBe(0);
	});

	it('pairs periods by name: one removed or renamed does not shift the others', () => {
		const before = reference();
		const after = structuredClone(before);
		after.periodLabels = ['～9月', '10～12月', '～3月'];
		for (const item of after.pillars.flatMap((p) => p.sections.flatMap((s) => s.items))) {
			item.plans = item.plans.slice(1);
			item.marks = item.marks.slice(1);
		}
		const diff = diffSheets(before, after);
		const first = diff.changed.find((d) => d.id === 'p1s1i1')!;
		// The first quarter is gone (its plan and mark read as emptied); the others are unchanged.
		expect(first.marks.map((m) => m.label)).toEqual(['～6月']);
		expect(first.fields.map((f) => (f.field === 'plan' ? f.label : f.field))).toEqual(['～6月']);
		expect(diff.meta.map((m) => m.field)).toEqual(['periodLabels']);
	});

	it('names every KPI value that changed, with the unit each side is in, KPI by KPI', () => {
		const before = smallSheet();
		before.kpis.push({
			id: 'k2',
			name: '契約金額',
			unit: '円',
			baseline: { label: '', value: 1_100_000_000 },
			target: 1_200_000_000,
			years: []
		});
		const after = structuredClone(before);
		const members = after.kpis[0]!;
		members.unit = '名';
		members.baseline.value = 2500;
		members.years[0]!.target = 2900;
		members.years[0]!.actual = null;
		members.years.push({ label: '令和3年度', fiscalYear: 2021, target: 2900, actual: null });
		members.lowerIsBetter = true;
		after.kpis.splice(1, 1);
		const diff = diffSheets(before, after);
		const units = { before: '人', after: '名' };
		expect(diff.kpis).toEqual([
			{
				kpiId: 'k1',
				name: '会員数',
				units,
				fiscalYear: null,
				field: 'unit',
				before: '人',
				after: '名'
			},
			{
				kpiId: 'k1',
				name: '会員数',
				units,
				fiscalYear: null,
				field: 'baseline',
				before: 2431,
				after: 2500
			},
			{
				kpiId: 'k1',
				name: '会員数',
				units,
				fiscalYear: null,
				field: 'lowerIsBetter',
				before: 'false',
				after: 'true'
			},
			{
				kpiId: 'k1',
				name: '会員数',
				units,
				fiscalYear: 2020,
				field: 'target',
				before: 2800,
				after: 2900
			},
			{
				kpiId: 'k1',
				name: '会員数',
				units,
				fiscalYear: 2020,
				field: 'actual',
				before: 2034,
				after: null
			},
			{
				kpiId: 'k1',
				name: '会員数',
				units,
				fiscalYear: 2021,
				field: 'year',
				before: null,
				after: '令和3年度'
			},
			{
				kpiId: 'k2',
				name: '契約金額',
				units: { before: '円', after: '' },
				fiscalYear: null,
				field: 'kpi',
				before: '契約金額',
				after: null
			}
		]);
		expect(
			kpiDiffs(diff.kpis).map(({ kpiId, kind, changes }) => [kpiId, kind, changes.length])
		).toEqual([
			['k1', 'changed', 6],
			['k2', 'removed', 0]
		]);
		expect(countChanges(diff)).toBe(7);
	});

	it("names plans and marks by the table's own periods, whatever their ids", () => {
		const before = smallSheet();
		before.periodLabels = ['上期', '下期'];
		for (const it of before.pillars[0]!.sections[0]!.items) {
			it.plans = ['説明会', '報告'];
			it.marks = ['', ''];
		}
		const after = structuredClone(before);
		after.pillars[0]!.sections[0]!.items[0]!.plans[1] = '報告書の作成';
		after.pillars[0]!.sections[0]!.items[0]!.marks[1] = '○';
		const [change] = diffSheets(before, after).changed;
		expect(change!.fields).toEqual([
			{ field: 'plan', period: 1, label: '下期', before: '報告', after: '報告書の作成' }
		]);
		expect(change!.marks).toEqual([{ period: 1, label: '下期', before: '', after: '○' }]);
	});

	it('lists the item columns of each side by key and heading, for the view to name', () => {
		const before = smallSheet();
		const after = structuredClone(before);
		after.columnLabels = { yearPlan: '令和2年度の計画' };
		after.extraColumns = [{ key: 'xissue', label: '課題' }];
		const [change] = diffSheets(before, after).meta;
		const standard = [
			{ key: 'title', label: '' },
			{ key: 'content', label: '' },
			{ key: 'yearPlan', label: '' },
			{ key: 'note', label: '' }
		];
		expect(change).toEqual({
			field: 'columns',
			before: standard,
			after: [
				...standard.map((c) => (c.key === 'yearPlan' ? { ...c, label: '令和2年度の計画' } : c)),
				{ key: 'xissue', label: '課題' }
			]
		});
	});
});
