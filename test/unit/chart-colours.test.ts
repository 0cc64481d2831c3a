// The summary's charts are readable (issue 24): each mark's colour stands out on the white page
// (3:1, WCAG's for graphics) or is drawn with an edge that does, and a count written on a segment
// reads as text (4.5:1).
import { describe, expect, it } from 'vitest';
import {
	categoryColours,
	CHART_SHADES,
	contrast,
	lightOnWhite,
	textOn
} from '../../src/lib/ui/chart-colours.ts';

describe('chart colours', () => {
	it('measures contrast as WCAG does', () => {
		expect(contrast('#000000', '#ffffff')).toBeCloseTo(21, 5);
		expect(contrast('#ffffff', '#ffffff')).toBe(1);
		expect(contrast('#767676', '#ffffff')).toBeCloseTo(4.54, 2);
	});

	it('gives every shade a count that reads (4.5:1) and an edge or a fill that shows (3:1)', () => {
		for (const shade of CHART_SHADES) {
			expect(contrast(shade, textOn(shade)), shade).toBeGreaterThanOrEqual(4.5);
			if (!lightOnWhite(shade)) expect(contrast(shade, '#ffffff'), shade).toBeGreaterThanOrEqual(3);
			// The edge MarkChart draws round a light segment.
			else expect(contrast('#6b7783', '#ffffff'), shade).toBeGreaterThanOrEqual(3);
		}
	});

	it('draws the reference scale in colours that show on white: △ and — too', () => {
		const colours = categoryColours([
			{ key: '○', mark: '○', label: '順調', tone: 'good' },
			{ key: '◎', mark: '◎', label: '計画以上', tone: 'good' },
			{ key: '△', mark: '△', label: '一部実施', tone: 'partly' },
			{ key: '×', mark: '×', label: '未実施', tone: 'behind' },
			{ key: '—', mark: '—', label: '該当なし', tone: 'na' }
		]);
		for (const [key, colour] of Object.entries(colours))
			expect(contrast(colour, '#ffffff'), key).toBeGreaterThanOrEqual(3);
	});
});
