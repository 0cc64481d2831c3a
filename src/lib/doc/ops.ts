// Mutations of a table doc. Each is one transaction with a typed origin, so undo and sync see one step.
import * as Y from 'yjs';
import { blankItem, markKey } from '../model/item-fields.ts';
import type { TableShape } from '../model/shape.ts';
import { writeMark } from './mark-register.ts';
import { ORIGIN, type Origin } from './origins.ts';
import { newId } from './ids.ts';
import { keyBetween, keysBetween } from './order.ts';
import { readShape } from './shape-doc.ts';
import { itemRow } from './sheet-doc.ts';
import { asRow, readOutline, roots, scaleOf, str, type YRow } from './table-doc.ts';

/** Sets (or with '' clears) an item's mark of a period, by the period's id. */
export function setItemMark(
	doc: Y.Doc,
	itemId: string,
	periodId: string,
	value: string,
	by: string,
	origin: Origin = ORIGIN.local,
	shape: TableShape = readShape(doc).shape
): boolean {
	const row = asRow(roots(doc).items.get(itemId));
	if (!row) return false;
	const key = markKey(periodId);
	doc.transact(() => {
		if (!(row.get(key) instanceof Y.Map)) row.set(key, new Y.Map<unknown>());
		writeMark(row, key, value, by, scaleOf(shape), { assert: true });
	}, origin);
	return true;
}

/** Inserts an empty item after `afterId` (or first in the section) and returns its id. */
export function insertItem(
	doc: Y.Doc,
	sectionId: string,
	afterId: string | null,
	by: string,
	origin: Origin = ORIGIN.local
): string {
	return insertItems(doc, sectionId, afterId, 1, by, origin)[0]!;
}

/** `n` empty items in a row after `afterId` in a section (one read of the outline); their ids. */
export function insertItems(
	doc: Y.Doc,
	sectionId: string,
	afterId: string | null,
	n: number,
	by: string,
	origin: Origin = ORIGIN.local
): string[] {
	const section = readOutline(doc)
		.pillars.flatMap((p) => p.sections)
		.find((s) => s.id === sectionId);
	if (!section) throw new Error(`section ${sectionId} not found`);
	const at = afterId === null ? -1 : section.items.findIndex((i) => i.id === afterId);
	const before = at >= 0 ? section.items[at]!.order : null;
	const after = section.items[at + 1]?.order ?? null;
	const keys = keysBetween(before, after, n);
	const shape = readShape(doc).shape;
	const ids = keys.map(() => newId());
	doc.transact(() => {
		ids.forEach((id, i) =>
			roots(doc).items.set(id, itemRow(blankItem(id, shape), sectionId, keys[i]!, by, shape))
		);
	}, origin);
	return ids;
}

export function deleteItem(doc: Y.Doc, itemId: string, origin: Origin = ORIGIN.local): void {
	doc.transact(() => roots(doc).items.delete(itemId), origin);
}

/** Moves an item between two neighbours (ids, null = open end), possibly into another section. */
export function moveItem(
	doc: Y.Doc,
	itemId: string,
	sectionId: string,
	beforeId: string | null,
	afterId: string | null,
	origin: Origin = ORIGIN.local
): void {
	const items = roots(doc).items;
	const row = asRow(items.get(itemId));
	if (!row) return;
	const orderOf = (id: string | null) => {
		const r = id === null ? null : asRow(items.get(id));
		return r ? str(r, 'order') : null;
	};
	doc.transact(() => {
		row.set('sectionId', sectionId);
		row.set('order', keyBetween(orderOf(beforeId), orderOf(afterId)));
	}, origin);
}

export function setDepartments(
	doc: Y.Doc,
	itemId: string,
	departments: string[],
	origin: Origin = ORIGIN.local
): void {
	const row = asRow(roots(doc).items.get(itemId));
	if (!row) return;
	doc.transact(() => row.set('departments', [...departments]), origin);
}

export type KpiField = 'baseline' | 'target';

export function setKpiValue(
	doc: Y.Doc,
	kpiId: string,
	field: KpiField,
	value: number | null,
	origin: Origin = ORIGIN.local
): void {
	const row = asRow(roots(doc).kpis.get(kpiId));
	if (!row) return;
	doc.transact(() => row.set(field, value), origin);
}

export function setKpiYearValue(
	doc: Y.Doc,
	kpiId: string,
	yearKey: string,
	field: 'target' | 'actual',
	value: number | null,
	origin: Origin = ORIGIN.local
): void {
	const row = asRow(roots(doc).kpis.get(kpiId));
	const year: YRow | null = row ? asRow(asRow(row.get('years'))?.get(yearKey)) : null;
	if (!year) return;
	doc.transact(() => year.set(field, value), origin);
}

/**
 * Replaces a text cell's content with `next` by the smallest single splice, so a concurrent edit
 * elsewhere in the cell survives (character-level merge) and remote carets stay put.
 */
export function spliceText(
	text: Y.Text,
	next: string,
	origin: Origin = ORIGIN.local,
	cursorHint?: number
): void {
	const prev = text.toString();
	if (prev === next) return;
	let start = 0;
	const maxStart = Math.min(prev.length, next.length);
	while (start < maxStart && prev.charCodeAt(start) === next.charCodeAt(start)) start++;
	// With a repeated character the diff is ambiguous; the caret tells where the user typed.
	if (cursorHint !== undefined)
		start = Math.min(start, Math.max(0, cursorHint - Math.max(0, next.length - prev.length)));
	// Never split a surrogate pair (an emoji or a rare kanji): Y.Text counts UTF-16 units.
	if (start > 0 && isHighSurrogate(prev.charCodeAt(start - 1))) start--;
	let endPrev = prev.length;
	let endNext = next.length;
	while (
		endPrev > start &&
		endNext > start &&
		prev.charCodeAt(endPrev - 1) === next.charCodeAt(endNext - 1)
	) {
		endPrev--;
		endNext--;
	}
	if (endPrev < prev.length && isHighSurrogate(prev.charCodeAt(endPrev - 1))) {
		endPrev++;
		endNext++;
	}
	const run = () => {
		if (endPrev > start) text.delete(start, endPrev - start);
		if (endNext > start) text.insert(start, next.slice(start, endNext));
	};
	if (text.doc) text.doc.transact(run, origin);
	else run();
}

function isHighSurrogate(code: number): boolean {
	return code >= 0xd800 && code <= 0xdbff;
}

/** Numbers of third-level headings, after 1 and (1) in the order of 公用文: ア, イ, ウ, … */
const KATAKANA =
	'アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワ';

/**
 * Appends a section to a pillar, numbered after the last one of its level: (1), (2), … With
 * `under` (a level-2 section of the pillar), a level-3 heading at the end of that section's own
 * level-3 headings, numbered ア, イ, …
 */
export function insertSection(
	doc: Y.Doc,
	pillarId: string,
	origin: Origin = ORIGIN.local,
	under?: string
): string {
	const pillar = readOutline(doc).pillars.find((p) => p.id === pillarId);
	if (!pillar) throw new Error(`pillar ${pillarId} not found`);
	const sections = pillar.sections;
	let at = sections.length - 1;
	let no = `(${sections.filter((s) => s.level === 2).length + 1})`;
	if (under !== undefined) {
		const parent = sections.findIndex((s) => s.id === under);
		if (parent < 0) throw new Error(`section ${under} not found in pillar ${pillarId}`);
		if (sections[parent]!.level !== 2) throw new Error(`section ${under} is not of level 2`);
		at = parent;
		while (sections[at + 1]?.level === 3) at++;
		const n = at - parent;
		no = KATAKANA[n] ?? `ア${n + 1}`;
	}
	const id = newId();
	doc.transact(() => {
		const row = new Y.Map<unknown>();
		row.set('pillarId', pillarId);
		row.set('order', keyBetween(sections[at]?.order ?? null, sections[at + 1]?.order ?? null));
		row.set('no', no);
		row.set('title', new Y.Text(''));
		if (under !== undefined) {
			row.set('level', 3);
			row.set('parent', under);
		}
		roots(doc).sections.set(id, row);
	}, origin);
	return id;
}

/** Appends a pillar, numbered after the last one. */
export function insertPillar(doc: Y.Doc, origin: Origin = ORIGIN.local): string {
	const pillars = readOutline(doc).pillars;
	const last = pillars[pillars.length - 1];
	const id = newId();
	doc.transact(() => {
		const row = new Y.Map<unknown>();
		row.set('order', keyBetween(last?.order ?? null, null));
		row.set('no', String(pillars.length + 1));
		row.set('title', new Y.Text(''));
		roots(doc).pillars.set(id, row);
	}, origin);
	return id;
}

const CIRCLED = '①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳';

/** The circled number of the n-th item (1-based): ① … ⑳, then (21). */
export function itemNumber(n: number): string {
	return n >= 1 && n <= CIRCLED.length ? CIRCLED[n - 1]! : `(${n})`;
}
