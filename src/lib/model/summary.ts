// Counts of the 進行管理 marks per pillar and section and period, for the review's summary page,
// by the table's own mark scale: one category per mark, then marks not in the scale (a mark
// taken off it), cells not assessed and competing marks.
import { cellMarks } from './item-fields.ts';
import type { ItemJSON, MarkCell, SheetJSON } from './schema.ts';
import type { Tone } from './shape.ts';
import { isSubSection } from './sheet-shape.ts';

export type Category = string;
/** Categories that are not a mark of the scale. */
export const OUTSIDE = 'outside';
export const NONE = 'none';
export const CONFLICT = 'conflict';

export interface CategoryDef {
	key: Category;
	/** The mark, or null for the categories that are not one. */
	mark: string | null;
	/** Its meaning, from the scale ('' for the others: the view names them). */
	label: string;
	/** The mark's tone; null for the others. */
	tone: Tone | null;
}

export type Counts = Record<Category, number>;

/** The categories of a sheet's summary: its scale's marks in order, then the others. */
export function categoriesOf(sheet: Pick<SheetJSON, 'markScale'>): CategoryDef[] {
	return [
		...sheet.markScale
			.filter((m) => !m.removed)
			.map((m) => ({ key: m.mark, mark: m.mark, label: m.label, tone: m.tone })),
		...[OUTSIDE, NONE, CONFLICT].map((key) => ({ key, mark: null, label: '', tone: null }))
	];
}

function categoryOf(cell: MarkCell, scale: ReadonlySet<string>): Category {
	if (cell === '') return NONE;
	if (Array.isArray(cell)) return CONFLICT;
	return scale.has(cell) ? cell : OUTSIDE;
}

function emptyCounts(categories: CategoryDef[]): Counts {
	return Object.fromEntries(categories.map((c) => [c.key, 0]));
}

/** Counts per period (index 0 … n-1) over some items. */
export function countMarks(
	items: ItemJSON[],
	periods: number,
	categories: CategoryDef[]
): Counts[] {
	const scale = new Set(categories.filter((c) => c.mark !== null).map((c) => c.key));
	const out = Array.from({ length: periods }, () => emptyCounts(categories));
	for (const item of items)
		for (let p = 0; p < periods; p++) out[p]![categoryOf(item.marks[p] ?? '', scale)]!++;
	return out;
}

export function share(counts: Counts, category: Category): number {
	const total = Object.values(counts).reduce((sum, n) => sum + n, 0);
	return total === 0 ? 0 : (counts[category] ?? 0) / total;
}

export interface SectionSummary {
	id: string;
	label: string;
	items: number;
	periods: Counts[];
	/** 3: a third-level heading (a table of three levels); a level-2 row counts these too. */
	level?: 3;
}
export interface PillarSummary extends SectionSummary {
	sections: SectionSummary[];
}
export interface Summary {
	categories: CategoryDef[];
	pillars: PillarSummary[];
	total: { items: number; periods: Counts[] };
	/** The scale's marks of the tone `behind` (× in the reference table). */
	behindMarks: string[];
	/** Items with a `behind` mark in some period, with the periods (1 … n), for links to their rows. */
	behind: { id: string; label: string; periods: number[] }[];
}

export function summarize(sheet: SheetJSON): Summary {
	const categories = categoriesOf(sheet);
	const n = sheet.periodLabels.length;
	const behindMarks = categories.filter((c) => c.tone === 'behind').map((c) => c.key);
	const all: ItemJSON[] = [];
	const behind: Summary['behind'] = [];
	const pillars = sheet.pillars.map((pillar) => {
		const pillarItems = pillar.sections.flatMap((s) => s.items);
		all.push(...pillarItems);
		const sections = pillar.sections.map((section, i): SectionSummary => {
			const sub = isSubSection(sheet, section);
			const items = [...section.items];
			// A level-2 heading counts the items of the level-3 headings it holds.
			for (let j = i + 1; !sub && j < pillar.sections.length; j++) {
				if (!isSubSection(sheet, pillar.sections[j]!)) break;
				items.push(...pillar.sections[j]!.items);
			}
			return {
				id: section.id,
				label: `${section.no} ${section.title}`,
				items: items.length,
				periods: countMarks(items, n, categories),
				...(sub ? { level: 3 as const } : {})
			};
		});
		for (const item of pillarItems) {
			const periods = item.marks
				.slice(0, n)
				.map((cell, p) => (cellMarks(cell).some((m) => behindMarks.includes(m)) ? p + 1 : 0))
				.filter((p) => p > 0);
			if (periods.length) behind.push({ id: item.id, label: `${item.no}${item.title}`, periods });
		}
		return {
			id: pillar.id,
			label: `${pillar.no} ${pillar.title}`,
			items: pillarItems.length,
			periods: countMarks(pillarItems, n, categories),
			sections
		};
	});
	return {
		categories,
		pillars,
		total: { items: all.length, periods: countMarks(all, n, categories) },
		behindMarks,
		behind
	};
}
