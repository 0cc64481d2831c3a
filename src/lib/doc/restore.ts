// Brings back an older state (a snapshot) as a NEW forward change, never by replacing stored bytes:
// peers that edited meanwhile merge with it like with any edit, and it can be undone as one step.
//
// Only what differs is written: text by minimal splices, marks and values only when they differ,
// order keys only where the order differs. So a concurrent edit to a cell the restore leaves
// alone survives the merge, and one typed into the same cell merges character by character.
import { generateKeyBetween } from 'fractional-indexing';
import * as Y from 'yjs';
import { markFields, textFields, textIn } from '../model/item-fields.ts';
import type { ItemJSON, KpiJSON, SheetJSON } from '../model/schema.ts';
import { SCHEMA_VERSION } from '../model/sheet-constants.ts';
import { parentIn, shapeOfSheet, withItemDepartments } from '../model/sheet-shape.ts';
import { newId } from './ids.ts';
import type { TableShape } from '../model/shape.ts';
import { writeMark } from './mark-register.ts';
import { spliceText } from './ops.ts';
import { compareOrdered, keyBetween } from './order.ts';
import { ORIGIN, type Origin } from './origins.ts';
import { writeKpiValues } from './restore-kpis.ts';
import { readShape, writeShape } from './shape-doc.ts';
import { itemRow, kpiRow } from './sheet-doc.ts';
import { asRow, isText, roots, scaleOf, str, type YRow } from './table-doc.ts';

/** Where an item stood in the snapshot: the ids of its neighbours there (null = section end). */
export interface Neighbours {
	prevId: string | null;
	nextId: string | null;
}

/**
 * Makes one item equal `item` in section `sectionId`; re-creates it under its id if it was deleted.
 * Its order key is kept unless it moves section or is re-created; then it goes between `near`
 * when those neighbours are still in the section, else at the section's end.
 */
export function restoreItem(
	doc: Y.Doc,
	item: ItemJSON,
	sectionId: string,
	by: string,
	origin: Origin = ORIGIN.restore,
	near?: Neighbours,
	/** The shape `item` was read with (its plans and marks by period); the doc's by default. */
	shape: TableShape = readShape(doc).shape
): void {
	doc.transact(() => {
		const items = roots(doc).items;
		const row = asRow(items.get(item.id));
		const stays = row !== null && str(row, 'sectionId') === sectionId;
		const order = stays ? null : placeIn(items, item.id, sectionId, near);
		writeItem(items, item, shape, sectionId, order, by);
	}, origin);
}

/**
 * Where a sheet's periods are in the doc: the sheet's shape with the doc's ids where they match
 * (by name, else by place: shapeOfSheet), and which of its periods the doc has (live or removed).
 * A snapshot's values go to the same periods, whatever was removed or reordered since.
 */
function placement(doc: Y.Doc, sheet: SheetJSON) {
	const current = readShape(doc);
	const shape = shapeOfSheet(sheet, current.shape, current.removed).shape;
	const known = new Set([...current.shape.periods, ...current.removed.periods].map((p) => p.id));
	return { current, shape, keep: shape.periods.map((p) => known.has(p.id)) };
}

/** An item and its shape without the periods the doc does not have (nothing to write them to). */
function fitted(item: ItemJSON, shape: TableShape, keep: boolean[]): [ItemJSON, TableShape] {
	if (keep.every(Boolean)) return [item, shape];
	return [
		{
			...item,
			plans: item.plans.filter((_, i) => keep[i]),
			marks: item.marks.filter((_, i) => keep[i])
		},
		{ ...shape, periods: shape.periods.filter((_, i) => keep[i]) }
	];
}

/** Restores one item as `sheet` holds it, near its neighbours there. False if `sheet` lacks it. */
export function restoreItemFrom(
	doc: Y.Doc,
	sheet: SheetJSON,
	itemId: string,
	by: string,
	origin: Origin = ORIGIN.restore
): boolean {
	for (const pillar of sheet.pillars)
		for (const section of pillar.sections) {
			const i = section.items.findIndex((it) => it.id === itemId);
			if (i < 0) continue;
			const near = {
				prevId: section.items[i - 1]?.id ?? null,
				nextId: section.items[i + 1]?.id ?? null
			};
			const { shape, keep } = placement(doc, sheet);
			const [item, itemShape] = fitted(section.items[i]!, shape, keep);
			doc.transact(() => {
				// Its heading deleted since: back too, where the snapshot had it, not an orphan.
				ensureHeadings(doc, sheet, pillar, section);
				restoreItem(doc, item, section.id, by, origin, near, itemShape);
			}, origin);
			return true;
		}
	return false;
}

/** A pillar and a section of a snapshot that the doc no longer has, made again in their places. */
function ensureHeadings(
	doc: Y.Doc,
	sheet: SheetJSON,
	pillar: SheetJSON['pillars'][number],
	section: SheetJSON['pillars'][number]['sections'][number]
): void {
	const r = roots(doc);
	// The nearest of its snapshot neighbours the doc still has, before and after it.
	const neighbours = <T extends { id: string }>(list: T[], at: number): Neighbours => {
		const has = (id: string) => asRow(r.pillars.get(id)) ?? asRow(r.sections.get(id));
		const prev = list.slice(0, at).findLast((x) => has(x.id));
		const next = list.slice(at + 1).find((x) => has(x.id));
		return { prevId: prev?.id ?? null, nextId: next?.id ?? null };
	};
	if (!asRow(r.pillars.get(pillar.id))) {
		const at = sheet.pillars.indexOf(pillar);
		const row = new Y.Map<unknown>();
		row.set(
			'order',
			placeAmong(r.pillars, pillar.id, () => true, neighbours(sheet.pillars, at))
		);
		row.set('no', pillar.no);
		row.set('title', new Y.Text(pillar.title));
		r.pillars.set(pillar.id, row);
	}
	if (!asRow(r.sections.get(section.id))) {
		const at = pillar.sections.indexOf(section);
		// A level-3 heading's level-2 heading first, if it went too.
		const parentId = section.level === 3 ? parentIn(pillar.sections, at) : null;
		const parent = pillar.sections.find((x) => x.id === parentId);
		if (parent && parent !== section) ensureHeadings(doc, sheet, pillar, parent);
		const inPillar = (row: YRow) => str(row, 'pillarId') === pillar.id;
		const row = new Y.Map<unknown>();
		row.set('pillarId', pillar.id);
		row.set('order', placeAmong(r.sections, section.id, inPillar, neighbours(pillar.sections, at)));
		row.set('no', section.no);
		row.set('title', new Y.Text(section.title));
		if (section.level === 3) row.set('level', 3);
		if (parentId) row.set('parent', parentId);
		r.sections.set(section.id, row);
	}
}

/**
 * Makes the whole doc equal `sheet` (docToSheet(doc) deep-equals it afterwards), in one step.
 * With `shape` false (someone who may not change the shape: an editor), the table keeps its
 * shape, and the sheet's plans and marks go to the same periods (by name, else by place) where the
 * table still has them. Returns whether the table now has the sheet's shape.
 */
export function restoreSheet(
	doc: Y.Doc,
	sheet: SheetJSON,
	by: string,
	origin: Origin = ORIGIN.restore,
	{ shape: withShape = true }: { shape?: boolean } = {}
): { shape: boolean } {
	let sameShape = false;
	doc.transact(() => {
		const r = roots(doc);
		if (r.meta.get('schemaVersion') === undefined) r.meta.set('schemaVersion', SCHEMA_VERSION);
		setValue(r.meta, 'title', sheet.title);
		setValue(r.meta, 'planName', sheet.planName);
		setValue(r.meta, 'organisation', sheet.organisation);
		setValue(r.meta, 'fiscalYear', sheet.fiscalYear);
		const placed = placement(doc, sheet);
		const { current } = placed;
		let { shape, keep } = placed;
		if (withShape) {
			const next = structuredClone(shape);
			// Departments items hold go on the list, as sheetToDoc does.
			const names = withItemDepartments(
				next.departments.map((d) => d.name),
				sheet
			);
			for (const name of names.slice(next.departments.length))
				next.departments.push(
					current.shape.departments.find((d) => d.name === name) ??
						current.removed.departments.find((d) => d.name === name) ?? {
							id: newId(8),
							name
						}
				);
			const written = writeShape(doc, next, origin);
			if (written.ok) {
				shape = next;
				keep = next.periods.map(() => true);
				sameShape = true;
			}
		}

		const pillarKeys = orderKeys(r.pillars, sheet.pillars, () => true);
		sheet.pillars.forEach((pillar, pi) => {
			const p = ensureRow(r.pillars, pillar.id);
			setValue(p, 'order', pillarKeys[pi]!);
			setValue(p, 'no', pillar.no);
			setText(p, 'title', pillar.title);
			const sectionKeys = orderKeys(
				r.sections,
				pillar.sections,
				(row) => str(row, 'pillarId') === pillar.id
			);
			pillar.sections.forEach((section, si) => {
				const s = ensureRow(r.sections, section.id);
				setValue(s, 'pillarId', pillar.id);
				setValue(s, 'order', sectionKeys[si]!);
				setValue(s, 'no', section.no);
				setText(s, 'title', section.title);
				const parent = section.level === 3 ? parentIn(pillar.sections, si) : null;
				if (section.level === 3) setValue(s, 'level', 3);
				else if (s.has('level')) s.delete('level');
				if (parent) setValue(s, 'parent', parent);
				else if (s.has('parent')) s.delete('parent');
				const inSection = (row: YRow) => str(row, 'sectionId') === section.id;
				const itemKeys = orderKeys(r.items, section.items, inSection);
				section.items.forEach((item, ii) =>
					writeItem(r.items, ...fitted(item, shape, keep), section.id, itemKeys[ii]!, by)
				);
			});
		});

		const kpiKeys = orderKeys(r.kpis, sheet.kpis, () => true);
		sheet.kpis.forEach((kpi, i) => writeKpi(r.kpis, kpi, kpiKeys[i]!));

		const pillars = sheet.pillars;
		const sections = pillars.flatMap((p) => p.sections);
		deleteAllBut(r.pillars, pillars);
		deleteAllBut(r.sections, sections);
		deleteAllBut(
			r.items,
			sections.flatMap((s) => s.items)
		);
		deleteAllBut(r.kpis, sheet.kpis);
	}, origin);
	return { shape: sameShape };
}

/** Writes every field of an item that differs, by the shape. `order` null keeps the current key. */
function writeItem(
	items: Y.Map<YRow>,
	item: ItemJSON,
	shape: TableShape,
	sectionId: string,
	order: string | null,
	by: string
): void {
	const row = asRow(items.get(item.id));
	if (!row) {
		items.set(item.id, itemRow(item, sectionId, order ?? keyBetween(null, null), by, shape));
		return;
	}
	setValue(row, 'sectionId', sectionId);
	if (order !== null) setValue(row, 'order', order);
	setValue(row, 'no', item.no);
	setList(row, 'departments', item.departments);
	for (const field of textFields(shape)) {
		const value = textIn(item, field);
		// An added column's cell the item never had stays absent when empty.
		if (field.kind === 'extra' && value === '' && row.get(field.key) === undefined) continue;
		setText(row, field.key, value);
	}
	const scale = scaleOf(shape);
	for (const { key, period } of markFields(shape))
		writeMark(row, key, item.marks[period] ?? '', by, scale);
}

function writeKpi(kpis: Y.Map<YRow>, kpi: KpiJSON, order: string): void {
	const row = asRow(kpis.get(kpi.id));
	if (!row) {
		kpis.set(kpi.id, kpiRow(kpi, order));
		return;
	}
	setValue(row, 'order', order);
	writeKpiValues(row, kpi);
}

/** The Y.Map under `key`, created (or replacing a value of the wrong type) when missing. */
function ensureRow<T>(map: Y.Map<T>, key: string): YRow {
	const row = asRow(map.get(key));
	if (row) return row;
	const created = new Y.Map<unknown>();
	map.set(key, created as T);
	return created;
}

function setValue(row: Y.Map<unknown>, key: string, value: string | number | null): void {
	if (row.get(key) !== value) row.set(key, value);
}

function setList(row: Y.Map<unknown>, key: string, list: readonly string[]): void {
	const current = row.get(key);
	const same =
		Array.isArray(current) &&
		current.length === list.length &&
		current.every((x, i) => x === list[i]);
	if (!same) row.set(key, [...list]);
}

function setText(row: YRow, key: string, value: string): void {
	const current = row.get(key);
	// Inside the caller's transaction, so the splice takes its origin.
	if (isText(current)) spliceText(current, value);
	else row.set(key, new Y.Text(value));
}

function deleteAllBut(map: Y.Map<YRow>, keep: readonly { id: string }[]): void {
	const ids = new Set(keep.map((e) => e.id));
	for (const id of Array.from(map.keys())) if (!ids.has(id)) map.delete(id);
}

/** A key that fractional-indexing accepts (a faulty client may have written anything). */
function validKey(key: string): boolean {
	try {
		generateKeyBetween(key, null);
		return true;
	} catch {
		return false;
	}
}

/**
 * Order keys putting `wanted` in this order among rows for which `sameParent` holds, keeping as
 * many current keys as possible (a longest increasing run), so a concurrent move elsewhere in
 * the list is not overwritten. New keys go between the kept ones.
 */
function orderKeys(
	map: Y.Map<YRow>,
	wanted: readonly { id: string }[],
	sameParent: (row: YRow) => boolean
): string[] {
	const current = wanted.map(({ id }) => {
		const row = asRow(map.get(id));
		const key = row && sameParent(row) ? str(row, 'order') : '';
		return key && validKey(key) ? key : null;
	});
	const kept = longestIncreasing(current);
	const out: string[] = [];
	let prev: string | null = null;
	current.forEach((key, i) => {
		if (key !== null && kept.has(i)) prev = key;
		else {
			let next: string | null = null;
			for (let j = i + 1; j < current.length && next === null; j++)
				if (kept.has(j)) next = current[j]!;
			prev = keyBetween(prev, next);
		}
		out.push(prev);
	});
	return out;
}

/** Indices of a longest strictly increasing subsequence of the non-null keys. O(n²): n is small. */
function longestIncreasing(keys: (string | null)[]): Set<number> {
	const length: number[] = keys.map(() => 0);
	const back: number[] = keys.map(() => -1);
	let best = -1;
	keys.forEach((key, i) => {
		if (key === null) return;
		length[i] = 1;
		for (let j = 0; j < i; j++) {
			const k = keys[j];
			if (k !== null && k !== undefined && k < key && length[j]! + 1 > length[i]!) {
				length[i] = length[j]! + 1;
				back[i] = j;
			}
		}
		if (best < 0 || length[i]! > length[best]!) best = i;
	});
	const out = new Set<number>();
	for (let i = best; i >= 0; i = back[i]!) out.add(i);
	return out;
}

/** A key for an item entering a section: between its old neighbours if present, else last. */
function placeIn(items: Y.Map<YRow>, itemId: string, sectionId: string, near?: Neighbours): string {
	return placeAmong(items, itemId, (row) => str(row, 'sectionId') === sectionId, near);
}

/** An order key for a row among those `belongs` picks: after `near.prevId`, or before `nextId`, or last. */
function placeAmong(
	rows: Y.Map<YRow>,
	rowId: string,
	belongs: (row: YRow) => boolean,
	near?: Neighbours
): string {
	const siblings: { id: string; order: string }[] = [];
	for (const [id, value] of rows.entries()) {
		const row = asRow(value);
		if (row && id !== rowId && belongs(row)) siblings.push({ id, order: str(row, 'order') });
	}
	siblings.sort(compareOrdered);
	const prev = near?.prevId ? siblings.findIndex((s) => s.id === near.prevId) : -1;
	if (prev >= 0) return keyBetween(siblings[prev]!.order, siblings[prev + 1]?.order ?? null);
	const next = near?.nextId ? siblings.findIndex((s) => s.id === near.nextId) : -1;
	if (next >= 0) return keyBetween(siblings[next - 1]?.order ?? null, siblings[next]!.order);
	return keyBetween(siblings.at(-1)?.order ?? null, null);
}
