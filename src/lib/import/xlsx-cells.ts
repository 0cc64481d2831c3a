// Reading single cells of an uploaded .xlsx: only plain values, never formulas or huge text.
import type ExcelJS from 'exceljs';
import { cellAddress } from '../export/xlsx-layout.ts';

export class XlsxImportError extends Error {
	/** The sheet the problem is on, or '' for the file as a whole. */
	readonly sheet: string;
	/** The cell (e.g. 'F12'), or '' when no single cell is to blame. */
	readonly cell: string;

	constructor(sheet: string, cell: string, detail: string) {
		const where = sheet === '' ? '' : `シート「${sheet}」${cell === '' ? '' : `のセル ${cell}`}: `;
		super(`${where}${detail}`);
		this.name = 'XlsxImportError';
		this.sheet = sheet;
		this.cell = cell;
	}
}

export const SHEET_LIMITS = { maxRows: 10_000, maxColumns: 50, maxText: 100_000 } as const;

export function checkSheetSize(ws: ExcelJS.Worksheet): void {
	if (ws.rowCount > SHEET_LIMITS.maxRows || ws.columnCount > SHEET_LIMITS.maxColumns) {
		throw new XlsxImportError(
			ws.name,
			'',
			`使われている範囲が大きすぎます（${ws.rowCount}行×${ws.columnCount}列。` +
				`${SHEET_LIMITS.maxRows}行×${SHEET_LIMITS.maxColumns}列まで）`
		);
	}
}

function isFormula(value: ExcelJS.CellValue): boolean {
	return (
		typeof value === 'object' && value !== null && ('formula' in value || 'sharedFormula' in value)
	);
}

/** A formula in a sheet we read is refused: its cached value may not be what Excel shows. */
export function checkNoFormulas(ws: ExcelJS.Worksheet): void {
	ws.eachRow((row) =>
		row.eachCell((cell) => {
			if (isFormula(cell.value)) {
				throw new XlsxImportError(
					ws.name,
					cell.address,
					'数式は取り込めません（値だけを入力してください）'
				);
			}
		})
	);
}

/** The text of a cell as its reader sees it; '' for an empty cell. */
export function cellText(ws: ExcelJS.Worksheet, row: number, column: number): string {
	const cell = ws.getCell(row, column);
	const text = plainText(ws, cell, cell.value);
	if (text.length > SHEET_LIMITS.maxText) {
		throw new XlsxImportError(
			ws.name,
			cell.address,
			`文字が多すぎます（${SHEET_LIMITS.maxText}文字まで）`
		);
	}
	return text;
}

function plainText(ws: ExcelJS.Worksheet, cell: ExcelJS.Cell, value: ExcelJS.CellValue): string {
	if (value === null || value === undefined) return '';
	if (typeof value === 'string') return value;
	if (typeof value === 'number' || typeof value === 'boolean') return String(value);
	const fail = (detail: string) => new XlsxImportError(ws.name, cell.address, detail);
	if (value instanceof Date) {
		throw fail(
			"日付になっています（文字として入力してください。先頭に ' を付けると文字になります）"
		);
	}
	if (isFormula(value)) throw fail('数式は取り込めません（値だけを入力してください）');
	if ('richText' in value) return value.richText.map((run) => run.text).join('');
	if ('hyperlink' in value) {
		return typeof value.text === 'string' ? value.text : plainText(ws, cell, value.text);
	}
	if ('error' in value) throw fail(`エラー値 ${value.error} は取り込めません`);
	throw fail('このセルの値は読めません');
}

/** A number cell of the data sheet: null when empty. */
export function cellNumber(ws: ExcelJS.Worksheet, row: number, column: number): number | null {
	const value = ws.getCell(row, column).value;
	if (value === null || value === undefined || value === '') return null;
	if (typeof value === 'number') return value;
	throw new XlsxImportError(ws.name, cellAddress(row, column), '数値が必要です');
}
