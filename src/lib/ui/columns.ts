// What the table calls an item's columns: the shape's own names where it has them (表の設定),
// else the usual ones; a period's plan by the period's label.
import type { Messages } from '$lib/i18n/ja.ts';
import { textFields, type TextField } from '$lib/model/item-fields.ts';
import type { TableShape } from '$lib/model/shape.ts';

/** A text column's name, as the cells' labels say it (`yearLabel`: the year plan's heading). */
export function columnLabel(
	shape: TableShape,
	field: TextField,
	t: Messages,
	yearLabel = ''
): string {
	if (field.kind === 'plan') return shape.periods[field.period]?.label ?? field.key;
	const own = shape.columns.find((c) => c.key === field.key)?.label ?? '';
	if (own !== '') return own;
	switch (field.key) {
		case 'title':
			return t.colTitle;
		case 'content':
			return t.colContent;
		case 'yearPlan':
			return yearLabel || t.colYearPlan;
		case 'note':
			return t.colNote;
		default:
			return field.key;
	}
}

/** As much of an item's title as a cell's name carries: enough to tell the item apart. */
const NAME_TITLE_CHARS = 24;

/**
 * An item in its cells' names: its number and the start of its title (「① 事務経費の節減」), since
 * numbers repeat under every heading; its id when it has neither.
 */
export function itemName(no: string, title: string | null, id: string): string {
	const start = (title ?? '').replace(/\s+/g, ' ').trim();
	const short = start.length > NAME_TITLE_CHARS ? `${start.slice(0, NAME_TITLE_CHARS)}…` : start;
	return [no, short].filter(Boolean).join(' ') || id;
}

/** Where a text cell sits: its class and whether it spans the item's two rows. */
export function cellPlace(field: TextField): { column: string; rowspan: 1 | 2 } {
	if (field.kind === 'plan') return { column: 'c-plan', rowspan: 1 };
	if (field.kind === 'extra') return { column: 'c-extra', rowspan: 2 };
	if (field.key === 'yearPlan') return { column: 'c-yearplan', rowspan: 1 };
	return { column: `c-${field.key}`, rowspan: 2 };
}

export interface ColumnLayout {
	field: TextField;
	column: string;
	rowspan: 1 | 2;
	/** Its name in a cell's label. */
	heading: string;
}

export interface RowLayout {
	columns: ColumnLayout[];
	/** The class of each mark's face: its tone, which gives its colour (cells.css). */
	markClass: (mark: string) => string;
}

// One layout per shape (a reading of the shape stays the same object until the shape changes)
// and language: every row of a table of 2,000 shares it.
const layouts = new WeakMap<TableShape, WeakMap<Messages, RowLayout>>();

/** The cells an item's row has, in order, with their places and names. */
export function rowLayout(shape: TableShape, t: Messages): RowLayout {
	let byLanguage = layouts.get(shape);
	if (!byLanguage) layouts.set(shape, (byLanguage = new WeakMap()));
	let layout = byLanguage.get(t);
	if (!layout) {
		const tones = new Map(shape.marks.map((m) => [m.mark, `mark tone-${m.tone}`]));
		layout = {
			columns: textFields(shape).map((field) => ({
				field,
				...cellPlace(field),
				heading: columnLabel(shape, field, t)
			})),
			markClass: (mark) => tones.get(mark) ?? 'mark outside'
		};
		byLanguage.set(t, layout);
	}
	return layout;
}
