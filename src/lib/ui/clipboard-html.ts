// A block of cells as the HTML table Excel and Google Sheets put on the clipboard, and such a
// table read back. Excel pastes the HTML, not the text, when there is some: each cell is marked
// as text (mso-number-format), so Excel neither runs it as a formula nor reads 4-6 as a date, and
// a line break inside a cell is one Excel keeps in the cell (mso-data-placement).
import type { CopiedCell } from '$lib/model/grid-block.ts';
import { guardCell } from '$lib/model/spreadsheet-text.ts';
import { escapeHtml } from './resting-row.ts';

const CELL_STYLE = `mso-number-format:'\\@';white-space:pre-wrap;vertical-align:top`;
const LINE_BREAK = '<br style="mso-data-placement:same-cell">';

export function toHtml(lines: CopiedCell[][]): string {
	const rows = lines.map(
		(line) =>
			'<tr>' +
			line
				.filter((cell) => !cell.covered)
				.map((cell) => {
					const span = cell.rowspan === 2 ? ' rowspan="2"' : '';
					const text = escapeHtml(guardCell(cell.text)).replaceAll('\n', LINE_BREAK);
					return `<td${span} style="${CELL_STYLE}">${text}</td>`;
				})
				.join('') +
			'</tr>'
	);
	return `<meta charset="utf-8"><table>${rows.join('')}</table>`;
}

/** The most HTML a paste reads, and the most cells its table may spread to (spans included). */
export const MAX_HTML_CHARS = 2_000_000;

/**
 * The first table of an HTML paste as lines of cells: a cell spanning rows or columns holds its
 * text in its first place and '' in the others, as Excel's text does; null when there is none,
 * 'large' when it is more than `maxCells` cells or MAX_HTML_CHARS of HTML. The HTML is parsed
 * into an inert document: nothing in it runs or loads.
 */
export function fromHtml(html: string, maxCells: number): string[][] | null | 'large' {
	if (html.length > MAX_HTML_CHARS) return 'large';
	const doc = new DOMParser().parseFromString(html, 'text/html');
	const table = doc.querySelector('table');
	if (!table) return null;
	const lines: string[][] = [];
	const taken: boolean[][] = [];
	let cells = 0;
	for (const [r, tr] of Array.from(table.rows).entries()) {
		const busy = (taken[r] ??= []);
		let c = 0;
		for (const td of Array.from(tr.cells)) {
			while (busy[c]) c++;
			const rows = Math.max(1, td.rowSpan || 1);
			const cols = Math.max(1, td.colSpan || 1);
			cells += rows * cols;
			if (cells > maxCells) return 'large';
			for (let dr = 0; dr < rows; dr++)
				for (let dc = 0; dc < cols; dc++) {
					(lines[r + dr] ??= [])[c + dc] = dr === 0 && dc === 0 ? cellText(td) : '';
					(taken[r + dr] ??= [])[c + dc] = true;
				}
			c += cols;
		}
	}
	return Array.from(lines, (line) => Array.from(line ?? [], (cell) => cell ?? ''));
}

const BLOCK = /^(P|DIV|LI|TR|H[1-6])$/;
/** Deeper than this, an element's text is taken whole (a hostile page nests thousands). */
const MAX_DEPTH = 24;

/** A cell's text as the page shows it: spaces and source line breaks collapsed, <br> a line break. */
function cellText(cell: Element): string {
	const parts: string[] = [];
	let atLineStart = true;
	const add = (text: string) => {
		if (text === '') return;
		parts.push(text);
		atLineStart = text.endsWith('\n');
	};
	const breakLine = () => {
		if (parts.length > 0 && !atLineStart) add('\n');
	};
	const walk = (node: Node, depth: number) => {
		for (const child of Array.from(node.childNodes)) {
			if (child.nodeType === Node.TEXT_NODE) add(collapse(child.textContent ?? ''));
			else if (child.nodeType !== Node.ELEMENT_NODE) continue;
			else {
				const tag = (child as Element).tagName;
				if (tag === 'BR') add('\n');
				else if (/^(STYLE|SCRIPT|TEMPLATE)$/.test(tag)) continue;
				else if (depth >= MAX_DEPTH) add(collapse(child.textContent ?? ''));
				else {
					const block = BLOCK.test(tag);
					if (block) breakLine();
					walk(child, depth + 1);
					if (block) breakLine();
				}
			}
		}
	};
	walk(cell, 0);
	return parts
		.join('')
		.replaceAll('\u00a0', ' ')
		.replace(/ *\n */g, '\n')
		.replace(/^[ \n]+|[ \n]+$/g, '');
}

const collapse = (text: string) => text.replace(/[ \t\r\n]+/g, ' ');
