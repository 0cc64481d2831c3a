// What the table calls an item's columns: the shape's own names where it has them (表の設定),
// else the usual ones; a period's plan by the period's label.
import type { Messages } from '$lib/i18n/ja.ts';
import type { TextField } from '$lib/model/item-fields.ts';
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
