// Reading a table's rows under its header: headings (rows of one cell, or merged across), items
// (a row with its title), the row of marks under an item's plans (進行管理), rows continuing an
// item, repeated headers, notes (※…), legends, and where the table ends (the KPI part).
import { cellAt, coveringMerge, filledColumns, squash, tidy, type Grid, where } from './grid.ts';
import { isHeaderRepeat, isSubHeaderRepeat, type Header } from './header.ts';
import { marksInColumns, type ImportMapping } from './mapping.ts';
import {
	isKpiMarker,
	isMarksLabel,
	parseLegend,
	splitHeading,
	type HeadingStyle
} from './words.ts';

export interface Warning {
	/** Where, as a person finds it (sheet and cell, or page and line). */
	where: string;
	message: string;
}

export interface RawHeading {
	kind: 'heading';
	no: string;
	title: string;
	style: HeadingStyle;
	where: string;
}

export interface RawItem {
	kind: 'item';
	/** Texts by 1-based column, from the item's row (and rows continuing it). */
	cells: Map<number, string>;
	/** Mark texts by period, with the cell each came from. */
	marks: Map<number, { text: string; where: string }>;
	where: string;
}

export type Entry = RawHeading | RawItem;

export interface TableRows {
	entries: Entry[];
	/** Rows past the table (the KPI part), or the grid's end. */
	end: number;
	legends: { mark: string; label: string }[][];
	notes: { text: string; where: string }[];
	warnings: Warning[];
}

export function readRows(grid: Grid, header: Header, mapping: ImportMapping): TableRows {
	const out: TableRows = {
		entries: [],
		end: grid.rows.length,
		legends: [],
		notes: [],
		warnings: []
	};
	const roleAt = new Map(mapping.columns.map((c) => [c.column, c]));
	const title = mapping.columns.find((c) => c.role === 'title')?.column ?? 1;
	const inColumns = marksInColumns(mapping);
	const planColumns = mapping.columns.filter((c) => c.role === 'plan');
	let last: RawItem | null = null;
	let lastHasMarkRow = false;

	for (let r = header.row + header.rows; r < grid.rows.length; r++) {
		const filled = filledColumns(grid, r);
		if (filled.length === 0) continue;
		const texts = filled.map((c) => cellAt(grid, r, c));
		const joined = texts.join(' ');
		if (isHeaderRepeat(grid, r, header)) {
			if (isSubHeaderRepeat(grid, r + 1, header)) r++;
			continue;
		}
		if ((filled.length === 1 && isKpiMarker(joined)) || looksLikeKpiHeader(texts)) {
			out.end = r;
			break;
		}
		if (filled.length <= 2 && /^[※＊*]/.test(joined.trim())) {
			out.notes.push({ text: tidy(joined), where: where(grid, r, filled[0]) });
			continue;
		}
		const legend = filled.length <= 2 ? parseLegend(joined) : null;
		if (legend) {
			out.legends.push(legend);
			continue;
		}
		const titleText = cellAt(grid, r, title - 1);
		// Covered from the row above: an item's cells merged over its two rows.
		const titleCovered = (coveringMerge(grid, r, title - 1)?.row ?? r) < r;

		// A heading: one cell (or one merge) left of or over the title column, not an item's number.
		const only = filled.length === 1 ? filled[0]! : -1;
		if (only >= 0 && only <= title - 1 && !titleCovered) {
			const text = cellAt(grid, r, only);
			if (!/^[\u2460-\u2473\u3251-\u325F\u32B1-\u32BF]/.test(text.trim())) {
				const heading = splitHeading(text);
				out.entries.push({ kind: 'heading', ...heading, where: where(grid, r, only) });
				last = null;
				continue;
			}
		}

		// The row of marks under an item's plans, in the published layout.
		if (!inColumns && last && !lastHasMarkRow && titleText === '') {
			const labelled = texts.some(isMarksLabel);
			const planOnly = filled.every((c) => {
				const role = roleAt.get(c + 1)?.role;
				return role === 'plan' && [...cellAt(grid, r, c)].length <= 4;
			});
			if (labelled || planOnly) {
				for (const column of planColumns) {
					const text = tidy(cellAt(grid, r, column.column - 1));
					if (text !== '' && column.period !== undefined)
						last.marks.set(column.period, { text, where: where(grid, r, column.column - 1) });
				}
				lastHasMarkRow = true;
				continue;
			}
		}

		if (titleText !== '' || !last) {
			if (titleText === '')
				out.warnings.push({
					where: where(grid, r, title - 1),
					message: '取り組み項目が空欄の行を項目として取り込みます。'
				});
			last = { kind: 'item', cells: new Map(), marks: new Map(), where: where(grid, r, title - 1) };
			lastHasMarkRow = false;
			out.entries.push(last);
			for (const c of filled) last.cells.set(c + 1, cellAt(grid, r, c));
			if (inColumns) readMarkColumns(grid, r, mapping, last);
			continue;
		}

		// A row under an item with no title of its own continues it: each text joins its column.
		for (const c of filled) {
			const before = last.cells.get(c + 1);
			last.cells.set(c + 1, before ? `${before}\n${cellAt(grid, r, c)}` : cellAt(grid, r, c));
		}
		if (inColumns) readMarkColumns(grid, r, mapping, last);
		out.warnings.push({
			where: where(grid, r, filled[0]),
			message: `取り組み項目のない行「${excerpt(joined)}」を、上の項目の続きとして取り込みます。`
		});
	}
	return out;
}

function readMarkColumns(grid: Grid, row: number, mapping: ImportMapping, item: RawItem): void {
	for (const column of mapping.columns) {
		if (column.role !== 'mark' || column.period === undefined) continue;
		const text = tidy(cellAt(grid, row, column.column - 1));
		if (text !== '' && !item.marks.has(column.period))
			item.marks.set(column.period, { text, where: where(grid, row, column.column - 1) });
	}
}

/** A KPI table's header: a target column and at least one year (目標, 令和2年度 …). */
export function looksLikeKpiHeader(texts: string[]): boolean {
	const target = texts.some((t) =>
		/^(目標|目標値|最終目標|計画期間の目標|目標\(.*\))$/.test(squash(t))
	);
	const years = texts.filter((t) => /(令和|平成|R|H)(元|\d{1,2})年度?|\d{4}年度/.test(squash(t)));
	return target && years.length >= 1;
}

export function excerpt(text: string): string {
	const flat = text.replace(/\s+/g, ' ').trim();
	return flat.length > 30 ? `${flat.slice(0, 30)}…` : flat;
}
