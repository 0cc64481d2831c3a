// A block of cells as the HTML table Excel and Google Sheets put on the clipboard, and such a
// table read back. Excel pastes the HTML, not the text, when there is some: each cell is marked
// as text (mso-number-format), so Excel neither runs it as a formula nor reads 4-6 as a date, and
// a line break inside a cell is one Excel keeps in the cell (mso-data-placement).
import type { CopiedCell } from '$lib/model/grid-block.ts';
import { guardFormula } from '$lib/model/spreadsheet-text.ts';
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
					const text = escapeHtml(guardFormula(cell.text)).replaceAll('\n', LINE_BREAK);
					return `<td${span} style="${CELL_STYLE}">${text}</td>`;
				})
				.join('') +
			'</tr>'
	);
	return `<meta charset="utf-8"><table>${rows.join('')}</table>`;
}

/**
 * The first table of an HTML paste as lines of cells: a cell spanning rows or columns holds its
 * text in its first place and '' in the others, as Excel's text does; null when there is none.
 * The HTML is parsed into an inert document: nothing in it runs or loads.
 */
export function fromHtml(html: string): string[][] | null {
	const doc = new DOMParser().parseFromString(html, 'text/html');
	const table = doc.querySelector('table');
	if (!table) return null;
	const lines: string[][] = [];
	const taken: boolean[][] = [];
	Array.from(table.rows).forEach((tr, r) => {
		const line = (lines[r] ??= []);
		const busy = (taken[r] ??= []);
		let c = 0;
		for (const td of Array.from(tr.cells)) {
			while (busy[c]) c++;
			const rows = Math.max(1, Math.min(td.rowSpan || 1, 1000));
			const cols = Math.max(1, Math.min(td.colSpan || 1, 1000));
			for (let dr = 0; dr < rows; dr++)
				for (let dc = 0; dc < cols; dc++) {
					(lines[r + dr] ??= [])[c + dc] = dr === 0 && dc === 0 ? cellText(td) : '';
					(taken[r + dr] ??= [])[c + dc] = true;
				}
			c += cols;
		}
		for (let i = 0; i < line.length; i++) line[i] ??= '';
	});
	return lines.map((line) => Array.from(line, (cell) => cell ?? ''));
}

const BLOCK = /^(P|DIV|LI|TR|H[1-6])$/;

/** A cell's text as the page shows it: spaces and source line breaks collapsed, <br> a line break. */
function cellText(cell: Element): string {
	let text = '';
	const walk = (node: Node) => {
		for (const child of Array.from(node.childNodes)) {
			if (child.nodeType === Node.TEXT_NODE)
				text += (child.textContent ?? '').replace(/[ \t\r\n]+/g, ' ');
			else if (child.nodeType !== Node.ELEMENT_NODE) continue;
			else if ((child as Element).tagName === 'BR') text += '\n';
			else if (/^(STYLE|SCRIPT|TEMPLATE)$/.test((child as Element).tagName)) continue;
			else {
				const block = BLOCK.test((child as Element).tagName);
				if (block && text !== '' && !text.endsWith('\n')) text += '\n';
				walk(child);
				if (block && !text.endsWith('\n')) text += '\n';
			}
		}
	};
	walk(cell);
	return text
		.replaceAll('\u00a0', ' ')
		.replace(/ *\n */g, '\n')
		.replace(/^ +| +$/g, '')
		.replace(/\n+$/, '');
}
