// A CRDT takes whatever an editor's client writes, and the server stores and relays it. Whatever
// that is, reading the table must return: the bad part is skipped or flagged, the rest reads.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { readChanges, recordChange, changesMap } from '../../src/lib/doc/changes.ts';
import { addComment, commentsMap, readComments } from '../../src/lib/doc/comments.ts';
import { addTable, listTables, tablesMap } from '../../src/lib/doc/index-doc.ts';
import { readMark, writeMark } from '../../src/lib/doc/mark-register.ts';
import { docToSheet } from '../../src/lib/doc/sheet-doc.ts';
import { readShape } from '../../src/lib/doc/shape-doc.ts';
import {
	readItemCells,
	readKpiYears,
	readOutline,
	roots,
	scaleOf
} from '../../src/lib/doc/table-doc.ts';
import { sheetSchema } from '../../src/lib/model/schema.ts';
import { QUARTER_LABELS } from '../../src/lib/model/sheet-constants.ts';
import { REFERENCE_SHAPE } from '../../src/lib/model/shape.ts';
import { summarize } from '../../src/lib/model/summary.ts';
import { replicas, smallSheet } from '../helpers/sheet.ts';

/** Deep enough to overflow the stack of anything that walks it recursively (Node and Chromium). */
const SCALE = scaleOf(REFERENCE_SHAPE);
const DEEP = 6000;
/**
 * Plain JSON nested this deep is written into the local doc only: lib0 cannot decode a value much
 * deeper than 4000 from an update, so no replica receives it, but the readers must not walk it.
 */
const DEEP_JSON = 5000;

/**
 * A chain of Y.Maps `depth` deep under `map.get(key)`. Built top-down in one transaction, so each
 * map is integrated empty (Yjs integrates a prepared nested value recursively) and no parent is
 * re-observed per level (one transaction per level makes the build quadratic).
 */
function deepMaps(map: Y.Map<unknown>, key: string, depth = DEEP): void {
	map.doc!.transact(() => {
		let parent = map;
		let k = key;
		for (let i = 0; i < depth; i++) {
			const child = new Y.Map<unknown>();
			parent.set(k, child);
			parent = child;
			k = 'c';
		}
	});
}

/** A Y.XmlText (a Y.Text subclass) under `map.get(key)`, embedding another, `depth` deep. */
function deepXmlText(map: Y.Map<unknown>, key: string, depth = DEEP): void {
	map.doc!.transact(() => {
		let parent = new Y.XmlText();
		map.set(key, parent);
		for (let i = 0; i < depth; i++) {
			const child = new Y.XmlText('x');
			parent.insertEmbed(0, child);
			parent = child;
		}
	});
}

function deepArray(depth = DEEP_JSON): unknown {
	let value: unknown = '○';
	for (let i = 0; i < depth; i++) value = [value];
	return value;
}

/**
 * The doc as written and as another replica receives it (through an encoded update, as the server
 * relays it), each with `local` applied afterwards: the nested JSON that no update carries.
 */
function bothReplicas(doc: Y.Doc, local: (doc: Y.Doc) => void): Y.Doc[] {
	const copy = new Y.Doc();
	Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
	for (const d of [doc, copy]) d.transact(() => local(d));
	return [doc, copy];
}

function item(doc: Y.Doc, id: string): Y.Map<unknown> {
	return roots(doc).items.get(id)!;
}

describe('reading a table with hostile structure', () => {
	it('skips a comment nested thousands deep and reads the others', () => {
		const [doc] = replicas();
		const good = addComment(doc, 'a', '佐藤', '12月の実績を確認');
		deepMaps(commentsMap(doc) as Y.Map<unknown>, 'deep');
		// A well-formed comment with a deep chain beside its fields still reads: only fields are read.
		const extra = addComment(doc, 'b', '鈴木', '委託先と調整中です');
		deepMaps(commentsMap(doc).get(extra)!, 'extra');
		const inText = addComment(doc, 'a', '田中', 'x');
		deepMaps(commentsMap(doc).get(inText)!, 'text');
		const withText = addComment(doc, 'a', '田中', 'x');
		doc.transact(() => commentsMap(doc).get(withText)!.set('text', new Y.Text('Y.Text')));
		const huge = addComment(doc, 'a', '田中', 'x');
		doc.transact(() => commentsMap(doc).get(huge)!.set('text', 'あ'.repeat(200_000)));
		const json = (d: Y.Doc) => {
			commentsMap(d).set('json', deepArray() as Y.Map<unknown>);
			commentsMap(d).get(good)!.set('nested', deepArray());
		};

		for (const copy of bothReplicas(doc, json)) {
			const threads = readComments(copy);
			expect(threads.get('a')!.map((c) => c.id)).toEqual([good]);
			expect(threads.get('b')!.map((c) => c.text)).toEqual(['委託先と調整中です']);
			expect(threads.size).toBe(2);
		}
	});

	it('skips change entries that are nested, of the wrong type or too long', () => {
		const doc = new Y.Doc();
		recordChange(doc, 'a', 'note', '佐藤');
		const changes = changesMap(doc);
		changes.set('e/note', { by: 'x'.repeat(1_000_000), at: 1 });
		changes.set('g/note', new Y.Text('佐藤'));
		deepMaps(changes, 'f/note');
		const json = (d: Y.Doc) => {
			changesMap(d).set('b/note', deepArray());
			changesMap(d).set('c/note', { by: deepArray(), at: 1 });
			changesMap(d).set('d/note', { by: '鈴木', at: deepArray() });
		};
		for (const copy of bothReplicas(doc, json))
			expect([...readChanges(copy).keys()]).toEqual(['a/note']);
	});

	it('flags a mark register holding nested entries as invalid and keeps its good entry', () => {
		const doc = new Y.Doc();
		const row = doc.getMap<unknown>('row');
		doc.transact(() => writeMark(row, 'register', '○', '佐藤', SCALE));
		const register = row.get('register') as Y.Map<unknown>;
		doc.transact(() => {
			register.set('json', deepArray());
			register.set('value', { value: deepArray(), by: '鈴木', at: 1 });
			register.set('by', { value: '×', by: deepArray(), at: 1 });
		});
		deepMaps(register, 'maps');
		const reading = readMark(register, SCALE);
		expect(reading.cell).toBe('○');
		expect(reading.invalid).toBe(true);
		expect(reading.entries.map((e) => e.by)).toEqual(['佐藤']);

		const chain = doc.getMap<unknown>('chain');
		deepMaps(chain, 'register');
		const none = { cell: '', entries: [], invalid: true, outside: false };
		expect(readMark(chain.get('register'), SCALE)).toEqual(none);
		expect(readMark(deepArray(), SCALE)).toEqual(none);
	});

	it('reads the table, its summary and its export around hostile rows and cells', () => {
		const sheet = smallSheet();
		sheet.pillars[0]!.sections[0]!.items[1]!.marks = ['○', '×', '', ''];
		const [doc] = replicas(sheet);
		const r = roots(doc);
		const a = item(doc, 'a');
		doc.transact(() => {
			a.set('no', new Y.Text('①'));
			r.meta.set('title', new Y.Map());
		});
		deepMaps(a, 'note');
		deepXmlText(a, 'content');
		deepXmlText(r.sections.get('s1')!, 'title');
		deepMaps(a, 'mark1');
		deepMaps(a.get('mark2') as Y.Map<unknown>, 'entry');
		deepMaps(r.pillars.get('p1')!, 'title');
		deepMaps(r.kpis.get('k1')!, 'years');
		deepMaps(r.items as Y.Map<unknown>, 'chain');
		deepMaps(r.sections as Y.Map<unknown>, 's-chain');

		const json = (d: Y.Doc) => {
			const row = item(d, 'a');
			row.set('departments', deepArray());
			row.set('title', deepArray());
			roots(d).meta.set('quarterLabels', deepArray());
			roots(d).items.set('json', deepArray() as Y.Map<unknown>);
		};

		for (const copy of bothReplicas(doc, json)) {
			const result = docToSheet(copy);
			const items = result.pillars[0]!.sections[0]!.items;
			expect(items.map((i) => i.id)).toEqual(['a', 'b']);
			expect(items[0]).toMatchObject({
				no: '',
				title: '',
				content: '',
				departments: [],
				note: ''
			});
			expect(result.pillars[0]!.sections[0]!.title).toBe('');
			expect(items[0]!.marks).toEqual(['', '', '', '']);
			expect(items[1]).toEqual({ ...sheet.pillars[0]!.sections[0]!.items[1]!, id: 'b' });
			expect(result.pillars[0]!.title).toBe('');
			expect(result.title).toBe('');
			expect(result.periodLabels).toEqual([...QUARTER_LABELS]);
			expect(result.kpis[0]).toMatchObject({ name: '会員数', target: 3000, years: [] });
			// What leaves the reader is plain and shallow: exports and next-year copies may walk it.
			expect(sheetSchema.safeParse(result).success).toBe(true);
			expect(JSON.parse(JSON.stringify(result))).toEqual(structuredClone(result));

			const cells = readItemCells(item(copy, 'a'), readShape(copy).shape);
			expect(cells.unusual).toBe(true);
			expect(cells.texts.note).toBeNull();
			expect(cells.texts.content).toBeNull();
			expect(cells.texts.plan1).toBe('計画1');
			expect(cells.marks.map((m) => m.invalid)).toEqual([true, true, false, false]);
			expect(readKpiYears(roots(copy).kpis.get('k1')!)).toEqual([]);
			// The chain under `items` is a row with no section: shown apart, never lost.
			expect(readOutline(copy).orphanItems.map((o) => o.id)).toEqual(['chain']);

			const summary = summarize(result);
			expect(summary.total.items).toBe(2);
			expect(summary.total.periods[0]!['○']).toBe(1);
			expect(summary.behind.map((c) => c.id)).toEqual(['b']);
		}
	});

	it('lists the tables around hostile entries of the index', () => {
		const doc = new Y.Doc();
		addTable(doc, 't1', { title: '令和2年度 進行管理表', fiscalYear: 2020 });
		addTable(doc, 't2', { title: 'x', fiscalYear: 2019 });
		const tables = tablesMap(doc) as Y.Map<unknown>;
		doc.transact(() => (tables.get('t2') as Y.Map<unknown>).set('fiscalYear', new Y.Text('2019')));
		deepMaps(tables.get('t2') as Y.Map<unknown>, 'createdAt');
		deepMaps(tables, 'chain');
		const json = (d: Y.Doc) => {
			const t2 = tablesMap(d).get('t2')!;
			t2.set('title', deepArray());
			t2.set('archived', deepArray());
			(tablesMap(d) as Y.Map<unknown>).set('json', deepArray());
		};
		for (const copy of bothReplicas(doc, json)) {
			const list = listTables(copy);
			expect(list.find((t) => t.id === 't1')).toMatchObject({
				title: '令和2年度 進行管理表',
				fiscalYear: 2020,
				archived: false
			});
			expect(list.find((t) => t.id === 't2')).toEqual({
				id: 't2',
				title: '',
				fiscalYear: null,
				createdAt: 0,
				archived: false
			});
			expect(list.map((t) => t.id)).not.toContain('json');
		}
	});
});
