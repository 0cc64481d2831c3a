// An item's two rows at rest (ItemRows.svelte) as one string of markup: the cells as TextCell,
// DepartmentsCell, MarkCell and the comments button draw them, none of them editable yet. The
// browser parses a row's markup in a fraction of what creating its sixty-odd elements one by one
// costs, which is most of the time a table of 2,000 items takes to bring in all its rows.
import type { ItemCells } from '$lib/doc/table-doc.ts';
import type { Messages } from '$lib/i18n/ja.ts';
import type { TableShape } from '$lib/model/shape.ts';
import { rowLayout, type ColumnLayout, type RowLayout } from './columns.ts';
import { markTitle } from './mark-title.ts';

export interface RestingRow {
	item: ItemCells;
	/** The item in labels: its number and the start of its title (columns.ts itemName). */
	name: string;
	t: Messages;
	/** The table's shape: its periods, its marks, its columns. */
	shape: TableShape;
	readonly: boolean;
	/** Its comment thread: the open comments and all of them. */
	comments: { open: number; total: number };
}

const ENTITIES: Record<string, string> = {
	'&': '&amp;',
	'<': '&lt;',
	'>': '&gt;',
	'"': '&quot;',
	"'": '&#39;',
	// The parser would make a carriage return a line feed; a reference keeps it as the text has it.
	'\r': '&#13;'
};

/** Text as markup, for an element's content or a quoted attribute. */
export function escapeHtml(text: string): string {
	return text.replace(/[&<>"'\r]/g, (c) => ENTITIES[c]!);
}

function textCell(r: RestingRow, { field, column, rowspan, heading }: ColumnLayout) {
	const value = r.item.texts[field.key] ?? null;
	const readonly = r.readonly || value === null ? ' readonly' : '';
	const prefix =
		field.key === 'title' && r.item.no
			? `<span class="prefix">${escapeHtml(r.item.no)}</span>`
			: '';
	const handle =
		field.key === 'title' && !r.readonly
			? `<button type="button" class="row-handle" data-row-menu="" tabindex="-1" draggable="true" ` +
				`aria-label="${escapeHtml(r.t.rowActions(r.name))}" aria-haspopup="menu"></button>`
			: '';
	return (
		`<td class="text-cell ${column}${readonly}" rowspan="${rowspan}" data-field="${escapeHtml(field.key)}" ` +
		`data-cell="" data-mode="rest" tabindex="0" aria-label="${escapeHtml(r.t.cellLabel(r.name, heading))}">` +
		`<div class="value">${prefix}${escapeHtml(value ?? '')}</div>${handle}</td>`
	);
}

function departmentsCell(r: RestingRow): string {
	const names = r.item.departments.map((d) => `<span>${escapeHtml(d)}</span>`).join('');
	return (
		`<td class="dept-cell" rowspan="2" data-field="departments" data-cell="" tabindex="0" ` +
		`aria-label="${escapeHtml(r.t.cellLabel(r.name, r.t.colDepartments))}">` +
		`<div class="names">${names}</div></td>`
	);
}

/** The 進行管理 heading of the marks, with the comments button (as ItemRows' `progress` draws it). */
function progressCell(r: RestingRow): string {
	const { open, total } = r.comments;
	const label = escapeHtml(r.t.commentsButton(open, total));
	return (
		`<th scope="row" class="progress-label">${escapeHtml(r.t.progressRow)} ` +
		`<button type="button" class="comments${open > 0 ? ' has-open' : ''}" ` +
		`data-comments-button="${open}" title="${label}" aria-label="${label}">` +
		`${total > 0 ? `<span class="n">${open}</span>` : ''}</button></th>`
	);
}

/**
 * A mark cell with one mark of the scale or none (competing marks, and a mark not in the scale,
 * make the row editable: ItemRows).
 */
function markCell(r: RestingRow, layout: RowLayout, i: number): string {
	const period = r.shape.periods[i]!;
	const reading = r.item.marks[i] ?? { cell: '', entries: [], invalid: false, outside: false };
	const mark = typeof reading.cell === 'string' ? reading.cell : '';
	const title = escapeHtml(markTitle(r.t, reading, r.shape.marks));
	const cellLabel = escapeHtml(r.t.markCellLabel(r.name, period.label));
	const face = mark
		? `<span class="${layout.markClass(mark)}" data-value="${escapeHtml(mark)}">${escapeHtml(mark)}</span>`
		: '<span class="empty" aria-hidden="true">&nbsp;</span>';
	return (
		`<td class="mark-cell" data-mark="${escapeHtml(period.id)}" data-cell="" tabindex="0" ` +
		`aria-label="${cellLabel}: ${title}" aria-haspopup="menu" aria-expanded="false" ` +
		`title="${title}"><button type="button" class="face" tabindex="-1" aria-label="${title}"` +
		`${r.readonly ? ' disabled=""' : ''}>${face}</button></td>`
	);
}

/** The item's `<tr class="main">` and `<tr class="marks">`, at rest. */
export function restingRowHtml(r: RestingRow): string {
	const layout = rowLayout(r.shape, r.t);
	let main = '';
	for (const column of layout.columns) {
		main += textCell(r, column);
		if (column.field.key === 'content') main += departmentsCell(r);
	}
	return (
		`<tr class="main">${main}</tr><tr class="marks">` +
		progressCell(r) +
		r.shape.periods.map((_, i) => markCell(r, layout, i)).join('') +
		'</tr>'
	);
}
