// Fractional-index order keys, so concurrent inserts and moves never duplicate or lose a row.
import { generateKeyBetween, generateNKeysBetween } from 'fractional-indexing';

export interface Ordered {
	id: string;
	order: string;
}

/** Deterministic on every replica: equal keys (two peers inserting at one spot) fall back to the id. */
export function compareOrdered(a: Ordered, b: Ordered): number {
	if (a.order < b.order) return -1;
	if (a.order > b.order) return 1;
	return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** A key strictly between two neighbours (null = open end). Tolerates equal or inverted keys. */
export function keyBetween(before: string | null, after: string | null): string {
	if (before !== null && after !== null && before >= after) after = null;
	try {
		return generateKeyBetween(before, after);
	} catch {
		// A key written by a faulty client may not be a valid fractional index: append instead.
		return generateKeyBetween(null, null) + String(Date.now());
	}
}

/** n increasing keys strictly between two neighbours (null = open end), tolerant as keyBetween. */
export function keysBetween(before: string | null, after: string | null, n: number): string[] {
	if (before !== null && after !== null && before >= after) after = null;
	try {
		return generateNKeysBetween(before, after, n);
	} catch {
		return keysAfter(null, n).map((k) => k + String(Date.now()));
	}
}

/** n increasing keys after `start`, for bulk import. */
export function keysAfter(start: string | null, n: number): string[] {
	const keys: string[] = [];
	let prev = start;
	for (let i = 0; i < n; i++) {
		prev = keyBetween(prev, null);
		keys.push(prev);
	}
	return keys;
}
