// Brings a snapshot's plan-period targets (KPIs) back as a NEW forward change, as restore.ts does
// for items: only values that differ are written, so a concurrent edit of another value of the
// same KPI survives the merge, and the whole restore is one transaction (one undo step).
import * as Y from 'yjs';
import type { KpiJSON, SheetJSON } from '../model/schema.ts';
import { compareOrdered, keyBetween } from './order.ts';
import { ORIGIN, type Origin } from './origins.ts';
import { kpiRow } from './sheet-doc.ts';
import { asRow, roots, str, type YRow } from './table-doc.ts';

/**
 * Makes the KPIs `ids` equal `sheet`'s: values, units, labels and years. A KPI deleted since comes
 * back between its snapshot neighbours; one still there keeps its place. With 'all', every KPI of
 * the sheet, and those added since are deleted. Returns how many KPIs it restored.
 */
export function restoreKpis(
	doc: Y.Doc,
	sheet: SheetJSON,
	ids: readonly string[] | 'all',
	origin: Origin = ORIGIN.restore
): number {
	const wanted = ids === 'all' ? null : new Set(ids);
	let restored = 0;
	doc.transact(() => {
		const kpis = roots(doc).kpis;
		sheet.kpis.forEach((kpi, i) => {
			if (wanted && !wanted.has(kpi.id)) return;
			const row = asRow(kpis.get(kpi.id));
			if (row) writeKpiValues(row, kpi);
			else kpis.set(kpi.id, kpiRow(kpi, placeAmong(kpis, sheet.kpis, i)));
			restored++;
		});
		if (wanted) return;
		const kept = new Set(sheet.kpis.map((k) => k.id));
		for (const id of Array.from(kpis.keys())) if (!kept.has(id)) kpis.delete(id);
	}, origin);
	return restored;
}

/**
 * Writes every value of a KPI's row that differs from `kpi` (its order key stays): a concurrent
 * edit of a value `kpi` does not change survives. Also restore.ts's, for a whole sheet.
 */
export function writeKpiValues(row: YRow, kpi: KpiJSON): void {
	setValue(row, 'name', kpi.name);
	setValue(row, 'unit', kpi.unit);
	setValue(row, 'baselineLabel', kpi.baseline.label);
	setValue(row, 'baseline', kpi.baseline.value);
	setValue(row, 'target', kpi.target);
	if (kpi.lowerIsBetter) setValue(row, 'lowerIsBetter', true);
	else if (row.get('lowerIsBetter') !== undefined) row.delete('lowerIsBetter');
	let years = asRow(row.get('years'));
	if (!years) row.set('years', (years = new Y.Map<unknown>()));
	const byKey = new Map(kpi.years.map((y) => [String(y.fiscalYear), y]));
	for (const key of Array.from(years.keys())) if (!byKey.has(key)) years.delete(key);
	for (const [key, y] of byKey) {
		let year = asRow(years.get(key));
		if (!year) years.set(key, (year = new Y.Map<unknown>()));
		setValue(year, 'label', y.label);
		setValue(year, 'fiscalYear', y.fiscalYear);
		setValue(year, 'target', y.target);
		setValue(year, 'actual', y.actual);
	}
}

function setValue(row: YRow, key: string, value: string | number | boolean | null): void {
	if (row.get(key) !== value) row.set(key, value);
}

/**
 * An order key for the sheet's KPI at `at`, coming back: just after the nearest KPI before it in
 * the sheet that the doc has, else just before the nearest after it, else last.
 */
function placeAmong(kpis: Y.Map<YRow>, list: readonly KpiJSON[], at: number): string {
	const siblings: { id: string; order: string }[] = [];
	for (const [id, value] of kpis.entries()) {
		const row = asRow(value);
		if (row) siblings.push({ id, order: str(row, 'order') });
	}
	siblings.sort(compareOrdered);
	const index = (kpi: KpiJSON | undefined) =>
		kpi ? siblings.findIndex((s) => s.id === kpi.id) : -1;
	const prev = index(list.slice(0, at).findLast((k) => asRow(kpis.get(k.id))));
	if (prev >= 0) return keyBetween(siblings[prev]!.order, siblings[prev + 1]?.order ?? null);
	const next = index(list.slice(at + 1).find((k) => asRow(kpis.get(k.id))));
	if (next >= 0) return keyBetween(siblings[next - 1]?.order ?? null, siblings[next]!.order);
	return keyBetween(siblings.at(-1)?.order ?? null, null);
}
