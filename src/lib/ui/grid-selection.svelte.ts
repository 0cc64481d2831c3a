// The table's selection as Excel's: a rectangle of cells from the active cell (the focused one,
// the anchor) to another (the head), made with Shift+arrows, Shift+click or a drag; copied as
// tab-separated text and an HTML table, cut, pasted into, filled down and cleared as one undo step
// each. The rectangle's cells are shown through a stylesheet of their own (`css`), so rows drawn
// or redrawn later (a resting row becoming editable, rows coming in) show it without being told.
import { isText, readItemCells, roots, scaleOf } from '$lib/doc/table-doc.ts';
import type { Messages } from '$lib/i18n/ja.ts';
import {
	blockOf,
	blockSize,
	columnKey,
	copyBlock,
	isTall,
	planClear,
	planFill,
	planPaste,
	type Block,
	type CellWrite,
	type GridColumn,
	type GridPoint,
	type PasteProblem
} from '$lib/model/grid-block.ts';
import { guardCell, parseTsv, toTsv } from '$lib/model/spreadsheet-text.ts';
import type { TableSession } from '$lib/state/table-session.svelte.ts';
import { fromHtml, toHtml } from './clipboard-html.ts';
import type { Direction } from './grid-nav.ts';
import { blockCss, selectorOf } from './grid-css.ts';

/**
 * A cell by its item's id and its column's key, so a selection outlives rows and columns added,
 * moved or removed (by others too) before it.
 */
interface Cell {
	itemId: string;
	sub: 0 | 1;
	key: string;
}

/** The most cells, and characters, one paste may write: well within one message to the server. */
export const MAX_PASTE_CELLS = 20_000;
export const MAX_PASTE_CHARS = 2_000_000;

export interface GridView {
	/** The shown items in order: the grid's items, drawn yet or not. */
	order: () => readonly string[];
	columns: () => GridColumn[];
	t: () => Messages;
	/** Whether a filter hides some items (then a paste adds none). */
	filtered: () => boolean;
	table: () => HTMLElement | undefined;
	/** Gives a cell the focus (after a paste, its first cell). */
	focus: (itemId: string, key: string, sub: 0 | 1) => void;
}

export class GridSelection {
	// Assigned in the constructor; the derived values below read them only once they are read.
	private readonly session!: TableSession;
	private readonly view!: GridView;
	anchor = $state<Cell | null>(null);
	head = $state<Cell | null>(null);
	/** What the last copy, paste, fill or clear had to say (a refusal), shown until dismissed. */
	message = $state<string | null>(null);
	/** A drag from the anchor is under way. */
	private dragging = false;

	constructor(session: TableSession, view: GridView) {
		this.session = session;
		this.view = view;
	}

	// eslint-disable-next-line svelte/prefer-svelte-reactivity -- rebuilt whole, never mutated after
	private readonly index = $derived(new Map(this.view.order().map((id, i) => [id, i])));

	private point(cell: Cell | null): GridPoint | null {
		const item = cell ? this.index.get(cell.itemId) : undefined;
		const col = cell ? this.view.columns().findIndex((c) => columnKey(c) === cell.key) : -1;
		return cell && item !== undefined && col >= 0 ? { row: item * 2 + cell.sub, col } : null;
	}

	private cellAt({ row, col }: GridPoint): Cell | null {
		const itemId = this.view.order()[row >> 1];
		const column = this.view.columns()[col];
		return itemId && column ? { itemId, sub: (row % 2) as 0 | 1, key: columnKey(column) } : null;
	}

	/** The selected block, or null when nothing is focused. */
	readonly block: Block | null = $derived.by(() => {
		const a = this.point(this.anchor);
		// A head gone (its item deleted, its column removed) leaves the active cell alone.
		const h = this.point(this.head) ?? a;
		return a && h ? blockOf(a, h, this.view.columns()) : null;
	});

	/** More than the active cell is selected. */
	readonly multiple = $derived.by(() => {
		const b = this.block;
		if (!b) return false;
		const { lines, columns } = blockSize(b);
		return (
			lines * columns > 1 && !(lines === 2 && columns === 1 && isTall(this.view.columns()[b.left]!))
		);
	});

	readonly size = $derived(this.block && this.multiple ? blockSize(this.block) : null);

	/** The rules that tint the block's cells (the active cell stays white, as in Excel). */
	readonly css = $derived(
		this.block && this.multiple ? blockCss(this.block, this.view.columns(), this.view.order()) : ''
	);

	/** The cell an element is in, if it is one of the grid's. */
	cellOf(el: Element | null): Cell | null {
		const item = el?.closest<HTMLElement>('[data-item-id]');
		const cell = el?.closest<HTMLElement>('[data-field],[data-mark],.progress-label');
		if (!item?.dataset.itemId || !cell) return null;
		const columns = this.view.columns();
		const { field, mark } = cell.dataset;
		let col = -1;
		let sub: 0 | 1 = 0;
		if (mark !== undefined) {
			col = columns.findIndex((c) => c.kind === 'period' && c.periodId === mark);
			sub = 1;
		} else if (field === 'departments') col = columns.findIndex((c) => c.kind === 'departments');
		else if (field !== undefined) col = columns.findIndex((c) => 'key' in c && c.key === field);
		else {
			col = columns.findIndex((c) => c.kind === 'yearPlan');
			sub = 1;
		}
		const column = columns[col];
		return column ? { itemId: item.dataset.itemId, sub, key: columnKey(column) } : null;
	}

	/**
	 * A cell was focused: it is the active cell, and the selection is it alone; unless the focus
	 * only came back to the active cell from nowhere (its row redrawn, the table given it again).
	 */
	focused(el: Element, from: Element | null): void {
		const cell = this.cellOf(el);
		if (!cell) return;
		const back = this.anchor && same(cell, this.anchor);
		if (back && (from === null || this.cellOf(from) === null || same(this.cellOf(from)!, cell)))
			return;
		this.anchor = cell;
		this.head = cell;
	}

	/** Shift+arrow: the block's far corner moves one cell. */
	extend(direction: Direction): void {
		const anchor = this.point(this.anchor);
		if (!anchor) return;
		const head = this.point(this.head) ?? anchor;
		const columns = this.view.columns();
		const tall = isTall(columns[head.col]!);
		let { row, col } = head;
		if (direction === 'left') col--;
		else if (direction === 'right') col++;
		else if (direction === 'up') row = tall ? row - (row % 2) - 2 : row - 1;
		else row = tall ? row - (row % 2) + 2 : row + 1;
		const rows = this.view.order().length * 2;
		row = Math.max(0, Math.min(rows - 1, row));
		col = Math.max(0, Math.min(columns.length - 1, col));
		this.setHead({ row, col });
		this.show({ row, col });
	}

	private setHead(point: GridPoint): void {
		this.head = this.cellAt(point) ?? this.head;
	}

	/** Scrolls a cell of the grid into view, if it is drawn. */
	private show({ row, col }: GridPoint): void {
		const itemId = this.view.order()[row >> 1];
		const column = this.view.columns()[col];
		if (!itemId || !column) return;
		const el = this.view
			.table()
			?.querySelector(
				`[data-item-id="${CSS.escape(itemId)}"] ${selectorOf(column, (row % 2) as 0 | 1)}`
			);
		el?.scrollIntoView({ block: 'nearest', inline: 'nearest' });
	}

	/** Shift+click, or a drag over a cell: the block reaches it. Whether it did. */
	reach(el: Element): boolean {
		const cell = this.cellOf(el);
		if (!cell || !this.anchor) return false;
		this.head = cell;
		return true;
	}

	/** A press on a cell: the selection is it alone, and a drag from it selects a block. */
	dragStart(el: Element): void {
		const cell = this.cellOf(el);
		this.dragging = cell !== null;
		if (cell) {
			this.anchor = cell;
			this.head = cell;
		}
	}

	dragOver(el: Element, buttons: number): void {
		if (!this.dragging || (buttons & 1) === 0) {
			this.dragging = false;
			return;
		}
		const cell = this.cellOf(el);
		if (!cell || (this.head && same(cell, this.head))) return;
		this.head = cell;
		if (this.multiple) getSelection()?.removeAllRanges();
	}

	dragEnd(): void {
		this.dragging = false;
	}

	private read = (item: number) => {
		const id = this.view.order()[item];
		const row = id ? roots(this.session.doc).items.get(id) : undefined;
		return row ? readItemCells(row, this.session.shape.current.shape) : null;
	};

	/** Ctrl+C: the block as tab-separated text and an HTML table. */
	copy(e: ClipboardEvent): boolean {
		const block = this.block;
		if (!block || !e.clipboardData) return false;
		e.preventDefault();
		const lines = copyBlock(block, this.view.columns(), this.read, this.view.t().progressRow);
		e.clipboardData.setData('text/plain', toTsv(lines.map((l) => l.map((c) => guardCell(c.text)))));
		e.clipboardData.setData('text/html', toHtml(lines));
		this.message = null;
		return true;
	}

	/** Ctrl+X: copied, then emptied (a viewer's is copied only). */
	cut(e: ClipboardEvent): void {
		if (this.copy(e) && this.editable()) this.clear();
	}

	/** Delete on a block: each cell emptied, as one undo step. */
	clear(): void {
		const block = this.block;
		if (block && this.editable()) this.write(planClear(block, this.view.columns()));
	}

	/** Ctrl+D: the block filled down from its first line (one line: from the item above). */
	fill(): void {
		const block = this.block;
		if (block && this.editable()) this.write(planFill(block, this.view.columns(), this.read));
	}

	/**
	 * Ctrl+V: what Excel, Google Sheets or another table put on the clipboard, from the block's
	 * first cell; the tab-separated text if there is some, else the HTML's first table. A block a
	 * whole number of times the paste's size takes it that many times, as in Excel. Every cell is
	 * checked first: one that does not fit refuses the whole paste, naming it. More lines than
	 * items ask to add the items. One undo step; the pasted block is selected after.
	 */
	paste(e: ClipboardEvent): void {
		const block = this.block;
		if (!block || !e.clipboardData) return;
		e.preventDefault();
		if (!this.editable()) return;
		const t = this.view.t();
		const plain = e.clipboardData.getData('text/plain');
		const html = e.clipboardData.getData('text/html');
		if (plain.length > MAX_PASTE_CHARS) {
			this.message = t.pasteTooLarge(MAX_PASTE_CELLS, MAX_PASTE_CHARS);
			return;
		}
		let rows =
			plain !== '' ? parseTsv(plain) : html !== '' ? fromHtml(html, MAX_PASTE_CELLS) : null;
		if (rows === 'large' || (rows && rows.reduce((n, r) => n + r.length, 0) > MAX_PASTE_CELLS)) {
			this.message = t.pasteTooLarge(MAX_PASTE_CELLS, MAX_PASTE_CHARS);
			return;
		}
		if (!rows || rows.length === 0 || rows.every((r) => r.every((c) => c === ''))) {
			this.message = t.pasteEmpty;
			return;
		}
		rows = tiled(rows, block);
		const at = { row: block.top, col: block.left };
		const shape = this.session.shape.current.shape;
		const order = this.view.order();
		const plan = planPaste(rows, at, {
			columns: this.view.columns(),
			scale: scaleOf(shape),
			departments: shape.departments.map((d) => d.name),
			progressLabels: ['進行管理', 'Progress', t.progressRow],
			broken: (item, key) => {
				const id = order[item];
				const value = id ? roots(this.session.doc).items.get(id)?.get(key) : undefined;
				return value !== undefined && !isText(value);
			}
		});
		if ('problem' in plan) {
			this.message = this.describe(plan.problem);
			return;
		}
		const missing = plan.items - order.length;
		if (missing > 0) {
			if (this.view.filtered()) {
				this.message = t.pasteFiltered;
				return;
			}
			if (!confirm(t.pasteAddRows(missing))) {
				this.message = t.pasteNotAdded;
				return;
			}
		}
		const ids = this.write(plan.writes);
		if (!ids) return;
		// The pasted block is selected, its first cell active, as Excel leaves it.
		const cellOf = ({ row, col }: GridPoint): Cell | null => {
			const column = this.view.columns()[col];
			const itemId = ids[row >> 1];
			return itemId && column ? { itemId, sub: (row % 2) as 0 | 1, key: columnKey(column) } : null;
		};
		const first = cellOf(at);
		const last = cellOf(plan.end);
		if (first && last) {
			this.anchor = first;
			this.head = last;
			this.view.focus(first.itemId, first.key, first.sub);
		}
	}

	/** Writes as one undo step; null (and a message) when the items it needs cannot be added. */
	private write(writes: CellWrite[]): string[] | null {
		this.message = null;
		const ids = this.session.writeCells(this.view.order(), writes);
		if (!ids) this.message = this.view.t().pasteNoSection;
		return ids;
	}

	private editable(): boolean {
		if (this.session.readonly) this.message = this.view.t().readonlyKeys;
		return !this.session.readonly;
	}

	private describe(problem: PasteProblem): string {
		const t = this.view.t();
		const shape = this.session.shape.current.shape;
		const { place } = problem;
		const itemId = this.view.order()[place.item];
		const row = itemId ? roots(this.session.doc).items.get(itemId) : undefined;
		const no = row ? String(row.get('no') ?? '') : '';
		const name = no || (itemId ? itemId : `+${place.item - this.view.order().length + 1}`);
		const heading = this.headingOf(place.column, place.sub);
		const cell = t.cellLabel(name, heading);
		const detail =
			problem.reason === 'mark'
				? shape.marks.map((m) => m.mark).join(' ')
				: problem.reason === 'department'
					? shape.departments.map((d) => d.name).join('、')
					: '';
		const reason = t.pasteReason[problem.reason]!(detail);
		return t.pasteProblem(problem.line, problem.column, cell, problem.value, reason);
	}

	private headingOf(column: GridColumn, sub: 0 | 1): string {
		const t = this.view.t();
		const th = this.view.table()?.querySelectorAll('thead th');
		const shape = this.session.shape.current.shape;
		if (column.kind === 'period')
			return sub === 1
				? `${shape.periods[column.period]?.label ?? ''} ${t.progressRow}`
				: (shape.periods[column.period]?.label ?? '');
		if (column.kind === 'yearPlan' && sub === 1) return t.progressRow;
		const col = this.view.columns().indexOf(column);
		return (
			th?.[col]?.textContent?.trim() ?? (column.kind === 'departments' ? t.colDepartments : '')
		);
	}
}

const same = (a: Cell, b: Cell) => a.itemId === b.itemId && a.sub === b.sub && a.key === b.key;

/**
 * A paste repeated over a block a whole number of times its size (one value over many cells,
 * two rows over six), as Excel does; as it is otherwise. Not over two-row cells within a block of
 * rows (their second line must stay blank).
 */
function tiled(rows: string[][], block: Block): string[][] {
	const { lines, columns } = blockSize(block);
	const width = Math.max(...rows.map((r) => r.length));
	if (lines % rows.length !== 0 || columns % width !== 0) return rows;
	if (lines === rows.length && columns === width) return rows;
	if (!block.byItem && lines > 1 && rows.length % 2 !== 0) return rows;
	return Array.from({ length: lines }, (_, l) =>
		Array.from({ length: columns }, (_, c) => rows[l % rows.length]![c % width] ?? '')
	);
}
