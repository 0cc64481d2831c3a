// The plain JSON form of a table (SheetJSON): import, export, backup and tests go through it.
//
// Version 2 carries the table's shape (model/shape.ts): its periods, mark scale, departments,
// heading levels and added columns, and one plan and one mark per period on each item. Version 1
// (four quarters, the marks ○ ◎ △ × —) is what older backups hold; parseSheet reads both.
import { z } from 'zod/mini';
import en from 'zod/v4/locales/en.js';
import { DOC_ID, SCHEMA_VERSION } from './sheet-constants.ts';
import { EXTRA_COLUMN_KEY, LIMITS, STANDARD_COLUMNS, TONES } from './shape.ts';

// zod's English messages, as the full zod set them (import errors quote them).
z.config(en());

export {
	DEPARTMENTS,
	DOC_ID,
	QUARTER_LABELS,
	SCHEMA_VERSION,
	YEAR_PLANS
} from './sheet-constants.ts';
export const docIdSchema = z.string().check(z.regex(DOC_ID));

/** A mark as a cell holds it: one of the table's scale (checked against it by sheetProblems). */
export const markSchema = z.string().check(z.minLength(1), z.maxLength(LIMITS.mark * 2));
/** '' = not yet assessed; an array = competing marks while in conflict. */
export const markCellSchema = z.union([
	z.literal(''),
	markSchema,
	z.array(markSchema).check(z.minLength(2), z.maxLength(LIMITS.marks.max))
]);

const idSchema = z.string().check(z.minLength(1), z.maxLength(64));
const upTo = (n: number) => z.string().check(z.maxLength(n));
const text = upTo(100_000);
const label = z.string().check(z.minLength(1), z.maxLength(LIMITS.label * 2));
// z.number() takes finite numbers only.
const amount = z.nullable(z.number());
const departmentName = z.string().check(z.minLength(1), z.maxLength(32));

export const itemSchema = z.object({
	id: idSchema,
	no: upTo(16),
	title: text,
	content: text,
	departments: z.array(departmentName).check(z.maxLength(16)),
	yearPlan: text,
	/** One per period of the table, in its order. */
	plans: z.array(text).check(z.maxLength(LIMITS.periods.max)),
	marks: z.array(markCellSchema).check(z.maxLength(LIMITS.periods.max)),
	note: text,
	/** The added columns' texts, by the column's key. */
	extra: z._default(
		z.record(z.string().check(z.regex(EXTRA_COLUMN_KEY)), text),
		() => ({}) as Record<string, string>
	)
});

export const sectionSchema = z.object({
	id: idSchema,
	no: upTo(16),
	title: text,
	/** 3: a third-level heading, under the level-2 section before it (tables of three levels). */
	level: z.optional(z.literal(3)),
	items: z.array(itemSchema).check(z.maxLength(2000))
});

export const pillarSchema = z.object({
	id: idSchema,
	no: upTo(16),
	title: text,
	sections: z.array(sectionSchema).check(z.maxLength(200))
});

const year = z.int().check(z.minimum(1900), z.maximum(2200));

export const kpiYearSchema = z.object({
	label: upTo(64),
	fiscalYear: year,
	target: amount,
	actual: amount
});

export const kpiSchema = z.object({
	id: idSchema,
	name: upTo(200),
	unit: upTo(16),
	baseline: z.object({ label: upTo(64), value: amount }),
	target: amount,
	years: z.array(kpiYearSchema).check(z.maxLength(50)),
	/** A target to stay under (事故件数): the rate is target ÷ actual. Absent: higher is better. */
	lowerIsBetter: z.optional(z.boolean())
});

export const markScaleEntrySchema = z.object({
	mark: markSchema,
	label,
	tone: z.enum(TONES),
	/** The key typed on a focused mark cell to set it ('' or absent: none). */
	key: z._default(upTo(2), ''),
	/** A mark taken off the scale that cells still hold: shown as not in the scale. */
	removed: z.optional(z.boolean())
});

const columnLabelsSchema = z.partialRecord(z.enum(STANDARD_COLUMNS), upTo(LIMITS.label * 2));

export const sheetSchema = z.object({
	schemaVersion: z.literal(SCHEMA_VERSION),
	title: upTo(500),
	planName: upTo(200),
	organisation: upTo(200),
	fiscalYear: year,
	/** The names of the heading levels above an item, outermost first. */
	levelLabels: z.array(label).check(z.minLength(1), z.maxLength(LIMITS.levels.max)),
	periodLabels: z.array(label).check(z.minLength(1), z.maxLength(LIMITS.periods.max)),
	markScale: z
		.array(markScaleEntrySchema)
		.check(z.minLength(1), z.maxLength(LIMITS.scaleWithRemoved)),
	/** The table's list of departments. */
	departments: z.array(departmentName).check(z.maxLength(LIMITS.departments)),
	/** Headings of the standard columns where the table renamed them. */
	columnLabels: z._default(columnLabelsSchema, () => ({})),
	extraColumns: z._default(
		z
			.array(z.object({ key: z.string().check(z.regex(EXTRA_COLUMN_KEY)), label }))
			.check(z.maxLength(LIMITS.extraColumns)),
		() => []
	),
	pillars: z.array(pillarSchema).check(z.maxLength(100)),
	kpis: z.array(kpiSchema).check(z.maxLength(200))
});

// ── Version 1, as older backups and exports hold it ──────────────────────────────────────────

export const V1_MARKS = ['○', '◎', '△', '×', '—'] as const;
const v1Mark = z.enum(V1_MARKS);
const v1MarkCell = z.union([z.literal(''), v1Mark, z.array(v1Mark).check(z.minLength(2))]);

export const itemV1Schema = z.object({
	id: idSchema,
	no: upTo(16),
	title: text,
	content: text,
	departments: z.array(departmentName).check(z.maxLength(16)),
	yearPlan: text,
	plans: z.tuple([text, text, text, text]),
	marks: z.tuple([v1MarkCell, v1MarkCell, v1MarkCell, v1MarkCell]),
	note: text
});

export const sheetV1Schema = z.object({
	schemaVersion: z.literal(1),
	title: upTo(500),
	planName: upTo(200),
	organisation: upTo(200),
	fiscalYear: year,
	quarterLabels: z.tuple([z.string(), z.string(), z.string(), z.string()]),
	pillars: z
		.array(
			z.object({
				id: idSchema,
				no: upTo(16),
				title: text,
				sections: z
					.array(
						z.object({
							id: idSchema,
							no: upTo(16),
							title: text,
							items: z.array(itemV1Schema).check(z.maxLength(2000))
						})
					)
					.check(z.maxLength(200))
			})
		)
		.check(z.maxLength(100)),
	kpis: z.array(kpiSchema).check(z.maxLength(200))
});

export type MarkCell = z.infer<typeof markCellSchema>;
export type ItemJSON = z.infer<typeof itemSchema>;
export type SectionJSON = z.infer<typeof sectionSchema>;
export type PillarJSON = z.infer<typeof pillarSchema>;
export type KpiYearJSON = z.infer<typeof kpiYearSchema>;
export type KpiJSON = z.infer<typeof kpiSchema>;
export type MarkScaleEntry = z.infer<typeof markScaleEntrySchema>;
export type SheetJSON = z.infer<typeof sheetSchema>;
export type SheetV1JSON = z.infer<typeof sheetV1Schema>;
