// A multi-value register for one 進行管理 mark: concurrent assignments survive as a visible conflict.
//
// Each assignment is an entry { value, by, at } under a fresh key. Setting a mark deletes the entries
// the writer has seen and adds one; two replicas that set the cell offline each delete only what they
// saw, so both new entries survive the merge and the cell shows a conflict until someone picks one.
// Clearing deletes the seen entries and adds nothing (a concurrent set wins over a clear).
import * as Y from 'yjs';
import { z } from 'zod/mini';
import { isMark, MARKS, type Mark } from '../model/marks.ts';
import type { MarkCell } from '../model/schema.ts';

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
	/** Entries that are not a known mark: shown as invalid, never thrown. */
	invalid: boolean;
}

let counter = 0;
function entryKey(doc: Y.Doc | null): string {
	counter = (counter + 1) % 1_000_000;
	const client = doc ? doc.clientID : Math.floor(Math.random() * 2 ** 32);
	return `${client.toString(36)}-${Date.now().toString(36)}-${counter.toString(36)}`;
}

/** Must run inside a transaction on the register's doc (or before it is integrated). */
export function setMark(register: Y.Map<unknown>, value: Mark | '', by: string): void {
	for (const key of Array.from(register.keys())) register.delete(key);
	if (value !== '') {
		const entry: MarkEntry = { value, by, at: Date.now() };
		register.set(entryKey(register.doc), entry);
	}
}

/**
 * Never throws. Each entry goes through the schema as stored: it reads `value`, `by` and `at` only
 * and fails at the top on anything else, so an entry nested thousands deep is not walked.
 */
export function readMark(register: unknown): MarkReading {
	if (!(register instanceof Y.Map))
		return { cell: '', entries: [], invalid: register !== undefined };
	const entries: MarkEntry[] = [];
	let invalid = false;
	for (const raw of register.values()) {
		const parsed = markEntrySchema.safeParse(raw);
		if (parsed.success && isMark(parsed.data.value)) entries.push(parsed.data);
		else invalid = true;
	}
	const seen = new Set(entries.map((e) => e.value));
	const values = MARKS.filter((m) => seen.has(m));
	const cell: MarkCell =
		values.length === 0 ? '' : values.length === 1 ? (values[0] as Mark) : (values as Mark[]);
	return { cell, entries, invalid };
}
