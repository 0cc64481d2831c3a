// How an office's file maps onto a table: which sheets and header rows hold it, the role of each
// column, the periods, the mark scale. The import infers one (infer.ts); the preview shows it and
// lets it be corrected; `shinko import --map FILE` takes it as JSON.
import { z } from 'zod/mini';
import { LIMITS, TONES } from '../../model/shape.ts';
import { COLUMN_ROLES, ROLE_LABELS, type ColumnRole } from './words.ts';

export interface ColumnMapping {
	/** 1-based column of the grid (A = 1). */
	column: number;
	/** The header's text as the file has it (shown, not used to read). */
	header: string;
	role: ColumnRole;
	/** For a period's plan or mark: the period's index (0-based) in `periods`. */
	period?: number;
}

export interface ImportMapping {
	/**
	 * Sheets (or the PDF) that hold the table, in order, each with its first header row (1-based)
	 * and how many columns right of the first sheet's its columns are (a sheet starting at B: 1).
	 */
	sheets: { name: string; headerRow: number; columnOffset?: number }[];
	/** Rows of header: 2 when a period's 計画 and 評価 sit under it on a second row. */
	headerRows: 1 | 2;
	columns: ColumnMapping[];
	periods: string[];
	/** The scale; `from` is the text the file's cells hold when the mark is renamed (◯ → ○). */
	marks: { mark: string; label: string; tone: (typeof TONES)[number]; from?: string }[];
	fiscalYear: number;
	title: string;
	levelLabels: string[];
}

const text = (max: number) => z.string().check(z.maxLength(max));
const label = z.string().check(z.minLength(1), z.maxLength(LIMITS.label));

export const mappingSchema = z.object({
	sheets: z
		.array(
			z.object({ name: text(100), headerRow: z.int().check(z.minimum(1), z.maximum(100_000)) })
		)
		.check(z.minLength(1), z.maxLength(50)),
	headerRows: z.union([z.literal(1), z.literal(2)]),
	columns: z
		.array(
			z.object({
				column: z.int().check(z.minimum(1), z.maximum(200)),
				header: text(200),
				role: z.enum(COLUMN_ROLES),
				period: z.optional(z.int().check(z.minimum(0), z.maximum(LIMITS.periods.max - 1)))
			})
		)
		.check(z.maxLength(200)),
	periods: z.array(label).check(z.minLength(1), z.maxLength(LIMITS.periods.max)),
	marks: z
		.array(
			z.object({
				mark: text(LIMITS.mark).check(z.minLength(1)),
				label,
				tone: z.enum(TONES),
				from: z.optional(text(LIMITS.mark).check(z.minLength(1)))
			})
		)
		.check(z.minLength(1), z.maxLength(LIMITS.marks.max)),
	fiscalYear: z.int().check(z.minimum(1900), z.maximum(2200)),
	title: text(500),
	levelLabels: z.array(label).check(z.minLength(1), z.maxLength(LIMITS.levels.max))
});

/** Problems that make a mapping unusable, in Japanese; [] when it can be used. */
export function mappingProblems(mapping: ImportMapping): string[] {
	const out: string[] = [];
	const count = (role: ColumnRole) => mapping.columns.filter((c) => c.role === role).length;
	if (count('title') !== 1) out.push('「取り組み項目」の列を一つ選んでください。');
	for (const role of ['no', 'content', 'department', 'yearPlan', 'note'] as const)
		if (count(role) > 1) out.push(`「${ROLE_LABELS[role]}」の列が${count(role)}つあります。`);
	const seen = new Set<string>();
	for (const c of mapping.columns) {
		if (c.role !== 'plan' && c.role !== 'mark') continue;
		if (c.period === undefined || c.period >= mapping.periods.length) {
			out.push(`列 ${c.column}（${c.header}）の期間を選んでください。`);
			continue;
		}
		const key = `${c.role}:${c.period}`;
		if (seen.has(key))
			out.push(
				`期間「${mapping.periods[c.period]}」の${c.role === 'plan' ? '計画' : '評価'}の列が二つあります。`
			);
		seen.add(key);
	}
	const marks = new Set(mapping.marks.map((m) => m.mark));
	if (marks.size !== mapping.marks.length) out.push('評価の記号が重複しています。');
	if (mapping.marks.length === 0) out.push('評価の記号がありません。');
	const columns = mapping.columns.map((c) => c.column);
	if (new Set(columns).size !== columns.length) out.push('同じ列に役割が二つあります。');
	const sheets = mapping.sheets.map((s) => s.name);
	if (new Set(sheets).size !== sheets.length) out.push('同じシートが二回あります。');
	return out;
}

/** Marks are read from the item's own row when a column holds them, else from the row below. */
export function marksInColumns(mapping: ImportMapping): boolean {
	return mapping.columns.some((c) => c.role === 'mark');
}

/** A mapping read from JSON (--map, or the preview), or the first problem with it in Japanese. */
export function parseMapping(json: unknown): ImportMapping | string {
	const parsed = mappingSchema.safeParse(json);
	if (!parsed.success) {
		const issue = parsed.error.issues[0];
		return `対応表の ${issue?.path.join('.') || '全体'} が正しくありません（${issue?.message ?? ''}）`;
	}
	const problems = mappingProblems(parsed.data);
	return problems.length > 0 ? problems.join(' ') : parsed.data;
}
