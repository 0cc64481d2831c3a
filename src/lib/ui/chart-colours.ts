// Colours of the mark categories in charts, by the mark's tone: the n-th mark of a tone takes the
// tone's n-th shade. Distinct in colour and in lightness, so a black-and-white printout still
// tells them apart; the reference scale keeps the colours it always had (○ green, ◎ blue, △
// yellow, × red, — grey).
import type { CategoryDef } from '$lib/model/summary.ts';
import type { Tone } from '$lib/model/shape.ts';

const TONE_SHADES: Record<Tone, string[]> = {
	good: ['#2e7d4f', '#1f4e79', '#4f9a6b', '#3b6ea5', '#1d5c3a', '#5b86b8'],
	partly: ['#d9a400', '#a87a00', '#e8c04a', '#8a6400'],
	behind: ['#c0392b', '#8e2a20', '#e0665a', '#6e1f17'],
	na: ['#9aa5b1', '#6b7783', '#c0c8d0']
};

const OTHERS: Record<string, string> = {
	outside: '#b5651d',
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

/** Text drawn on a segment of this colour: dark on the light ones. */
export function textOn(colour: string): string {
	return ['#e4e8ec', '#9aa5b1', '#c0c8d0', '#e8c04a', '#d9a400'].includes(colour)
		? '#1b1f24'
		: '#fff';
}
