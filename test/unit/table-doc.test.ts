import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { readMark } from '../../src/lib/doc/mark-register.ts';
import { migrate } from '../../src/lib/doc/migrate.ts';
import { insertItem, moveItem, setItemMark, spliceText } from '../../src/lib/doc/ops.ts';
import { docToSheet } from '../../src/lib/doc/sheet-doc.ts';
import { readOutline, roots, textOf } from '../../src/lib/doc/table-doc.ts';
import { sheetSchema } from '../../src/lib/model/schema.ts';
import { exchange, replicas, smallSheet } from '../helpers/sheet.ts';

function note(doc: Y.Doc, id: string): Y.Text {
	const text = textOf(roots(doc).items.get(id)!, 'note');
	if (!text) throw new Error('note is not a Y.Text');
	return text;
}

describe('sheet ⇄ doc', () => {
	it('round-trips a sheet through a doc unchanged', () => {
		const [a] = replicas();
		expect(docToSheet(a)).toEqual(smallSheet());
		expect(sheetSchema.safeParse(docToSheet(a)).success).toBe(true);
	});
});

describe('text cells', () => {
	it('merges two people typing into one note character by character', () => {
		const [a, b] = replicas();
		spliceText(note(a, 'a'), '新型コロナの影響で達成状況');
		spliceText(note(b, 'a'), '達成状況（12月末）');
		exchange(a, b);
		const merged = note(a, 'a').toString();
		expect(merged).toBe(note(b, 'a').toString());
		expect(merged).toBe('新型コロナの影響で達成状況（12月末）');
	});

	it('keeps both insertions made at the same spot', () => {
		const [a, b] = replicas();
		spliceText(note(a, 'a'), '達成状況A');
		spliceText(note(b, 'a'), '達成状況B');
		exchange(a, b);
		const merged = note(a, 'a').toString();
		expect(merged).toBe(note(b, 'a').toString());
		expect(merged).toMatch(/^達成状況(AB|BA)$/);
	});

	it('splices the smallest change, placing a repeated character where the caret was', () => {
		const doc = new Y.Doc();
		const text = doc.getText('t');
		text.insert(0, 'ああい');
		const deltas: unknown[] = [];
		text.observe((e) => deltas.push(e.delta));
		spliceText(text, 'あああい', undefined, 2);
		expect(text.toString()).toBe('あああい');
		expect(deltas).toEqual([[{ retain: 1 }, { insert: 'あ' }]]);
	});

	it('never splits a surrogate pair', () => {
		const doc = new Y.Doc();
		const text = doc.getText('t');
		text.insert(0, 'a😀b');
		spliceText(text, 'a😃b');
		expect(text.toString()).toBe('a😃b');
	});
});

describe('mark register', () => {
	it('keeps two offline marks as a conflict until one is picked, everywhere', () => {
		const [a, b] = replicas();
		setItemMark(a, 'a', '2', '○', '佐藤');
		setItemMark(b, 'a', '2', '×', '鈴木');
		exchange(a, b);
		for (const doc of [a, b]) {
			expect(docToSheet(doc).pillars[0]!.sections[0]!.items[0]!.marks[1]).toEqual(['○', '×']);
		}
		setItemMark(b, 'a', '2', '×', '鈴木');
		exchange(a, b);
		for (const doc of [a, b]) {
			expect(docToSheet(doc).pillars[0]!.sections[0]!.items[0]!.marks[1]).toBe('×');
		}
	});

	it('replaces a mark seen before without a conflict', () => {
		const [a, b] = replicas();
		setItemMark(a, 'a', '1', '○', '佐藤');
		exchange(a, b);
		setItemMark(b, 'a', '1', '△', '鈴木');
		exchange(a, b);
		expect(docToSheet(a).pillars[0]!.sections[0]!.items[0]!.marks[0]).toBe('△');
	});

	it('two people choosing the same mark is not a conflict', () => {
		const [a, b] = replicas();
		setItemMark(a, 'a', '1', '○', '佐藤');
		setItemMark(b, 'a', '1', '○', '鈴木');
		exchange(a, b);
		expect(docToSheet(b).pillars[0]!.sections[0]!.items[0]!.marks[0]).toBe('○');
	});
});

describe('row order', () => {
	it('keeps both rows inserted concurrently at one spot, in the same order everywhere', () => {
		const [a, b] = replicas();
		const x = insertItem(a, 's1', 'a', '佐藤');
		const y = insertItem(b, 's1', 'a', '鈴木');
		exchange(a, b);
		const idsA = readOutline(a).pillars[0]!.sections[0]!.items.map((i) => i.id);
		const idsB = readOutline(b).pillars[0]!.sections[0]!.items.map((i) => i.id);
		expect(idsA).toEqual(idsB);
		expect(idsA).toHaveLength(4);
		expect(idsA[0]).toBe('a');
		expect(idsA[3]).toBe('b');
		expect(new Set(idsA.slice(1, 3))).toEqual(new Set([x, y]));
	});

	it('moves a row between two others', () => {
		const [a] = replicas();
		const x = insertItem(a, 's1', 'b', '佐藤');
		moveItem(a, x, 's1', null, 'a');
		expect(readOutline(a).pillars[0]!.sections[0]!.items.map((i) => i.id)).toEqual([x, 'a', 'b']);
	});
});

describe('schema-invalid values', () => {
	it('reads wrong types as invalid or empty without throwing', () => {
		const [a] = replicas();
		const row = roots(a).items.get('a')!;
		a.transact(() => {
			row.set('note', 42);
			row.set('title', { evil: true });
			row.set('departments', 'not a list');
			row.set('mark1', 'not a register');
			const register = new Y.Map<unknown>();
			register.set('x', { value: '☆', by: 1, at: 'yesterday' });
			row.set('mark2', register);
			row.set('order', 7);
			roots(a).items.set('junk', new Y.Text('not a row') as unknown as Y.Map<unknown>);
			roots(a).meta.set('fiscalYear', 'two thousand');
		});
		const sheet = docToSheet(a);
		const item = sheet.pillars[0]!.sections[0]!.items.find((i) => i.id === 'a')!;
		expect(item.note).toBe('');
		expect(item.title).toBe('');
		expect(item.departments).toEqual([]);
		expect(item.marks[0]).toBe('');
		expect(readMark(row.get('mark1'), []).invalid).toBe(true);
		expect(readMark(row.get('mark2'), []).invalid).toBe(true);
		expect(sheet.pillars[0]!.sections[0]!.items.map((i) => i.id)).toContain('b');
		expect(sheetSchema.safeParse(sheet).success).toBe(true);
	});

	it('leaves a doc from a newer version untouched', () => {
		const [a] = replicas();
		roots(a).meta.set('schemaVersion', 99);
		expect(migrate(a)).toBe(false);
		expect(roots(a).meta.get('schemaVersion')).toBe(99);
	});
});
