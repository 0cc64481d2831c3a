// The grid behind selection, copy, paste and fill (src/lib/model/grid-block.ts) and Excel's
// tab-separated text (src/lib/model/spreadsheet-text.ts), on the reference table's shape.
import { describe, expect, it } from 'vitest';
import type { ItemCells } from '../../src/lib/doc/table-doc.ts';
import {
	blockOf,
	blockSize,
	copyBlock,
	departmentsOf,
	gridColumns,
	planClear,
	planFill,
	planPaste,
	type PasteContext
} from '../../src/lib/model/grid-block.ts';
import { REFERENCE_SHAPE } from '../../src/lib/model/shape.ts';
import {
	guardCell,
	guardFormula,
	parseTsv,
	toTsv,
	unguardFormula
} from '../../src/lib/model/spreadsheet-text.ts';

const columns = gridColumns(REFERENCE_SHAPE);
// title 0, content 1, departments 2, yearPlan 3, periods 4–7, note 8
const col = (key: string) => columns.findIndex((c) => ('key' in c ? c.key : c.kind) === key);

function item(n: number, marks: string[] = ['○', '', '', '']): ItemCells {
	return {
		no: '①②③'[n] ?? '',
		texts: {
			title: `項目${n}`,
			content: `内容${n}`,
			yearPlan: '実施',
			plan1: `計画${n}-1`,
			plan2: `計画${n}-2\n二行目`,
			plan3: '',
			plan4: '',
			note: `方針${n}`
		},
		departments: ['総務'],
		marks: marks.map((cell) => ({ cell, entries: [], invalid: false, outside: false })),
		unusual: false
	};
}
const items = [item(0), item(1, ['△', '×', '', '']), item(2)];
const read = (i: number) => items[i] ?? null;

const ctx: PasteContext = {
	columns,
	scale: REFERENCE_SHAPE.marks.map((m) => m.mark),
	departments: ['総務', '事業'],
	progressLabels: ['進行管理']
};

describe('Excel’s tab-separated text', () => {
	it('reads quoted cells with line breaks, tabs and quotes, CRLF or LF', () => {
		expect(parseTsv('a\t"b\r\nc"\r\n"say ""hi"""\t\r\n')).toEqual([
			['a', 'b\r\nc'],
			['say "hi"', '']
		]);
		expect(parseTsv('x\n\ny')).toEqual([['x'], [''], ['y']]);
		// A quote further in is just a quote; an unclosed one is text.
		expect(parseTsv('5" disk\t"open')).toEqual([['5" disk', '"open']]);
	});

	it('writes what it reads', () => {
		const rows = [
			['一行\n二行', 'タブ\tあり'],
			['"引用"', '']
		];
		expect(parseTsv(toTsv(rows))).toEqual(rows);
	});

	it('guards a cell a spreadsheet would run, and takes the guard off again', () => {
		for (const text of ['=1+1', '＝A1', '+81', '@SUM', ' -2'])
			expect(unguardFormula(guardFormula(text))).toBe(text);
		expect(guardFormula('=HYPERLINK("x")')).toBe('\'=HYPERLINK("x")');
		expect(guardFormula('普通の文')).toBe('普通の文');
		expect(unguardFormula("'普通")).toBe("'普通");
		// A cell that starts with the guard itself comes back as it was.
		for (const text of ["'-5", "'=A1", "''=x", "'普通", '-5'])
			expect(unguardFormula(guardCell(text))).toBe(text);
	});
});

describe('a block of the grid', () => {
	it('spans whole items where it holds a two-row column', () => {
		const plans = blockOf({ row: 0, col: col('plan1') }, { row: 1, col: col('plan2') }, columns);
		expect(plans).toMatchObject({ top: 0, bottom: 1, byItem: false });
		expect(blockSize(plans)).toEqual({ lines: 2, columns: 2 });
		// From a mark to the next item's plan: exactly those rows.
		const across = blockOf({ row: 1, col: col('plan1') }, { row: 2, col: col('plan1') }, columns);
		expect(across).toMatchObject({ top: 1, bottom: 2 });
		// With the departments, the items' two rows each.
		const wide = blockOf(
			{ row: 1, col: col('departments') },
			{ row: 2, col: col('plan1') },
			columns
		);
		expect(wide).toMatchObject({ top: 0, bottom: 3, byItem: false });
		const titles = blockOf({ row: 0, col: 0 }, { row: 4, col: 1 }, columns);
		expect(titles).toMatchObject({ top: 0, bottom: 5, byItem: true });
		expect(blockSize(titles)).toEqual({ lines: 3, columns: 2 });
	});

	it('copies as Excel copies merged cells: the value in the first line, blank under it', () => {
		const block = blockOf(
			{ row: 0, col: col('departments') },
			{ row: 1, col: col('plan2') },
			columns
		);
		const lines = copyBlock(block, columns, read, '進行管理');
		expect(lines.map((l) => l.map((c) => c.text))).toEqual([
			['総務', '実施', '計画0-1', '計画0-2\n二行目'],
			['', '進行管理', '○', '']
		]);
		expect(lines[0]![0]).toMatchObject({ rowspan: 2 });
		expect(lines[1]![0]).toMatchObject({ covered: true });
		// Only two-row columns: a line an item, the title with its number.
		const titles = blockOf({ row: 0, col: 0 }, { row: 2, col: 0 }, columns);
		expect(copyBlock(titles, columns, read, '').map((l) => l[0]!.text)).toEqual([
			'①項目0',
			'②項目1'
		]);
	});
});

describe('a paste', () => {
	it('lands line by line from its first cell, marks and departments read as the table has them', () => {
		const plan = planPaste(
			[
				['新計画', '〇'],
				['－', '✕']
			],
			{ row: 0, col: col('plan1') },
			ctx
		);
		expect(plan).toMatchObject({
			writes: [
				{ item: 0, kind: 'text', key: 'plan1', value: '新計画' },
				{ item: 0, kind: 'text', key: 'plan2', value: '〇' },
				{ item: 0, kind: 'mark', periodId: '1', value: '—' },
				{ item: 0, kind: 'mark', periodId: '2', value: '×' }
			],
			items: 1
		});
		const people = planPaste(
			[['総務\n事業'], ['事業総務'], ['']],
			{ row: 2, col: col('departments') },
			ctx
		);
		expect(people).toMatchObject({
			writes: [
				{ item: 1, kind: 'departments', value: ['総務', '事業'] },
				{ item: 2, kind: 'departments', value: ['総務', '事業'] },
				{ item: 3, kind: 'departments', value: [] }
			],
			items: 4
		});
	});

	it('takes the number off a pasted title and the guard off a guarded formula', () => {
		const plan = planPaste([['③ 新しい項目', "'=1+1"]], { row: 0, col: 0 }, ctx);
		expect(plan).toMatchObject({
			writes: [
				{ key: 'title', value: '新しい項目' },
				{ key: 'content', value: '=1+1' }
			]
		});
		for (const title of ['(23)二十三番目', '（２４）二十四番目', '㉕ 二十五番目'])
			expect(planPaste([[title]], { row: 0, col: 0 }, ctx)).toMatchObject({
				writes: [{ value: title.replace(/^.*?[)）㉕]\s*/, '') }]
			});
	});

	it('reads cells merged over an item’s two rows, as Excel copies them, one an item', () => {
		// N1, blank, N2, blank: three items' notes would be N1, '', N2; they are N1 and N2.
		const plan = planPaste([['N1'], [''], ['N2'], ['']], { row: 0, col: col('note') }, ctx);
		expect(plan).toMatchObject({
			writes: [
				{ item: 0, value: 'N1' },
				{ item: 1, value: 'N2' }
			],
			items: 2,
			end: { row: 3, col: col('note') }
		});
		// One item's cell copied from Excel (its value, then its blank second row).
		expect(planPaste([['N1'], ['']], { row: 2, col: col('note') }, ctx)).toMatchObject({
			writes: [{ item: 1, value: 'N1' }],
			items: 2
		});
	});

	it('names the first cell that does not fit', () => {
		const mark = planPaste([['計画'], ['済']], { row: 0, col: col('plan1') }, ctx);
		expect(mark).toMatchObject({ problem: { reason: 'mark', line: 2, column: 1, value: '済' } });
		const dept = planPaste([['広報']], { row: 0, col: col('departments') }, ctx);
		expect(dept).toMatchObject({ problem: { reason: 'department' } });
		// Under a two-row cell, in a block with a period: only blank.
		const under = planPaste(
			[
				['計画', '方針'],
				['○', '方針2']
			],
			{ row: 0, col: col('plan4') },
			ctx
		);
		expect(under).toMatchObject({ problem: { reason: 'covered', line: 2, column: 2 } });
		const label = planPaste([['実施'], ['備考']], { row: 0, col: col('yearPlan') }, ctx);
		expect(label).toMatchObject({ problem: { reason: 'label', line: 2 } });
		const wide = planPaste([['a', 'b']], { row: 0, col: col('note') }, ctx);
		expect(wide).toMatchObject({ problem: { reason: 'wide', column: 2 } });
		// An empty column past the edge is no problem (Excel's trailing tab).
		expect(planPaste([['a', '']], { row: 0, col: col('note') }, ctx)).toMatchObject({ items: 1 });
		const broken = planPaste([['x']], { row: 0, col: 0 }, { ...ctx, broken: () => true });
		expect(broken).toMatchObject({ problem: { reason: 'broken' } });
	});
});

describe('fill down and clear', () => {
	it('fills each kind of cell from the first of its kind in the block', () => {
		const block = blockOf({ row: 0, col: col('plan1') }, { row: 5, col: col('plan1') }, columns);
		expect(planFill(block, columns, read)).toEqual([
			{ item: 1, kind: 'text', key: 'plan1', value: '計画0-1' },
			{ item: 1, kind: 'mark', periodId: '1', value: '○' },
			{ item: 2, kind: 'text', key: 'plan1', value: '計画0-1' },
			{ item: 2, kind: 'mark', periodId: '1', value: '○' }
		]);
		// One item: from the item above.
		const one = blockOf({ row: 2, col: col('note') }, { row: 2, col: col('note') }, columns);
		expect(planFill(one, columns, read)).toEqual([
			{ item: 1, kind: 'text', key: 'note', value: '方針0' }
		]);
	});

	it('clears every cell of the block, the label under the year plan aside', () => {
		const block = blockOf(
			{ row: 0, col: col('departments') },
			{ row: 1, col: col('plan1') },
			columns
		);
		expect(planClear(block, columns)).toEqual([
			{ item: 0, kind: 'departments', value: [] },
			{ item: 0, kind: 'text', key: 'yearPlan', value: '' },
			{ item: 0, kind: 'text', key: 'plan1', value: '' },
			{ item: 0, kind: 'mark', periodId: '1', value: '' }
		]);
	});

	it('reads departments by name, in the table’s order', () => {
		expect(departmentsOf('事業、総務', ['総務', '事業'])).toEqual(['総務', '事業']);
		expect(departmentsOf('', ['総務'])).toEqual([]);
		expect(departmentsOf('総務課', ['総務'])).toBeNull();
		// A name holding a separator of its own is one name.
		const names = ['総務', '企画・財政課', '事業'];
		expect(departmentsOf('企画・財政課\n総務', names)).toEqual(['総務', '企画・財政課']);
		expect(departmentsOf('事業・企画・財政課', names)).toEqual(['企画・財政課', '事業']);
	});
});
