// The plan-period targets (計画期間の目標) as the published table shows them: each year's target
// with its actual in brackets. For reading only; the exact numbers travel in the _shinko sheet.
import type ExcelJS from 'exceljs';
import { formatAmount } from '../model/number-format.ts';
import type { KpiJSON, SheetJSON } from '../model/schema.ts';
import { HEADER_FIRST, KPI_NOTE, SHEET_KPIS } from './xlsx-layout.ts';
import { A4_LANDSCAPE, HEADER_STYLE, put, tableCell } from './xlsx-style.ts';

const DEFAULT_BASELINE = '現状';
const LEFT: Partial<ExcelJS.Alignment> = { vertical: 'top', wrapText: true };
const CENTRED: Partial<ExcelJS.Alignment> = { ...LEFT, horizontal: 'center' };

export function writeKpiSheet(workbook: ExcelJS.Workbook, sheet: SheetJSON): void {
	const ws = workbook.addWorksheet(SHEET_KPIS, { pageSetup: { ...A4_LANDSCAPE } });
	// Years as columns, in the order they first appear; a KPI without some year leaves it blank.
	const years = [...new Set(sheet.kpis.flatMap((kpi) => kpi.years.map((year) => year.label)))];
	const baseline = sheet.kpis.find((kpi) => kpi.baseline.label !== '')?.baseline.label;
	ws.columns = [20, 14, 14, ...years.map(() => 22)].map((width) => ({ width }));

	put(ws, 1, 1, '<計画期間の目標>', { font: { bold: true } });
	const header = [HEADER_FIRST, baseline ?? DEFAULT_BASELINE, '目標', ...years];
	header.forEach((text, index) => put(ws, 2, index + 1, text, tableCell(HEADER_STYLE)));

	sheet.kpis.forEach((kpi, index) => {
		const row = 3 + index;
		const cells = [
			`${index + 1} ${kpi.name}`,
			formatAmount(kpi.baseline.value, kpi.unit),
			formatAmount(kpi.target, kpi.unit),
			...years.map((label) => yearText(kpi, label))
		];
		cells.forEach((text, column) =>
			put(ws, row, column + 1, text, tableCell({ alignment: column === 0 ? LEFT : CENTRED }))
		);
	});
	put(ws, 4 + sheet.kpis.length, 1, KPI_NOTE, {});
}

/** 「2,600人 (2,252人)」: the year's target, then its actual once known. */
export function yearText(kpi: KpiJSON, label: string): string {
	const year = kpi.years.find((candidate) => candidate.label === label);
	if (!year) return '';
	const target = formatAmount(year.target, kpi.unit);
	if (year.actual === null) return target;
	return `${target} (${formatAmount(year.actual, kpi.unit)})`.trim();
}
