// The mark cells of a table that hold competing marks (set on two devices at once:
// mark-register.ts), kept current from the doc's own events. A change rescans only the items it
// touched and skips typing in text cells, so a table of 2,000 items costs next to nothing per
// keystroke; the cells that begin to conflict are reported, and whether another device sent them.
import * as Y from 'yjs';
import { markKey } from '../model/item-fields.ts';
import type { TableShape } from '../model/shape.ts';
import { readMark } from './mark-register.ts';
import { readShape, shapeMap } from './shape-doc.ts';
import { asRow, roots, scaleOf, str, textValue, type YRow } from './table-doc.ts';

/** A mark cell in conflict, with the names a person knows it by (as they were when found). */
export interface ConflictCell {
	itemId: string;
	periodId: string;
	/** The item's number and title (①会員の増強), '' when it has neither. */
	itemName: string;
	/** The period's label (～6月). */
	periodLabel: string;
}

export interface ConflictNews {
	/** Cells that began to conflict in one transaction (a cell's periods in the table's order). */
	appeared: ConflictCell[];
	/** The transaction came from elsewhere (another device, through sync), not from this tab. */
	remote: boolean;
}

/** The ids of the periods of `shape` whose mark cell in `row` holds competing marks. */
export function conflictingPeriods(row: YRow, shape: TableShape): string[] {
	const scale = scaleOf(shape);
	const out: string[] = [];
	for (const { id } of shape.periods) {
		const register = row.get(markKey(id));
		// A register of one entry cannot compete: most cells are read no further than this.
		if (!(register instanceof Y.Map) || register.size < 2) continue;
		if (Array.isArray(readMark(register, scale).cell)) out.push(id);
	}
	return out;
}

/** The items a batch of events on the items map touched, typing in a text cell left out. */
function touchedItems(items: Y.Map<YRow>, events: Y.YEvent<Y.AbstractType<unknown>>[]): string[] {
	const ids = new Set<string>();
	for (const e of events) {
		if (e instanceof Y.YMapEvent && e.target === items) for (const id of e.keysChanged) ids.add(id);
		else if (!(e.target instanceof Y.Text)) {
			const id = e.path[0];
			if (typeof id === 'string') ids.add(id);
		}
	}
	return [...ids];
}

const periodIds = (shape: TableShape) => shape.periods.map((p) => p.id).join('\n');

/**
 * Watches a table's doc for mark cells in conflict: `count` is how many there are now, and
 * `onChange` hears of every transaction that changes which cells they are. `destroy()` stops it
 * (safe to call twice).
 */
export class ConflictWatch {
	readonly #doc: Y.Doc;
	readonly #onChange: (news: ConflictNews) => void;
	#shape: TableShape;
	/** The conflicting periods of each item that has any. */
	readonly #byItem = new Map<string, string[]>();
	#count = 0;
	#destroyed = false;

	constructor(doc: Y.Doc, onChange: (news: ConflictNews) => void) {
		this.#doc = doc;
		this.#onChange = onChange;
		this.#shape = readShape(doc).shape;
		const items = roots(doc).items;
		for (const id of items.keys()) this.#rescan(id);
		items.observeDeep(this.#onItems);
		roots(doc).meta.observe(this.#onShape);
		shapeMap(doc).observe(this.#onShape);
	}

	/** How many mark cells hold competing marks. */
	get count(): number {
		return this.#count;
	}

	/** The ids of the periods whose cell of this item is in conflict (none: empty). */
	periodsOf(itemId: string): readonly string[] {
		return this.#byItem.get(itemId) ?? [];
	}

	destroy(): void {
		if (this.#destroyed) return;
		this.#destroyed = true;
		roots(this.#doc).items.unobserveDeep(this.#onItems);
		roots(this.#doc).meta.unobserve(this.#onShape);
		shapeMap(this.#doc).unobserve(this.#onShape);
	}

	readonly #onItems = (events: Y.YEvent<Y.AbstractType<unknown>>[], tr: Y.Transaction) => {
		this.#rescanAll(touchedItems(roots(this.#doc).items, events), tr);
	};

	/** A period added, removed or restored shows or hides its cells: everything is read again. */
	readonly #onShape = (_event: unknown, tr: Y.Transaction) => {
		const shape = readShape(this.#doc).shape;
		const before = this.#shape;
		this.#shape = shape;
		if (periodIds(shape) === periodIds(before)) return;
		this.#rescanAll([...new Set([...this.#byItem.keys(), ...roots(this.#doc).items.keys()])], tr);
	};

	/** Reads these items again, and tells of it when a cell began or ceased to conflict. */
	#rescanAll(itemIds: readonly string[], tr: Y.Transaction): void {
		const count = this.#count;
		const appeared = itemIds.flatMap((id) => this.#rescan(id));
		if (appeared.length === 0 && this.#count === count) return;
		this.#onChange({ appeared, remote: !tr.local });
	}

	/** Reads one item's marks again; returns its cells that were not in conflict before. */
	#rescan(itemId: string): ConflictCell[] {
		const row = asRow(roots(this.#doc).items.get(itemId));
		const before = this.#byItem.get(itemId) ?? [];
		const now = row ? conflictingPeriods(row, this.#shape) : [];
		this.#count += now.length - before.length;
		if (now.length > 0) this.#byItem.set(itemId, now);
		else this.#byItem.delete(itemId);
		if (!row) return [];
		const name = `${str(row, 'no')}${textValue(row, 'title')}`.trim();
		return now
			.filter((id) => !before.includes(id))
			.map((periodId) => ({
				itemId,
				periodId,
				itemName: name,
				periodLabel: this.#shape.periods.find((p) => p.id === periodId)?.label ?? ''
			}));
	}
}
