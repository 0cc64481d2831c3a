// Writes a table as the office prints its 進行管理表: an A4 landscape sheet with each item on two
// rows (plans, then 進行管理 marks), the KPI targets on a second sheet, and a very hidden sheet
// with what a round trip through xlsxToSheet needs.
import ExcelJS from 'exceljs';
import { warekiLabel } from '../model/fiscal-year.ts';
import type { ItemJSON, SheetJSON } from '../model/schema.ts';
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
	COL,
	HEADER_FIRST,
	HEADER_ROW,
	ITEMS_MARKER,
	MARKS_LABEL,
	NOTE_HEADER,
	SHEET_TABLE,
	TABLE_COLUMNS,
	TITLE_ROW,
	markText
} from './xlsx-layout.ts';

// Widths in characters; the note carries the longest text, so it gets the most room.
const WIDTHS = [26, 30, 7, 10, 14, 14, 14, 14, 48];
const SPANNING: number[] = [COL.title, COL.content, COL.departments, COL.note];
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

function writeTableSheet(workbook: ExcelJS.Workbook, sheet: SheetJSON): void {
	const ws = workbook.addWorksheet(SHEET_TABLE, {
		pageSetup: { ...A4_LANDSCAPE, printTitlesRow: `${HEADER_ROW}:${HEADER_ROW}` },
		views: [{ state: 'frozen', xSplit: 0, ySplit: HEADER_ROW }],
		headerFooter: { oddFooter: '&C&P / &N' }
	});
	ws.columns = WIDTHS.map((width) => ({ width }));

	put(ws, TITLE_ROW, 1, sheet.title, { font: { bold: true, size: 14 } });
	ws.mergeCells(TITLE_ROW, 1, TITLE_ROW, TABLE_COLUMNS);
	put(ws, TITLE_ROW + 1, 1, ITEMS_MARKER, { font: { bold: true } });

	const header = [
		HEADER_FIRST,
		'具体的内容',
		'担当課',
		warekiLabel(sheet.fiscalYear),
		...sheet.quarterLabels,
		NOTE_HEADER
	];
	header.forEach((text, index) => put(ws, HEADER_ROW, index + 1, text, tableCell(HEADER_STYLE)));

	let row = HEADER_ROW + 1;
	for (const pillar of sheet.pillars) {
		heading(ws, row++, joinNo(pillar.no, pillar.title, ' '), 'FFDDEBF7');
		for (const section of pillar.sections) {
			heading(ws, row++, joinNo(section.no, section.title, ' '), 'FFF2F2F2');
			for (const item of section.items) {
				writeItem(ws, row, item);
				row += 2;
			}
		}
	}
}

/** A pillar or section heading: one merged, filled row across the table. */
function heading(ws: ExcelJS.Worksheet, row: number, text: string, argb: string): void {
	for (let column = 1; column <= TABLE_COLUMNS; column++) {
		put(
			ws,
			row,
			column,
			column === 1 ? text : '',
			tableCell({ font: { bold: true }, fill: fill(argb) })
		);
	}
	ws.mergeCells(row, 1, row, TABLE_COLUMNS);
}

function writeItem(ws: ExcelJS.Worksheet, row: number, item: ItemJSON): void {
	const texts: [number, string][] = [
		[COL.title, joinNo(item.no, item.title, '')],
		[COL.content, item.content],
		[COL.departments, item.departments.join('\n')],
		[COL.yearPlan, item.yearPlan],
		...item.plans.map((plan, q): [number, string] => [COL.quarter + q, plan]),
		[COL.note, item.note]
	];
	for (const [column, text] of texts) put(ws, row, column, text, tableCell());

	const marksRow = row + 1;
	for (let column = 1; column <= TABLE_COLUMNS; column++)
		put(ws, marksRow, column, '', tableCell());
	put(ws, marksRow, COL.yearPlan, MARKS_LABEL, tableCell({ alignment: CENTRED }));
	item.marks.forEach((mark, q) =>
		put(
			ws,
			marksRow,
			COL.quarter + q,
			markText(mark),
			tableCell({ font: { size: 14 }, alignment: CENTRED })
		)
	);
	// The texts that belong to the whole item span both rows, as in the published table.
	for (const column of SPANNING) ws.mergeCells(row, column, marksRow, column);

	// Excel never grows a row for text in a cell merged across rows, so a long note would be cut
	// off on paper: the first row gets a height estimated from the texts instead.
	const needed = texts.map(([column, text]) => {
		const height = textHeight(text, WIDTHS[column - 1] ?? 10);
		return SPANNING.includes(column) ? height - MARKS_ROW_HEIGHT : height;
	});
	ws.getRow(row).height = Math.min(MAX_ROW_HEIGHT, Math.max(LINE_HEIGHT, ...needed));
	ws.getRow(marksRow).height = MARKS_ROW_HEIGHT;
}

function joinNo(no: string, title: string, separator: string): string {
	return no === '' ? title : `${no}${separator}${title}`;
}
