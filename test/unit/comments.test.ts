import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { recordChange, readChanges } from '../../src/lib/doc/changes.ts';
import {
	addComment,
	commentsMap,
	readComments,
	setThreadResolved,
	threadResolution
} from '../../src/lib/doc/comments.ts';
import { exchange, replicas } from '../helpers/sheet.ts';

/** What Shinko wrote before threads: one comment resolved (or reopened) by itself. */
function resolveOneComment(doc: Y.Doc, id: string, resolved: boolean, by: string): void {
	const row = commentsMap(doc).get(id)!;
	doc.transact(() => {
		row.set('resolved', resolved);
		row.set('resolvedBy', by);
	});
}

const states = (doc: Y.Doc, itemId: string) =>
	readComments(doc)
		.get(itemId)!
		.map((c) => c.resolved);

describe('comments', () => {
	it('merge threads written on two replicas offline, and resolve as a thread everywhere', () => {
		const [a, b] = replicas();
		addComment(a, 'a', '佐藤', '12月の実績を確認');
		addComment(b, 'a', '鈴木', '委託先と調整中です');
		exchange(a, b);
		const threadA = readComments(a).get('a')!;
		expect(threadA.map((c) => c.text).sort()).toEqual(['12月の実績を確認', '委託先と調整中です']);
		expect(
			readComments(b)
				.get('a')!
				.map((c) => c.id)
		).toEqual(threadA.map((c) => c.id));
		expect(threadResolution(threadA)).toBeNull();

		setThreadResolved(b, 'a', true, '鈴木', undefined, 1_700_000_000_000);
		exchange(a, b);
		expect(states(a, 'a')).toEqual([true, true]);
		expect(threadResolution(readComments(a).get('a')!)).toEqual({
			by: '鈴木',
			at: 1_700_000_000_000
		});

		setThreadResolved(a, 'a', false, '佐藤');
		exchange(a, b);
		expect(states(b, 'a')).toEqual([false, false]);
		expect(threadResolution(readComments(b).get('a')!)).toBeNull();
	});

	it('reopens a resolved thread with a reply, written after the resolution or offline meanwhile', () => {
		const [a, b] = replicas();
		addComment(a, 'a', '佐藤', '配架先を確認');
		exchange(a, b);
		// b replies offline while a resolves: the reply arrives open, so the thread is open.
		setThreadResolved(a, 'a', true, '佐藤');
		addComment(b, 'a', '鈴木', 'まだ2か所残っています');
		exchange(a, b);
		expect(states(a, 'a')).toEqual([false, false]);
		expect(states(b, 'a')).toEqual([false, false]);

		setThreadResolved(b, 'a', true, '鈴木');
		exchange(a, b);
		expect(states(a, 'a')).toEqual([true, true]);
		addComment(a, 'a', '佐藤', '追加の確認');
		expect(states(a, 'a')).toEqual([false, false, false]);
		// Another item's thread is not touched.
		addComment(a, 'b', '佐藤', '別の項目');
		setThreadResolved(a, 'a', true, '佐藤');
		expect(states(a, 'b')).toEqual([false]);
	});

	it('reads old docs, whose comments were resolved one by one, as threads', () => {
		const [a] = replicas();
		const first = addComment(a, 'a', '佐藤', '一つ目', undefined, 1000);
		const second = addComment(a, 'a', '鈴木', '二つ目', undefined, 2000);
		// Some resolved: the thread is open, and each of its comments counts as open.
		resolveOneComment(a, first, true, '田中');
		expect(states(a, 'a')).toEqual([false, false]);
		expect(threadResolution(readComments(a).get('a')!)).toBeNull();
		// All resolved: the thread is, by whoever resolved its last comment (no time was kept).
		resolveOneComment(a, second, true, '鈴木');
		expect(states(a, 'a')).toEqual([true, true]);
		expect(threadResolution(readComments(a).get('a')!)).toEqual({ by: '鈴木', at: null });
		// Resolved as a thread later: that resolution, with its time, is the thread's.
		resolveOneComment(a, first, false, '田中');
		setThreadResolved(a, 'a', true, '佐藤', undefined, 5000);
		expect(threadResolution(readComments(a).get('a')!)).toEqual({ by: '佐藤', at: 5000 });
	});

	it('skips malformed comments instead of throwing', () => {
		const [a] = replicas();
		const bad = new Y.Map<unknown>();
		bad.set('itemId', 7);
		commentsMap(a).set('x', bad);
		addComment(a, 'b', '佐藤', 'ok');
		setThreadResolved(a, 'b', true, '佐藤');
		expect(Array.from(readComments(a).keys())).toEqual(['b']);
		expect(bad.get('resolved')).toBeUndefined();
	});
});

describe('changes', () => {
	it('records who changed a cell, refreshing an own entry only after a while', () => {
		const doc = new Y.Doc();
		recordChange(doc, 'a', 'note', '佐藤');
		const first = readChanges(doc).get('a/note')!;
		recordChange(doc, 'a', 'note', '佐藤');
		expect(readChanges(doc).get('a/note')).toEqual(first);
		recordChange(doc, 'a', 'note', '鈴木');
		expect(readChanges(doc).get('a/note')!.by).toBe('鈴木');
	});
});
