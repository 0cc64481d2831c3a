// An office's own workbook as grids: each visible sheet's cell texts as Excel shows them (numbers
// with the unit their format adds, dates as dates, a formula's last result), merges kept.
import type ExcelJS from 'exceljs';
import { SHEET_LIMITS, XlsxImportError } from '../xlsx-cells.ts';
import type { Grid, Merge } from './grid.ts';

/** The visible sheets as grids; a sheet too large to be a table is left out, and said so. */
export function workbookGrids(workbook: ExcelJS.Workbook): { grids: Grid[]; skipped: string[] } {
	const grids: Grid[] = [];
	const skipped: string[] = [];
	for (const ws of workbook.worksheets) {
		if (ws.state !== 'visible' && ws.state !== undefined) continue;
		if (ws.rowCount > SHEET_LIMITS.maxRows || ws.columnCount > SHEET_LIMITS.maxColumns) {
			skipped.push(
				`シート「${ws.name}」は大きすぎるため読みません（${ws.rowCount}行×${ws.columnCount}列。${SHEET_LIMITS.maxRows}行×${SHEET_LIMITS.maxColumns}列まで）。`
			);
			continue;
		}
		if (grids.length === MAX_SHEETS) {
			skipped.push(`シートは${MAX_SHEETS}枚まで読みます。シート「${ws.name}」から先は読みません。`);
			break;
		}
		const { grid, hiddenRows, hiddenColumns } = sheetGrid(ws);
		if (hiddenRows + hiddenColumns > 0)
			skipped.push(
				`シート「${ws.name}」の非表示の${[hiddenRows ? `行 ${hiddenRows}` : '', hiddenColumns ? `列 ${hiddenColumns}` : ''].filter(Boolean).join('・')}は、Excel で見えるとおり読みませんでした（表示すれば取り込めます）。`
			);
		grids.push(grid);
	}
	return { grids, skipped };
}

export const MAX_SHEETS = 50;

/** A sheet as Excel shows it: hidden rows and columns (last year's, working ones) are left out. */
function sheetGrid(ws: ExcelJS.Worksheet): {
	grid: Grid;
	hiddenRows: number;
	hiddenColumns: number;
} {
	const rows: string[][] = [];
	const masters = new Map<string, Merge>();
	const hiddenColumn = new Map<number, boolean>();
	const isHidden = (c: number) => {
		let hidden = hiddenColumn.get(c);
		if (hidden === undefined) hiddenColumn.set(c, (hidden = ws.getColumn(c).hidden === true));
		return hidden;
	};
	let hiddenRows = 0;
	const hiddenWithText = new Set<number>();
	ws.eachRow({ includeEmpty: false }, (row, r) => {
		if (row.hidden) {
			hiddenRows++;
			return;
		}
		row.eachCell({ includeEmpty: false }, (cell, c) => {
			if (isHidden(c)) {
				if (cellText(ws, cell) !== '') hiddenWithText.add(c);
				return;
			}
			if (cell.isMerged && cell.master !== cell) {
				const m = cell.master;
				const key = `${Number(m.row) - 1},${Number(m.col) - 1}`;
				const merge = masters.get(key) ?? {
					row: Number(m.row) - 1,
					column: Number(m.col) - 1,
					rows: 1,
					columns: 1
				};
				merge.rows = Math.max(merge.rows, r - merge.row);
				merge.columns = Math.max(merge.columns, c - merge.column);
				masters.set(key, merge);
				return;
			}
			const text = cellText(ws, cell);
			if (text === '') return;
			(rows[r - 1] ??= [])[c - 1] = text;
		});
	});
	for (let r = 0; r < rows.length; r++) {
		const row = (rows[r] ??= []);
		for (let c = 0; c < row.length; c++) row[c] ??= '';
	}
	return {
		grid: { name: ws.name, rows, merges: [...masters.values()], kind: 'sheet' },
		hiddenRows,
		hiddenColumns: hiddenWithText.size
	};
}

function cellText(ws: ExcelJS.Worksheet, cell: ExcelJS.Cell): string {
	const text = valueText(cell.value, cell.numFmt).replace(/\r\n?/g, '\n');
	if (text.length > SHEET_LIMITS.maxText)
		throw new XlsxImportError(
			ws.name,
			cell.address,
			`文字が多すぎます（${SHEET_LIMITS.maxText}文字まで）`
		);
	return text.trim();
}

function valueText(value: ExcelJS.CellValue, numFmt: string | undefined): string {
	if (value === null || value === undefined) return '';
	if (typeof value === 'string') return value;
	if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
	if (typeof value === 'number') return numberText(value, numFmt);
	if (value instanceof Date)
		return `${value.getUTCFullYear()}/${value.getUTCMonth() + 1}/${value.getUTCDate()}`;
	if ('richText' in value) return value.richText.map((run) => run.text).join('');
	if ('hyperlink' in value)
		return typeof value.text === 'string' ? value.text : valueText(value.text, numFmt);
	if ('formula' in value || 'sharedFormula' in value) {
		const result = (value as { result?: unknown }).result;
		if (
			result === undefined ||
			(typeof result === 'object' && result !== null && 'error' in result)
		)
			return '';
		return valueText(result as ExcelJS.CellValue, numFmt);
	}
	return '';
}

/** A number as its format shows it where that is plain: grouping and a quoted unit (#,##0"人"). */
function numberText(value: number, numFmt: string | undefined): string {
	const format = (numFmt ?? '').split(';')[0] ?? '';
	const grouped = format.includes(',')
		? value.toLocaleString('en-US', { maximumFractionDigits: 10 })
		: String(value);
	const percent = format.includes('%');
	const shown = percent ? `${+(value * 100).toFixed(10)}%` : grouped;
	const unit = /"([^"]{1,8})"\s*$/.exec(format)?.[1] ?? '';
	return shown + unit;
}
