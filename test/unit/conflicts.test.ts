import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { ConflictWatch, type ConflictNews } from '../../src/lib/doc/conflicts.ts';
import { deleteItem, setItemMark, spliceText } from '../../src/lib/doc/ops.ts';
import { readShape, writeShape } from '../../src/lib/doc/shape-doc.ts';
import { roots, textOf } from '../../src/lib/doc/table-doc.ts';
import { exchange, replicas } from '../helpers/sheet.ts';

/** A watch on `doc` with everything it heard. */
function watch(doc: Y.Doc): { watch: ConflictWatch; heard: ConflictNews[] } {
	const heard: ConflictNews[] = [];
	return { watch: new ConflictWatch(doc, (news) => heard.push(news)), heard };
}

/** Both replicas set item a's mark of the second quarter, each unaware of the other. */
function concurrentMarks(a: Y.Doc, b: Y.Doc): void {
	setItemMark(a, 'a', '2', '×', 'A');
	setItemMark(b, 'a', '2', '△', 'B');
}

describe('ConflictWatch', () => {
	it('finds a cell set on two devices at once when they sync, and tells it came from elsewhere', () => {
		const [a, b] = replicas();
		const { watch: onB, heard } = watch(b);
		concurrentMarks(a, b);
		expect(onB.count).toBe(0);
		expect(heard).toEqual([]);

		exchange(a, b);
		expect(onB.count).toBe(1);
		expect(onB.periodsOf('a')).toEqual(['2']);
		expect(heard).toEqual([
			{
				appeared: [{ itemId: 'a', periodId: '2', itemName: '①項目 a', periodLabel: '～9月' }],
				remote: true
			}
		]);
	});

	it('counts a conflict already in the doc, and hears when one pick resolves it', () => {
		const [a, b] = replicas();
		concurrentMarks(a, b);
		exchange(a, b);
		const { watch: onA, heard } = watch(a);
		expect(onA.count).toBe(1);

		setItemMark(a, 'a', '2', '×', 'A');
		expect(onA.count).toBe(0);
		expect(onA.periodsOf('a')).toEqual([]);
		expect(heard).toEqual([{ appeared: [], remote: false }]);

		// The other device hears of the pick too.
		const { watch: onB } = watch(b);
		expect(onB.count).toBe(1);
		exchange(a, b);
		expect(onB.count).toBe(0);
	});

	it('forgets the cells of a deleted item, and of a period taken off the table', () => {
		const [a, b] = replicas();
		concurrentMarks(a, b);
		setItemMark(a, 'b', '4', '○', 'A');
		setItemMark(b, 'b', '4', '×', 'B');
		exchange(a, b);
		const { watch: onA } = watch(a);
		expect(onA.count).toBe(2);

		deleteItem(a, 'a');
		expect(onA.count).toBe(1);
		const shape = structuredClone(readShape(a).shape);
		shape.periods = shape.periods.filter((p) => p.id !== '4');
		expect(writeShape(a, shape).ok).toBe(true);
		expect(onA.count).toBe(0);
	});

	it('hears nothing of typing in a text cell, and stops at destroy', () => {
		const [a, b] = replicas();
		const { watch: onA, heard } = watch(a);
		const note = textOf(roots(a).items.get('a')!, 'note')!;
		spliceText(note, '達成状況（追記）');
		expect(heard).toEqual([]);

		onA.destroy();
		onA.destroy();
		concurrentMarks(a, b);
		exchange(a, b);
		expect(heard).toEqual([]);
	});
});
