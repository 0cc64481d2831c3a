// Cell styles and page setup shared by the sheets of the exported workbook.
import type ExcelJS from 'exceljs';
import { toCellText } from './xlsx-layout.ts';

const thin: Partial<ExcelJS.Border> = { style: 'thin' };

/** Narrow margins as Excel's own preset has them, in inches. */
const NARROW_MARGINS = {
	left: 0.25,
	right: 0.25,
	top: 0.75,
	bottom: 0.75,
	header: 0.3,
	footer: 0.3
};

export const A4_LANDSCAPE: Partial<ExcelJS.PageSetup> = {
	paperSize: 9,
	orientation: 'landscape',
	fitToPage: true,
	fitToWidth: 1,
	// 0 = as many pages down as the table needs.
	fitToHeight: 0,
	margins: NARROW_MARGINS
};

export function fill(argb: string): ExcelJS.Fill {
	return { type: 'pattern', pattern: 'solid', fgColor: { argb } };
}

/** A bordered, wrapping, top-aligned cell; a fresh object each time: ExcelJS keeps references. */
export function tableCell(overrides: Partial<ExcelJS.Style> = {}): Partial<ExcelJS.Style> {
	return {
		border: { top: thin, left: thin, bottom: thin, right: thin },
		alignment: { vertical: 'top', wrapText: true },
		...overrides
	};
}

export const HEADER_STYLE: Partial<ExcelJS.Style> = {
	font: { bold: true },
	alignment: { horizontal: 'center', vertical: 'middle', wrapText: true },
	fill: fill('FFD9D9D9')
};

/** Points per wrapped line of 11 pt text, with room for Japanese fonts' taller lines. */
export const LINE_HEIGHT = 16;

/**
 * The height wrapped text needs in a column `width` characters wide: a full-width character
 * takes about two of Excel's width units. An estimate, so it errs on the generous side.
 */
export function textHeight(text: string, width: number): number {
	const perLine = Math.max(1, width - 1);
	let lines = 0;
	for (const paragraph of text.split('\n')) {
		lines += Math.max(1, Math.ceil(textWidth(paragraph) / perLine));
	}
	return lines * LINE_HEIGHT;
}

/** The width of one line of text in Excel's units: a full-width character takes about two. */
export function textWidth(text: string): number {
	let units = 0;
	for (const char of text) units += char.charCodeAt(0) > 0xff ? 2 : 1;
	return units;
}

/** Sets a cell's style and, unless empty, its text: always a string, so `=…` is never a formula. */
export function put(
	ws: ExcelJS.Worksheet,
	row: number,
	column: number,
	text: string,
	style: Partial<ExcelJS.Style>
): void {
	const cell = ws.getCell(row, column);
	cell.style = style;
	if (text !== '') cell.value = toCellText(text);
}
