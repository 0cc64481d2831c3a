// Colours of the mark categories in charts: distinct in colour and in lightness, so a
// black-and-white printout still tells them apart.
import type { Category } from '$lib/model/summary.ts';

export const CATEGORY_COLOURS: Record<Category, string> = {
	'○': '#2e7d4f',
	'◎': '#1f4e79',
	'△': '#d9a400',
	'×': '#c0392b',
	'—': '#9aa5b1',
	none: '#e4e8ec',
	conflict: '#7b5ea7'
};
