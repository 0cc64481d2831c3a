import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { recordChange } from '../../src/lib/doc/changes.ts';
import { deleteItem, moveItem, setItemMark, spliceText } from '../../src/lib/doc/ops.ts';
import { roots, textOf } from '../../src/lib/doc/table-doc.ts';
import { cellOf, changedCells } from '../../src/lib/sync/edited-cells.ts';
import {
	editCount,
	MAX_CELLS,
	UNSENT_PREFIX,
	UnsentEdits,
	unsentOnDevice,
	type KeyValueStore
} from '../../src/lib/sync/unsent.ts';
import { replicas } from '../helpers/sheet.ts';

/** localStorage as a Map. */
function deviceStorage(): KeyValueStore & { map: Map<string, string> } {
	const map = new Map<string, string>();
	return {
		map,
		get length() {
			return map.size;
		},
		key: (i) => [...map.keys()][i] ?? null,
		getItem: (k) => map.get(k) ?? null,
		setItem: (k, v) => void map.set(k, String(v)),
		removeItem: (k) => void map.delete(k)
	};
}

/** A table doc whose local transactions are noted as RemoteSync notes them. */
function tab(storage: KeyValueStore, page: string, docId = 'r2demo', copy?: Uint8Array) {
	const [doc] = replicas();
	if (copy) Y.applyUpdate(doc, copy);
	const unsent = new UnsentEdits(docId, page, storage);
	const cells: Set<string>[] = [];
	doc.on('afterTransaction', (tr: Y.Transaction) => {
		if (tr.origin === 'replay') return;
		cells.push(changedCells(tr));
		unsent.note(tr);
	});
	return { doc, unsent, cells };
}

/** Types `text` into an item's note one character at a time, as the text cell does. */
function typeInto(doc: Y.Doc, itemId: string, field: string, text: string): void {
	const cell = textOf(roots(doc).items.get(itemId)!, field)!;
	for (const char of text) {
		doc.transact(() => {
			spliceText(cell, cell.toString() + char);
			recordChange(doc, itemId, field, '管理者');
		});
	}
}

describe('changed cells', () => {
	it('names the cell of an item a keystroke, a mark and a deletion changed', () => {
		const { doc, cells } = tab(deviceStorage(), 'p1');
		typeInto(doc, 'a', 'note', 'x');
		setItemMark(doc, 'a', 'q1', '○', '管理者');
		setItemMark(doc, 'a', 'q1', '×', '管理者');
		const note = textOf(roots(doc).items.get('a')!, 'note')!;
		doc.transact(() => note.delete(0, 1));
		expect(cells.map((c) => [...c])).toEqual([
			['items/a/note'],
			['items/a/markq1'],
			['items/a/markq1'],
			['items/a/note']
		]);
	});

	it('counts a move as one change of the row’s place, and a new or deleted row as the row', () => {
		const { doc, cells } = tab(deviceStorage(), 'p1');
		moveItem(doc, 'b', 's1', null, 'a');
		deleteItem(doc, 'a');
		expect(cells.map((c) => [...c])).toEqual([['items/b/#place'], ['items/a']]);
	});

	it('reads KPI values by year, comments and settings as one cell each', () => {
		expect(cellOf(['kpis', 'k1', 'years', 'y2020', 'actual'])).toBe('kpis/k1/years/y2020/actual');
		expect(cellOf(['kpis', 'k1', 'target'])).toBe('kpis/k1/target');
		expect(cellOf(['comments', 'c1', 'resolved'])).toBe('comments/c1');
		expect(cellOf(['meta', 'title'])).toBe('meta/title');
		expect(cellOf(['items', 'a', 'markq1', 'entry-key'])).toBe('items/a/markq1');
	});
});

describe('unsent edits counted as cells', () => {
	it('ten characters typed into one cell are one edit, a second cell makes two', () => {
		const storage = deviceStorage();
		const { doc, unsent } = tab(storage, 'p1');
		typeInto(doc, 'a', 'note', '0123456789');
		expect(unsent.count).toBe(1);
		expect(unsentOnDevice(storage)).toBe(1);
		setItemMark(doc, 'a', 'q2', '○', '管理者');
		expect(unsent.count).toBe(2);
	});

	it('a reload that takes the edits over counts the same cell once', () => {
		const storage = deviceStorage();
		const before = tab(storage, 'p1');
		typeInto(before.doc, 'a', 'note', 'あいう');
		before.unsent.close();
		const after = tab(storage, 'p2', 'r2demo', Y.encodeStateAsUpdate(before.doc));
		after.unsent.review(after.doc, new Set(['p2']), { confirmed: false, adopt: true });
		expect(after.unsent.count).toBe(1);
		typeInto(after.doc, 'a', 'note', 'え');
		expect(after.unsent.count).toBe(1);
		typeInto(after.doc, 'b', 'note', 'お');
		expect(after.unsent.count).toBe(2);
	});

	it('two tabs on one cell are one edit on the device; the same cell of two tables is two', () => {
		const storage = deviceStorage();
		typeInto(tab(storage, 'p1').doc, 'a', 'note', 'a');
		typeInto(tab(storage, 'p2').doc, 'a', 'note', 'b');
		expect(unsentOnDevice(storage)).toBe(1);
		typeInto(tab(storage, 'p3', 'other').doc, 'a', 'note', 'c');
		expect(unsentOnDevice(storage)).toBe(2);
	});

	it('counts the transactions of records written before cells were listed', () => {
		expect(editCount([{ page: 'p1', n: 7, sv: {}, del: {} }])).toBe(7);
		expect(
			editCount([
				{ page: 'p1', n: 7, sv: {}, del: {} },
				{ page: 'p2', n: 3, sv: {}, del: {}, cells: ['items/a/note'] }
			])
		).toBe(8);
		// An edit is waiting even when it named no cell: never 0.
		expect(editCount([{ page: 'p1', n: 2, sv: {}, del: {}, cells: [] }])).toBe(1);
		expect(editCount([{ page: 'p1', n: 0, sv: {}, del: {}, cells: [] }])).toBe(0);
	});

	it('stops listing cells past the limit and counts the rest', () => {
		const storage = deviceStorage();
		const doc = new Y.Doc();
		const unsent = new UnsentEdits('big', 'p1', storage);
		doc.on('afterTransaction', (tr: Y.Transaction) => void unsent.note(tr));
		const items = doc.getMap<string>('items');
		for (let i = 0; i < MAX_CELLS + 5; i++) items.set(`k${i}`, 'x');
		expect(unsent.count).toBe(MAX_CELLS + 5);
		const key = [...storage.map.keys()].find((k) => k.startsWith(UNSENT_PREFIX))!;
		const record = JSON.parse(storage.getItem(key)!);
		expect(record.cells).toHaveLength(MAX_CELLS);
		expect(record.more).toBe(5);
	});
});
