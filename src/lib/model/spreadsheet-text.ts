// Text on its way to and from a spreadsheet: the formula guard of the CSV export and the clipboard,
// and tab-separated text as Excel and Google Sheets put it on the clipboard.

// Spreadsheets run a cell starting with one of these as a formula (OWASP "CSV injection"), in
// their full-width forms too (a Japanese IME types ＝), and leading whitespace, U+3000 included
// (\s covers it), does not stop them. A cell starting with a tab or a line break is escaped
// whatever follows: the spreadsheet may strip it and read what comes next as the start.
const FORMULA_START = /^(?:\s*[=+\-@＝＋－＠]|[\t\r\n])/;

/** A cell's text a spreadsheet takes as text: one it would run as a formula gets a leading '. */
export function guardFormula(text: string): string {
	return FORMULA_START.test(text) ? `'${text}` : text;
}

/**
 * A copied cell's text, guarded as guardFormula does, and a cell that already starts with a ' before
 * such a text guarded too, so that unguardFormula gives back exactly what was copied.
 */
export function guardCell(text: string): string {
	const guarded = text.startsWith("'") && FORMULA_START.test(text.replace(/^'+/, ''));
	return guarded ? `'${text}` : guardFormula(text);
}

/** The other way (a paste of what Shinko or the CSV wrote): the ' before what would be a formula goes. */
export function unguardFormula(text: string): string {
	return text.startsWith("'") && FORMULA_START.test(text.replace(/^'+/, '')) ? text.slice(1) : text;
}

/**
 * Rows of cells as tab-separated text, as Excel copies them: a cell holding a tab, a line break or
 * a quote is quoted, its quotes doubled; one line a row.
 */
export function toTsv(rows: string[][]): string {
	const cell = (text: string) =>
		/[\t\r\n"]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
	return rows.map((row) => row.map(cell).join('\t')).join('\n') + '\n';
}

/**
 * Tab-separated text as Excel and Google Sheets copy it: rows end in CRLF or LF (the last one
 * may), a cell starting with a quote runs to the closing quote, line breaks and tabs included,
 * with "" for a quote. A quote further in a cell is just a quote, as Excel reads it.
 */
export function parseTsv(text: string): string[][] {
	const rows: string[][] = [];
	let row: string[] = [];
	let i = 0;
	const n = text.length;
	for (;;) {
		let cell = '';
		if (text[i] === '"') {
			// A quoted cell ends at a quote not doubled; what follows it up to the tab is kept too.
			let j = i + 1;
			for (;;) {
				const q = text.indexOf('"', j);
				if (q < 0) {
					// No closing quote: not a quoted cell after all, as Excel reads it.
					cell = '';
					j = -1;
					break;
				}
				cell += text.slice(j, q);
				if (text[q + 1] === '"') {
					cell += '"';
					j = q + 2;
				} else {
					j = q + 1;
					break;
				}
			}
			if (j < 0) {
				const end = endOfCell(text, i);
				cell = text.slice(i, end);
				i = end;
			} else {
				const end = endOfCell(text, j);
				cell += text.slice(j, end);
				i = end;
			}
		} else {
			const end = endOfCell(text, i);
			cell = text.slice(i, end);
			i = end;
		}
		row.push(cell);
		if (i >= n) {
			rows.push(row);
			break;
		}
		if (text[i] === '\t') {
			i++;
			continue;
		}
		// A line break: CRLF, LF or CR.
		i += text[i] === '\r' && text[i + 1] === '\n' ? 2 : 1;
		rows.push(row);
		row = [];
		if (i >= n) break;
	}
	return rows;
}

function endOfCell(text: string, from: number): number {
	for (let i = from; i < text.length; i++) {
		const c = text[i];
		if (c === '\t' || c === '\n' || c === '\r') return i;
	}
	return text.length;
}
