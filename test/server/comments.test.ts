// POST /api/docs/<docId>/comments: a viewer (whose socket is read-only) comments through the
// server, which writes the comment into the table like any update and answers once it is stored.
import { describe, expect, it } from 'vitest';
import {
	commentBytesPerUser,
	COMMENTS_PER_MINUTE,
	MAX_COMMENT_BODY_BYTES
} from '../../server/comments-api.ts';
import { hashPassword } from '../../server/passwords.ts';
import { loadDoc } from '../../server/store.ts';
import type { RunningServer } from '../../server/main.ts';
import {
	addComment,
	COMMENT_MAX_LENGTH,
	readComments,
	setThreadResolved
} from '../../src/lib/doc/comments.ts';
import { INDEX_DOC_ID, listTables } from '../../src/lib/doc/index-doc.ts';
import { useCleanups } from '../helpers/cleanup.ts';
import {
	ackingClient,
	connectClient,
	login,
	postJson,
	startCleanedServer,
	synced,
	waitFor
} from '../helpers/server.ts';

const cleanups = useCleanups();

/** A server with its reference table, an admin's session and a viewer's (森). */
async function serverWithViewer(overrides: Parameters<typeof startCleanedServer>[1] = {}) {
	const s = await startCleanedServer(cleanups, overrides);
	const tableId = listTables(await loadDoc(s.store, INDEX_DOC_ID))[0]!.id;
	await s.users.add('mori', 'viewer', await hashPassword('viewer-password'), '森');
	return {
		s,
		tableId,
		admin: await login(s.url),
		viewer: await login(s.url, 'mori', 'viewer-password')
	};
}

function comment(s: RunningServer, docId: string, body: unknown, cookie: string) {
	return postJson(s.url, `/api/docs/${docId}/comments`, body, { cookie });
}

/** The item's thread as the store holds it now. */
async function storedThread(s: RunningServer, docId: string, itemId: string) {
	return readComments(await loadDoc(s.store, docId)).get(itemId) ?? [];
}

describe('comments through the server', () => {
	it('writes a viewer’s comment: stored when answered, relayed to clients, reopening the thread', async () => {
		const { s, tableId, admin, viewer } = await serverWithViewer();
		const editor = ackingClient(cleanups, s.url, tableId, admin);
		await synced(editor.provider);
		addComment(editor.doc, 'p1s1i1', '管理者', '前回の指摘');
		setThreadResolved(editor.doc, 'p1s1i1', true, '管理者');
		await waitFor(() => editor.acks.allSaved, 'the resolved thread saved');

		const res = await comment(
			s,
			tableId,
			{ itemId: 'p1s1i1', text: '  委託先に確認します\n' },
			viewer
		);
		expect(res.status).toBe(201);
		const { comment: written } = (await res.json()) as { comment: { id: string; author: string } };
		expect(written.author).toBe('森');
		// Answered after the commit: the store holds it already, and the thread is open again.
		const stored = await storedThread(s, tableId, 'p1s1i1');
		expect(stored.map((c) => [c.author, c.text, c.resolved])).toEqual([
			['管理者', '前回の指摘', false],
			['森', '委託先に確認します', false]
		]);
		await waitFor(
			() =>
				readComments(editor.doc)
					.get('p1s1i1')
					?.some((c) => c.id === written.id) ?? false,
			'the comment relayed to the editor'
		);
		expect(
			readComments(editor.doc)
				.get('p1s1i1')!
				.every((c) => !c.resolved)
		).toBe(true);
	});

	it('still takes nothing a viewer writes over the socket', async () => {
		const { s, tableId, viewer } = await serverWithViewer();
		const reader = connectClient(s.url, tableId, viewer);
		cleanups.push(() => reader.provider.destroy());
		await synced(reader.provider);
		addComment(reader.doc, 'p1s1i2', '森', 'ソケットから');
		setThreadResolved(reader.doc, 'p1s1i2', true, '森');
		reader.doc.getMap('meta').set('title', '閲覧者が書いた題名');

		const res = await comment(s, tableId, { itemId: 'p1s1i2', text: 'API から' }, viewer);
		expect(res.status).toBe(201);
		const { comment: written } = (await res.json()) as { comment: { id: string } };
		await waitFor(
			() =>
				readComments(reader.doc)
					.get('p1s1i2')!
					.some((c) => c.id === written.id),
			'the viewer’s own comment relayed back'
		);
		const stored = await loadDoc(s.store, tableId);
		expect(
			readComments(stored)
				.get('p1s1i2')!
				.map((c) => [c.text, c.resolved])
		).toEqual([['API から', false]]);
		expect(stored.getMap('meta').get('title')).not.toBe('閲覧者が書いた題名');
	});

	it('refuses without a session, from another origin, and what does not fit, storing nothing', async () => {
		const { s, tableId, viewer } = await serverWithViewer();
		const path = `/api/docs/${tableId}/comments`;
		const ok = { itemId: 'p1s1i1', text: '確認します' };
		const refusal = async (res: Response) => [
			res.status,
			((await res.json()) as { error: string }).error
		];

		expect(await refusal(await postJson(s.url, path, ok))).toEqual([401, 'login_required']);
		expect(
			await refusal(await postJson(s.url, path, ok, { cookie: viewer, origin: 'http://evil.test' }))
		).toEqual([403, 'bad_origin']);
		expect(await refusal(await comment(s, '..%2f', ok, viewer))).toEqual([400, 'bad_doc_id']);
		expect(await refusal(await comment(s, 'not-listed', ok, viewer))).toEqual([404, 'not_found']);
		expect(await refusal(await comment(s, INDEX_DOC_ID, ok, viewer))).toEqual([404, 'not_found']);
		expect(
			await refusal(await comment(s, tableId, { itemId: 'no-such-item', text: 'x' }, viewer))
		).toEqual([404, 'item_not_found']);
		const tooLong = { itemId: 'p1s1i1', text: 'あ'.repeat(COMMENT_MAX_LENGTH + 1) };
		expect(await refusal(await comment(s, tableId, tooLong, viewer))).toEqual([
			400,
			'text_too_long'
		]);
		const huge = { itemId: 'p1s1i1', text: 'a'.repeat(MAX_COMMENT_BODY_BYTES) };
		expect(await refusal(await comment(s, tableId, huge, viewer))).toEqual([413, 'too_large']);
		expect(
			await refusal(await comment(s, tableId, { itemId: 'p1s1i1', text: ' \n　' }, viewer))
		).toEqual([400, 'empty_text']);
		for (const bad of [
			{ itemId: 'p1s1i1', text: ['nested'] },
			{ ...ok, resolved: true },
			[ok],
			'text'
		])
			expect(await refusal(await comment(s, tableId, bad, viewer))).toEqual([
				400,
				'invalid_request'
			]);
		// Nested 30,000 deep where no field is expected: refused, never walked.
		const deep = await fetch(s.url + path, {
			method: 'POST',
			headers: { cookie: viewer, origin: s.url, 'content-type': 'application/json' },
			body: `{"itemId":"p1s1i1","text":"x","more":${'['.repeat(30_000)}${']'.repeat(30_000)}}`
		});
		expect(await refusal(deep)).toEqual([400, 'invalid_request']);
		const plain = await fetch(s.url + path, {
			method: 'POST',
			headers: { cookie: viewer, origin: s.url, 'content-type': 'text/plain' },
			body: JSON.stringify(ok)
		});
		expect(await refusal(plain)).toEqual([415, 'json_required']);
		const get = await fetch(s.url + path, { headers: { cookie: viewer } });
		expect(get.headers.get('allow')).toBe('POST');
		expect(await refusal(get)).toEqual([405, 'method_not_allowed']);

		// The longest comment the app lets anyone write goes through.
		const longest = { itemId: 'p1s1i1', text: 'あ'.repeat(COMMENT_MAX_LENGTH) };
		expect((await comment(s, tableId, longest, viewer)).status).toBe(201);
		const all = readComments(await loadDoc(s.store, tableId));
		expect(
			Array.from(all.values())
				.flat()
				.map((c) => c.text.length)
		).toEqual([COMMENT_MAX_LENGTH]);
	});

	it('takes COMMENTS_PER_MINUTE comments a minute from each user, parallel ones counted', async () => {
		const { s, tableId, admin, viewer } = await serverWithViewer();
		const sent = await Promise.all(
			Array.from({ length: COMMENTS_PER_MINUTE + 5 }, (_, i) =>
				comment(s, tableId, { itemId: 'p2s1i1', text: `${i + 1} 件目` }, viewer)
			)
		);
		const statuses = sent.map((r) => r.status);
		expect(statuses.filter((st) => st === 201)).toHaveLength(COMMENTS_PER_MINUTE);
		expect(statuses.filter((st) => st === 429)).toHaveLength(5);
		const refused = sent.find((r) => r.status === 429)!;
		expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
		expect(await refused.json()).toMatchObject({ error: 'too_many_comments' });
		// Another user (an editor or admin may use it too) is counted apart.
		expect((await comment(s, tableId, { itemId: 'p2s1i1', text: '管理者' }, admin)).status).toBe(
			201
		);
		expect(await storedThread(s, tableId, 'p2s1i1')).toHaveLength(COMMENTS_PER_MINUTE + 1);
	});

	it('refuses a comment that would take the table past its size limit', async () => {
		const probe = await serverWithViewer();
		const size = (await probe.s.store.load(probe.tableId)).updates.reduce(
			(n, u) => n + u.length,
			0
		);
		await probe.s.close();
		const { s, tableId, viewer } = await serverWithViewer({ maxDocBytes: size + 4096 });
		const small = { itemId: 'p1s1i1', text: '短いコメント' };
		expect((await comment(s, tableId, small, viewer)).status).toBe(201);
		const big = { itemId: 'p1s1i1', text: 'あ'.repeat(2000) };
		const res = await comment(s, tableId, big, viewer);
		expect([res.status, await res.json()]).toEqual([413, { error: 'table_full' }]);
		expect((await storedThread(s, tableId, 'p1s1i1')).map((c) => c.text)).toEqual(['短いコメント']);
	});

	it('takes from each user at most their share of the table in comments: others still write', async () => {
		const maxDocBytes = 4 * 1024 * 1024;
		const { s, tableId, admin, viewer } = await serverWithViewer({ maxDocBytes });
		const share = commentBytesPerUser(maxDocBytes); // 256 KB
		const longest = { itemId: 'p1s1i1', text: 'あ'.repeat(COMMENT_MAX_LENGTH) }; // 30 KB
		const fit = Math.floor(share / Buffer.byteLength(longest.text));
		for (let i = 0; i < fit; i++)
			expect((await comment(s, tableId, longest, viewer)).status).toBe(201);
		const res = await comment(s, tableId, longest, viewer);
		expect([res.status, await res.json()]).toEqual([413, { error: 'comments_full' }]);
		expect(await storedThread(s, tableId, 'p1s1i1')).toHaveLength(fit);
		// The table is not full: another user comments, and an editor's change is stored.
		expect((await comment(s, tableId, { itemId: 'p1s1i1', text: '了解' }, admin)).status).toBe(201);
		const editor = ackingClient(cleanups, s.url, tableId, admin);
		await synced(editor.provider);
		addComment(editor.doc, 'p1s1i2', '管理者', '表はまだ書けます');
		await waitFor(() => editor.acks.allSaved, 'the change stored');
	});
});
