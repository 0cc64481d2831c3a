// Writes a table as the office prints its 進行管理表: an A4 landscape sheet with each item on two
// rows (plans, then 進行管理 marks), the KPI targets on a second sheet, and a very hidden sheet
// with what a round trip through xlsxToSheet needs.
import ExcelJS from 'exceljs';
import { warekiLabel } from '../model/fiscal-year.ts';
import type { ItemJSON, SheetJSON } from '../model/schema.ts';
import { REFERENCE_MARKS } from '../model/shape.ts';
import { isSubSection } from '../model/sheet-shape.ts';
import { writeDataSheet } from './xlsx-data.ts';
import { writeKpiSheet } from './xlsx-kpis.ts';
import {
	A4_LANDSCAPE,
	HEADER_STYLE,
	LINE_HEIGHT,
	fill,
	put,
	tableCell,
	textHeight
} from './xlsx-style.ts';
import {
	HEADER_ROW,
	ITEMS_MARKER,
	MARKER_ROW,
	MARKS_LABEL,
	SHEET_TABLE,
	TITLE_ROW,
	columnHeading,
	markText,
	sectionHasRow,
	tableColumns,
	type TableColumns
} from './xlsx-layout.ts';

// Widths in characters; the note carries the longest text, so it gets the most room. The plans
// share about the room four quarters had, whatever the number of periods.
const FIXED_WIDTHS = { title: 26, content: 30, departments: 7, yearPlan: 10, note: 48 };
const PLANS_WIDTH = 56;
const EXTRA_WIDTH = 30;
const MARKS_ROW_HEIGHT = 21;
/** Excel's limit, in points. */
const MAX_ROW_HEIGHT = 409;
const CENTRED: Partial<ExcelJS.Alignment> = {
	horizontal: 'center',
	vertical: 'middle',
	wrapText: true
};

export async function sheetToXlsx(sheet: SheetJSON): Promise<Uint8Array> {
	const workbook = new ExcelJS.Workbook();
	workbook.creator = 'Shinko';
	writeTableSheet(workbook, sheet);
	writeKpiSheet(workbook, sheet);
	writeDataSheet(workbook, sheet);
	const buffer = await workbook.xlsx.writeBuffer();
	return new Uint8Array(buffer);
}

/** The table sheet's columns for this sheet, with each column's width. */
function layoutOf(sheet: SheetJSON): { cols: TableColumns; widths: number[] } {
	const periods = sheet.periodLabels.length;
	const cols = tableColumns(periods, sheet.extraColumns.length);
	const plan = Math.min(24, Math.max(8, Math.round(PLANS_WIDTH / periods)));
	const widths = [
		FIXED_WIDTHS.title,
		FIXED_WIDTHS.content,
		FIXED_WIDTHS.departments,
		FIXED_WIDTHS.yearPlan,
		...sheet.periodLabels.map(() => plan),
		FIXED_WIDTHS.note,
		...sheet.extraColumns.map(() => EXTRA_WIDTH)
	];
	return { cols, widths };
}

function writeTableSheet(workbook: ExcelJS.Workbook, sheet: SheetJSON): void {
	const ws = workbook.addWorksheet(SHEET_TABLE, {
		pageSetup: { ...A4_LANDSCAPE, printTitlesRow: `${HEADER_ROW}:${HEADER_ROW}` },
		views: [{ state: 'frozen', xSplit: 0, ySplit: HEADER_ROW }],
		headerFooter: { oddFooter: '&C&P / &N' }
	});
	const layout = layoutOf(sheet);
	const { cols, widths } = layout;
	ws.columns = widths.map((width) => ({ width }));

	put(ws, TITLE_ROW, 1, sheet.title, { font: { bold: true, size: 14 } });
	ws.mergeCells(TITLE_ROW, 1, TITLE_ROW, cols.count);
	put(ws, MARKER_ROW, 1, ITEMS_MARKER, { font: { bold: true } });
	writeLegend(ws, sheet, layout);

	const header = [
		columnHeading(sheet, 'title'),
		columnHeading(sheet, 'content'),
		'担当課',
		columnHeading(sheet, 'yearPlan', warekiLabel(sheet.fiscalYear)),
		...sheet.periodLabels,
		columnHeading(sheet, 'note'),
		...sheet.extraColumns.map((column) => column.label)
	];
	header.forEach((text, index) => put(ws, HEADER_ROW, index + 1, text, tableCell(HEADER_STYLE)));

	let row = HEADER_ROW + 1;
	for (const pillar of sheet.pillars) {
		heading(ws, cols, row++, joinNo(pillar.no, pillar.title, ' '), 'FFDDEBF7');
		for (const section of pillar.sections) {
			if (sectionHasRow(sheet, section)) {
				const sub = isSubSection(sheet, section);
				const text = joinNo(section.no, section.title, ' ');
				heading(ws, cols, row++, text, sub ? 'FFFFFFFF' : 'FFF2F2F2', sub ? 2 : 0);
			}
			for (const item of section.items) {
				writeItem(ws, layout, sheet, row, item);
				row += 2;
			}
		}
	}
}

/**
 * What each mark means, above the periods' headings: the marks are the table's own (S A B C,
 * 順調 …), so the printed table says what they mean. Marks taken off the scale are left out. The
 * reference scale (○ ◎ △ × —) needs none: its table is exported as it is published.
 */
function writeLegend(
	ws: ExcelJS.Worksheet,
	sheet: SheetJSON,
	{ cols, widths }: { cols: TableColumns; widths: number[] }
): void {
	const entries = sheet.markScale.filter((entry) => !entry.removed);
	const reference =
		entries.length === REFERENCE_MARKS.length &&
		entries.every((e, i) => e.mark === REFERENCE_MARKS[i]!.mark);
	if (reference) return;
	const text = `${MARKS_LABEL}: ${entries.map((entry) => `${entry.mark} ${entry.label}`).join('\u3000')}`;
	const first = cols.period(0);
	put(ws, MARKER_ROW, first, text, { alignment: { vertical: 'top', wrapText: true } });
	ws.mergeCells(MARKER_ROW, first, MARKER_ROW, cols.count);
	const width = widths.slice(first - 1).reduce((sum, w) => sum + w, 0);
	ws.getRow(MARKER_ROW).height = Math.min(MAX_ROW_HEIGHT, textHeight(text, width));
}

/** A pillar or section heading: one merged, filled row across the table (a level 3 indented). */
function heading(
	ws: ExcelJS.Worksheet,
	cols: TableColumns,
	row: number,
	text: string,
	argb: string,
	indent = 0
): void {
	for (let column = 1; column <= cols.count; column++) {
		const style = tableCell({ font: { bold: true }, fill: fill(argb) });
		if (indent) style.alignment = { ...style.alignment, indent };
		put(ws, row, column, column === 1 ? text : '', style);
	}
	ws.mergeCells(row, 1, row, cols.count);
}

function writeItem(
	ws: ExcelJS.Worksheet,
	{ cols, widths }: { cols: TableColumns; widths: number[] },
	sheet: SheetJSON,
	row: number,
	item: ItemJSON
): void {
	const texts: [number, string][] = [
		[cols.title, joinNo(item.no, item.title, '')],
		[cols.content, item.content],
		[cols.departments, item.departments.join('\n')],
		[cols.yearPlan, item.yearPlan],
		...sheet.periodLabels.map((_, p): [number, string] => [cols.period(p), item.plans[p] ?? '']),
		[cols.note, item.note],
		...sheet.extraColumns.map(({ key }, x): [number, string] => [
			cols.extra(x),
			item.extra[key] ?? ''
		])
	];
	for (const [column, text] of texts) put(ws, row, column, text, tableCell());

	const marksRow = row + 1;
	for (let column = 1; column <= cols.count; column++) put(ws, marksRow, column, '', tableCell());
	put(ws, marksRow, cols.yearPlan, MARKS_LABEL, tableCell({ alignment: CENTRED }));
	sheet.periodLabels.forEach((_, p) =>
		put(
			ws,
			marksRow,
			cols.period(p),
			markText(item.marks[p] ?? ''),
			tableCell({ font: { size: 14 }, alignment: CENTRED })
		)
	);
	// The texts that belong to the whole item span both rows, as in the published table.
	const spanning = spanningColumns(cols, sheet.extraColumns.length);
	for (const column of spanning) ws.mergeCells(row, column, marksRow, column);

	// Excel never grows a row for text in a cell merged across rows, so a long note would be cut
	// off on paper: the first row gets a height estimated from the texts instead.
	const needed = texts.map(([column, text]) => {
		const height = textHeight(text, widths[column - 1] ?? 10);
		return spanning.includes(column) ? height - MARKS_ROW_HEIGHT : height;
	});
	ws.getRow(row).height = Math.min(MAX_ROW_HEIGHT, Math.max(LINE_HEIGHT, ...needed));
	ws.getRow(marksRow).height = MARKS_ROW_HEIGHT;
}

/** The columns whose text belongs to the whole item: all but the year plan's and the periods'. */
function spanningColumns(cols: TableColumns, extras: number): number[] {
	return [
		cols.title,
		cols.content,
		cols.departments,
		cols.note,
		...Array.from({ length: extras }, (_, x) => cols.extra(x))
	];
}

function joinNo(no: string, title: string, separator: string): string {
	return no === '' ? title : `${no}${separator}${title}`;
}
