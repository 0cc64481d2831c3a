// Tables of other shapes through the doc: half-years with S/A/B/C and a 課題 column, a mark taken
// off the scale, a table made before shapes, and restoring across a change of shape.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { setItemMark } from '../../src/lib/doc/ops.ts';
import { fillItemCells } from '../../src/lib/doc/settings-ops.ts';
import { restoreSheet } from '../../src/lib/doc/restore.ts';
import { readShape, shapeMap, writeShape } from '../../src/lib/doc/shape-doc.ts';
import { docToSheet } from '../../src/lib/doc/sheet-doc.ts';
import { sheetToDoc } from '../../src/lib/doc/sheet-to-doc.ts';
import { readItemCells, roots } from '../../src/lib/doc/table-doc.ts';
import { blankItem } from '../../src/lib/model/item-fields.ts';
import { emptySheet, nextYearSheet } from '../../src/lib/model/next-year.ts';
import { sheetSchema, type SheetJSON } from '../../src/lib/model/schema.ts';
import { TABLE_PRESETS } from '../../src/lib/model/shape-presets.ts';
import {
	sheetProblems,
	sheetShapeFields,
	upgradeSheetV1
} from '../../src/lib/model/sheet-shape.ts';
import { summarize } from '../../src/lib/model/summary.ts';
import { exchange, legacyReplicas, smallSheet } from '../helpers/sheet.ts';

const halfYear = TABLE_PRESETS.find((p) => p.id === 'half-year')!.shape;

function halfYearSheet(): SheetJSON {
	const shape = {
		...halfYear,
		departments: [{ id: 'd0', name: '総務課' }],
		columns: [...halfYear.columns, { key: 'xkadai', label: '課題' }]
	};
	const sheet = emptySheet('令和7年度 進行管理表', 2025, '第2期計画', shape);
	const item = sheet.pillars[0]!.sections[0]!.items[0]!;
	Object.assign(item, {
		title: '広報の充実',
		departments: ['総務課'],
		plans: ['広報紙を発行', 'SNS を開始'],
		marks: ['S', ['A', 'B']],
		extra: { xkadai: '若い世代に届かない' }
	});
	return sheet;
}

describe('a table of another shape', () => {
	it('goes into a doc and comes out unchanged', () => {
		const sheet = halfYearSheet();
		expect(sheetSchema.safeParse(sheet).success).toBe(true);
		expect(sheetProblems(sheet)).toEqual([]);
		const doc = new Y.Doc();
		sheetToDoc(sheet, doc);
		expect(docToSheet(doc)).toEqual(sheet);
		const { shape } = readShape(doc);
		expect(shape.periods.map((p) => p.label)).toEqual(['上半期', '下半期']);
		const cells = readItemCells(roots(doc).items.get('p1s1i1')!, shape);
		expect(cells.texts.xkadai).toBe('若い世代に届かない');
		expect(cells.marks.map((m) => m.cell)).toEqual(['S', ['A', 'B']]);
	});

	it('sets a mark of its scale in one of its periods, and counts it by its own marks', () => {
		const doc = new Y.Doc();
		sheetToDoc(halfYearSheet(), doc);
		const [h1, h2] = readShape(doc).shape.periods;
		expect(setItemMark(doc, 'p1s1i1', h2!.id, 'C', 'テスト')).toBe(true);
		expect(setItemMark(doc, 'p1s1i1', h1!.id, '', 'テスト')).toBe(true);
		const sheet = docToSheet(doc);
		expect(sheet.pillars[0]!.sections[0]!.items[0]!.marks).toEqual(['', 'C']);
		const summary = summarize(sheet);
		expect(summary.categories.map((c) => c.key)).toEqual([
			'S',
			'A',
			'B',
			'C',
			'outside',
			'none',
			'conflict'
		]);
		expect(summary.total.periods[1]!.C).toBe(1);
		expect(summary.total.periods[0]!.none).toBe(1);
		expect(summary.behind).toEqual([{ id: 'p1s1i1', label: '①広報の充実', periods: [2] }]);
	});

	it('keeps a mark taken off the scale: shown outside it, exported with it, imported again', () => {
		const doc = new Y.Doc();
		sheetToDoc(halfYearSheet(), doc);
		const shape = structuredClone(readShape(doc).shape);
		shape.marks = shape.marks.filter((m) => m.mark !== 'S');
		expect(writeShape(doc, shape).ok).toBe(true);

		const row = roots(doc).items.get('p1s1i1')!;
		const cells = readItemCells(row, readShape(doc).shape);
		expect(cells.marks[0]).toMatchObject({ cell: 'S', outside: true });
		expect(cells.unusual).toBe(true);

		const sheet = docToSheet(doc);
		expect(sheet.markScale.map((m) => [m.mark, m.removed ?? false])).toEqual([
			['A', false],
			['B', false],
			['C', false],
			['S', true]
		]);
		expect(summarize(sheet).total.periods[0]!.outside).toBe(1);
		expect(sheetProblems(sheet)).toEqual([]);
		const copy = new Y.Doc();
		sheetToDoc(sheet, copy);
		expect(docToSheet(copy)).toEqual(sheet);
	});

	it('names the cell when a mark is not in its scale', () => {
		const sheet = halfYearSheet();
		sheet.pillars[0]!.sections[0]!.items[0]!.marks[0] = '○';
		expect(sheetProblems(sheet)).toEqual([
			{
				path: 'pillars[0].sections[0].items[0].marks[0]',
				message: expect.stringContaining('「上半期」の評価「○」は評価の記号（S A B C）にありません')
			}
		]);
	});

	it('carries its shape to the next year', () => {
		const next = nextYearSheet(halfYearSheet());
		expect(next.periodLabels).toEqual(['上半期', '下半期']);
		expect(next.extraColumns).toEqual([{ key: 'xkadai', label: '課題' }]);
		expect(next.pillars[0]!.sections[0]!.items[0]!.marks).toEqual(['', '']);
		expect(sheetProblems(next)).toEqual([]);
	});
});

describe('a table made before shapes', () => {
	it('reads as the same SheetJSON as a version 2 doc of the same table', () => {
		const [legacy] = legacyReplicas();
		expect(docToSheet(legacy)).toEqual(smallSheet());
	});

	it('a version 1 sheet upgrades to the reference shape', () => {
		const v2 = smallSheet();
		const {
			periodLabels,
			markScale,
			departments,
			levelLabels,
			columnLabels,
			extraColumns,
			...rest
		} = v2;
		void markScale;
		void departments;
		void levelLabels;
		void columnLabels;
		void extraColumns;
		const v1 = {
			...rest,
			schemaVersion: 1 as const,
			quarterLabels: periodLabels as [string, string, string, string],
			pillars: v2.pillars.map((p) => ({
				...p,
				sections: p.sections.map((s) => ({
					...s,
					items: s.items.map(({ extra, ...i }) => {
						void extra;
						return {
							...i,
							plans: i.plans as [string, string, string, string],
							marks: i.marks as never
						};
					})
				}))
			}))
		};
		expect(upgradeSheetV1(v1)).toEqual(v2);
	});
});

describe('restoring across a change of shape', () => {
	it('brings the snapshot’s periods back for an admin, and keeps the table’s for an editor', () => {
		const [a, b] = legacyReplicas();
		const snapshot = docToSheet(a);
		const halves = structuredClone(readShape(a).shape);
		halves.periods = [
			{ id: 'h1', label: '上半期' },
			{ id: 'h2', label: '下半期' }
		];
		expect(writeShape(a, halves).ok).toBe(true);
		exchange(a, b);
		expect(docToSheet(a).periodLabels).toEqual(['上半期', '下半期']);

		// An editor's restore keeps the half-years, and puts the snapshot's plans back in the
		// quarters they were in (removed, so not shown), never into the half-years.
		b.transact(() => {
			const row = roots(b).items.get('a')!;
			row.set('planh1', new Y.Text('上期の計画'));
		});
		expect(restoreSheet(b, snapshot, '編集者', undefined, { shape: false })).toEqual({
			shape: false
		});
		expect(docToSheet(b).periodLabels).toEqual(['上半期', '下半期']);
		expect(docToSheet(b).pillars[0]!.sections[0]!.items[0]!.plans).toEqual(['上期の計画', '']);
		const quarters = { ...readShape(b).shape, periods: readShape(b).removed.periods };
		const cells = readItemCells(roots(b).items.get('a')!, quarters);
		expect(cells.texts.plan1).toBe('計画1');

		expect(restoreSheet(a, snapshot, '管理者')).toEqual({ shape: true });
		expect(docToSheet(a)).toEqual(snapshot);
		// The quarters come back as they were (their ids), and the half-years go.
		expect(readShape(a).shape.periods.map((p) => p.id)).toEqual(['1', '2', '3', '4']);
		expect(readShape(a).removed.periods.map((p) => p.id)).toEqual(['h1', 'h2']);
	});

	it('gives a new item one plan and one mark per period', () => {
		const item = blankItem('x', halfYear);
		expect(item.plans).toEqual(['', '']);
		expect(item.marks).toEqual(['', '']);
		expect(sheetShapeFields(halfYear).periodLabels).toEqual(['上半期', '下半期']);
	});
});

describe('what a merge or a faulty client can leave', () => {
	it('reads a mark text two admins both added once, and refuses marks the summary names', () => {
		const [a, b] = legacyReplicas();
		for (const [doc, id] of [
			[a, 'sa'],
			[b, 'sb']
		] as const) {
			const shape = structuredClone(readShape(doc).shape);
			shape.marks.push({ id, mark: 'S', label: '計画以上', tone: 'good', key: 's' });
			expect(writeShape(doc, shape).ok).toBe(true);
		}
		exchange(a, b);
		expect(readShape(a).shape.marks.filter((m) => m.mark === 'S')).toHaveLength(1);
		expect(summarize(docToSheet(a)).categories.map((c) => c.key)).toEqual([
			'○',
			'◎',
			'△',
			'×',
			'—',
			'S',
			'outside',
			'none',
			'conflict'
		]);

		const shape = structuredClone(readShape(a).shape);
		shape.marks[0]!.mark = 'none';
		expect(writeShape(a, shape)).toEqual({
			ok: false,
			problems: ['「none」は評価の記号には使えません。']
		});
		a.transact(() => shapeMap(a).set('mark:zz:mark', 'none'));
		expect(readShape(a).shape.marks.map((m) => m.mark)).not.toContain('none');
	});

	it('refuses a mark given a removed mark’s text, and keys alike but for case', () => {
		const [doc] = legacyReplicas();
		const shape = structuredClone(readShape(doc).shape);
		shape.marks = shape.marks.filter((m) => m.mark !== '×');
		expect(writeShape(doc, shape).ok).toBe(true);
		const again = structuredClone(readShape(doc).shape);
		again.marks.push({ id: 'new', mark: '×', label: '未着手', tone: 'behind', key: '' });
		expect(writeShape(doc, again)).toMatchObject({
			ok: false,
			problems: [expect.stringContaining('削除した記号にあります')]
		});
		const keys = structuredClone(readShape(doc).shape);
		keys.marks[1]!.key = 'O';
		expect(writeShape(doc, keys)).toMatchObject({
			ok: false,
			problems: ['評価のキー「o」が二つあります。']
		});
	});

	it('shows two marks set at once in a period added later as competing, not one lost', () => {
		const [a, b] = legacyReplicas();
		const shape = structuredClone(readShape(a).shape);
		shape.periods.push({ id: 'p5', label: '年度末' });
		a.transact(() => {
			expect(writeShape(a, shape).ok).toBe(true);
			fillItemCells(a, shape);
		});
		exchange(a, b);
		setItemMark(a, 'a', 'p5', '○', '佐藤');
		setItemMark(b, 'a', 'p5', '×', '鈴木');
		exchange(a, b);
		for (const doc of [a, b])
			expect(docToSheet(doc).pillars[0]!.sections[0]!.items[0]!.marks[4]).toEqual(['○', '×']);
	});

	it('exports a table whose cells hold dozens of junk marks as a backup that imports again', () => {
		const [doc] = legacyReplicas();
		doc.transact(() => {
			let n = 0;
			for (const row of roots(doc).items.values())
				for (const period of ['1', '2', '3', '4']) {
					const register = row.get(`mark${period}`) as Y.Map<unknown>;
					register.set('junk', { value: `J${n++}`, by: 'x', at: 1 });
					register.set('junk2', { value: `K${n++}`, by: 'x', at: 1 });
				}
		});
		const sheet = docToSheet(doc);
		expect(sheet.markScale.length).toBeLessThanOrEqual(64);
		expect(sheetSchema.safeParse(sheet).success).toBe(true);
		expect(sheetProblems(sheet)).toEqual([]);
	});

	it('takes an item’s department with a stray space as the one on the list', () => {
		const sheet = smallSheet();
		sheet.pillars[0]!.sections[0]!.items[0]!.departments = ['総務 ', '　'];
		const doc = new Y.Doc();
		sheetToDoc(sheet, doc);
		expect(readShape(doc).shape.departments.map((d) => d.name)).toEqual(['総務', '事業']);
		expect(docToSheet(doc).pillars[0]!.sections[0]!.items[0]!.departments).toEqual(['総務 ', '　']);
	});
});
