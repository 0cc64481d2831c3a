import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseTextTable } from '../../src/lib/import/text-table.ts';
import { share, summarize } from '../../src/lib/model/summary.ts';

const source = readFileSync(
	new URL('../../server/seed/r2-progress-table.txt', import.meta.url),
	'utf8'
);

describe('summary of the reference table', () => {
	const summary = summarize(parseTextTable(source));
	const markRows = source
		.split('\n')
		.filter((l) => l.includes('\t進行管理\t'))
		.map((l) => l.split('\t').slice(4, 8));

	it('counts every quarter’s marks as the source has them', () => {
		for (let q = 0; q < 4; q++) {
			for (const mark of ['○', '×', '—'] as const) {
				const expected = markRows.filter((m) => m[q] === mark).length;
				expect(summary.total.periods[q]![mark], `${mark} Q${q + 1}`).toBe(expected);
			}
			expect(summary.total.periods[q]!.none).toBe(markRows.filter((m) => m[q] === '').length);
		}
		expect(summary.total.items).toBe(68);
	});

	it('adds up: sections to pillars to the total', () => {
		for (const pillar of summary.pillars) {
			expect(pillar.sections.reduce((n, s) => n + s.items, 0)).toBe(pillar.items);
			expect(pillar.sections.reduce((n, s) => n + s.periods[0]!['○']!, 0)).toBe(
				pillar.periods[0]!['○']
			);
		}
		expect(summary.pillars.reduce((n, p) => n + p.items, 0)).toBe(68);
		expect(share(summary.total.periods[0]!, '×')).toBeCloseTo(
			markRows.filter((m) => m[0] === '×').length / 68
		);
	});

	it('lists the items with ×, with their quarters', () => {
		expect(summary.behind).toHaveLength(markRows.filter((m) => m.includes('×')).length);
		expect(summary.behind[0]).toMatchObject({ id: 'p1s1i1', periods: [1, 2, 3, 4] });
	});
});
