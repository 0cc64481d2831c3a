// What a screen reader hears for a cell: the item by its number and title, a mark without the
// server's writer id (issue 24).
import { describe, expect, it } from 'vitest';
import { ja } from '../../src/lib/i18n/ja.ts';
import { itemName } from '../../src/lib/ui/columns.ts';
import { markTitle } from '../../src/lib/ui/mark-title.ts';
import type { MarkDef } from '../../src/lib/model/shape.ts';

describe("a cell's name", () => {
	it('names the item by its number and the start of its title', () => {
		expect(itemName('①', '事務経費の節減', 'i1')).toBe('① 事務経費の節減');
		expect(
			itemName('②', 'ホームページからの入会説明会参加予約を受け付け、説明会の案内を送る', 'i2')
		).toBe('② ホームページからの入会説明会参加予約を受け付け、…');
		expect(itemName('', '題だけ', 'i3')).toBe('題だけ');
		expect(itemName('③', '改行\nのある\t題', 'i4')).toBe('③ 改行 のある 題');
		expect(itemName('', null, 'i5')).toBe('i5');
	});

	it("leaves the server's writer id out of a mark's name", () => {
		const scale = [{ id: 'x', mark: '×', label: '未実施', tone: 'bad' }] as unknown as MarkDef[];
		const reading = (by: string) => ({
			cell: '×',
			entries: [{ value: '×', by, at: 0 }],
			invalid: false,
			outside: false
		});
		expect(markTitle(ja, reading('server-12298-8f3a2b1c'), scale)).toBe('× 未実施');
		expect(markTitle(ja, reading('鈴木'), scale)).toBe('× 未実施 (鈴木)');
		const conflict = {
			cell: ['×', '○'],
			entries: [
				{ value: '×', by: 'server-1-ab', at: 0 },
				{ value: '○', by: '鈴木', at: 1 }
			],
			invalid: false,
			outside: false
		};
		expect(markTitle(ja, conflict, scale)).toBe('競合: 取り込み時の値: × / 鈴木: ○');
	});
});
