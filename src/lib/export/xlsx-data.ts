// The very hidden _shinko sheet: a plain table of rows (key in column A) holding what the printed
// sheets cannot carry exactly: ids, item numbers, meta, and the KPIs' raw numbers.
import type ExcelJS from 'exceljs';
import type { SheetJSON } from '../model/schema.ts';
import { DATA_KEYS, FORMAT_MARKER, FORMAT_VERSION, SHEET_DATA, toCellText } from './xlsx-layout.ts';

type DataCell = string | number | null;

export function writeDataSheet(workbook: ExcelJS.Workbook, sheet: SheetJSON): void {
	const ws = workbook.addWorksheet(SHEET_DATA, { state: 'veryHidden' });
	const add = (...cells: DataCell[]) =>
		ws.addRow(cells.map((cell) => (typeof cell === 'string' ? toCellText(cell) : cell)));

	add(FORMAT_MARKER, FORMAT_VERSION);
	add(DATA_KEYS.schemaVersion, sheet.schemaVersion);
	add(DATA_KEYS.title, sheet.title);
	add(DATA_KEYS.planName, sheet.planName);
	add(DATA_KEYS.organisation, sheet.organisation);
	add(DATA_KEYS.fiscalYear, sheet.fiscalYear);
	add(DATA_KEYS.quarterLabels, ...sheet.quarterLabels);
	// Document order: a section belongs to the pillar above it, an item to the section above it.
	for (const pillar of sheet.pillars) {
		add(DATA_KEYS.pillar, pillar.id, pillar.no);
		for (const section of pillar.sections) {
			add(DATA_KEYS.section, section.id, section.no);
			for (const item of section.items) add(DATA_KEYS.item, item.id, item.no);
		}
	}
	for (const kpi of sheet.kpis) {
		const { id, name, unit, baseline, target } = kpi;
		add(DATA_KEYS.kpi, id, name, unit, baseline.label, baseline.value, target);
		for (const year of kpi.years) {
			add(DATA_KEYS.kpiYear, year.label, year.fiscalYear, year.target, year.actual);
		}
	}
}
