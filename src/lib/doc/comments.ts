// Comment threads per item, kept in the table doc so they work offline and merge like any edit.
import * as Y from 'yjs';
import { serverNow } from './clock.ts';
import { z } from 'zod/mini';
import { STAMP_TOLERANCE_MS } from './changes.ts';
import { newId } from './ids.ts';
import { ORIGIN, type Origin } from './origins.ts';

export const commentSchema = z.object({
	itemId: z.string().check(z.maxLength(64)),
	author: z.string().check(z.maxLength(80)),
	at: z.number(),
	text: z.string().check(z.maxLength(10_000)),
	resolved: z.boolean(),
	resolvedBy: z.optional(z.string().check(z.maxLength(80)))
});
export type Comment = z.infer<typeof commentSchema> & { id: string };

export function commentsMap(doc: Y.Doc): Y.Map<Y.Map<unknown>> {
	return doc.getMap<Y.Map<unknown>>('comments');
}

export function addComment(
	doc: Y.Doc,
	itemId: string,
	author: string,
	text: string,
	origin: Origin = ORIGIN.local
): string {
	const id = newId();
	const row = new Y.Map<unknown>();
	doc.transact(() => {
		row.set('itemId', itemId);
		row.set('author', author);
		row.set('at', serverNow());
		row.set('text', text.slice(0, 10_000));
		row.set('resolved', false);
		commentsMap(doc).set(id, row);
	}, origin);
	return id;
}

export function setResolved(
	doc: Y.Doc,
	id: string,
	resolved: boolean,
	by: string,
	origin: Origin = ORIGIN.local
): void {
	const row = commentsMap(doc).get(id);
	if (!(row instanceof Y.Map)) return;
	doc.transact(() => {
		row.set('resolved', resolved);
		row.set('resolvedBy', by);
	}, origin);
}

const FIELDS = [
	'itemId',
	'author',
	'at',
	'text',
	'resolved',
	'resolvedBy'
] as const satisfies readonly (keyof z.infer<typeof commentSchema>)[];

/**
 * Threads by item, oldest comment first. Malformed entries are skipped, never thrown.
 *
 * Only the known fields are read, one `get` each, and handed to the schema as they are: a Y type
 * or a nested value there fails its type check at the top. `row.toJSON()` would walk whatever an
 * editor nested under the row, and a chain a few thousand deep overflowed the stack, which took
 * every comment, and the pages showing them, down with it.
 */
export function readComments(doc: Y.Doc): Map<string, Comment[]> {
	const byItem = new Map<string, Comment[]>();
	for (const [id, row] of commentsMap(doc).entries()) {
		if (!(row instanceof Y.Map)) continue;
		const fields: Record<string, unknown> = {};
		for (const key of FIELDS) fields[key] = row.get(key);
		const parsed = commentSchema.safeParse(fields);
		if (!parsed.success) continue;
		const list = byItem.get(parsed.data.itemId) ?? [];
		list.push({ id, ...parsed.data });
		byItem.set(parsed.data.itemId, list);
	}
	for (const list of byItem.values()) list.sort((a, b) => a.at - b.at || (a.id < b.id ? -1 : 1));
	return byItem;
}

/** The server's stamp on a comment it accepted (see stampChange): comments sort by it. */
export function stampComment(doc: Y.Doc, id: string, now: number): boolean {
	const row = commentsMap(doc).get(id);
	if (!(row instanceof Y.Map)) return false;
	const at = row.get('at');
	if (typeof at !== 'number' || Math.abs(at - now) <= STAMP_TOLERANCE_MS) return false;
	row.set('at', now);
	return true;
}
