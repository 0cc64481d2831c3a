// Moving and deleting headings with what they hold (src/lib/doc/heading-ops.ts): the order they
// end in, level-3 headings moving with their level-2 one, the edge of a pillar, one undo step, and
// two people moving at once never duplicating or losing a heading.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
	deleteHeading,
	headingContents,
	moveHeadingBy,
	moveHeadingTo
} from '../../src/lib/doc/heading-ops.ts';
import { ORIGIN } from '../../src/lib/doc/origins.ts';
import { restoreItemFrom } from '../../src/lib/doc/restore.ts';
import { docToSheet } from '../../src/lib/doc/sheet-doc.ts';
import { sheetToDoc } from '../../src/lib/doc/sheet-to-doc.ts';
import { readOutline, roots } from '../../src/lib/doc/table-doc.ts';
import { insertSection } from '../../src/lib/doc/ops.ts';
import type { SheetJSON } from '../../src/lib/model/schema.ts';
import { exchange, item, replicas, smallSheet } from '../helpers/sheet.ts';

/** Two pillars: 1 › (1) with ア イ under it, (2); 2 › (1). */
function sheet(): SheetJSON {
	const s = smallSheet();
	s.levelLabels = ['基本目標', '施策', '具体的施策'];
	s.pillars = [
		{
			id: 'p1',
			no: '1',
			title: '一',
			sections: [
				{ id: 's1', no: '(1)', title: '防災', items: [item('a')] },
				{ id: 's1a', no: 'ア', title: '訓練', level: 3, items: [item('b'), item('c')] },
				{ id: 's1b', no: 'イ', title: '備蓄', level: 3, items: [item('d')] },
				{ id: 's2', no: '(2)', title: '防犯', items: [item('e')] }
			]
		},
		{
			id: 'p2',
			no: '2',
			title: '二',
			sections: [{ id: 's3', no: '(1)', title: '福祉', items: [item('f')] }]
		}
	];
	return s;
}

function docOf(s: SheetJSON = sheet()): Y.Doc {
	const doc = new Y.Doc();
	sheetToDoc(s, doc);
	return doc;
}

/** Pillar by pillar, its sections' ids (level-3 ones marked) and their items. */
function shape(doc: Y.Doc): string[] {
	return readOutline(doc).pillars.map(
		(p) =>
			`${p.id}: ` +
			p.sections
				.map((s) => `${s.level === 3 ? '-' : ''}${s.id}[${s.items.map((i) => i.id).join('')}]`)
				.join(' ')
	);
}

describe('moving a heading', () => {
	it('moves a level-2 section with its level-3 sections and items', () => {
		const doc = docOf();
		expect(moveHeadingBy(doc, 'section', 's2', -1)).toBe(true);
		expect(shape(doc)).toEqual(['p1: s2[e] s1[a] -s1a[bc] -s1b[d]', 'p2: s3[f]']);
		expect(moveHeadingBy(doc, 'section', 's1', 1)).toBe(true);
		expect(shape(doc)).toEqual(['p1: s2[e]', 'p2: s1[a] -s1a[bc] -s1b[d] s3[f]']);
	});

	it('moves a level-3 section among those of its level-2 section only', () => {
		const doc = docOf();
		expect(moveHeadingBy(doc, 'section', 's1b', -1)).toBe(true);
		expect(shape(doc)[0]).toBe('p1: s1[a] -s1b[d] -s1a[bc] s2[e]');
		expect(moveHeadingBy(doc, 'section', 's1b', -1)).toBe(false);
		expect(moveHeadingBy(doc, 'section', 's1a', 1)).toBe(false);
	});

	it('moves a pillar with everything in it; not past the first or the last', () => {
		const doc = docOf();
		expect(moveHeadingBy(doc, 'pillar', 'p1', -1)).toBe(false);
		expect(moveHeadingBy(doc, 'pillar', 'p2', -1)).toBe(true);
		expect(shape(doc)).toEqual(['p2: s3[f]', 'p1: s1[a] -s1a[bc] -s1b[d] s2[e]']);
		expect(moveHeadingBy(doc, 'section', 's3', -1)).toBe(false);
	});

	it('in a table of two levels, a section marked level 3 is a section like the others', () => {
		const two = sheet();
		two.levelLabels = ['基本目標', '施策'];
		const doc = docOf(two);
		expect(shape(doc)).toEqual(['p1: s1[a] s1a[bc] s1b[d] s2[e]', 'p2: s3[f]']);
		expect(headingContents(readOutline(doc), 'section', 's1').items).toEqual(['a']);
		expect(moveHeadingBy(doc, 'section', 's1', 1)).toBe(true);
		expect(shape(doc)[0]).toBe('p1: s1a[bc] s1[a] s1b[d] s2[e]');
		expect(moveHeadingBy(doc, 'section', 's1b', -1)).toBe(true);
		expect(shape(doc)[0]).toBe('p1: s1a[bc] s1b[d] s1[a] s2[e]');
		expect(deleteHeading(doc, 'section', 's1')).toBe(1);
	});

	it('a level-3 heading added under one being moved to another pillar goes with it', () => {
		const [a, b] = replicas(sheet());
		moveHeadingBy(a, 'section', 's2', 1);
		insertSection(b, 'p1', ORIGIN.local, 's2');
		exchange(a, b);
		expect(shape(a)).toEqual(shape(b));
		expect(shape(a)[1]).toMatch(/^p2: s2\[e\] -\w+\[\] s3\[f\]$/);
	});

	it('two people moving headings at once leave each heading once', () => {
		const [a, b] = replicas(sheet());
		moveHeadingBy(a, 'section', 's2', -1);
		moveHeadingBy(b, 'section', 's1', 1);
		moveHeadingBy(b, 'pillar', 'p2', -1);
		exchange(a, b);
		expect(shape(a)).toEqual(shape(b));
		const ids = readOutline(a).pillars.flatMap((p) => p.sections.map((s) => s.id));
		expect(ids.sort()).toEqual(['s1', 's1a', 's1b', 's2', 's3']);
		const items = readOutline(a).pillars.flatMap((p) => p.sections.flatMap((s) => s.items));
		expect(items).toHaveLength(6);
	});
});

describe('dropping a heading on another', () => {
	it('puts it before or after, with what it holds, in another pillar too', () => {
		const doc = docOf();
		const s3 = { kind: 'section' as const, id: 's3' };
		expect(moveHeadingTo(doc, 'section', 's1', s3, 'after')).toBe(true);
		expect(shape(doc)).toEqual(['p1: s2[e]', 'p2: s3[f] s1[a] -s1a[bc] -s1b[d]']);
		expect(moveHeadingTo(doc, 'section', 's2', { kind: 'section', id: 's1' }, 'before')).toBe(true);
		expect(shape(doc)).toEqual(['p1: ', 'p2: s3[f] s2[e] s1[a] -s1a[bc] -s1b[d]']);
		// On a pillar: first in it.
		expect(moveHeadingTo(doc, 'section', 's1', { kind: 'pillar', id: 'p1' }, 'after')).toBe(true);
		expect(shape(doc)[0]).toBe('p1: s1[a] -s1a[bc] -s1b[d]');
	});

	it('moves a level-3 section under another level-2 section; a pillar among the pillars', () => {
		const doc = docOf();
		expect(moveHeadingTo(doc, 'section', 's1b', { kind: 'section', id: 's2' }, 'after')).toBe(true);
		expect(shape(doc)[0]).toBe('p1: s1[a] -s1a[bc] s2[e] -s1b[d]');
		expect(moveHeadingTo(doc, 'section', 's1a', { kind: 'section', id: 's1b' }, 'after')).toBe(
			true
		);
		expect(shape(doc)[0]).toBe('p1: s1[a] s2[e] -s1b[d] -s1a[bc]');
		// A level-2 section is not dropped among level-3 ones.
		expect(moveHeadingTo(doc, 'section', 's1', { kind: 'section', id: 's1a' }, 'after')).toBe(
			false
		);
		expect(moveHeadingTo(doc, 'pillar', 'p1', { kind: 'pillar', id: 'p2' }, 'after')).toBe(true);
		expect(shape(doc).map((p) => p.slice(0, 2))).toEqual(['p2', 'p1']);
	});
});

describe('deleting a heading', () => {
	it('takes its level-3 sections and all their items, in one undo step', () => {
		const doc = docOf();
		const r = roots(doc);
		const undo = new Y.UndoManager([r.pillars, r.sections, r.items], {
			trackedOrigins: new Set([ORIGIN.local])
		});
		expect(headingContents(readOutline(doc), 'section', 's1')).toEqual({
			sections: ['s1', 's1a', 's1b'],
			items: ['a', 'b', 'c', 'd']
		});
		expect(deleteHeading(doc, 'section', 's1')).toBe(4);
		expect(shape(doc)).toEqual(['p1: s2[e]', 'p2: s3[f]']);
		undo.undo();
		expect(shape(doc)).toEqual(['p1: s1[a] -s1a[bc] -s1b[d] s2[e]', 'p2: s3[f]']);
		expect(deleteHeading(doc, 'pillar', 'p1')).toBe(5);
		expect(shape(doc)).toEqual(['p2: s3[f]']);
		expect(readOutline(doc).orphanItems).toEqual([]);
	});

	it('a level-3 section alone takes its own items only', () => {
		const doc = docOf();
		expect(deleteHeading(doc, 'section', 's1a')).toBe(2);
		expect(shape(doc)[0]).toBe('p1: s1[a] -s1b[d] s2[e]');
	});

	it('an item restored from history brings its deleted heading back, in its place', () => {
		const doc = docOf();
		const snapshot = docToSheet(doc);
		deleteHeading(doc, 'pillar', 'p1');
		expect(restoreItemFrom(doc, snapshot, 'c', 'someone')).toBe(true);
		expect(shape(doc)).toEqual(['p1: s1[] -s1a[c]', 'p2: s3[f]']);
		expect(restoreItemFrom(doc, snapshot, 'a', 'someone')).toBe(true);
		expect(restoreItemFrom(doc, snapshot, 'e', 'someone')).toBe(true);
		expect(shape(doc)).toEqual(['p1: s1[a] -s1a[c] s2[e]', 'p2: s3[f]']);
		// A level-3 heading's level-2 heading comes back with it.
		const again = docOf();
		deleteHeading(again, 'section', 's1');
		expect(restoreItemFrom(again, snapshot, 'd', 'someone')).toBe(true);
		expect(shape(again)[0]).toBe('p1: s1[] -s1b[d] s2[e]');
		const restored = docToSheet(doc).pillars[0]!;
		expect(restored.title).toBe('一');
		expect(restored.sections.map((x) => [x.no, x.title, x.level])).toEqual([
			['(1)', '防災', undefined],
			['ア', '訓練', 3],
			['(2)', '防犯', undefined]
		]);
	});
});
