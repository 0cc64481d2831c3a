// Which cells a local transaction changed: what a user calls one edit. Ten keystrokes in a note
// are ten Yjs updates but one changed cell, and the badge's 「未送信 n 件」 counts cells.
// Plain TypeScript: the unit tests run it in Node.
import * as Y from 'yjs';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any Y type, whatever its event
type AnyType = Y.AbstractType<any>;

/** Roots that only record something about an edit counted by its own cell (changes.ts). */
const BOOKKEEPING = new Set(['changes']);
/** Fields that place a row: a move sets two of them, and is one edit of the row's position. */
const PLACEMENT = new Set(['order', 'sectionId', 'pillarId', 'parent']);
/** Deeper than any type the app writes; a chain nested by hand stops being followed here. */
const MAX_DEPTH = 32;

/**
 * The map keys from the doc's root down to `type` ([root, key, key, …]), or null when it cannot
 * be named. A change inside an array's element counts as a change of the array.
 */
function pathOf(type: AnyType): string[] | null {
	const keys: string[] = [];
	let current = type;
	for (let depth = 0; current._item !== null; depth++) {
		if (depth > MAX_DEPTH) return null;
		const item = current._item;
		if (item.parentSub === null) keys.length = 0;
		else keys.unshift(item.parentSub);
		if (!(item.parent instanceof Y.AbstractType)) return null;
		current = item.parent;
	}
	try {
		return [Y.findRootTypeKey(current), ...keys];
	} catch {
		return null; // not a root of its doc: a type not attached to one
	}
}

/**
 * The cell a changed location belongs to: an item's field (its text, a mark's register, its
 * departments), a KPI's value of a year, a comment, a meta setting, a row's place.
 */
export function cellOf(path: readonly string[]): string {
	const [root, row, field] = path;
	if (root === 'meta' || root === 'comments') return path.slice(0, 2).join('/');
	if (field !== undefined && PLACEMENT.has(field)) return `${root}/${row}/#place`;
	if (root === 'kpis' && field === 'years') return path.slice(0, 5).join('/');
	return path.slice(0, 3).join('/');
}

/** The cells the transaction changed, bookkeeping left out. */
export function changedCells(tr: Y.Transaction): Set<string> {
	const cells = new Set<string>();
	for (const [type, keys] of tr.changed) {
		const path = pathOf(type);
		if (!path || BOOKKEEPING.has(path[0]!)) continue;
		for (const key of keys) cells.add(cellOf(key === null ? path : [...path, key]));
	}
	return cells;
}
