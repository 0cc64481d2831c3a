// Colours of the mark categories in charts, by the mark's tone: the n-th mark of a tone takes the
// tone's n-th shade. Distinct in colour and in lightness, so a black-and-white printout still
// tells them apart; the reference scale keeps the colours it always had (○ green, ◎ blue, △
// yellow, × red, — grey).
import type { CategoryDef } from '$lib/model/summary.ts';
import type { Tone } from '$lib/model/shape.ts';

const TONE_SHADES: Record<Tone, string[]> = {
	good: ['#2e7d4f', '#1f4e79', '#4f9a6b', '#3b6ea5', '#1d5c3a', '#6690c2'],
	// Amber and grey dark enough to stand out on white (3:1), their counts written in ink.
	partly: ['#b08600', '#7a5800', '#b88c00', '#5e4300'],
	behind: ['#c0392b', '#8e2a20', '#e0665a', '#6e1f17'],
	na: ['#7d8894', '#5b6470', '#9aa5b1']
};

const OTHERS: Record<string, string> = {
	outside: '#a65a17',
	// Not assessed: a pale segment, drawn with an edge (MarkChart) since its fill barely shows.
	none: '#e4e8ec',
	conflict: '#7b5ea7'
};

/** Each category's colour, by key. */
export function categoryColours(categories: CategoryDef[]): Record<string, string> {
	const used: Record<Tone, number> = { good: 0, partly: 0, behind: 0, na: 0 };
	const out: Record<string, string> = {};
	for (const c of categories) {
		if (c.tone === null) out[c.key] = OTHERS[c.key] ?? '#999';
		else {
			const shades = TONE_SHADES[c.tone];
			out[c.key] = shades[used[c.tone]++ % shades.length]!;
		}
	}
	return out;
}

/** WCAG's relative luminance of a #rrggbb colour. */
function luminance(colour: string): number {
	const n = parseInt(colour.slice(1), 16);
	const [r, g, b] = [n >> 16, (n >> 8) & 255, n & 255].map((v) => {
		const c = v / 255;
		return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
	});
	return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

/** WCAG's contrast ratio of two #rrggbb colours (1 to 21). */
export function contrast(a: string, b: string): number {
	const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
	return (hi! + 0.05) / (lo! + 0.05);
}

const INK = '#1b1f24';
const WHITE = '#ffffff';

/** Text drawn on a segment of this colour: ink or white, whichever reads better. */
export function textOn(colour: string): string {
	return contrast(colour, INK) >= contrast(colour, WHITE) ? INK : WHITE;
}

/** Whether a colour is too light to be told from the white page (under 3:1, WCAG's for graphics). */
export function lightOnWhite(colour: string): boolean {
	return contrast(colour, WHITE) < 3;
}

/** Every shade charts use, for the tests. */
export const CHART_SHADES: readonly string[] = [
	...Object.values(TONE_SHADES).flat(),
	...Object.values(OTHERS)
];
