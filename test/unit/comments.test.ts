import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { recordChange, readChanges } from '../../src/lib/doc/changes.ts';
import { addComment, commentsMap, readComments, setResolved } from '../../src/lib/doc/comments.ts';
import { exchange, replicas } from '../helpers/sheet.ts';

describe('comments', () => {
	it('merge threads written on two replicas offline, and resolve everywhere', () => {
		const [a, b] = replicas();
		const first = addComment(a, 'a', '佐藤', '12月の実績を確認');
		addComment(b, 'a', '鈴木', '委託先と調整中です');
		exchange(a, b);
		const threadA = readComments(a).get('a')!;
		expect(threadA.map((c) => c.text).sort()).toEqual(['12月の実績を確認', '委託先と調整中です']);
		expect(
			readComments(b)
				.get('a')!
				.map((c) => c.id)
		).toEqual(threadA.map((c) => c.id));
		setResolved(b, first, true, '鈴木');
		exchange(a, b);
		expect(
			readComments(a)
				.get('a')!
				.find((c) => c.id === first)
		).toMatchObject({
			resolved: true,
			resolvedBy: '鈴木'
		});
	});

	it('skips malformed comments instead of throwing', () => {
		const [a] = replicas();
		const bad = new Y.Map<unknown>();
		bad.set('itemId', 7);
		commentsMap(a).set('x', bad);
		addComment(a, 'b', '佐藤', 'ok');
		expect(Array.from(readComments(a).keys())).toEqual(['b']);
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
