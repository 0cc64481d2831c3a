// Reading a table's rows under its header: headings (rows of one cell, or merged across), items
// (a row with its title), the row of marks under an item's plans (進行管理), rows continuing an
// item, repeated headers, notes (※…), legends, and where the table ends (the KPI part).
import {
	cellAt,
	coveringMerge,
	filledColumns,
	mergeAt,
	squash,
	tidy,
	type Grid,
	where
} from './grid.ts';
import { isHeaderRepeat, isSubHeaderRepeat, type Header } from './header.ts';
import { marksInColumns, type ImportMapping } from './mapping.ts';
import {
	HEADING_MAX,
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

/**
 * The rows under a header. `mapping`'s columns are where this sheet has them; `offset` says how
 * far right of the mapping's own they are, and cells are kept by the mapping's column numbers.
 */
export function readRows(
	grid: Grid,
	header: Header,
	mapping: ImportMapping,
	offset = 0
): TableRows {
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

	const headingColumn = mapping.columns.find((c) => c.role === 'heading')?.column;
	const noColumn = mapping.columns.find((c) => c.role === 'no')?.column;

	for (let r = header.row + header.rows; r < grid.rows.length; r++) {
		let filled = filledColumns(grid, r);
		if (filled.length === 0) continue;
		if (isHeaderRepeat(grid, r, header)) {
			if (isSubHeaderRepeat(grid, r + 1, header)) r++;
			continue;
		}
		// 施策 | 事業名 …: a 施策 written (merged down over its 事業) opens a heading.
		if (headingColumn !== undefined && cellAt(grid, r, headingColumn - 1) !== '') {
			const text = cellAt(grid, r, headingColumn - 1);
			out.entries.push({
				kind: 'heading',
				...splitHeading(text),
				where: where(grid, r, headingColumn - 1)
			});
			last = null;
			filled = filled.filter((c) => c !== headingColumn - 1);
			if (filled.length === 0) continue;
		}
		const texts = filled.map((c) => cellAt(grid, r, c));
		const joined = texts.join(' ');
		if ((filled.length === 1 && isKpiMarker(joined)) || looksLikeKpiHeader(texts)) {
			out.end = r;
			break;
		}
		const titleText = cellAt(grid, r, title - 1);
		// A legend is a line of its own (one cell, or none in the title column): S：計画以上 …
		const legend =
			filled.length === 1 || (titleText === '' && filled.length <= 2) ? parseLegend(joined) : null;
		if (legend) {
			out.legends.push(legend);
			continue;
		}
		if (filled.length <= 2 && /^[※＊*]/.test(joined.trim())) {
			// Under an item, a note is the item's: kept in its 達成状況 (the table has no other place).
			const note = mapping.columns.find((c) => c.role === 'note')?.column;
			if (last && note !== undefined) {
				const before = last.cells.get(note);
				last.cells.set(note, before ? `${before}\n${tidy(joined)}` : tidy(joined));
			}
			out.notes.push({ text: tidy(joined), where: where(grid, r, filled[0]) });
			continue;
		}
		// Covered from the row above: an item's cells merged over its two rows.
		const titleCovered = (coveringMerge(grid, r, title - 1)?.row ?? r) < r;

		// A heading: one cell (or one merge) left of or over the title column, short, not an item's
		// number. In the title column itself, only a numbered heading (1 …, (1) …) or one merged
		// across the table: a lone unnumbered title there is an item not yet filled in.
		const only = filled.length === 1 ? filled[0]! : -1;
		if (only >= 0 && only <= title - 1 && !titleCovered) {
			const text = cellAt(grid, r, only);
			const heading = splitHeading(text);
			const merged = (mergeAt(grid, r, only)?.columns ?? 1) >= 2;
			if (
				!/^[\u2460-\u2473\u3251-\u325F\u32B1-\u32BF]/.test(text.trim()) &&
				[...text].length <= HEADING_MAX &&
				(only < title - 1 || heading.style !== 'plain' || merged)
			) {
				out.entries.push({ kind: 'heading', ...heading, where: where(grid, r, only) });
				last = null;
				continue;
			}
		}
		// No. | title merged across: a numbered heading written in two cells (1 | 安心なまち).
		if (
			noColumn !== undefined &&
			filled.length === 2 &&
			filled[0] === noColumn - 1 &&
			filled[1] === title - 1 &&
			(mergeAt(grid, r, title - 1)?.columns ?? 1) >= 2
		) {
			const heading = splitHeading(`${cellAt(grid, r, noColumn - 1)} ${titleText}`);
			out.entries.push({ kind: 'heading', ...heading, where: where(grid, r, noColumn - 1) });
			last = null;
			continue;
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
			for (const c of filled) last.cells.set(c + 1 - offset, cellAt(grid, r, c));
			if (inColumns) readMarkColumns(grid, r, mapping, last);
			continue;
		}

		// A row under an item with no title of its own continues it: each text joins its column.
		for (const c of filled) {
			const before = last.cells.get(c + 1 - offset);
			last.cells.set(
				c + 1 - offset,
				before ? `${before}\n${cellAt(grid, r, c)}` : cellAt(grid, r, c)
			);
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

/** The target column of a KPI table: 目標, 目標値（令和6年度）, 最終目標 … */
export const KPI_TARGET = /^(目標|目標値|最終目標|計画期間の目標|計画目標)(\(.{1,20}\))?$/;

/** A KPI table's header: a target column and at least one year (目標, 令和2年度 …). */
export function looksLikeKpiHeader(texts: string[]): boolean {
	const target = texts.some((t) => KPI_TARGET.test(squash(t)));
	const years = texts.filter((t) => /(令和|平成|R|H)(元|\d{1,2})年度?|\d{4}年度/.test(squash(t)));
	return target && years.length >= 1;
}

export function excerpt(text: string): string {
	const flat = text.replace(/\s+/g, ' ').trim();
	return flat.length > 30 ? `${flat.slice(0, 30)}…` : flat;
}
