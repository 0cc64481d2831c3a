// A multi-value register for one 進行管理 mark: concurrent assignments survive as a visible conflict.
//
// Each assignment is an entry { value, by, at } under a fresh key. Setting a mark deletes the entries
// the writer has seen and adds one; two replicas that set the cell offline each delete only what they
// saw, so both new entries survive the merge and the cell shows a conflict until someone picks one.
// Clearing deletes the seen entries and adds nothing (a concurrent set wins over a clear).
import * as Y from 'yjs';
import { z } from 'zod/mini';
import { cellMarks, markCellOf } from '../model/item-fields.ts';
import type { MarkCell } from '../model/schema.ts';
import { LIMITS } from '../model/shape.ts';

export const markEntrySchema = z.object({
	value: z.string(),
	by: z.string().check(z.maxLength(200)),
	at: z.number()
});
export type MarkEntry = z.infer<typeof markEntrySchema>;

export interface MarkReading {
	/** '' (not assessed), one mark, or the competing marks (sorted, distinct) while in conflict. */
	cell: MarkCell;
	entries: MarkEntry[];
	/** Entries that are not a mark at all (malformed): shown as invalid, never thrown. */
	invalid: boolean;
	/** Some value is not in the table's scale (a mark taken off it, or written by another table). */
	outside: boolean;
}

/** A stored value that can be a mark: a short, non-empty text without surrounding spaces. */
function isMarkValue(value: unknown): value is string {
	return (
		typeof value === 'string' &&
		value !== '' &&
		value.length <= LIMITS.mark * 2 &&
		value.trim() === value
	);
}

let counter = 0;
function entryKey(doc: Y.Doc | null): string {
	counter = (counter + 1) % 1_000_000;
	const client = doc ? doc.clientID : Math.floor(Math.random() * 2 ** 32);
	return `${client.toString(36)}-${Date.now().toString(36)}-${counter.toString(36)}`;
}

/**
 * Never throws. Each entry goes through the schema as stored: it reads `value`, `by` and `at` only
 * and fails at the top on anything else, so an entry nested thousands deep is not walked.
 * Competing values come in the order of `scale` (the table's marks), then any others.
 */
export function readMark(register: unknown, scale: readonly string[]): MarkReading {
	if (!(register instanceof Y.Map))
		return { cell: '', entries: [], invalid: register !== undefined, outside: false };
	const entries: MarkEntry[] = [];
	let invalid = false;
	for (const raw of register.values()) {
		const parsed = markEntrySchema.safeParse(raw);
		if (parsed.success && isMarkValue(parsed.data.value)) entries.push(parsed.data);
		else invalid = true;
	}
	const values = sortMarks(new Set(entries.map((e) => e.value)), scale);
	const outside = values.some((v) => !scale.includes(v));
	return { cell: markCellOf(values), entries, invalid, outside };
}

/** Marks in the scale's order, then those not in it in code-point order. */
function sortMarks(values: Iterable<string>, scale: readonly string[]): string[] {
	const rank = (v: string) => {
		const i = scale.indexOf(v);
		return i < 0 ? scale.length : i;
	};
	return [...values].sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * The one way a mark cell is written: makes the register under `key` in `row` hold `cell` — one
 * entry per mark, so a conflict written back (a restore) stays a conflict. A restore or an import
 * writes nothing when the cell already holds it; someone picking a mark (`assert`) always writes
 * it, so that a concurrent different pick shows as competing marks instead of silently winning.
 * Runs inside a transaction on the row's doc, or before the row is integrated.
 */
export function writeMark(
	row: Y.Map<unknown>,
	key: string,
	cell: MarkCell,
	by: string,
	scale: readonly string[],
	{ assert = false }: { assert?: boolean } = {}
): void {
	const values = cellMarks(cell);
	// A row not yet in a doc cannot be read (Yjs warns): it has no register yet.
	const current = row.doc ? row.get(key) : undefined;
	if (current instanceof Y.Map && !assert) {
		const now = readMark(current, scale);
		const had = cellMarks(now.cell);
		const same =
			!now.invalid &&
			had.length === values.length &&
			had.every((v) => values.includes(v)) &&
			now.entries.length === had.length;
		if (same) return;
	}
	let register: Y.Map<unknown>;
	if (current instanceof Y.Map) {
		register = current as Y.Map<unknown>;
		for (const k of Array.from(register.keys())) register.delete(k);
	} else {
		// An empty cell gets a register only in a new row (itemRow): see there why.
		if (values.length === 0 && row.doc) return;
		register = new Y.Map<unknown>();
		row.set(key, register);
	}
	const at = Date.now();
	for (const value of new Set(values)) {
		const entry: MarkEntry = { value, by, at };
		register.set(entryKey(register.doc), entry);
	}
}
