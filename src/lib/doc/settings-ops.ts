// Changes of a table that 表の設定 makes beside its shape (shape-doc.ts): marks renamed in the
// cells that hold them, empty cells for a period or column just added, and the KPIs' definitions.
// Apart from ops.ts, so the table page does not load what only the settings page uses.
import * as Y from 'yjs';
import { markFields, textFields } from '../model/item-fields.ts';
import type { TableShape } from '../model/shape.ts';
import { newId } from './ids.ts';
import { markEntrySchema, readMark } from './mark-register.ts';
import { keyBetween } from './order.ts';
import { ORIGIN, type Origin } from './origins.ts';
import { kpiRow } from './sheet-doc.ts';
import { asRow, readKpis, roots, str } from './table-doc.ts';

/**
 * Renames a mark in every cell that holds it (表の設定 changing a mark's symbol): the entries keep
 * who set them and when. Runs inside the caller's transaction.
 */
export function renameMarkValues(doc: Y.Doc, from: string, to: string): void {
	for (const value of roots(doc).items.values()) {
		const row = asRow(value);
		if (!row) continue;
		for (const [key, register] of row.entries()) {
			if (!key.startsWith('mark') || !(register instanceof Y.Map)) continue;
			for (const [entryKey, entry] of Array.from(register.entries())) {
				const e = markEntrySchema.safeParse(entry);
				if (e.success && e.data.value === from) register.set(entryKey, { ...e.data, value: to });
			}
		}
	}
}

/** How many items hold something under one of `keys` (a period's plan and mark, a column). */
export function itemsHolding(
	doc: Y.Doc,
	keys: readonly string[],
	scale: readonly string[]
): number {
	let n = 0;
	for (const value of roots(doc).items.values()) {
		const row = asRow(value);
		if (!row) continue;
		const holds = keys.some((key) => {
			const v = row.get(key);
			if (v === undefined) return false;
			if (v instanceof Y.Map) return readMark(v, scale).cell !== '';
			if (v instanceof Y.Text) return v.length > 0;
			return true;
		});
		if (holds) n++;
	}
	return n;
}

/**
 * Gives every item an empty cell for each period and column of the shape it lacks (a period or
 * column just added, or brought back), so that two people filling the same new cell at once
 * merge into it instead of each creating one, of which one would be lost. Runs inside the
 * caller's transaction (表の設定's change).
 */
export function fillItemCells(doc: Y.Doc, shape: TableShape): void {
	const texts = textFields(shape).map((f) => f.key);
	const marks = markFields(shape).map((f) => f.key);
	for (const value of roots(doc).items.values()) {
		const row = asRow(value);
		if (!row) continue;
		for (const key of texts) if (row.get(key) === undefined) row.set(key, new Y.Text(''));
		for (const key of marks) if (row.get(key) === undefined) row.set(key, new Y.Map<unknown>());
	}
}

// ── KPIs (表の設定) ──────────────────────────────────────────────────────────────────────────

export type KpiDefinitionField = 'name' | 'unit' | 'baselineLabel';

/** Appends a KPI with its fiscal years (no values yet) and returns its id. */
export function addKpi(
	doc: Y.Doc,
	name: string,
	unit: string,
	fiscalYears: { fiscalYear: number; label: string }[],
	origin: Origin = ORIGIN.local
): string {
	const kpis = readKpis(doc);
	const last = kpis[kpis.length - 1];
	const id = newId();
	const row = kpiRow(
		{
			id,
			name,
			unit,
			baseline: { label: '', value: null },
			target: null,
			years: fiscalYears.map((y) => ({ ...y, target: null, actual: null }))
		},
		keyBetween(last ? str(last.row, 'order') : null, null)
	);
	doc.transact(() => roots(doc).kpis.set(id, row), origin);
	return id;
}

export function setKpiDefinition(
	doc: Y.Doc,
	kpiId: string,
	field: KpiDefinitionField,
	value: string,
	origin: Origin = ORIGIN.local
): void {
	const row = asRow(roots(doc).kpis.get(kpiId));
	if (row && row.get(field) !== value) doc.transact(() => row.set(field, value), origin);
}

export function setKpiLowerIsBetter(
	doc: Y.Doc,
	kpiId: string,
	lower: boolean,
	origin: Origin = ORIGIN.local
): void {
	const row = asRow(roots(doc).kpis.get(kpiId));
	if (!row) return;
	doc.transact(() => {
		if (lower) row.set('lowerIsBetter', true);
		else row.delete('lowerIsBetter');
	}, origin);
}

export function deleteKpi(doc: Y.Doc, kpiId: string, origin: Origin = ORIGIN.local): void {
	doc.transact(() => roots(doc).kpis.delete(kpiId), origin);
}

/** Adds a fiscal year to a KPI (keyed by the year, as every KPI's years are). */
export function addKpiYear(
	doc: Y.Doc,
	kpiId: string,
	fiscalYear: number,
	label: string,
	origin: Origin = ORIGIN.local
): boolean {
	const row = asRow(roots(doc).kpis.get(kpiId));
	if (!row) return false;
	const key = String(fiscalYear);
	doc.transact(() => {
		let years = asRow(row.get('years'));
		if (!years) {
			years = new Y.Map<unknown>();
			row.set('years', years);
		}
		if (asRow(years.get(key))) return;
		const year = new Y.Map<unknown>();
		year.set('label', label);
		year.set('fiscalYear', fiscalYear);
		year.set('target', null);
		year.set('actual', null);
		years.set(key, year);
	}, origin);
	return true;
}

export function deleteKpiYear(
	doc: Y.Doc,
	kpiId: string,
	fiscalYear: number,
	origin: Origin = ORIGIN.local
): void {
	const years = asRow(asRow(roots(doc).kpis.get(kpiId))?.get('years'));
	if (years) doc.transact(() => years.delete(String(fiscalYear)), origin);
}
