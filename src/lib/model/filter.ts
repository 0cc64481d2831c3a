// Row filters of the review meeting, addressed by the URL (?dept=総務&mark=×&quarter=2&…).
// `quarter` is the period's number (1 … 12; the name stays, as links people keep use it).
// `mark` is a mark of the table's scale, or one of the names no mark can have (RESERVED_MARKS):
// `none` (not assessed) or `conflict` (competing marks from two devices, not yet resolved).
import { z } from 'zod/mini';
import type { ItemJSON, MarkCell, SheetJSON } from './schema.ts';
import { LIMITS, type TableShape } from './shape.ts';

/** `none` finds marks not yet assessed; any other value is a mark of the table's scale. */
export const MARK_NONE = 'none';
/** Finds mark cells holding competing marks (mark-register.ts), which someone must resolve. */
export const MARK_CONFLICT = 'conflict';

export const filterSchema = z.object({
	dept: z.optional(z.string().check(z.minLength(1), z.maxLength(32))),
	mark: z.optional(z.string().check(z.minLength(1), z.maxLength(LIMITS.mark * 2))),
	quarter: z.optional(
		z.pipe(z.coerce.number(), z.int().check(z.minimum(1), z.maximum(LIMITS.periods.max)))
	),
	yearPlan: z.optional(z.string().check(z.minLength(1), z.maxLength(32))),
	pillar: z.optional(z.string().check(z.minLength(1), z.maxLength(16))),
	search: z.optional(z.string().check(z.minLength(1), z.maxLength(200)))
});
export type Filter = z.infer<typeof filterSchema>;
export const FILTER_KEYS = ['dept', 'mark', 'quarter', 'yearPlan', 'pillar', 'search'] as const;

/** Reads the filter from URL parameters; a value that makes no sense is dropped, not an error. */
export function parseFilter(params: URLSearchParams): Filter {
	const filter: Filter = {};
	for (const key of FILTER_KEYS) {
		const raw = params.get(key)?.trim();
		if (!raw) continue;
		const parsed = filterSchema.shape[key].safeParse(raw);
		if (parsed.success && parsed.data !== undefined) Object.assign(filter, { [key]: parsed.data });
	}
	return filter;
}

export function filterToParams(filter: Filter): URLSearchParams {
	const params = new URLSearchParams();
	for (const key of FILTER_KEYS) {
		const value = filter[key];
		if (value !== undefined && value !== '') params.set(key, String(value));
	}
	return params;
}

export function isActive(filter: Filter): boolean {
	return FILTER_KEYS.some((k) => filter[k] !== undefined);
}

/** The filter bar's labels, which describeFilter names the terms by (the UI's messages have them). */
export interface FilterWords {
	filterPillar: string;
	filterDept: string;
	filterYearPlan: string;
	filterMark: string;
	filterQuarter: string;
	filterSearch: string;
	filterNone: string;
	filterConflict: string;
	filterQuoted: (text: string) => string;
}

/**
 * The filter in words, for a printout that must say what it leaves out: a [label, value] pair a
 * term, in the filter bar's order and as the bar shows them (the pillars by the name of the
 * table's first level, a mark with its meaning, a period by its label).
 */
export function describeFilter(
	filter: Filter,
	shape: Pick<TableShape, 'levelLabels' | 'marks' | 'periods'>,
	words: FilterWords
): [label: string, value: string][] {
	const terms: [string, string][] = [];
	const { pillar, dept, yearPlan, mark, quarter, search } = filter;
	if (pillar !== undefined) terms.push([shape.levelLabels[0] ?? words.filterPillar, pillar]);
	if (dept !== undefined) terms.push([words.filterDept, dept]);
	if (yearPlan !== undefined) terms.push([words.filterYearPlan, yearPlan]);
	if (mark !== undefined) {
		const def = shape.marks.find((m) => m.mark === mark);
		terms.push([words.filterMark, markInWords(mark, def, words)]);
	}
	if (quarter !== undefined)
		terms.push([words.filterQuarter, shape.periods[quarter - 1]?.label ?? String(quarter)]);
	if (search !== undefined) terms.push([words.filterSearch, words.filterQuoted(search)]);
	return terms;
}

function markInWords(
	mark: string,
	def: TableShape['marks'][number] | undefined,
	words: FilterWords
): string {
	if (mark === MARK_NONE) return words.filterNone;
	if (mark === MARK_CONFLICT) return words.filterConflict;
	return def ? `${def.mark} ${def.label}` : mark;
}

/** Full-width and half-width alike, case-insensitive: 'ＨＰ' finds 'HP'. */
export function normalise(text: string): string {
	return text.normalize('NFKC').toLowerCase();
}

function markMatches(cell: MarkCell, wanted: NonNullable<Filter['mark']>): boolean {
	if (wanted === MARK_NONE) return cell === '';
	if (wanted === MARK_CONFLICT) return Array.isArray(cell);
	return Array.isArray(cell) ? cell.includes(wanted) : cell === wanted;
}

export function itemMatches(item: ItemJSON, pillarNo: string, filter: Filter): boolean {
	if (filter.pillar !== undefined && pillarNo !== filter.pillar) return false;
	if (filter.dept !== undefined && !item.departments.includes(filter.dept)) return false;
	if (filter.yearPlan !== undefined && item.yearPlan.trim() !== filter.yearPlan) return false;
	if (filter.mark !== undefined) {
		const cells =
			filter.quarter !== undefined ? [item.marks[filter.quarter - 1] ?? ''] : item.marks;
		if (!cells.some((c) => markMatches(c, filter.mark!))) return false;
	}
	if (filter.search !== undefined) {
		const needle = normalise(filter.search);
		const haystack = [
			item.no,
			item.title,
			item.content,
			item.departments.join(' '),
			item.yearPlan,
			...item.plans,
			item.note,
			...Object.values(item.extra)
		];
		if (!haystack.some((text) => normalise(text).includes(needle))) return false;
	}
	return true;
}

/** The ids of the items the filter keeps, in document order. */
export function matchingItemIds(sheet: SheetJSON, filter: Filter): string[] {
	const ids: string[] = [];
	for (const pillar of sheet.pillars) {
		for (const section of pillar.sections) {
			for (const item of section.items) {
				if (itemMatches(item, pillar.no, filter)) ids.push(item.id);
			}
		}
	}
	return ids;
}
