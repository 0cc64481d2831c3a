// The table's cells as a spreadsheet's grid: what a rectangle of them holds (copy), where what is
// pasted lands and whether it fits (paste), fill down and clearing. Plain values only: the view
// (TableView) keeps the selection, the session applies the writes.
//
// The grid is the published layout. An item has two rows: its plans over its marks (a period's
// column), its year plan over the 進行管理 label; its title, content, departments, note and added
// columns span both, as Excel's merged cells do. A block that holds only such two-row columns is
// read and written one line per item; a block with a period's or the year plan's column, one
// line per row, a two-row cell holding its value in its first line and nothing in its second,
// as Excel copies merged cells.
import type { ItemCells } from '../doc/table-doc.ts';
import { textFields } from './item-fields.ts';
import { markOf } from './marks.ts';
import type { TableShape } from './shape.ts';
import { unguardFormula } from './spreadsheet-text.ts';

export type GridColumn =
	| { kind: 'text'; key: string }
	| { kind: 'departments' }
	| { kind: 'yearPlan'; key: 'yearPlan' }
	| { kind: 'period'; key: string; periodId: string; period: number };

/** A column's lasting name (its place changes when a period or a column is added): its key. */
export const columnKey = (column: GridColumn) =>
	column.kind === 'departments' ? 'departments' : column.key;

/** The columns that span both rows of an item. */
export const isTall = (column: GridColumn) =>
	column.kind === 'text' || column.kind === 'departments';

/** The grid's columns in the published order: title, content, departments, year plan, periods, note, added. */
export function gridColumns(shape: TableShape): GridColumn[] {
	const columns: GridColumn[] = [];
	for (const field of textFields(shape)) {
		if (field.kind === 'plan') {
			const periodId = shape.periods[field.period]!.id;
			columns.push({ kind: 'period', key: field.key, periodId, period: field.period });
		} else if (field.key === 'yearPlan') columns.push({ kind: 'yearPlan', key: 'yearPlan' });
		else columns.push({ kind: 'text', key: field.key });
		if (field.key === 'content') columns.push({ kind: 'departments' });
	}
	return columns;
}

/** A cell of the grid: `row` counts both rows of each item (2 × the item's index, + 1 for its second). */
export interface GridPoint {
	row: number;
	col: number;
}

/** A rectangle of the grid, its corners included; `byItem`: only two-row columns, one line an item. */
export interface Block {
	top: number;
	bottom: number;
	left: number;
	right: number;
	byItem: boolean;
}

/** The block between two cells, widened to whole items where it holds a two-row column. */
export function blockOf(a: GridPoint, b: GridPoint, columns: GridColumn[]): Block {
	const last = columns.length - 1;
	const left = Math.max(0, Math.min(last, a.col, b.col));
	const right = Math.max(left, Math.min(last, Math.max(a.col, b.col)));
	let top = Math.min(a.row, b.row);
	let bottom = Math.max(a.row, b.row);
	const spanned = columns.slice(left, right + 1);
	if (spanned.some(isTall)) {
		top -= top % 2;
		bottom += 1 - (bottom % 2);
	}
	return { top, bottom, left, right, byItem: spanned.every(isTall) };
}

/** A cell in a block's line: its item, which of the item's rows, and its column. */
export interface Place {
	item: number;
	sub: 0 | 1;
	col: number;
	column: GridColumn;
}

/** The block's lines, each its cells left to right. */
export function blockLines(block: Block, columns: GridColumn[]): Place[][] {
	const lines: Place[][] = [];
	const line = (item: number, sub: 0 | 1) => {
		const places: Place[] = [];
		for (let col = block.left; col <= block.right; col++)
			places.push({ item, sub, col, column: columns[col]! });
		lines.push(places);
	};
	if (block.byItem) for (let r = block.top; r <= block.bottom; r += 2) line(r >> 1, 0);
	else for (let r = block.top; r <= block.bottom; r++) line(r >> 1, (r % 2) as 0 | 1);
	return lines;
}

/** How many lines and columns a block has (the selection's size, as Excel shows it). */
export function blockSize(block: Block): { lines: number; columns: number } {
	const rows = block.bottom - block.top + 1;
	return { lines: block.byItem ? rows / 2 : rows, columns: block.right - block.left + 1 };
}

/** The second row of a two-row cell: what it shows is its first row's. */
const covered = (place: Place) => place.sub === 1 && isTall(place.column);

/** A cell with a value of its own: not under a two-row cell, not the 進行管理 label. */
const ownsValue = (place: Place) =>
	!covered(place) && !(place.column.kind === 'yearPlan' && place.sub === 1);

/** A copied cell: its text, and for HTML whether it spans two lines or lies under one that does. */
export interface CopiedCell {
	text: string;
	rowspan: 1 | 2;
	covered: boolean;
}

/**
 * What copying the block gives, line by line: each cell's text as the table shows it (the title
 * with its number, the departments a line each, competing marks side by side), the 進行管理 label
 * under the year plan. `read` gives an item's cells.
 */
export function copyBlock(
	block: Block,
	columns: GridColumn[],
	read: (item: number) => ItemCells | null,
	progressLabel: string
): CopiedCell[][] {
	read = once(read);
	return blockLines(block, columns).map((line) =>
		line.map((place): CopiedCell => {
			const cells = read(place.item);
			const tall = !block.byItem && isTall(place.column);
			if (covered(place) && !block.byItem) return { text: '', rowspan: 1, covered: true };
			return {
				text: cells ? cellText(cells, place, progressLabel) : '',
				rowspan: tall && place.sub === 0 && place.item * 2 + 1 <= block.bottom ? 2 : 1,
				covered: false
			};
		})
	);
}

/** `read` reading each item once: a block reads every cell of an item. */
function once(read: (item: number) => ItemCells | null): (item: number) => ItemCells | null {
	const seen = new Map<number, ItemCells | null>();
	return (item) => {
		if (!seen.has(item)) seen.set(item, read(item));
		return seen.get(item)!;
	};
}

function cellText(cells: ItemCells, { sub, column }: Place, progressLabel: string): string {
	switch (column.kind) {
		case 'departments':
			return cells.departments.join('\n');
		case 'text': {
			const text = cells.texts[column.key] ?? '';
			return column.key === 'title' && cells.no ? `${cells.no}${text}` : text;
		}
		case 'yearPlan':
			return sub === 0 ? (cells.texts.yearPlan ?? '') : progressLabel;
		case 'period': {
			if (sub === 0) return cells.texts[column.key] ?? '';
			const mark = cells.marks[column.period]?.cell ?? '';
			return Array.isArray(mark) ? mark.join(' ') : mark;
		}
	}
}

export type CellWrite =
	| { item: number; kind: 'text'; key: string; value: string }
	| { item: number; kind: 'mark'; periodId: string; value: string }
	| { item: number; kind: 'departments'; value: string[] };

/** Why a pasted cell does not fit, and where it is: in the paste (1-based) and in the grid. */
export interface PasteProblem {
	reason: 'mark' | 'department' | 'covered' | 'label' | 'wide' | 'broken' | 'long';
	/** The pasted cell: its line and column, from 1. */
	line: number;
	column: number;
	/** Where it would land. */
	place: Place;
	value: string;
}

export interface PasteContext {
	columns: GridColumn[];
	/** The table's marks and departments, which a mark or a department cell must be one of. */
	scale: readonly string[];
	departments: readonly string[];
	/** What the label under the year plan may say (it is skipped). */
	progressLabels: readonly string[];
	/** Whether an item's cell holds a value that is not text (malformed): it is never overwritten. */
	broken?: (item: number, key: string) => boolean;
}

/** The longest text a cell may hold (as the table's schema allows). */
export const MAX_CELL_TEXT = 100_000;

// An item's number, written before its title in the published table: ①–⑳, ㉑–㉟, ㊱–㊿, or
// (21) on (itemNumber), in full-width digits and brackets too.
export const LEADING_ITEM_NO =
	/^(?:[\u2460-\u2473\u3251-\u325F\u32B1-\u32BF]|[(（][0-9０-９]{1,3}[)）])\s*/;

/**
 * Where `rows` (a paste, its first cell at `at`) lands and what it writes; the first cell that does
 * not fit instead, so nothing of the paste is applied. `items`: one past the last item written,
 * which may be past the table's end (the rows to add).
 */
export function planPaste(
	rows: string[][],
	at: GridPoint,
	ctx: PasteContext
): { writes: CellWrite[]; items: number; end: GridPoint } | { problem: PasteProblem } {
	const { columns } = ctx;
	if (!columns[at.col]) throw new RangeError(`no column ${at.col}`);
	const width = Math.max(...rows.map((r) => r.length));
	const spanned = columns.slice(at.col, at.col + width);
	const byItem = spanned.every(isTall);
	// Two-row cells copied from Excel (the published layout, Shinko's .xlsx): a value, then a blank
	// line, per item. Pasted one line an item, they would blank every other item.
	if (byItem && mergedPairs(rows)) rows = rows.filter((_, i) => i % 2 === 0);
	const start = isTall(columns[at.col]!) ? at.row - (at.row % 2) : at.row;
	const writes: CellWrite[] = [];
	let items = 0;
	for (let l = 0; l < rows.length; l++) {
		const r = byItem ? start + 2 * l : start + l;
		const item = r >> 1;
		const sub = (r % 2) as 0 | 1;
		const line = rows[l]!;
		for (let c = 0; c < line.length; c++) {
			const value = unguardFormula(line[c]!);
			const col = at.col + c;
			const column = columns[col];
			const where = { line: l + 1, column: c + 1, value };
			if (!column) {
				if (value.trim() === '') continue; // an empty column past the table's edge
				const place = { item, sub, col: columns.length - 1, column: columns.at(-1)! };
				return { problem: { reason: 'wide', place, ...where } };
			}
			const place: Place = { item, sub, col, column };
			const write = cellWrite(place, value, ctx);
			if (write === null) continue;
			if ('reason' in write) return { problem: { reason: write.reason, place, ...where } };
			writes.push(write);
			items = Math.max(items, item + 1);
		}
	}
	const lastLine = rows.length - 1;
	const end = {
		row: byItem ? start + 2 * lastLine + 1 : start + lastLine,
		col: Math.min(columns.length - 1, at.col + width - 1)
	};
	return { writes, items, end };
}

/** Whether lines come in pairs, the second of each blank: cells merged over two rows, as copied. */
export function mergedPairs(rows: string[][]): boolean {
	const blank = (row: string[] | undefined) => !row || row.every((c) => c.trim() === '');
	if (rows.length < 2 || rows.length % 2 !== 0) return false;
	let some = false;
	for (let i = 0; i < rows.length; i += 2) {
		if (!blank(rows[i + 1])) return false;
		some ||= !blank(rows[i]);
	}
	return some;
}

function cellWrite(
	place: Place,
	value: string,
	ctx: PasteContext
): CellWrite | null | { reason: PasteProblem['reason'] } {
	const { item, sub, column } = place;
	const blank = value.trim() === '';
	if (covered(place)) return blank ? null : { reason: 'covered' };
	if (value.length > MAX_CELL_TEXT) return { reason: 'long' };
	switch (column.kind) {
		case 'departments': {
			const list = departmentsOf(value, ctx.departments);
			return list ? { item, kind: 'departments', value: list } : { reason: 'department' };
		}
		case 'yearPlan':
			if (sub === 1)
				return blank || ctx.progressLabels.includes(value.trim()) ? null : { reason: 'label' };
			break;
		case 'period':
			if (sub === 1) {
				if (blank) return { item, kind: 'mark', periodId: column.periodId, value: '' };
				const mark = markOf(value.trim(), ctx.scale);
				return mark === null
					? { reason: 'mark' }
					: { item, kind: 'mark', periodId: column.periodId, value: mark };
			}
			break;
		case 'text':
			break;
	}
	if (ctx.broken?.(item, column.key)) return { reason: 'broken' };
	const text = column.key === 'title' ? value.replace(LEADING_ITEM_NO, '') : value;
	return { item, kind: 'text', key: column.key, value: text };
}

/**
 * A departments cell's text as the table's departments, in the table's order: names one a line,
 * or separated by spaces, 、・,／, or run together (総務事業); a name may hold such a character
 * itself (企画・財政課), so the longest name that fits is taken first. Null when some text is no
 * department of the table.
 */
export function departmentsOf(text: string, names: readonly string[]): string[] | null {
	const found = new Set<string>();
	const known = names
		.map((name) => ({ name, key: name.normalize('NFKC') }))
		.sort((a, b) => b.key.length - a.key.length);
	const rest = text.normalize('NFKC');
	const separator = /[\s・、,/]/u;
	let i = 0;
	while (i < rest.length) {
		if (separator.test(rest[i]!)) {
			i++;
			continue;
		}
		const match = known.find(({ key }) => rest.startsWith(key, i));
		if (!match) return null;
		found.add(match.name);
		i += match.key.length;
	}
	return names.filter((n) => found.has(n));
}

/**
 * Ctrl+D: each cell of the block takes the value of the first one above it in the block of its
 * kind (a plan a plan's, a mark a mark's); a block within one item takes the item's above.
 */
export function planFill(
	block: Block,
	columns: GridColumn[],
	read: (item: number) => ItemCells | null
): CellWrite[] {
	read = once(read);
	const lines = blockLines(block, columns);
	const oneItem = block.top >> 1 === block.bottom >> 1;
	const sources = new Map<string, CellWrite | null>();
	const writes: CellWrite[] = [];
	for (const line of lines)
		for (const place of line) {
			if (!ownsValue(place)) continue;
			const kind = `${place.col}/${place.sub}`;
			if (oneItem) {
				const above = place.item > 0 ? valueAt(read(place.item - 1), place) : null;
				if (above) writes.push({ ...above, item: place.item });
			} else if (!sources.has(kind)) sources.set(kind, valueAt(read(place.item), place));
			else {
				const source = sources.get(kind);
				if (source) writes.push({ ...source, item: place.item });
			}
		}
	return writes;
}

/** Delete on a block: every cell of it emptied. */
export function planClear(block: Block, columns: GridColumn[]): CellWrite[] {
	const writes: CellWrite[] = [];
	for (const line of blockLines(block, columns))
		for (const place of line) {
			if (!ownsValue(place)) continue;
			const { item, column, sub } = place;
			if (column.kind === 'departments') writes.push({ item, kind: 'departments', value: [] });
			else if (column.kind === 'period' && sub === 1)
				writes.push({ item, kind: 'mark', periodId: column.periodId, value: '' });
			else writes.push({ item, kind: 'text', key: column.key, value: '' });
		}
	return writes;
}

/** A cell's value as a write (for fill down); null for one that cannot be copied (malformed, competing). */
function valueAt(cells: ItemCells | null, { item, sub, column }: Place): CellWrite | null {
	if (!cells) return null;
	switch (column.kind) {
		case 'departments':
			return { item, kind: 'departments', value: [...cells.departments] };
		case 'period':
			if (sub === 1) {
				const mark = cells.marks[column.period]?.cell ?? '';
				return Array.isArray(mark)
					? null
					: { item, kind: 'mark', periodId: column.periodId, value: mark };
			}
			break;
		default:
			break;
	}
	const text = cells.texts[column.key];
	return text === null || text === undefined
		? null
		: { item, kind: 'text', key: column.key, value: text };
}
