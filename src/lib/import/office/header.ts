// Finding a 進行管理表's header row in a grid by its column names, and the role of each column:
// 取り組み項目 / 具体的内容 / 担当課 / 令和2年度 / ～6月 … / 評価 / 達成状況及び今後の方針 / others.
import { cellAt, columnLetter, coveringMerge, squash, tidy, type Grid } from './grid.ts';
import type { ColumnMapping } from './mapping.ts';
import { looksLikeKpiHeader } from './rows.ts';
import { headerRole, isYearHeader, isYearlyMark, periodIn, subHeaderRole } from './words.ts';

/** Rows searched for a header from the top of each sheet. */
export const HEADER_SCAN_ROWS = 60;

export interface Header {
	row: number;
	rows: 1 | 2;
	/** How surely this is a table's header: distinct column names it holds. */
	score: number;
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
	// A KPI table's header (目標 | 令和2年度 目標 | 令和2年度 実績 …) names years, not the items'.
	if (looksLikeKpiHeader(grid.rows[row] ?? [])) return 0;
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
	return best < 0 ? null : { ...headerAt(grid, best), score: bestScore };
}

/** The header at a given row (as a mapping names it), whether or not it would be found. */
export function headerAt(grid: Grid, row: number): Header {
	const rows = hasSubHeader(grid, row) ? 2 : 1;
	return { row, rows, score: headerScore(grid, row), ...classify(grid, row, rows) };
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
	// As wide as the rows under it: a column with no header still has its data kept.
	let width = 0;
	for (let r = row; r < Math.min(grid.rows.length, row + 500); r++)
		width = Math.max(width, grid.rows[r]?.length ?? 0);
	const periods: string[] = [];
	const periodOf = (label: string) => {
		const key = squash(label);
		let index = periods.findIndex((p) => squash(p) === key);
		if (index < 0) index = periods.push(label) - 1;
		return index;
	};
	const columns: ColumnMapping[] = [];
	const taken = new Set<string>();
	let lastPeriodTop = '';
	for (let c = 0; c < width; c++) {
		let top = tidy(headerText(grid, row, c));
		// 上半期 over 計画・評価 without a merge: the columns under its blank right are its own.
		if (top === '' && rows === 2 && subHeaderRole(cellAt(grid, row + 1, c)) && lastPeriodTop)
			top = lastPeriodTop;
		if (top !== '') lastPeriodTop = periodIn(top) ? top : '';
		const sub = rows === 2 ? tidy(cellAt(grid, row + 1, c)) : '';
		const header = [top, sub].filter(Boolean).join(' ').slice(0, 200);
		const column: ColumnMapping = { column: c + 1, header, role: 'ignore' };
		const topPeriod = periodIn(top);
		const subPeriod = sub === '' ? null : periodIn(sub);
		const subRole = sub === '' ? null : subHeaderRole(sub);
		if (topPeriod && subRole) {
			column.role = subRole;
			if (subRole !== 'extra') column.period = periodOf(topPeriod.label);
		} else if (subPeriod) {
			column.role = headerRole(top) === 'mark' ? 'mark' : 'plan';
			column.period = periodOf(subPeriod.label);
		} else if (topPeriod && sub === '') {
			column.role = subHeaderRole(topPeriod.rest) ?? 'plan';
			if (column.role !== 'extra') column.period = periodOf(topPeriod.label);
		} else {
			const role = headerRole(header) ?? (isYearHeader(header) ? 'yearPlan' : null);
			if (role === 'mark') {
				// 評価 right after a period's plan is that period's mark; 年度評価 or a lone 評価, a
				// yearly one (年度).
				const before = columns.at(-1);
				column.role = 'mark';
				column.period =
					before?.role === 'plan' && before.period !== undefined && !isYearlyMark(header)
						? before.period
						: periodOf('年度');
			} else if (role) column.role = role;
			else if (header !== '' || columnHasData(grid, row + rows, c)) column.role = 'extra';
		}
		// A column of 評価 that holds sentences is a text column, not marks.
		if (column.role === 'mark' && holdsText(grid, row + rows, c)) {
			column.role = taken.has('note') ? 'extra' : 'note';
			delete column.period;
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
	// 施策 | 事業名: the 施策 (merged down over its 事業) heads them; the 事業 are the items.
	const titles = columns.filter(
		(c) => c.role === 'title' || (c.role === 'extra' && headerRole(c.header) === 'title')
	);
	if (titles.length >= 2 && /施策|基本目標|分野|政策|方針/.test(squash(titles[0]!.header))) {
		titles[0]!.role = 'heading';
		titles[1]!.role = 'title';
	}
	const used = new Set(columns.map((c) => c.period).filter((p) => p !== undefined));
	if (used.size !== periods.length) {
		// Periods left without a column (an 実績 under them): numbered again.
		const keep = periods.filter((_, i) => used.has(i));
		for (const c of columns)
			if (c.period !== undefined) c.period = keep.indexOf(periods[c.period]!);
		periods.splice(0, periods.length, ...keep);
	}
	return { columns, periods: periods.length > 0 ? periods : ['年度'] };
}

/** Most of a column's cells are longer than a mark can be. */
function holdsText(grid: Grid, from: number, column: number): boolean {
	let long = 0;
	let filled = 0;
	for (let r = from; r < Math.min(grid.rows.length, from + 200); r++) {
		const text = cellAt(grid, r, column);
		if (text === '') continue;
		filled++;
		if ([...text].length > 8) long++;
	}
	return filled > 0 && long / filled >= 0.5;
}

function columnHasData(grid: Grid, from: number, column: number): boolean {
	for (let r = from; r < grid.rows.length; r++) if (cellAt(grid, r, column) !== '') return true;
	return false;
}

/** Of a row's filled cells under the header's columns, how many and how many read as `expected`. */
function sameAs(
	grid: Grid,
	row: number,
	header: Header,
	expected: (column: number, header: string) => string[]
): { filled: number; same: number } {
	let same = 0;
	let filled = 0;
	for (const column of header.columns) {
		const text = cellAt(grid, row, column.column - 1);
		if (text === '') continue;
		filled++;
		if (expected(column.column - 1, column.header).some((e) => squash(e) === squash(text))) same++;
	}
	return { filled, same };
}

/** A row that repeats the header (at a page break or under a heading). */
export function isHeaderRepeat(grid: Grid, row: number, header: Header): boolean {
	const { filled, same } = sameAs(grid, row, header, (c, whole) => [
		tidy(headerText(grid, header.row, c)),
		whole
	]);
	return filled >= 2 && same / filled >= 0.6;
}

/** The sub-header row repeated right under a repeated header. */
export function isSubHeaderRepeat(grid: Grid, row: number, header: Header): boolean {
	if (header.rows !== 2) return false;
	const { filled, same } = sameAs(grid, row, header, (c) => [cellAt(grid, header.row + 1, c)]);
	return filled >= 2 && same === filled;
}
