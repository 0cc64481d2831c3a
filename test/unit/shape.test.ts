// The table's shape in its doc (src/lib/doc/shape-doc.ts): read from a table made before shapes,
// changed by admins offline and merged, refused when it cannot work, and never losing a value.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { docToSheet } from '../../src/lib/doc/sheet-doc.ts';
import {
	initShape,
	legacyDepartmentId,
	readShape,
	shapeMap,
	writeShape
} from '../../src/lib/doc/shape-doc.ts';
import { setItemMark } from '../../src/lib/doc/ops.ts';
import { roots } from '../../src/lib/doc/table-doc.ts';
import { MARK_PRESETS, PERIOD_PRESETS, TABLE_PRESETS } from '../../src/lib/model/shape-presets.ts';
import {
	REFERENCE_SHAPE,
	markForKey,
	shapeProblems,
	type TableShape
} from '../../src/lib/model/shape.ts';
import { exchange, legacyReplicas as replicas, smallSheet } from '../helpers/sheet.ts';

const clone = (s: TableShape): TableShape => structuredClone(s);

describe('the shape of a table made before shapes', () => {
	it('is the reference shape, from its quarter labels and departments', () => {
		const [doc] = replicas();
		const { shape, removed } = readShape(doc);
		expect(shape.periods).toEqual(REFERENCE_SHAPE.periods);
		expect(shape.marks).toEqual(REFERENCE_SHAPE.marks);
		expect(shape.departments.map((d) => d.name)).toEqual(['総務', '事業']);
		expect(shape.departments[0]!.id).toBe(legacyDepartmentId('総務'));
		expect(shape.columns.map((c) => c.key)).toEqual(['title', 'content', 'yearPlan', 'note']);
		expect(shape.levelLabels).toEqual(['基本計画', '施策']);
		expect(removed).toEqual({ periods: [], marks: [], departments: [], columns: [] });
		expect(shapeProblems(shape)).toEqual([]);
	});

	it('takes its period labels from the table, and writes nothing when read or left unchanged', () => {
		const [doc] = replicas(smallSheet(), ['4～6月', '7～9月', '10～12月', '1～3月']);
		const before = Y.encodeStateVector(doc);
		const { shape } = readShape(doc);
		expect(shape.periods.map((p) => [p.id, p.label])).toEqual([
			['1', '4～6月'],
			['2', '7～9月'],
			['3', '10～12月'],
			['4', '1～3月']
		]);
		expect(writeShape(doc, shape)).toEqual({ ok: true, changed: false });
		expect(Y.encodeStateVector(doc)).toEqual(before);
		expect(shapeMap(doc).size).toBe(0);
	});
});

describe('a table made before shapes, changed', () => {
	it('writes its whole shape at the first change, so its meta no longer decides it', () => {
		const [doc] = replicas();
		const shape = clone(readShape(doc).shape);
		shape.departments.push({ id: 'kikaku', name: '企画' });
		expect(writeShape(doc, shape).ok).toBe(true);
		// An editor writing the old meta (as older clients did) changes nothing any more.
		roots(doc).meta.set('quarterLabels', ['a', 'b', 'c', 'd']);
		roots(doc).meta.set('departments', []);
		const after = readShape(doc).shape;
		expect(after.periods.map((p) => p.label)).toEqual(['～6月', '～9月', '～12月', '～3月']);
		expect(after.departments.map((d) => d.name)).toEqual(['総務', '事業', '企画']);
		expect(after).toEqual(shape);
	});
});

describe('changing the shape', () => {
	it('keeps both admins’ changes made offline', () => {
		const [a, b] = replicas();
		const onA = clone(readShape(a).shape);
		onA.departments.push({ id: 'kikaku', name: '企画' });
		onA.columns.push({ key: 'xkadai', label: '課題' });
		expect(writeShape(a, onA)).toEqual({ ok: true, changed: true });
		const onB = clone(readShape(b).shape);
		onB.marks[0]!.label = '概ね順調';
		onB.periods[1]!.label = '7～9月';
		onB.levelLabels = ['基本目標', '施策'];
		expect(writeShape(b, onB)).toEqual({ ok: true, changed: true });

		exchange(a, b);
		for (const doc of [a, b]) {
			const { shape } = readShape(doc);
			expect(shape.departments.map((d) => d.name)).toEqual(['総務', '事業', '企画']);
			expect(shape.columns.map((c) => c.label)).toEqual(['', '', '', '', '課題']);
			expect(shape.marks[0]).toMatchObject({ mark: '○', label: '概ね順調' });
			expect(shape.periods.map((p) => p.label)).toEqual(['～6月', '7～9月', '～12月', '～3月']);
			expect(shape.levelLabels).toEqual(['基本目標', '施策']);
		}
	});

	it('removes a mark without touching the values set with it, and brings it back with them', () => {
		const [doc] = replicas();
		setItemMark(doc, 'a', '2', '×', 'import');
		const shape = clone(readShape(doc).shape);
		const cross = shape.marks.find((m) => m.mark === '×')!;
		shape.marks = shape.marks.filter((m) => m !== cross);
		expect(writeShape(doc, shape).ok).toBe(true);

		const after = readShape(doc);
		expect(after.shape.marks.map((m) => m.mark)).toEqual(['○', '◎', '△', '—']);
		expect(after.removed.marks).toEqual([cross]);
		// The item still holds ×, whatever the scale says.
		expect(docToSheet(doc).pillars[0]!.sections[0]!.items[0]!.marks[1]).toBe('×');

		const back = clone(after.shape);
		back.marks.splice(3, 0, cross);
		expect(writeShape(doc, back).ok).toBe(true);
		expect(readShape(doc).shape.marks).toEqual(REFERENCE_SHAPE.marks);
		expect(readShape(doc).removed.marks).toEqual([]);
	});

	it('moves entries, and keeps a new one where it was put', () => {
		const [doc] = replicas();
		const shape = clone(readShape(doc).shape);
		shape.marks.reverse();
		shape.periods.splice(2, 0, { id: 'extra', label: '臨時' });
		expect(writeShape(doc, shape).ok).toBe(true);
		const read = readShape(doc).shape;
		expect(read.marks.map((m) => m.mark)).toEqual(['—', '×', '△', '◎', '○']);
		expect(read.periods.map((p) => p.label)).toEqual(['～6月', '～9月', '臨時', '～12月', '～3月']);
	});

	it('still takes edits when a merge left the shape with a problem, refusing only new ones', () => {
		const [a, b] = replicas();
		for (const doc of [a, b]) {
			const shape = clone(readShape(doc).shape);
			shape.departments.push({ id: doc === a ? 'one' : 'two', name: '企画' });
			expect(writeShape(doc, shape).ok).toBe(true);
		}
		exchange(a, b);
		const merged = clone(readShape(a).shape);
		expect(shapeProblems(merged)).toContain('担当課「企画」が二つあります。');
		merged.periods[0]!.label = '4～6月';
		expect(writeShape(a, merged)).toEqual({ ok: true, changed: true });
		merged.periods[1]!.label = '';
		expect(writeShape(a, merged).ok).toBe(false);
		// An entry an older or faulty client wrote with an id this one would not make is not read
		// (ids go into item keys and markup), and the shape can still be edited.
		a.transact(() => shapeMap(a).set('period:"><img src=x>:label', '広報'));
		a.transact(() => shapeMap(a).set('dept:Odd-Id!:name', '広報'));
		const odd = clone(readShape(a).shape);
		expect(odd.departments.map((d) => d.name)).not.toContain('広報');
		expect(odd.periods.map((p) => p.label)).not.toContain('広報');
		odd.periods[2]!.label = '10～12月';
		expect(writeShape(a, odd).ok).toBe(true);
	});

	it('shows both periods when two admins each removed one of the two', () => {
		const doc = new Y.Doc();
		initShape(doc, TABLE_PRESETS[1]!.shape);
		const other = new Y.Doc();
		Y.applyUpdate(other, Y.encodeStateAsUpdate(doc));
		const first = clone(readShape(doc).shape);
		first.periods = [first.periods[1]!];
		const second = clone(readShape(other).shape);
		second.periods = [second.periods[0]!];
		expect(writeShape(doc, first).ok).toBe(true);
		expect(writeShape(other, second).ok).toBe(true);
		exchange(doc, other);
		expect(readShape(doc).shape.periods.map((p) => p.label)).toEqual(['上半期', '下半期']);
	});

	it.each([
		['no period', (s: TableShape) => (s.periods = []), '期間がありません'],
		[
			'13 periods',
			(s: TableShape) =>
				(s.periods = Array.from({ length: 13 }, (_, i) => ({
					id: `p${i}`,
					label: `第${i + 1}期`
				}))),
			'期間が13個あります。12個までです。'
		],
		[
			'two marks alike',
			(s: TableShape) => (s.marks[1]!.mark = '○'),
			'評価の記号「○」が二つあります。'
		],
		['an empty label', (s: TableShape) => (s.periods[0]!.label = ' '), '期間1の名前が空です。'],
		[
			'two keys alike',
			(s: TableShape) => (s.marks[1]!.key = 'o'),
			'評価のキー「o」が二つあります。'
		],
		[
			'four heading levels',
			(s: TableShape) => (s.levelLabels = ['a', 'b', 'c', 'd']),
			'見出しの階層が4個あります'
		],
		[
			'a bad column key',
			(s: TableShape) => s.columns.push({ key: 'note2', label: '備考' }),
			'列のキー「note2」は使えません。'
		],
		[
			'no note column',
			(s: TableShape) => (s.columns = s.columns.filter((c) => c.key !== 'note')),
			'標準の列「note」がありません。'
		]
	])('refuses %s, naming it, and writes nothing', (_, edit, message) => {
		const [doc] = replicas();
		const before = Y.encodeStateVector(doc);
		const shape = clone(readShape(doc).shape);
		edit(shape);
		const result = writeShape(doc, shape);
		expect(result.ok).toBe(false);
		expect(result.ok ? [] : result.problems.join('\n')).toContain(message);
		expect(Y.encodeStateVector(doc)).toEqual(before);
	});
});

describe('what reads the table as SheetJSON (summary, history, exports)', () => {
	it('sees the quarters’ names as 表の設定 set them', () => {
		const [doc] = replicas();
		const shape = clone(readShape(doc).shape);
		shape.periods[0]!.label = '4～6月';
		expect(writeShape(doc, shape).ok).toBe(true);
		expect(docToSheet(doc).periodLabels).toEqual(['4～6月', '～9月', '～12月', '～3月']);
	});
});

describe('a table made from a preset', () => {
	it.each(TABLE_PRESETS.map((p) => [p.id, p.shape] as const))(
		'%s reads back as written',
		(_, shape) => {
			const doc = new Y.Doc();
			expect(initShape(doc, shape)).toEqual({ ok: true, changed: true });
			expect(readShape(doc).shape).toEqual(shape);
			expect(initShape(doc, shape).ok).toBe(false); // once only
		}
	);

	it('offers every preset of periods and marks as a usable shape', () => {
		for (const periods of PERIOD_PRESETS)
			for (const marks of MARK_PRESETS) {
				const shape = { ...REFERENCE_SHAPE, periods: periods.periods, marks: marks.marks };
				expect(shapeProblems(shape)).toEqual([]);
			}
	});
});

describe('reading a shape someone wrote badly', () => {
	it('ignores values of the wrong kind and keys it does not know, and never throws', () => {
		const [doc] = replicas();
		const map = shapeMap(doc);
		doc.transact(() => {
			map.set('mark:m0:label', 42);
			map.set('mark:m1:tone', 'purple');
			map.set('period:1:removed', 'yes');
			map.set('period::label', 'x');
			map.set('nonsense', { deep: [[[]]] });
			map.set('levels', 'not a list');
			map.set('column:title:removed', true);
			map.set('column:evil:label', 'x');
			map.set('mark:zz:label', 'no mark');
		});
		const { shape } = readShape(doc);
		expect(shape.marks).toEqual(REFERENCE_SHAPE.marks);
		expect(shape.periods).toEqual(REFERENCE_SHAPE.periods);
		expect(shape.levelLabels).toEqual(REFERENCE_SHAPE.levelLabels);
		expect(shape.columns.map((c) => c.key)).toEqual(['title', 'content', 'yearPlan', 'note']);
	});
});

describe('keys', () => {
	it('finds the mark a typed key sets, in either case', () => {
		const shape = TABLE_PRESETS[1]!.shape;
		expect(markForKey(shape, 'S')?.mark).toBe('S');
		expect(markForKey(shape, 'b')?.mark).toBe('B');
		expect(markForKey(shape, 'z')).toBeUndefined();
		expect(markForKey(REFERENCE_SHAPE, 'x')?.mark).toBe('×');
	});
});
