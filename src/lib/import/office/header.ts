// Finding a 進行管理表's header row in a grid by its column names, and the role of each column:
// 取り組み項目 / 具体的内容 / 担当課 / 令和2年度 / ～6月 … / 評価 / 達成状況及び今後の方針 / others.
import { cellAt, columnLetter, coveringMerge, squash, tidy, type Grid } from './grid.ts';
import type { ColumnMapping } from './mapping.ts';
import { headerRole, isYearHeader, periodIn, subHeaderRole } from './words.ts';

/** Rows searched for a header from the top of each sheet. */
export const HEADER_SCAN_ROWS = 60;

export interface Header {
	row: number;
	rows: 1 | 2;
	columns: ColumnMapping[];
	periods: string[];
}

/** A header cell's text: its own, or that of a merge spanning it from the left in the same row. */
function headerText(grid: Grid, row: number, column: number): string {
	const own = cellAt(grid, row, column);
	if (own !== '') return own;
	const merge = coveringMerge(grid, row, column);
	return merge && merge.row === row ? cellAt(grid, merge.row, merge.column) : '';
}

/** How many distinct known column names a row holds, and whether it names the item itself. */
function headerScore(grid: Grid, row: number): number {
	const roles = new Set<string>();
	let periods = 0;
	for (const text of grid.rows[row] ?? []) {
		if (text === '' || text.length > 40) continue;
		if (periodIn(text)) periods++;
		else {
			const role = headerRole(text);
			if (role) roles.add(role);
		}
	}
	if (!roles.has('title') && !roles.has('content')) return 0;
	const score = roles.size + Math.min(periods, 2);
	return score >= 3 ? score + periods / 100 : 0;
}

/** The first best header row of a grid, its second row if it has one, and its columns. */
export function findHeader(grid: Grid, from = 0): Header | null {
	let best = -1;
	let bestScore = 0;
	const end = Math.min(grid.rows.length, from + HEADER_SCAN_ROWS);
	for (let r = from; r < end; r++) {
		const score = headerScore(grid, r);
		if (score > bestScore) [best, bestScore] = [r, score];
	}
	return best < 0 ? null : headerAt(grid, best);
}

/** The header at a given row (as a mapping names it), whether or not it would be found. */
export function headerAt(grid: Grid, row: number): Header {
	const rows = hasSubHeader(grid, row) ? 2 : 1;
	return { row, rows, ...classify(grid, row, rows) };
}

/** A second header row: 計画 / 評価 under each period, or the periods under one merged heading. */
function hasSubHeader(grid: Grid, row: number): boolean {
	const below = grid.rows[row + 1] ?? [];
	let subs = 0;
	let other = 0;
	below.forEach((text, c) => {
		if (text === '') return;
		if (subHeaderRole(text) || (periodIn(text) && headerText(grid, row, c) !== '')) subs++;
		else other++;
	});
	return subs >= 2 && other <= 1;
}

function classify(
	grid: Grid,
	row: number,
	rows: 1 | 2
): { columns: ColumnMapping[]; periods: string[] } {
	const width = Math.max(grid.rows[row]?.length ?? 0, grid.rows[row + 1]?.length ?? 0);
	const periods: string[] = [];
	const periodOf = (label: string) => {
		const key = squash(label);
		let index = periods.findIndex((p) => squash(p) === key);
		if (index < 0) index = periods.push(label) - 1;
		return index;
	};
	const columns: ColumnMapping[] = [];
	const taken = new Set<string>();
	for (let c = 0; c < width; c++) {
		const top = tidy(headerText(grid, row, c));
		const sub = rows === 2 ? tidy(cellAt(grid, row + 1, c)) : '';
		const header = [top, sub].filter(Boolean).join(' ');
		const column: ColumnMapping = { column: c + 1, header, role: 'ignore' };
		const topPeriod = periodIn(top);
		const subPeriod = sub === '' ? null : periodIn(sub);
		if (topPeriod && sub !== '' && subHeaderRole(sub)) {
			column.role = subHeaderRole(sub)!;
			column.period = periodOf(topPeriod.label);
		} else if (subPeriod) {
			column.role = headerRole(top) === 'mark' ? 'mark' : 'plan';
			column.period = periodOf(subPeriod.label);
		} else if (topPeriod && sub === '') {
			column.role = subHeaderRole(topPeriod.rest) ?? 'plan';
			column.period = periodOf(topPeriod.label);
		} else {
			const role = headerRole(header) ?? (isYearHeader(header) ? 'yearPlan' : null);
			if (role === 'mark') {
				// 評価 right after a period's plan is that period's mark; alone, a yearly one (年度).
				const before = columns.at(-1);
				const period =
					before?.role === 'plan' && before.period !== undefined ? before.period : periodOf('年度');
				column.role = 'mark';
				column.period = period;
			} else if (role) column.role = role;
			else if (header !== '' || columnHasData(grid, row + rows, c)) column.role = 'extra';
		}
		// A second column of a kind that can have one is kept as an added column, not dropped.
		if (['no', 'title', 'content', 'department', 'yearPlan', 'note'].includes(column.role)) {
			if (taken.has(column.role)) column.role = 'extra';
			taken.add(column.role);
		}
		if (column.role === 'plan' || column.role === 'mark') {
			const key = `${column.role}:${column.period}`;
			if (taken.has(key)) {
				column.role = 'extra';
				delete column.period;
			}
			taken.add(key);
		}
		if (column.header === '' && column.role === 'extra') column.header = `列${columnLetter(c)}`;
		// A blank margin column is no column of the table.
		if (column.role !== 'ignore' || column.header !== '') columns.push(column);
	}
	return { columns, periods: periods.length > 0 ? periods : ['年度'] };
}

function columnHasData(grid: Grid, from: number, column: number): boolean {
	for (let r = from; r < grid.rows.length; r++) if (cellAt(grid, r, column) !== '') return true;
	return false;
}

/** A row that repeats the header (at a page break or under a heading). */
export function isHeaderRepeat(grid: Grid, row: number, header: Header): boolean {
	let same = 0;
	let filled = 0;
	for (const column of header.columns) {
		const text = cellAt(grid, row, column.column - 1);
		if (text === '') continue;
		filled++;
		const top = tidy(headerText(grid, header.row, column.column - 1));
		if (squash(text) === squash(top) || squash(text) === squash(column.header)) same++;
	}
	return filled >= 2 && same / filled >= 0.6;
}

/** The sub-header row repeated right under a repeated header. */
export function isSubHeaderRepeat(grid: Grid, row: number, header: Header): boolean {
	if (header.rows !== 2) return false;
	let same = 0;
	let filled = 0;
	for (const column of header.columns) {
		const text = cellAt(grid, row, column.column - 1);
		if (text === '') continue;
		filled++;
		if (squash(text) === squash(cellAt(grid, header.row + 1, column.column - 1))) same++;
	}
	return filled >= 2 && same === filled;
}
