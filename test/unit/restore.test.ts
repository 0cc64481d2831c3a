import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
	deleteItem,
	insertItem,
	moveItem,
	setDepartments,
	setItemMark,
	setKpiValue,
	setKpiYearValue,
	spliceText
} from '../../src/lib/doc/ops.ts';
import { ORIGIN } from '../../src/lib/doc/origins.ts';
import { restoreItem, restoreItemFrom, restoreSheet } from '../../src/lib/doc/restore.ts';
import { docToSheet } from '../../src/lib/doc/sheet-doc.ts';
import { readOutline, roots, str, textOf } from '../../src/lib/doc/table-doc.ts';
import { parseTextTable } from '../../src/lib/import/text-table.ts';
import type { SheetJSON } from '../../src/lib/model/schema.ts';
import { exchange, replicas } from '../helpers/sheet.ts';

const reference = (): SheetJSON =>
	parseTextTable(
		readFileSync(new URL('../../server/seed/r2-progress-table.txt', import.meta.url), 'utf8')
	);

function text(doc: Y.Doc, id: string, field: string): Y.Text {
	const t = textOf(roots(doc).items.get(id)!, field);
	if (!t) throw new Error(`${id}.${field} is not a Y.Text`);
	return t;
}

function itemsOf(sheet: SheetJSON) {
	return sheet.pillars.flatMap((p) => p.sections.flatMap((s) => s.items));
}

function findItem(sheet: SheetJSON, id: string) {
	return itemsOf(sheet).find((i) => i.id === id);
}

/** Many kinds of change at once, as weeks of editing would leave them. */
function editEverything(doc: Y.Doc): void {
	spliceText(text(doc, 'p1s1i1', 'note'), '全面的に書き換えた');
	spliceText(text(doc, 'p1s1i2', 'title'), '①ホームページの改修');
	setItemMark(doc, 'p1s1i3', '1', '○', 'taro');
	setItemMark(doc, 'p1s1i4', '2', '', 'taro');
	setDepartments(doc, 'p1s2i1', ['事業']);
	deleteItem(doc, 'p1s2i2');
	deleteItem(doc, 'p4s4i3');
	insertItem(doc, 'p2s1', 'p2s1i2', 'taro');
	moveItem(doc, 'p1s3i1', 'p3s1', null, 'p3s1i1');
	moveItem(doc, 'p2s2i3', 'p2s2', null, 'p2s2i1');
	doc.transact(() => {
		const r = roots(doc);
		r.meta.set('title', '別の表題');
		r.sections.delete('p3s3');
		const pillar = r.pillars.get('p2')!;
		spliceText(textOf(pillar, 'title')!, '改名した柱');
		const section = new Y.Map<unknown>();
		section.set('pillarId', 'p1');
		section.set('order', 'Zz');
		section.set('no', '(0)');
		section.set('title', new Y.Text('新しい節'));
		r.sections.set('extra', section);
		r.kpis.delete('k3');
		(r.kpis.get('k2')!.get('years') as Y.Map<unknown>).delete('2018');
	});
	setKpiValue(doc, 'k1', 'target', 9999);
	setKpiYearValue(doc, 'k1', '2020', 'actual', 1);
}

describe('restoreSheet', () => {
	it('brings a whole table back as a forward change that syncs to other replicas', () => {
		const snapshot = reference();
		const [a, b] = replicas(snapshot);
		editEverything(a);
		exchange(a, b);
		expect(docToSheet(b)).not.toEqual(snapshot);
		const svBefore = Y.decodeStateVector(Y.encodeStateVector(a));
		restoreSheet(a, snapshot, 'hanako');
		expect(docToSheet(a)).toEqual(snapshot);
		// A forward change: the restoring client's clock moved on, nothing was rewritten.
		const svAfter = Y.decodeStateVector(Y.encodeStateVector(a));
		expect(svAfter.get(a.clientID)!).toBeGreaterThan(svBefore.get(a.clientID) ?? 0);
		exchange(a, b);
		expect(docToSheet(b)).toEqual(snapshot);
	});

	it('keeps a concurrent edit to a cell the restore did not touch', () => {
		const snapshot = reference();
		const [a, b] = replicas(snapshot);
		spliceText(text(a, 'p1s1i1', 'note'), '後で書いた内容');
		setItemMark(a, 'p1s1i1', '4', '△', 'taro');
		exchange(a, b);
		// While A restores, B (offline) edits other cells, one of them in the same item.
		restoreSheet(a, snapshot, 'hanako');
		spliceText(text(b, 'p2s1i1', 'content'), 'B が追記した内容');
		spliceText(text(b, 'p1s1i1', 'plan2'), 'B の計画');
		setItemMark(b, 'p3s1i1', '2', '×', 'jiro');
		exchange(a, b);
		const merged = docToSheet(a);
		expect(docToSheet(b)).toEqual(merged);
		const restored = findItem(merged, 'p1s1i1')!;
		const old = findItem(snapshot, 'p1s1i1')!;
		expect(restored.note).toBe(old.note);
		expect(restored.marks[3]).toBe(old.marks[3]);
		expect(restored.plans[1]).toBe('B の計画');
		expect(findItem(merged, 'p2s1i1')!.content).toBe('B が追記した内容');
		expect(findItem(merged, 'p3s1i1')!.marks[1]).toBe('×');
	});

	it('is undone in one step by an UndoManager tracking the restore origin', () => {
		const snapshot = reference();
		const [a] = replicas(snapshot);
		editEverything(a);
		const edited = docToSheet(a);
		const r = roots(a);
		const undo = new Y.UndoManager([r.meta, r.pillars, r.sections, r.items, r.kpis], {
			trackedOrigins: new Set([ORIGIN.restore])
		});
		restoreSheet(a, snapshot, 'hanako');
		expect(docToSheet(a)).toEqual(snapshot);
		expect(undo.undoStack).toHaveLength(1);
		undo.undo();
		expect(docToSheet(a)).toEqual(edited);
		undo.redo();
		expect(docToSheet(a)).toEqual(snapshot);
	});

	it('writes only what differs: unmoved rows keep their order keys, an equal doc gets no update', () => {
		const snapshot = reference();
		const [a] = replicas(snapshot);
		const ids = snapshot.pillars[0]!.sections[0]!.items.map((i) => i.id);
		const keys = () => ids.map((id) => str(roots(a).items.get(id)!, 'order'));
		moveItem(a, 'p1s1i3', 'p1s1', 'p1s1i4', 'p1s1i5');
		const moved = keys();
		restoreSheet(a, snapshot, 'hanako');
		expect(docToSheet(a)).toEqual(snapshot);
		// One row out of place: one key rewritten, the other nine kept.
		expect(keys().filter((key, i) => key !== moved[i])).toHaveLength(1);

		let updates = 0;
		a.on('update', () => updates++);
		restoreSheet(a, snapshot, 'hanako');
		expect(updates).toBe(0);
	});

	it('fills an empty doc, and resolves a conflict that arose after the snapshot', () => {
		const snapshot = reference();
		const empty = new Y.Doc();
		restoreSheet(empty, snapshot, 'hanako');
		expect(docToSheet(empty)).toEqual(snapshot);

		const [a, b] = replicas(snapshot);
		setItemMark(a, 'p1s1i1', '1', '○', 'taro');
		setItemMark(b, 'p1s1i1', '1', '△', 'jiro');
		exchange(a, b);
		expect(findItem(docToSheet(a), 'p1s1i1')!.marks[0]).toEqual(['○', '△']);
		restoreSheet(a, snapshot, 'hanako');
		expect(findItem(docToSheet(a), 'p1s1i1')!.marks[0]).toBe('×');
	});
});

describe('restoreItem', () => {
	it('restores one item and leaves later edits to other items alone', () => {
		const snapshot = reference();
		const [a, b] = replicas(snapshot);
		spliceText(text(a, 'p1s1i1', 'note'), '書き換えた');
		setItemMark(a, 'p1s1i1', '2', '○', 'taro');
		setDepartments(a, 'p1s1i1', ['事業']);
		spliceText(text(b, 'p1s1i2', 'note'), '別の項目の新しい内容');
		exchange(a, b);
		const old = findItem(snapshot, 'p1s1i1')!;
		restoreItem(a, old, 'p1s1', 'hanako');
		exchange(a, b);
		const now = docToSheet(b);
		expect(findItem(now, 'p1s1i1')).toEqual(old);
		expect(findItem(now, 'p1s1i2')!.note).toBe('別の項目の新しい内容');
		expect(readOutline(b).pillars[0]!.sections[0]!.items.map((i) => i.id)).toEqual(
			snapshot.pillars[0]!.sections[0]!.items.map((i) => i.id)
		);
	});

	it('merges with a concurrent edit in the same cell by splicing only the difference', () => {
		const [a, b] = replicas(reference());
		const t = text(a, 'p1s1i1', 'note');
		const old = findItem(docToSheet(a), 'p1s1i1')!;
		spliceText(t, t.toString() + '（追記1）');
		exchange(a, b);
		restoreItem(a, old, 'p1s1', 'hanako');
		const tb = text(b, 'p1s1i1', 'note');
		spliceText(tb, '【B】' + tb.toString());
		exchange(a, b);
		expect(text(a, 'p1s1i1', 'note').toString()).toBe('【B】' + old.note);
	});

	it('re-creates a deleted item between its old neighbours, and moves a moved one back', () => {
		const snapshot = reference();
		const [a] = replicas(snapshot);
		deleteItem(a, 'p1s1i5');
		moveItem(a, 'p1s1i7', 'p2s1', null, null);
		expect(restoreItemFrom(a, snapshot, 'p1s1i5', 'hanako')).toBe(true);
		expect(restoreItemFrom(a, snapshot, 'p1s1i7', 'hanako')).toBe(true);
		expect(restoreItemFrom(a, snapshot, 'nope', 'hanako')).toBe(false);
		expect(docToSheet(a)).toEqual(snapshot);
	});

	it('brings an old conflict back as a conflict, and an old empty mark as empty', () => {
		const snapshot = reference();
		const first = snapshot.pillars[0]!.sections[0]!.items[0]!;
		first.marks = [['○', '×'], '', '△', '×'];
		const [a] = replicas(snapshot);
		setItemMark(a, first.id, '1', '◎', 'taro');
		setItemMark(a, first.id, '2', '○', 'taro');
		setItemMark(a, first.id, '3', '○', 'taro');
		restoreItem(a, first, 'p1s1', 'hanako');
		expect(findItem(docToSheet(a), first.id)!.marks).toEqual([['○', '×'], '', '△', '×']);
	});

	it('re-creates an item at the end of its section when its neighbours are gone', () => {
		const snapshot = reference();
		const [a] = replicas(snapshot);
		const old = findItem(snapshot, 'p1s3i2')!;
		deleteItem(a, 'p1s3i2');
		restoreItem(a, old, 'p1s3', 'hanako', ORIGIN.local, { prevId: 'gone', nextId: null });
		const ids = readOutline(a).pillars[0]!.sections[2]!.items.map((i) => i.id);
		expect(ids).toEqual(['p1s3i1', 'p1s3i3', 'p1s3i2']);
		expect(findItem(docToSheet(a), 'p1s3i2')).toEqual(old);
	});
});
