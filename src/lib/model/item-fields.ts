// An item's fields, in one place: which cells an item has in a table of a given shape, the key
// each is stored under in the item's row, and where its value sits in the plain ItemJSON. The doc
// (sheet-doc.ts, restore.ts, table-doc.ts), the view, the diff, the filter and the exports all
// ask here instead of spelling the fields out.
//
// Keys in an item's row: `title`, `content`, `departments`, `yearPlan`, `note`; `plan<id>` and
// `mark<id>` for each period (the reference table's quarters have ids 1 to 4: plan1 … mark4);
// an added column's key (`x…`, see shape.ts) for its text.
import type { ItemJSON, MarkCell } from './schema.ts';
import { STANDARD_COLUMNS, type StandardColumn, type TableShape } from './shape.ts';

export const planKey = (periodId: string) => `plan${periodId}`;
export const markKey = (periodId: string) => `mark${periodId}`;

/** A text cell of an item: a standard column, a period's plan, or a column the table added. */
export type TextField =
	| { key: StandardColumn; kind: 'standard' }
	| { key: string; kind: 'plan'; period: number }
	| { key: string; kind: 'extra' };

export interface MarkField {
	key: string;
	/** The period's index in the shape. */
	period: number;
}

/** The item's text cells in the published column order: title, content, year plan, plans, note, then added columns. */
export function textFields(shape: TableShape): TextField[] {
	const plans: TextField[] = shape.periods.map((p, period) => ({
		key: planKey(p.id),
		kind: 'plan',
		period
	}));
	const standard = (key: StandardColumn): TextField => ({ key, kind: 'standard' });
	const extras: TextField[] = shape.columns
		.filter((c) => !(STANDARD_COLUMNS as readonly string[]).includes(c.key))
		.map((c) => ({ key: c.key, kind: 'extra' }));
	return [
		standard('title'),
		standard('content'),
		standard('yearPlan'),
		...plans,
		standard('note'),
		...extras
	];
}

export function markFields(shape: TableShape): MarkField[] {
	return shape.periods.map((p, period) => ({ key: markKey(p.id), period }));
}

/** The marks a mark cell holds: none, one, or the competing ones. */
export function cellMarks(cell: MarkCell): string[] {
	return cell === '' ? [] : Array.isArray(cell) ? cell : [cell];
}

/** A mark cell holding `marks` (cellMarks the other way). */
export function markCellOf(marks: string[]): MarkCell {
	return marks.length === 0 ? '' : marks.length === 1 ? marks[0]! : marks;
}

/** A text cell's value in an item. */
export function textIn(item: ItemJSON, field: TextField): string {
	switch (field.kind) {
		case 'standard':
			return item[field.key];
		case 'plan':
			return item.plans[field.period] ?? '';
		case 'extra':
			return item.extra[field.key] ?? '';
	}
}

/** Sets a text cell's value in an item (a plain object being built). */
export function setTextIn(item: ItemJSON, field: TextField, value: string): void {
	switch (field.kind) {
		case 'standard':
			item[field.key] = value;
			return;
		case 'plan':
			item.plans[field.period] = value;
			return;
		case 'extra':
			item.extra[field.key] = value;
	}
}

/** An item with nothing filled in, with one plan and one mark per period of the shape. */
export function blankItem(id: string, shape: TableShape, no = ''): ItemJSON {
	return {
		id,
		no,
		title: '',
		content: '',
		departments: [],
		yearPlan: '',
		plans: shape.periods.map(() => ''),
		marks: shape.periods.map((): MarkCell => ''),
		note: '',
		extra: {}
	};
}
