// KPIs defined in 表の設定: added with the plan's years, renamed, given a unit and a baseline
// heading, marked "lower is better" (the rate is then target ÷ actual), years added and removed,
// and removed; and "lower is better" kept through SheetJSON, a restore and an .xlsx.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { setKpiYearValue } from '../../src/lib/doc/ops.ts';
import {
	addKpi,
	addKpiYear,
	deleteKpi,
	deleteKpiYear,
	setKpiDefinition,
	setKpiLowerIsBetter
} from '../../src/lib/doc/settings-ops.ts';
import { restoreSheet } from '../../src/lib/doc/restore.ts';
import { docToSheet } from '../../src/lib/doc/sheet-doc.ts';
import { sheetToDoc } from '../../src/lib/doc/sheet-to-doc.ts';
import { sheetToXlsx } from '../../src/lib/export/xlsx.ts';
import { xlsxToSheet } from '../../src/lib/import/xlsx.ts';
import { achievement } from '../../src/lib/model/number-format.ts';
import { replicas } from '../helpers/sheet.ts';

describe('a KPI defined in 表の設定', () => {
	it('is added, described, given years, and removed', () => {
		const [doc] = replicas();
		const id = addKpi(doc, '重大事故の件数', '件', [
			{ fiscalYear: 2020, label: '令和2年度' },
			{ fiscalYear: 2021, label: '令和3年度' }
		]);
		setKpiDefinition(doc, id, 'baselineLabel', '現状 (R1)');
		setKpiLowerIsBetter(doc, id, true);
		addKpiYear(doc, id, 2022, '令和4年度');
		deleteKpiYear(doc, id, 2021);
		setKpiYearValue(doc, id, '2020', 'target', 5);
		setKpiYearValue(doc, id, '2020', 'actual', 4);
		const kpi = docToSheet(doc).kpis.at(-1)!;
		expect(kpi).toMatchObject({
			id,
			name: '重大事故の件数',
			unit: '件',
			baseline: { label: '現状 (R1)', value: null },
			lowerIsBetter: true
		});
		expect(kpi.years.map((y) => [y.fiscalYear, y.label, y.target, y.actual])).toEqual([
			[2020, '令和2年度', 5, 4],
			[2022, '令和4年度', null, null]
		]);
		// It comes after the KPIs the table had.
		expect(docToSheet(doc).kpis.map((k) => k.id)).toEqual(['k1', id]);

		setKpiLowerIsBetter(doc, id, false);
		expect(docToSheet(doc).kpis.at(-1)!.lowerIsBetter).toBeUndefined();
		deleteKpi(doc, id);
		expect(docToSheet(doc).kpis.map((k) => k.id)).toEqual(['k1']);
	});

	it('counts a target to stay under as reached in proportion target ÷ actual', () => {
		expect(achievement(5, 4, true)).toEqual({ kind: 'rate', percent: 125 });
		expect(achievement(5, 10, true)).toEqual({ kind: 'rate', percent: 50 });
		expect(achievement(5, 0, true)).toEqual({ kind: 'met' });
		expect(achievement(0, 1, true)).toEqual({ kind: 'notMet' });
		expect(achievement(100, 80)).toEqual({ kind: 'rate', percent: 80 });
	});

	it('keeps "lower is better" through SheetJSON, a restore and an .xlsx', async () => {
		const [doc] = replicas();
		const id = addKpi(doc, '事故の件数', '件', [{ fiscalYear: 2020, label: '令和2年度' }]);
		setKpiLowerIsBetter(doc, id, true);
		const sheet = docToSheet(doc);
		const copy = new Y.Doc();
		sheetToDoc(sheet, copy);
		expect(docToSheet(copy)).toEqual(sheet);

		setKpiLowerIsBetter(copy, id, false);
		restoreSheet(copy, sheet, 'テスト');
		expect(docToSheet(copy)).toEqual(sheet);

		const back = await xlsxToSheet(await sheetToXlsx(sheet));
		expect(back.kpis.find((k) => k.id === id)?.lowerIsBetter).toBe(true);
	});
});
