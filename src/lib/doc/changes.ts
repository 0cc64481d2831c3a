// Who last changed which cell, and when: so a review can highlight what changed since a time.
// One small entry per cell (`itemId/field` → { by, at }), overwritten by later edits.
import * as Y from 'yjs';
import { serverNow } from './clock.ts';
import { z } from 'zod/mini';

const changeSchema = z.object({ by: z.string().check(z.maxLength(80)), at: z.number() });
export type Change = z.infer<typeof changeSchema>;

/** Typing refreshes the entry at most this often, so keystrokes do not each add metadata. */
const REFRESH_MS = 30_000;

export function changesMap(doc: Y.Doc): Y.Map<unknown> {
	return doc.getMap<unknown>('changes');
}

export function cellKey(itemId: string, field: string): string {
	return `${itemId}/${field}`;
}

/**
 * When this device last wrote each record, by its own monotonic clock: the stored time may be the
 * server's stamp (see stampChange), which a device whose clock is off cannot compare with.
 */
const written = new WeakMap<Y.Doc, Map<string, number>>();

/** Call inside the transaction of the edit itself. */
export function recordChange(doc: Y.Doc, itemId: string, field: string, by: string): void {
	const map = changesMap(doc);
	const key = cellKey(itemId, field);
	const previous = changeSchema.safeParse(map.get(key));
	let mine = written.get(doc);
	if (!mine) written.set(doc, (mine = new Map()));
	const last = mine.get(key);
	const now = performance.now();
	if (previous.success && previous.data.by === by && last !== undefined && now - last < REFRESH_MS)
		return;
	map.set(key, { by, at: serverNow() });
	mine.set(key, now);
}

/**
 * Entries that are not a `{ by, at }` of the right types are skipped. The schema reads only those
 * two properties and rejects anything else at its top, so a value an editor nested thousands deep
 * is never walked.
 */
export function readChanges(doc: Y.Doc): Map<string, Change> {
	const out = new Map<string, Change>();
	for (const [key, value] of changesMap(doc).entries()) {
		const parsed = changeSchema.safeParse(value);
		if (parsed.success) out.set(key, parsed.data);
	}
	return out;
}

/**
 * How far a recorded time may be from the server's clock before the server stamps its own: a
 * device whose clock is right (or corrected by the server's) costs no second update.
 */
export const STAMP_TOLERANCE_MS = 5_000;

/**
 * The server's stamp on a change record it accepted: the time it arrived, so that "changed today"
 * and "since your last visit" follow one clock, not each writer's device. Returns whether it set it.
 */
export function stampChange(doc: Y.Doc, key: string, now: number): boolean {
	const map = changesMap(doc);
	const entry = changeSchema.safeParse(map.get(key));
	if (!entry.success || Math.abs(entry.data.at - now) <= STAMP_TOLERANCE_MS) return false;
	map.set(key, { by: entry.data.by, at: now });
	return true;
}
