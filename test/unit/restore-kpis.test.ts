import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { setKpiValue, setKpiYearValue } from '../../src/lib/doc/ops.ts';
import { ORIGIN } from '../../src/lib/doc/origins.ts';
import { restoreKpis } from '../../src/lib/doc/restore-kpis.ts';
import { docToSheet, kpiRow } from '../../src/lib/doc/sheet-doc.ts';
import { roots } from '../../src/lib/doc/table-doc.ts';
import { parseTextTable } from '../../src/lib/import/text-table.ts';
import { diffSheets } from '../../src/lib/model/diff.ts';
import type { SheetJSON } from '../../src/lib/model/schema.ts';
import { exchange, replicas } from '../helpers/sheet.ts';

const reference = (): SheetJSON =>
	parseTextTable(
		readFileSync(new URL('../../server/seed/r2-progress-table.txt', import.meta.url), 'utf8')
	);

/** The reference table in two replicas, and a snapshot of it taken now. */
function setUp(): { a: Y.Doc; b: Y.Doc; snapshot: SheetJSON } {
	const [a, b] = replicas(reference());
	return { a, b, snapshot: docToSheet(a) };
}

const kpiIds = (doc: Y.Doc) => docToSheet(doc).kpis.map((k) => k.id);

describe('restoreKpis', () => {
	it('brings one KPI back whole and leaves the others as they are now', () => {
		const { a, snapshot } = setUp();
		setKpiValue(a, 'k1', 'baseline', 2500);
		setKpiYearValue(a, 'k1', '2020', 'actual', 2100);
		roots(a).kpis.get('k1')!.set('unit', '名');
		setKpiValue(a, 'k2', 'target', 1_300_000_000);

		expect(restoreKpis(a, snapshot, ['k1'])).toBe(1);
		const now = docToSheet(a);
		expect(now.kpis[0]).toEqual(snapshot.kpis[0]);
		expect(now.kpis[1]!.target).toBe(1_300_000_000);
		expect(diffSheets(snapshot, now).kpis.map((c) => c.kpiId)).toEqual(['k2']);
	});

	it('re-creates a KPI deleted since in its place, and merges with an edit made meanwhile', () => {
		const { a, b, snapshot } = setUp();
		roots(a).kpis.delete('k2');
		setKpiYearValue(b, 'k3', '2021', 'actual', 0);
		restoreKpis(a, snapshot, ['k2']);
		exchange(a, b);
		expect(kpiIds(a)).toEqual(['k1', 'k2', 'k3']);
		expect(docToSheet(b).kpis[1]).toEqual(snapshot.kpis[1]);
		// The edit of another KPI, made on the other device while this one restored, is kept.
		expect(docToSheet(a).kpis[2]!.years.find((y) => y.fiscalYear === 2021)!.actual).toBe(0);
	});

	it('restores all: each KPI, its years, and deletes the KPIs added since, as one undo step', () => {
		const { a, snapshot } = setUp();
		const undo = new Y.UndoManager(roots(a).kpis, { trackedOrigins: new Set([ORIGIN.restore]) });
		a.transact(() => {
			const kpis = roots(a).kpis;
			kpis.set('k9', kpiRow({ ...snapshot.kpis[0]!, id: 'k9', name: '就業率' }, 'a9'));
			const years = kpis.get('k3')!.get('years') as Y.Map<unknown>;
			years.delete('2022');
			kpis.get('k1')!.set('lowerIsBetter', true);
		});
		const edited = docToSheet(a);

		restoreKpis(a, snapshot, 'all');
		expect(docToSheet(a).kpis).toEqual(snapshot.kpis);
		expect(diffSheets(snapshot, docToSheet(a)).kpis).toEqual([]);

		undo.undo();
		expect(docToSheet(a).kpis).toEqual(edited.kpis);
	});
});
