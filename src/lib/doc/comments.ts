// Comment threads per item, kept in the table doc so they work offline and merge like any edit.
//
// A thread is resolved or open as a whole: resolving it marks every comment in it resolved, and
// it reads as resolved only while every comment in it is. So a comment added to a resolved thread
// (a reply, or one written offline while someone resolved it) reopens it on every replica without
// any rule about who wins; and docs from before threads, whose comments were resolved one by one,
// read as they were meant: a thread whose comments were all resolved is resolved.
import * as Y from 'yjs';
import { serverNow } from './clock.ts';
import { z } from 'zod/mini';
import { STAMP_TOLERANCE_MS } from './changes.ts';
import { newId } from './ids.ts';
import { ORIGIN, type Origin } from './origins.ts';

/** The longest comment, in UTF-16 code units (String.length): the app's and the server's bound. */
export const COMMENT_MAX_LENGTH = 10_000;

export const commentSchema = z.object({
	itemId: z.string().check(z.maxLength(64)),
	author: z.string().check(z.maxLength(80)),
	at: z.number(),
	text: z.string().check(z.maxLength(COMMENT_MAX_LENGTH)),
	resolved: z.boolean(),
	resolvedBy: z.optional(z.string().check(z.maxLength(80))),
	resolvedAt: z.optional(z.number())
});
/**
 * A comment as read by readComments. `resolved` is its thread's state (every comment of a thread
 * reads the same); `resolvedBy` and `resolvedAt` are what was written on this comment.
 */
export type Comment = z.infer<typeof commentSchema> & { id: string };

/** Who resolved a thread and when (null for a thread resolved before times were kept). */
export interface ThreadResolution {
	by: string;
	at: number | null;
}

export function commentsMap(doc: Y.Doc): Y.Map<Y.Map<unknown>> {
	return doc.getMap<Y.Map<unknown>>('comments');
}

/**
 * Adds a comment to an item's thread (reopening it if it was resolved). `at` is the server's
 * clock as this device knows it; the server writes its own when it adds one.
 */
export function addComment(
	doc: Y.Doc,
	itemId: string,
	author: string,
	text: string,
	origin: Origin = ORIGIN.local,
	at = serverNow()
): string {
	const id = newId();
	const row = new Y.Map<unknown>();
	doc.transact(() => {
		row.set('itemId', itemId);
		row.set('author', author);
		row.set('at', at);
		row.set('text', text.slice(0, COMMENT_MAX_LENGTH));
		row.set('resolved', false);
		commentsMap(doc).set(id, row);
	}, origin);
	return id;
}

/**
 * Resolves or reopens an item's whole thread: every comment in it this replica holds, in one
 * transaction. A comment it does not hold yet (written offline meanwhile) stays open, and so
 * keeps the thread open once it arrives.
 */
export function setThreadResolved(
	doc: Y.Doc,
	itemId: string,
	resolved: boolean,
	by: string,
	origin: Origin = ORIGIN.local,
	at = serverNow()
): void {
	const rows = threadRows(doc, itemId);
	if (rows.length === 0) return;
	doc.transact(() => {
		for (const row of rows) {
			if (row.get('resolved') === resolved) continue;
			row.set('resolved', resolved);
			if (!resolved) continue;
			row.set('resolvedBy', by);
			row.set('resolvedAt', at);
		}
	}, origin);
}

const FIELDS = [
	'itemId',
	'author',
	'at',
	'text',
	'resolved',
	'resolvedBy',
	'resolvedAt'
] as const satisfies readonly (keyof z.infer<typeof commentSchema>)[];

/**
 * One stored comment, or null when malformed.
 *
 * Only the known fields are read, one `get` each, and handed to the schema as they are: a Y type
 * or a nested value there fails its type check at the top. `row.toJSON()` would walk whatever an
 * editor nested under the row, and a chain a few thousand deep overflowed the stack, which took
 * every comment, and the pages showing them, down with it.
 */
function readRow(id: string, row: unknown): Comment | null {
	if (!(row instanceof Y.Map)) return null;
	const fields: Record<string, unknown> = {};
	for (const key of FIELDS) fields[key] = row.get(key);
	const parsed = commentSchema.safeParse(fields);
	return parsed.success ? { id, ...parsed.data } : null;
}

/** The rows of an item's thread that read as comments. */
function threadRows(doc: Y.Doc, itemId: string): Y.Map<unknown>[] {
	const rows: Y.Map<unknown>[] = [];
	for (const [id, row] of commentsMap(doc).entries()) {
		if (readRow(id, row)?.itemId === itemId) rows.push(row);
	}
	return rows;
}

/**
 * Threads by item, oldest comment first, each comment's `resolved` being its thread's. Malformed
 * entries are skipped, never thrown.
 */
export function readComments(doc: Y.Doc): Map<string, Comment[]> {
	const byItem = new Map<string, Comment[]>();
	for (const [id, row] of commentsMap(doc).entries()) {
		const comment = readRow(id, row);
		if (!comment) continue;
		const list = byItem.get(comment.itemId) ?? [];
		list.push(comment);
		byItem.set(comment.itemId, list);
	}
	for (const list of byItem.values()) {
		list.sort((a, b) => a.at - b.at || (a.id < b.id ? -1 : 1));
		const resolved = list.every((c) => c.resolved);
		for (const c of list) c.resolved = resolved;
	}
	return byItem;
}

/**
 * Who resolved a thread (as readComments gives it) and when, or null while it is open. The
 * latest resolution written wins; a thread resolved comment by comment before times were kept
 * names whoever resolved its last comment.
 */
export function threadResolution(thread: readonly Comment[]): ThreadResolution | null {
	if (thread.length === 0 || !thread.every((c) => c.resolved)) return null;
	let latest: ThreadResolution | null = null;
	for (const c of thread) {
		if (c.resolvedAt === undefined || c.resolvedBy === undefined) continue;
		if (!latest || c.resolvedAt >= latest.at!) latest = { by: c.resolvedBy, at: c.resolvedAt };
	}
	if (latest) return latest;
	const named = thread.findLast((c) => c.resolvedBy !== undefined);
	return { by: named?.resolvedBy ?? '', at: null };
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
