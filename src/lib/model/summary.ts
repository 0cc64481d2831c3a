// Counts of the 進行管理 marks per pillar and section and quarter, for the review's summary page.
import { MARKS, type Mark } from './marks.ts';
import type { ItemJSON, MarkCell, SheetJSON } from './schema.ts';

export const CATEGORIES = [...MARKS, 'none', 'conflict'] as const;
export type Category = (typeof CATEGORIES)[number];
export type Counts = Record<Category, number>;

export function categoryOf(cell: MarkCell): Category {
	if (cell === '') return 'none';
	if (Array.isArray(cell)) return 'conflict';
	return cell;
}

function emptyCounts(): Counts {
	return Object.fromEntries(CATEGORIES.map((c) => [c, 0])) as Counts;
}

/** Counts per quarter (index 0..3) over some items. */
export function countMarks(items: ItemJSON[]): Counts[] {
	const quarters = [emptyCounts(), emptyCounts(), emptyCounts(), emptyCounts()];
	for (const item of items) item.marks.forEach((cell, q) => quarters[q]![categoryOf(cell)]++);
	return quarters;
}

export function share(counts: Counts, category: Category): number {
	const total = CATEGORIES.reduce((sum, c) => sum + counts[c], 0);
	return total === 0 ? 0 : counts[category] / total;
}

export interface SectionSummary {
	id: string;
	label: string;
	items: number;
	quarters: Counts[];
}
export interface PillarSummary extends SectionSummary {
	sections: SectionSummary[];
}
export interface Summary {
	pillars: PillarSummary[];
	total: { items: number; quarters: Counts[] };
	/** Items with × in some quarter, with the quarters (1..4), for links to their rows. */
	crosses: { id: string; label: string; quarters: number[] }[];
}

export function summarize(sheet: SheetJSON): Summary {
	const all: ItemJSON[] = [];
	const crosses: Summary['crosses'] = [];
	const pillars = sheet.pillars.map((pillar) => {
		const pillarItems = pillar.sections.flatMap((s) => s.items);
		all.push(...pillarItems);
		const sections = pillar.sections.map((section) => ({
			id: section.id,
			label: `${section.no} ${section.title}`,
			items: section.items.length,
			quarters: countMarks(section.items)
		}));
		for (const item of pillarItems) {
			const quarters = item.marks
				.map((cell, q) => ((Array.isArray(cell) ? cell : [cell]).includes('×' as Mark) ? q + 1 : 0))
				.filter((q) => q > 0);
			if (quarters.length)
				crosses.push({ id: item.id, label: `${item.no}${item.title}`, quarters });
		}
		return {
			id: pillar.id,
			label: `${pillar.no} ${pillar.title}`,
			items: pillarItems.length,
			quarters: countMarks(pillarItems),
			sections
		};
	});
	return { pillars, total: { items: all.length, quarters: countMarks(all) }, crosses };
}
