// An item's two rows at rest (ItemRows.svelte) as one string of markup: the cells as TextCell,
// DepartmentsCell, MarkCell and the comments button draw them, none of them editable yet. The
// browser parses a row's markup in a fraction of what creating its sixty-odd elements one by one
// costs, which is most of the time a table of 2,000 items takes to bring in all its rows.
import { QUARTERS, type ItemCells, type TextField } from '$lib/doc/table-doc.ts';
import type { Messages } from '$lib/i18n/ja.ts';
import { markTitle } from './mark-title.ts';

export interface RestingRow {
	item: ItemCells;
	/** The item in labels: its number, or its id. */
	name: string;
	t: Messages;
	quarterLabels: string[];
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

function textCell(
	r: RestingRow,
	field: TextField,
	rowspan: number,
	column: string,
	heading: string
) {
	const value = r.item.texts[field];
	const readonly = r.readonly || value === null ? ' readonly' : '';
	const prefix =
		field === 'title' && r.item.no ? `<span class="prefix">${escapeHtml(r.item.no)}</span>` : '';
	return (
		`<td class="text-cell ${column}${readonly}" rowspan="${rowspan}" data-field="${field}" ` +
		`data-cell="" tabindex="0" aria-label="${escapeHtml(r.t.cellLabel(r.name, heading))}">` +
		`<div class="value">${prefix}${escapeHtml(value ?? '')}</div></td>`
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

/** A mark cell with one mark or none (competing marks make the row editable: ItemRows). */
function markCell(r: RestingRow, i: number): string {
	const quarter = QUARTERS[i]!;
	const reading = r.item.marks[i]!;
	const mark = typeof reading.cell === 'string' ? reading.cell : '';
	const title = escapeHtml(markTitle(r.t, reading));
	const cellLabel = escapeHtml(r.t.markCellLabel(r.name, r.quarterLabels[i] ?? String(quarter)));
	const face = mark
		? `<span class="mark" data-value="${escapeHtml(mark)}">${escapeHtml(mark)}</span>`
		: '<span class="empty" aria-hidden="true">&nbsp;</span>';
	return (
		`<td class="mark-cell" data-mark="${quarter}" data-cell="" tabindex="0" ` +
		`aria-label="${cellLabel}: ${title}" aria-haspopup="menu" aria-expanded="false" ` +
		`title="${title}"><button type="button" class="face" tabindex="-1"` +
		`${r.readonly ? ' disabled=""' : ''}>${face}</button></td>`
	);
}

/** The item's `<tr class="main">` and `<tr class="marks">`, at rest. */
export function restingRowHtml(r: RestingRow): string {
	const { t, quarterLabels: q } = r;
	return (
		'<tr class="main">' +
		textCell(r, 'title', 2, 'c-title', t.colTitle) +
		textCell(r, 'content', 2, 'c-content', t.colContent) +
		departmentsCell(r) +
		textCell(r, 'yearPlan', 1, 'c-yearplan', 'yearPlan') +
		textCell(r, 'plan1', 1, 'c-plan', q[0] ?? 'plan1') +
		textCell(r, 'plan2', 1, 'c-plan', q[1] ?? 'plan2') +
		textCell(r, 'plan3', 1, 'c-plan', q[2] ?? 'plan3') +
		textCell(r, 'plan4', 1, 'c-plan', q[3] ?? 'plan4') +
		textCell(r, 'note', 2, 'c-note', t.colNote) +
		'</tr><tr class="marks">' +
		progressCell(r) +
		[0, 1, 2, 3].map((i) => markCell(r, i)).join('') +
		'</tr>'
	);
}
