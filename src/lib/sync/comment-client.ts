// The browser side of POST /api/docs/<docId>/comments: a viewer's comment, which the server
// writes into the table (a viewer's socket is read-only), so it needs the network.
import { z } from 'zod/mini';

/** Why the server did not write a comment; the UI says each in plain words (commentNotSent). */
export type CommentRefusal =
	| {
			reason:
				| 'offline'
				| 'loginRequired'
				| 'tableGone'
				| 'itemGone'
				| 'tooLong'
				| 'tableFull'
				| 'yoursFull'
				| 'noAnswer'
				| 'failed';
	  }
	| { reason: 'rateLimited'; retryAfterSeconds: number };

/**
 * How long to wait for the answer. The server answers once the comment is stored, in well under
 * a second; past this the comment may or may not be stored, and the viewer can see which.
 */
const ANSWER_TIMEOUT_MS = 20_000;

const errorSchema = z.object({
	error: z.string(),
	retryAfterSeconds: z.optional(z.number())
});

/** Sends a comment for the server to write; resolves with null once it is stored. */
export async function postComment(
	docId: string,
	itemId: string,
	text: string
): Promise<CommentRefusal | null> {
	if (typeof navigator !== 'undefined' && !navigator.onLine) return { reason: 'offline' };
	let res: Response;
	try {
		res = await fetch(`/api/docs/${encodeURIComponent(docId)}/comments`, {
			method: 'POST',
			credentials: 'same-origin',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ itemId, text }),
			signal: AbortSignal.timeout(ANSWER_TIMEOUT_MS)
		});
	} catch (err) {
		return {
			reason: err instanceof DOMException && err.name === 'TimeoutError' ? 'noAnswer' : 'offline'
		};
	}
	if (res.ok) return null;
	const body = errorSchema.safeParse(await res.json().catch(() => null));
	return refusalOf(res.status, body.success ? body.data : undefined);
}

function refusalOf(status: number, body: z.infer<typeof errorSchema> | undefined): CommentRefusal {
	const error = body?.error;
	if (status === 401) return { reason: 'loginRequired' };
	if (status === 404) return { reason: error === 'item_not_found' ? 'itemGone' : 'tableGone' };
	if (error === 'text_too_long' || error === 'too_large') return { reason: 'tooLong' };
	if (error === 'table_full') return { reason: 'tableFull' };
	if (error === 'comments_full') return { reason: 'yoursFull' };
	if (status === 429)
		return { reason: 'rateLimited', retryAfterSeconds: body?.retryAfterSeconds ?? 60 };
	return { reason: 'failed' };
}
