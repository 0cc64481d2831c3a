// POST /api/docs/<docId>/comments {itemId, text}: a comment written by the server for the user.
//
// Viewers' sockets are read-only (the server applies nothing they send, server/sync/room.ts), so
// a viewer comments through here: the server checks the request, writes the comment into the
// table's room in a transaction of its own (relayed to every client, in this process and the
// others, and committed like any update) and answers once it is stored. Editors and admins may
// use it too; their app writes comments into the doc itself, which works offline.
import type { IncomingMessage, ServerResponse } from 'node:http';
import * as Y from 'yjs';
import { z } from 'zod';
import { addComment, COMMENT_MAX_LENGTH, readComments } from '../src/lib/doc/comments.ts';
import { INDEX_DOC_ID } from '../src/lib/doc/index-doc.ts';
import { roots } from '../src/lib/doc/table-doc.ts';
import { SCHEMA_VERSION } from '../src/lib/model/sheet-constants.ts';
import { DOC_ID } from '../src/lib/model/schema.ts';
import { HttpError, json, readJson, tooManyRequests, type Auth } from './auth.ts';
import type { Logger } from './log.ts';
import { RateLimiter, reserveAll } from './rate-limit.ts';
import type { SyncServer } from './sync/registry.ts';
import { DocFullError } from './sync/room.ts';

const ROUTE = /^\/api\/docs\/([^/]+)\/comments$/;

/**
 * Comments one user may send per minute (per server process). A meeting's comments come one by
 * one; each costs a commit, so a script must not turn one account into a stream of them.
 */
export const COMMENTS_PER_MINUTE = 20;

/**
 * The largest body: a comment of COMMENT_MAX_LENGTH code units as JSON escapes the worst of them
 * (\u0000: 6 bytes each), with its item id. Anything larger is refused before it is parsed.
 */
export const MAX_COMMENT_BODY_BYTES = 64 * 1024;

/** Only these two fields, as strings: anything nested elsewhere is refused, not walked. */
const bodySchema = z.strictObject({
	itemId: z.string().min(1).max(64),
	text: z.string()
});

/** Room for the row's own fields beside the text, for the table's size limit. */
const ROW_OVERHEAD_BYTES = 256;

/**
 * How much of a table one user's comments written here may take: 1 MB (a hundred of the longest,
 * thousands of a meeting's), or a sixteenth of the table's size limit if that is less. Comments
 * are part of the table: without this one viewer, 20 a minute, filled a table to MAX_DOC_BYTES
 * and every editor's next change was refused (4413).
 */
export function commentBytesPerUser(maxDocBytes: number): number {
	return Math.min(1024 * 1024, Math.floor(maxDocBytes / 16));
}

export class CommentsApi {
	private readonly perUser = new RateLimiter(COMMENTS_PER_MINUTE, 60_000);

	constructor(private readonly options: { auth: Auth; sync: SyncServer; log: Logger }) {}

	/** Handles the route; returns false for paths it does not know. */
	async handle(req: IncomingMessage, res: ServerResponse, path: string): Promise<boolean> {
		const match = ROUTE.exec(path);
		if (!match) return false;
		try {
			await this.post(req, res, match[1]!);
		} catch (err) {
			const { status, code } = httpErrorOf(err);
			if (status === 405) res.setHeader('allow', 'POST');
			if (status >= 500) this.options.log.error('comments api error', { path, error: String(err) });
			json(res, status, { error: code });
		}
		return true;
	}

	/** Checks the request, cheapest checks first, writes the comment and answers. */
	private async post(req: IncomingMessage, res: ServerResponse, rawDocId: string): Promise<void> {
		if (req.method !== 'POST') throw new HttpError(405, 'method_not_allowed');
		const { auth, sync } = this.options;
		// Browsers always send Origin on POST; a foreign one is a cross-site request.
		if (!auth.originAllowed(req, { required: false })) throw new HttpError(403, 'bad_origin');
		const docId = parseDocId(rawDocId);
		const current = await auth.session(req, true);
		if (!current) throw new HttpError(401, 'login_required');
		const { user } = current.session;
		// Counted before the body is read, so parallel requests cannot all pass the check; every
		// attempt counts, refused ones too (they may have loaded a table).
		const attempt = reserveAll([[this.perUser, user.username]]);
		if ('wait' in attempt) return tooManyRequests(res, 'too_many_comments', attempt.wait);
		const { itemId, text } = await readComment(req);
		if (docId === INDEX_DOC_ID || !(await sync.isListed(docId)))
			throw new HttpError(404, 'not_found');
		const at = Date.now();
		const id = await sync.applyChange(
			docId,
			(doc) => {
				// Thrown before anything is written: the transaction is then empty.
				if (!writableByThisServer(doc)) throw new HttpError(409, 'newer_format');
				if (!(roots(doc).items.get(itemId) instanceof Y.Map))
					throw new HttpError(404, 'item_not_found');
				const written = commentBytesOf(doc, user.displayName);
				if (written + Buffer.byteLength(text) > commentBytesPerUser(sync.maxDocBytes))
					throw new HttpError(413, 'comments_full');
				// Inside the room's transaction, whose origin is the room's (FROM_API).
				return addComment(doc, itemId, user.displayName, text, undefined, at);
			},
			Buffer.byteLength(text) + ROW_OVERHEAD_BYTES
		);
		json(res, 201, { comment: { id, itemId, author: user.displayName, at } });
	}
}

/** The bytes of the texts of every comment in the table written in `author`'s name. */
function commentBytesOf(doc: Y.Doc, author: string): number {
	let bytes = 0;
	for (const thread of readComments(doc).values())
		for (const comment of thread)
			if (comment.author === author) bytes += Buffer.byteLength(comment.text);
	return bytes;
}

function parseDocId(raw: string): string {
	let docId: string;
	try {
		docId = decodeURIComponent(raw);
	} catch {
		throw new HttpError(400, 'bad_doc_id');
	}
	if (!DOC_ID.test(docId)) throw new HttpError(400, 'bad_doc_id');
	return docId;
}

/** The body, bounded and checked: an item id and a comment's text, trimmed. */
async function readComment(req: IncomingMessage): Promise<{ itemId: string; text: string }> {
	const body = bodySchema.safeParse(await readJson(req, MAX_COMMENT_BODY_BYTES));
	if (!body.success) throw new HttpError(400, 'invalid_request');
	const text = body.data.text.trim();
	if (text === '') throw new HttpError(400, 'empty_text');
	if (text.length > COMMENT_MAX_LENGTH) throw new HttpError(400, 'text_too_long');
	return { itemId: body.data.itemId, text };
}

/** Whether the doc is of a version this server writes (not one from a newer Shinko). */
function writableByThisServer(doc: Y.Doc): boolean {
	const version = roots(doc).meta.get('schemaVersion');
	return typeof version !== 'number' || version <= SCHEMA_VERSION;
}

/** The status and code a failure answers with. */
function httpErrorOf(err: unknown): { status: number; code: string } {
	if (err instanceof HttpError) return { status: err.status, code: err.code };
	if (err instanceof DocFullError) return { status: 413, code: 'table_full' };
	// The room failed before its commit (RoomFailedError), or the table could not be loaded or
	// written: nothing was stored, and the app says to send it again.
	return { status: 503, code: 'not_saved' };
}
