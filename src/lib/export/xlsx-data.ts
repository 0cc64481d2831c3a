// The very hidden _shinko sheet: a plain table of rows (key in column A) holding what the printed
// sheets cannot carry exactly: ids, item numbers, meta, the table's shape (periods, mark scale,
// departments, heading levels, column names and keys), and the KPIs' raw numbers.
import type ExcelJS from 'exceljs';
import type { SheetJSON } from '../model/schema.ts';
import {
	DATA_KEYS,
	FORMAT_MARKER,
	FORMAT_VERSION,
	REMOVED_MARK,
	SECTION_NO_ROW,
	SHEET_DATA,
	sectionHasRow,
	toCellText
} from './xlsx-layout.ts';

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
	writeShape(add, sheet);
	// Document order: a section belongs to the pillar above it, an item to the section above it.
	for (const pillar of sheet.pillars) {
		add(DATA_KEYS.pillar, pillar.id, pillar.no);
		for (const section of pillar.sections) {
			add(
				DATA_KEYS.section,
				section.id,
				section.no,
				section.level === 3 ? 3 : '',
				sectionHasRow(sheet, section) ? '' : SECTION_NO_ROW
			);
			for (const item of section.items) add(DATA_KEYS.item, item.id, item.no);
		}
	}
	for (const kpi of sheet.kpis) {
		const { id, name, unit, baseline, target, lowerIsBetter } = kpi;
		add(
			DATA_KEYS.kpi,
			id,
			name,
			unit,
			baseline.label,
			baseline.value,
			target,
			...(lowerIsBetter ? ['lowerIsBetter'] : [])
		);
		for (const year of kpi.years) {
			add(DATA_KEYS.kpiYear, year.label, year.fiscalYear, year.target, year.actual);
		}
	}
}

/** The shape's rows: lists a row can hold whole go on one row, longer ones one entry a row. */
function writeShape(add: (...cells: DataCell[]) => void, sheet: SheetJSON): void {
	add(DATA_KEYS.levelLabels, ...sheet.levelLabels);
	add(DATA_KEYS.periodLabels, ...sheet.periodLabels);
	for (const { mark, label, tone, key, removed } of sheet.markScale)
		add(DATA_KEYS.mark, mark, label, tone, key, removed ? REMOVED_MARK : '');
	for (const name of sheet.departments) add(DATA_KEYS.department, name);
	for (const [key, label] of Object.entries(sheet.columnLabels))
		if (label !== undefined) add(DATA_KEYS.columnLabel, key, label);
	for (const { key, label } of sheet.extraColumns) add(DATA_KEYS.extraColumn, key, label);
}
