// What changed between two states of a table (e.g. a snapshot and now), cell by cell, by id, so a
// review can list it and a restore can be previewed. Pure: plain SheetJSON in, plain data out.
//
// Periods are paired by name (by place when renamed), added columns by key.
import { textFields, textIn } from './item-fields.ts';
import type { ItemJSON, KpiJSON, MarkCell, SheetJSON } from './schema.ts';
import { shapeOfSheet } from './sheet-shape.ts';
import type { ColumnDef } from './shape.ts';

/** The item's own text fields, whatever the shape. */
export type ItemTextField = 'no' | 'title' | 'content' | 'yearPlan' | 'note';

export type FieldChange =
	| { field: ItemTextField; before: string; after: string }
	/** A period's plan: the period's place among both sides' periods, and its name. */
	| { field: 'plan'; period: number; label: string; before: string; after: string }
	/** An added column, by its key. */
	| { field: 'extra'; key: string; before: string; after: string }
	| { field: 'departments'; before: string[]; after: string[] }
	/** Moved to another section: ids, plus 「(1) 入会の促進」-style labels for display. */
	| { field: 'section'; before: string; after: string; beforeLabel: string; afterLabel: string };

export interface MarkChange {
	/** The period's place among both sides' periods (periodPairs), and its name. */
	period: number;
	label: string;
	before: MarkCell;
	after: MarkCell;
}

export type ItemDiff =
	| { kind: 'added'; id: string; sectionId: string; item: ItemJSON }
	| { kind: 'removed'; id: string; sectionId: string; item: ItemJSON }
	| {
			kind: 'changed';
			id: string;
			sectionId: string;
			/** The item as it is in `after`. */
			item: ItemJSON;
			fields: FieldChange[];
			marks: MarkChange[];
	  };

export type MetaField =
	| 'title'
	| 'planName'
	| 'organisation'
	| 'fiscalYear'
	| 'periodLabels'
	| 'markScale'
	| 'departments'
	| 'levelLabels'
	| 'columns';
export type MetaChange =
	| {
			field: Exclude<MetaField, 'columns'>;
			/** Lists (periods, marks, departments, levels) joined with ' / '. */
			before: string | number;
			after: string | number;
	  }
	/** The item's columns in order, by key: a standard one's label '' is its usual heading. */
	| { field: 'columns'; before: ColumnDef[]; after: ColumnDef[] };

/** Pillars and sections added, removed, renumbered or renamed (moves between pillars too). */
export interface OutlineChange {
	level: 'pillar' | 'section';
	id: string;
	change: 'added' | 'removed' | 'changed';
	/** 「1 会員の増強」 / 「(1) 入会の促進」, or null when absent on that side. */
	before: string | null;
	after: string | null;
}

export type KpiValue = string | number | null;
export interface KpiChange {
	kpiId: string;
	/** The KPI's name in `after` (in `before` when removed). */
	name: string;
	/** The KPI's unit on each side, which its values there are in ('' where it is absent). */
	units: { before: string; after: string };
	/** null for the KPI's own fields, else the fiscal year of a per-year value. */
	fiscalYear: number | null;
	/** 'kpi' / 'year': the whole KPI or year was added (before null) or removed (after null). */
	field:
		| 'kpi'
		| 'year'
		| 'name'
		| 'unit'
		| 'baselineLabel'
		| 'baseline'
		| 'target'
		| 'lowerIsBetter'
		| 'label'
		| 'actual';
	before: KpiValue;
	after: KpiValue;
}

/** One KPI's changes together: what the history lists under its name and restores at once. */
export interface KpiDiff {
	kpiId: string;
	name: string;
	kind: 'added' | 'removed' | 'changed';
	/** Each changed value; none for a KPI added or removed whole. */
	changes: KpiChange[];
}

export interface SheetDiff {
	meta: MetaChange[];
	outline: OutlineChange[];
	/** Every item difference: in `after`'s order, then removed items in `before`'s order. */
	items: ItemDiff[];
	added: Extract<ItemDiff, { kind: 'added' }>[];
	removed: Extract<ItemDiff, { kind: 'removed' }>[];
	changed: Extract<ItemDiff, { kind: 'changed' }>[];
	kpis: KpiChange[];
}

interface Placed {
	item: ItemJSON;
	sectionId: string;
	sectionLabel: string;
}

function placedItems(sheet: SheetJSON): Map<string, Placed> {
	const out = new Map<string, Placed>();
	for (const p of sheet.pillars)
		for (const s of p.sections)
			for (const item of s.items)
				out.set(item.id, { item, sectionId: s.id, sectionLabel: label(s.no, s.title) });
	return out;
}

function label(no: string, title: string): string {
	return no ? `${no} ${title}` : title;
}

/** Equal mark cells; a conflict equals the same marks in any order. */
export function sameMarkCell(a: MarkCell, b: MarkCell): boolean {
	if (Array.isArray(a) || Array.isArray(b)) {
		if (!Array.isArray(a) || !Array.isArray(b)) return false;
		return sameList([...a].sort(), [...b].sort());
	}
	return a === b;
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
	return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** A period of either side, paired with the same period of the other (null: it has none). */
export interface PeriodPair {
	before: number | null;
	after: number | null;
	label: string;
}

/**
 * The periods of both sides, paired by name; a period of `after` with a name `before` lacks takes
 * an unpaired one between its neighbours' pairs (a renamed period). So a period removed or added
 * since does not shift the others' plans and marks onto each other.
 */
export function periodPairs(before: string[], after: string[]): PeriodPair[] {
	const used = new Set<number>();
	const pairs: PeriodPair[] = after.map((label, i) => {
		const at = before.findIndex((l, j) => l === label && !used.has(j));
		if (at >= 0) used.add(at);
		return { before: at >= 0 ? at : null, after: i, label };
	});
	pairs.forEach((pair, i) => {
		if (pair.before !== null) return;
		const prev = pairs.slice(0, i).findLast((p) => p.before !== null)?.before ?? -1;
		const next = pairs.slice(i + 1).find((p) => p.before !== null)?.before ?? before.length;
		for (let j = prev + 1; j < next; j++)
			if (!used.has(j)) {
				pair.before = j;
				used.add(j);
				return;
			}
	});
	before.forEach((label, i) => {
		if (!used.has(i)) pairs.push({ before: i, after: null, label });
	});
	return pairs;
}

/** The text cells either side has (other than the periods' plans): every added column of both. */
function comparedFields(before: SheetJSON, after: SheetJSON) {
	const b = textFields(shapeOfSheet(before).shape);
	const a = textFields(shapeOfSheet(after).shape);
	const out = a.filter((f) => f.kind !== 'plan');
	for (const f of b)
		if (f.kind === 'extra' && !out.some((o) => o.kind === 'extra' && o.key === f.key)) out.push(f);
	return { texts: out, periods: periodPairs(before.periodLabels, after.periodLabels) };
}

function itemChanges(
	before: Placed,
	after: Placed,
	compared: ReturnType<typeof comparedFields>
): { fields: FieldChange[]; marks: MarkChange[] } {
	const fields: FieldChange[] = [];
	if (before.sectionId !== after.sectionId)
		fields.push({
			field: 'section',
			before: before.sectionId,
			after: after.sectionId,
			beforeLabel: before.sectionLabel,
			afterLabel: after.sectionLabel
		});
	if (before.item.no !== after.item.no)
		fields.push({ field: 'no', before: before.item.no, after: after.item.no });
	const at = (list: string[], i: number | null) => (i === null ? '' : (list[i] ?? ''));
	const plans = () =>
		compared.periods.forEach(({ before: bi, after: ai, label }, period) => {
			const b = at(before.item.plans, bi);
			const a = at(after.item.plans, ai);
			if (a !== b) fields.push({ field: 'plan', period, label, before: b, after: a });
		});
	// In the table's column order: the periods' plans come before the note.
	for (const f of compared.texts) {
		if (f.key === 'note') plans();
		const b = textIn(before.item, f);
		const a = textIn(after.item, f);
		if (a === b) continue;
		if (f.kind === 'standard') fields.push({ field: f.key, before: b, after: a });
		else fields.push({ field: 'extra', key: f.key, before: b, after: a });
	}
	if (!sameList(before.item.departments, after.item.departments))
		fields.push({
			field: 'departments',
			before: [...before.item.departments],
			after: [...after.item.departments]
		});
	const marks: MarkChange[] = [];
	compared.periods.forEach(({ before: bi, after: ai, label }, period) => {
		const b = bi === null ? '' : (before.item.marks[bi] ?? '');
		const a = ai === null ? '' : (after.item.marks[ai] ?? '');
		if (!sameMarkCell(b, a)) marks.push({ period, label, before: b, after: a });
	});
	return { fields, marks };
}

function metaChanges(before: SheetJSON, after: SheetJSON): MetaChange[] {
	const out: MetaChange[] = [];
	for (const field of ['title', 'planName', 'organisation', 'fiscalYear'] as const)
		if (before[field] !== after[field])
			out.push({ field, before: before[field], after: after[field] });
	const lists: [Exclude<MetaField, 'columns'>, (s: SheetJSON) => string[]][] = [
		['levelLabels', (s) => s.levelLabels],
		['periodLabels', (s) => s.periodLabels],
		['markScale', (s) => s.markScale.filter((m) => !m.removed).map((m) => `${m.mark} ${m.label}`)],
		['departments', (s) => s.departments]
	];
	for (const [field, list] of lists) {
		const b = list(before);
		const a = list(after);
		if (!sameList(b, a)) out.push({ field, before: b.join(' / '), after: a.join(' / ') });
	}
	const columns = (s: SheetJSON) => shapeOfSheet(s).shape.columns;
	const [b, a] = [columns(before), columns(after)];
	const text = (list: ColumnDef[]) => list.map((c) => `${c.key}\t${c.label}`);
	if (!sameList(text(b), text(a))) out.push({ field: 'columns', before: b, after: a });
	return out;
}

interface OutlineEntry {
	level: OutlineChange['level'];
	parent: string;
	label: string;
}

function outlineEntries(sheet: SheetJSON): Map<string, OutlineEntry> {
	const out = new Map<string, OutlineEntry>();
	for (const p of sheet.pillars) {
		out.set(`p:${p.id}`, { level: 'pillar', parent: '', label: label(p.no, p.title) });
		for (const s of p.sections)
			out.set(`s:${s.id}`, {
				level: 'section',
				// A heading moved to level 3 or back has changed, as one moved to another pillar has.
				parent: s.level === 3 ? `${p.id}/3` : p.id,
				label: label(s.no, s.title)
			});
	}
	return out;
}

function outlineChanges(before: SheetJSON, after: SheetJSON): OutlineChange[] {
	const b = outlineEntries(before);
	const a = outlineEntries(after);
	const out: OutlineChange[] = [];
	const id = (key: string) => key.slice(2);
	for (const [key, entry] of a) {
		const old = b.get(key);
		if (!old)
			out.push({
				level: entry.level,
				id: id(key),
				change: 'added',
				before: null,
				after: entry.label
			});
		else if (old.label !== entry.label || old.parent !== entry.parent)
			out.push({
				level: entry.level,
				id: id(key),
				change: 'changed',
				before: old.label,
				after: entry.label
			});
	}
	for (const [key, entry] of b)
		if (!a.has(key))
			out.push({
				level: entry.level,
				id: id(key),
				change: 'removed',
				before: entry.label,
				after: null
			});
	return out;
}

function kpiChanges(before: KpiJSON[], after: KpiJSON[]): KpiChange[] {
	const out: KpiChange[] = [];
	const old = new Map(before.map((k) => [k.id, k]));
	for (const kpi of after) {
		const prev = old.get(kpi.id);
		const units = { before: prev?.unit ?? '', after: kpi.unit };
		const push = (field: KpiChange['field'], fy: number | null, b: KpiValue, a: KpiValue) => {
			if (b !== a)
				out.push({
					kpiId: kpi.id,
					name: kpi.name,
					units,
					fiscalYear: fy,
					field,
					before: b,
					after: a
				});
		};
		if (!prev) {
			push('kpi', null, null, kpi.name);
			continue;
		}
		push('name', null, prev.name, kpi.name);
		push('unit', null, prev.unit, kpi.unit);
		push('baselineLabel', null, prev.baseline.label, kpi.baseline.label);
		push('baseline', null, prev.baseline.value, kpi.baseline.value);
		push('target', null, prev.target, kpi.target);
		push(
			'lowerIsBetter',
			null,
			String(prev.lowerIsBetter ?? false),
			String(kpi.lowerIsBetter ?? false)
		);
		const years = new Map(prev.years.map((y) => [y.fiscalYear, y]));
		for (const y of kpi.years) {
			const p = years.get(y.fiscalYear);
			if (!p) {
				push('year', y.fiscalYear, null, y.label);
				continue;
			}
			push('label', y.fiscalYear, p.label, y.label);
			push('target', y.fiscalYear, p.target, y.target);
			push('actual', y.fiscalYear, p.actual, y.actual);
		}
		const now = new Set(kpi.years.map((y) => y.fiscalYear));
		for (const p of prev.years)
			if (!now.has(p.fiscalYear)) push('year', p.fiscalYear, p.label, null);
	}
	const ids = new Set(after.map((k) => k.id));
	for (const kpi of before)
		if (!ids.has(kpi.id))
			out.push({
				kpiId: kpi.id,
				name: kpi.name,
				units: { before: kpi.unit, after: '' },
				fiscalYear: null,
				field: 'kpi',
				before: kpi.name,
				after: null
			});
	return out;
}

export function diffSheets(before: SheetJSON, after: SheetJSON): SheetDiff {
	const b = placedItems(before);
	const a = placedItems(after);
	const compared = comparedFields(before, after);
	const items: ItemDiff[] = [];
	for (const [id, now] of a) {
		const old = b.get(id);
		if (!old) {
			items.push({ kind: 'added', id, sectionId: now.sectionId, item: now.item });
			continue;
		}
		const { fields, marks } = itemChanges(old, now, compared);
		if (fields.length > 0 || marks.length > 0)
			items.push({ kind: 'changed', id, sectionId: now.sectionId, item: now.item, fields, marks });
	}
	for (const [id, old] of b)
		if (!a.has(id)) items.push({ kind: 'removed', id, sectionId: old.sectionId, item: old.item });
	return {
		meta: metaChanges(before, after),
		outline: outlineChanges(before, after),
		items,
		added: items.filter((d) => d.kind === 'added'),
		removed: items.filter((d) => d.kind === 'removed'),
		changed: items.filter((d) => d.kind === 'changed'),
		kpis: kpiChanges(before.kpis, after.kpis)
	};
}

/** The KPI changes by KPI, in the order kpiChanges lists them (after's order, removed ones last). */
export function kpiDiffs(changes: readonly KpiChange[]): KpiDiff[] {
	const out: KpiDiff[] = [];
	for (const change of changes) {
		const whole = change.field === 'kpi';
		const kind = !whole ? 'changed' : change.before === null ? 'added' : 'removed';
		const last = out.at(-1);
		if (last?.kpiId === change.kpiId && !whole) last.changes.push(change);
		else out.push({ kpiId: change.kpiId, name: change.name, kind, changes: whole ? [] : [change] });
	}
	return out;
}

/** How many changes a diff holds: one per changed cell, and one per item, row or KPI added or removed. */
export function countChanges(diff: SheetDiff): number {
	let n = diff.meta.length + diff.outline.length + diff.kpis.length;
	n += diff.added.length + diff.removed.length;
	for (const c of diff.changed) n += c.fields.length + c.marks.length;
	return n;
}
