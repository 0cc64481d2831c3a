// The selected block's cells in CSS: which element of an item's <tbody> a grid cell is, and the
// rules that tint a block (GridSelection), grouped by items that have the same cells in it.
import { blockLines, type Block, type GridColumn } from '$lib/model/grid-block.ts';

/** The element of a grid cell within its item's <tbody>. */
export function selectorOf(column: GridColumn, sub: 0 | 1): string {
	switch (column.kind) {
		case 'departments':
			return '[data-field="departments"]';
		case 'text':
			return `[data-field="${CSS.escape(column.key)}"]`;
		case 'yearPlan':
			return sub === 0 ? '[data-field="yearPlan"]' : '.progress-label';
		case 'period':
			return sub === 0
				? `[data-field="${CSS.escape(column.key)}"]`
				: `[data-mark="${CSS.escape(column.periodId)}"]`;
	}
}

/** The rules tinting a block's cells, the focused (active) cell aside, as Excel shows a selection. */
export function blockCss(block: Block, columns: GridColumn[], order: readonly string[]): string {
	const cells = new Map<number, Set<string>>();
	for (const line of blockLines(block, columns))
		for (const place of line) {
			let set = cells.get(place.item);
			if (!set) cells.set(place.item, (set = new Set()));
			set.add(selectorOf(place.column, place.sub));
		}
	// Items with the same cells in the block share one rule.
	const byCells = new Map<string, string[]>();
	for (const [item, set] of cells) {
		const id = order[item];
		if (id === undefined) continue;
		const key = Array.from(set).join(',');
		let items = byCells.get(key);
		if (!items) byCells.set(key, (items = []));
		items.push(`tbody[data-item-id="${CSS.escape(id)}"]`);
	}
	let css = '';
	for (const [selectors, items] of byCells)
		css +=
			`:is(${items.join(',')}) :is(${selectors}):not(:focus-within)` +
			`{box-shadow:inset 0 0 0 100vmax rgb(33 115 230 / 14%) !important}\n`;
	return css;
}
