// The office's own file as a plain grid of cell texts: a worksheet of its .xlsx, or the table of
// its PDF rebuilt from the text's positions. Reading the table's layout works on this alone, so an
// Excel file and a PDF are read by the same rules.

/** A merged range: its master is the top-left cell (0-based), the only one that holds the text. */
export interface Merge {
	row: number;
	column: number;
	rows: number;
	columns: number;
}

export interface Grid {
	/** The sheet's name, or the PDF's name for its pages. */
	name: string;
	/** rows[r][c], 0-based; '' for an empty cell or one a merge covers. Line breaks are kept. */
	rows: string[][];
	merges: Merge[];
	/** A worksheet, or a PDF's pages; plain data, so a worker can hand it over. */
	kind: 'sheet' | 'pdf';
	/** For a PDF: each row's page and line on that page (1-based). */
	lines?: { page: number; line: number }[];
}

/** Where a cell is, as a person finds it: 「シート「表」のセル B7」 or 「2ページ 5行目」. */
export function where(grid: Grid, row: number, column?: number): string {
	if (grid.kind === 'pdf') {
		const at = grid.lines?.[row];
		return at ? `${at.page}ページ ${at.line}行目` : `${row + 1}行目`;
	}
	return column === undefined
		? `シート「${grid.name}」の${row + 1}行目`
		: `シート「${grid.name}」のセル ${columnLetter(column)}${row + 1}`;
}

export function cellAt(grid: Grid, row: number, column: number): string {
	return grid.rows[row]?.[column] ?? '';
}

/** The merge whose master is the cell, if any. */
export function mergeAt(grid: Grid, row: number, column: number): Merge | undefined {
	return mergeIndex(grid).get(`${row},${column}`);
}

/** The master of the merge that covers the cell from another row or column, if any. */
export function coveringMerge(grid: Grid, row: number, column: number): Merge | undefined {
	return coverIndex(grid).get(`${row},${column}`);
}

const indexes = new WeakMap<Grid, Map<string, Merge>>();
function mergeIndex(grid: Grid): Map<string, Merge> {
	let index = indexes.get(grid);
	if (!index) {
		index = new Map(grid.merges.map((m) => [`${m.row},${m.column}`, m]));
		indexes.set(grid, index);
	}
	return index;
}

// Every covered cell, once: a sheet is at most 10,000 × 50 cells, so this stays bounded.
const covers = new WeakMap<Grid, Map<string, Merge>>();
function coverIndex(grid: Grid): Map<string, Merge> {
	let index = covers.get(grid);
	if (!index) {
		index = new Map();
		const width = Math.max(0, ...grid.rows.map((r) => r.length));
		for (const m of grid.merges)
			for (let r = m.row; r < Math.min(m.row + m.rows, grid.rows.length); r++)
				for (let c = m.column; c < Math.min(m.column + m.columns, width); c++)
					if (r !== m.row || c !== m.column) index.set(`${r},${c}`, m);
		covers.set(grid, index);
	}
	return index;
}

/** The indexes of a row's non-empty cells. */
export function filledColumns(grid: Grid, row: number): number[] {
	const out: number[] = [];
	(grid.rows[row] ?? []).forEach((text, c) => {
		if (text !== '') out.push(c);
	});
	return out;
}

/** Excel's column letters for a 0-based column: 0 → A, 26 → AA. */
export function columnLetter(column: number): string {
	let n = column + 1;
	let out = '';
	while (n > 0) {
		const rest = (n - 1) % 26;
		out = String.fromCharCode(65 + rest) + out;
		n = Math.floor((n - 1) / 26);
	}
	return out;
}

/** A text as headers and markers are compared: NFKC, no spaces or line breaks. */
export function squash(text: string): string {
	return text.normalize('NFKC').replace(/\s+/g, '');
}

/** A cell's text for display: spaces inside a line collapsed, line breaks kept. */
export function tidy(text: string): string {
	return text
		.replace(/\r\n?/g, '\n')
		.split('\n')
		.map((line) => line.replace(/[ \t\u3000]+/g, ' ').trim())
		.join('\n')
		.replace(/\n{3,}/g, '\n\n')
		.trim();
}
