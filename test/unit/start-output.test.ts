// What `npm start` prints for people: the admin password in a box that stays aligned with
// Japanese (double-width) text in it.
import { describe, expect, it } from 'vitest';
import { boxed } from '../../server/main.ts';

const width = (line: string) =>
	Array.from(line).reduce((n, ch) => n + (/[\u3000-\u9fff\uff00-\uff60]/.test(ch) ? 2 : 1), 0);

describe('boxed', () => {
	it('draws every line of a box the same width, counting Japanese characters as two columns', () => {
		const box = boxed(['管理者ユーザー admin を作成しました。', 'パスワード: Abc123xyz', 'x']);
		const lines = box.trimEnd().split('\n');
		expect(lines).toHaveLength(5);
		expect(lines[0]!.startsWith('┌') && lines[4]!.startsWith('└')).toBe(true);
		expect(new Set(lines.map(width)).size).toBe(1);
		expect(lines[2]).toContain('パスワード: Abc123xyz');
	});
});
