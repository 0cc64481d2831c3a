// The table Y.Doc: its root types and typed, never-throwing readers.
//
// Any client can write anything into a CRDT, so every reader here checks types and reports a bad
// value as invalid instead of throwing; the rest of the table keeps working. Readers get only the
// fields they know, one at a time, and never walk a stored value (no toJSON(), JSON.stringify or
// structuredClone on it): an editor can nest Y types or JSON thousands deep, and a recursive walk
// overflows the stack. What they return is plain and shallow, so callers may walk that.
import * as Y from 'yjs';
import { compareOrdered } from './order.ts';
import { markFields, markKey, textFields } from '../model/item-fields.ts';
import type { TableShape } from '../model/shape.ts';
import { readMark, type MarkReading } from './mark-register.ts';
import { levelCount } from './shape-doc.ts';

export type YRow = Y.Map<unknown>;

export function roots(doc: Y.Doc) {
	return {
		meta: doc.getMap<unknown>('meta'),
		pillars: doc.getMap<YRow>('pillars'),
		sections: doc.getMap<YRow>('sections'),
		items: doc.getMap<YRow>('items'),
		kpis: doc.getMap<YRow>('kpis')
	};
}

export function asRow(value: unknown): YRow | null {
	return value instanceof Y.Map ? (value as YRow) : null;
}

export function str(row: YRow, key: string): string {
	const v = row.get(key);
	return typeof v === 'string' ? v : '';
}

/**
 * A text cell's value is a plain Y.Text. A Y.XmlText is a Y.Text too, but its toString() renders
 * embedded types and formatting recursively: one nested a few thousand deep overflows the stack.
 * (Y.Text's own toString() reads its strings only.)
 */
export function isText(v: unknown): v is Y.Text {
	return v instanceof Y.Text && !(v instanceof Y.XmlText);
}

/** A text cell: its Y.Text, or null when the stored value is of the wrong type. */
export function textOf(row: YRow, field: string): Y.Text | null {
	const v = row.get(field);
	return isText(v) ? v : null;
}

export function textValue(row: YRow, field: string): string {
	const v = row.get(field);
	if (isText(v)) return v.toString();
	return typeof v === 'string' ? v : '';
}

export function numOrNull(v: unknown): number | null {
	return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

export function stringList(v: unknown): string[] {
	return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/** The table's marks, in order: how a mark cell's competing values are sorted. */
export function scaleOf(shape: TableShape): string[] {
	return shape.marks.map((m) => m.mark);
}

/** Everything an item's cells show, as plain values (one read of its row). */
export interface ItemCells {
	no: string;
	/** Each text cell's value by its key (item-fields.ts), or null when it is not a Y.Text. */
	texts: Record<string, string | null>;
	departments: string[];
	/** One per period of the shape, in its order. */
	marks: MarkReading[];
	/** A competing, malformed or out-of-scale mark, or a text field holding something else than text. */
	unusual: boolean;
}

export function readItemCells(row: YRow, shape: TableShape): ItemCells {
	let unusual = false;
	const texts: Record<string, string | null> = {};
	for (const { key } of textFields(shape)) {
		const v = row.get(key);
		// A cell of a period or column added after the item was made is empty until typed in.
		texts[key] = v === undefined ? '' : isText(v) ? v.toString() : null;
		if (v !== undefined && !isText(v)) unusual = true;
	}
	const scale = scaleOf(shape);
	const marks = markFields(shape).map(({ key }) => readMark(row.get(key), scale));
	if (marks.some((m) => m.invalid || m.outside || Array.isArray(m.cell))) unusual = true;
	return {
		no: str(row, 'no'),
		texts,
		departments: stringList(row.get('departments')),
		marks,
		unusual
	};
}

export interface OutlineItem {
	id: string;
	order: string;
	row: YRow;
}
export interface OutlineSection {
	id: string;
	order: string;
	row: YRow;
	/** 3: a third-level heading under the level-2 section before it (see sectionLevel). */
	level: 2 | 3;
	items: OutlineItem[];
}
export interface OutlinePillar {
	id: string;
	order: string;
	row: YRow;
	sections: OutlineSection[];
}
export interface Outline {
	pillars: OutlinePillar[];
	/** Rows whose parent is missing (e.g. deleted concurrently): still shown, never lost. */
	orphanItems: OutlineItem[];
	itemCount: number;
}

function ordered(map: Y.Map<YRow>): { id: string; order: string; row: YRow }[] {
	const out: { id: string; order: string; row: YRow }[] = [];
	for (const [id, value] of map.entries()) {
		const row = asRow(value);
		if (row) out.push({ id, order: str(row, 'order'), row });
	}
	return out.sort(compareOrdered);
}

/**
 * A section's heading level: 3 when its row says so (a table of three heading levels), else 2.
 * A level-3 row names its level-2 section (`parent`) and is drawn after it and its other level-3
 * sections, whatever its order key: two people adding headings at once give keys that tie or
 * cross. With no parent, or one no longer in the pillar, it stays where its key puts it, under the
 * level-2 section before it, so deleting a heading never loses the rows under it.
 */
export function sectionLevel(row: YRow): 2 | 3 {
	return row.get('level') === 3 ? 3 : 2;
}

/** A pillar's sections in key order, each level-3 one moved under the parent it names. */
function nestSections(sections: OutlineSection[]): OutlineSection[] {
	if (!sections.some((s) => s.level === 3)) return sections;
	const parents = new Set(sections.filter((s) => s.level === 2).map((s) => s.id));
	const parentOf = (s: OutlineSection) => {
		const parent = s.level === 3 ? s.row.get('parent') : undefined;
		return typeof parent === 'string' && parents.has(parent) ? parent : null;
	};
	const children = new Map<string, OutlineSection[]>();
	for (const s of sections) {
		const parent = parentOf(s);
		if (parent) children.set(parent, [...(children.get(parent) ?? []), s]);
	}
	const out: OutlineSection[] = [];
	for (const s of sections) {
		if (parentOf(s)) continue;
		out.push(s);
		if (s.level === 2) out.push(...(children.get(s.id) ?? []));
	}
	return out;
}

/**
 * The table's structure in document order: pillars → sections → items. In a table of fewer than
 * three heading levels every section is of level 2, in key order (its level-3 mark, kept for a
 * return to three levels, nests nothing). A level-3 section goes to its parent's pillar: moved
 * with it while someone added it, it would otherwise be left behind, above every heading.
 */
export function readOutline(doc: Y.Doc): Outline {
	const r = roots(doc);
	const three = levelCount(doc) === 3;
	const pillars: OutlinePillar[] = ordered(r.pillars).map((p) => ({ ...p, sections: [] }));
	const pillarById = new Map(pillars.map((p) => [p.id, p]));
	const sectionById = new Map<string, OutlineSection>();
	const rows = ordered(r.sections);
	const pillarIdOf = new Map(rows.map((s) => [s.id, str(s.row, 'pillarId')]));
	for (const s of rows) {
		const level = three ? sectionLevel(s.row) : 2;
		const parent = level === 3 ? s.row.get('parent') : undefined;
		const home = (typeof parent === 'string' && pillarIdOf.get(parent)) || pillarIdOf.get(s.id)!;
		const pillar = pillarById.get(home);
		if (!pillar) continue;
		const section: OutlineSection = { ...s, level, items: [] };
		pillar.sections.push(section);
		sectionById.set(s.id, section);
	}
	if (three) for (const pillar of pillars) pillar.sections = nestSections(pillar.sections);
	const orphanItems: OutlineItem[] = [];
	let itemCount = 0;
	for (const item of ordered(r.items)) {
		itemCount++;
		const section = sectionById.get(str(item.row, 'sectionId'));
		(section ? section.items : orphanItems).push(item);
	}
	return { pillars, orphanItems, itemCount };
}

export interface KpiYearView {
	key: string;
	label: string;
	fiscalYear: number;
	target: number | null;
	actual: number | null;
}

export function readKpiYears(row: YRow): KpiYearView[] {
	const years = asRow(row.get('years'));
	if (!years) return [];
	const out: KpiYearView[] = [];
	for (const [key, value] of years.entries()) {
		const y = asRow(value);
		if (!y) continue;
		const fiscalYear = numOrNull(y.get('fiscalYear'));
		if (fiscalYear === null) continue;
		out.push({
			key,
			label: str(y, 'label'),
			fiscalYear,
			target: numOrNull(y.get('target')),
			actual: numOrNull(y.get('actual'))
		});
	}
	return out.sort((a, b) => a.fiscalYear - b.fiscalYear);
}

export function readKpis(doc: Y.Doc): { id: string; row: YRow }[] {
	return ordered(roots(doc).kpis);
}

/** One mark cell of an item, by the period's id. */
export function readItemMark(row: YRow, periodId: string, scale: readonly string[]): MarkReading {
	return readMark(row.get(markKey(periodId)), scale);
}
