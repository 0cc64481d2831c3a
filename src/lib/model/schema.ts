// The plain JSON form of a table (SheetJSON): import, export, backup and tests go through it.
import { z } from 'zod/mini';
import en from 'zod/v4/locales/en.js';
import { MARKS } from './marks.ts';
import { DOC_ID, SCHEMA_VERSION } from './sheet-constants.ts';

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

export const markSchema = z.enum(MARKS);
/** '' = not yet assessed; an array = competing marks while in conflict. */
export const markCellSchema = z.union([
	z.literal(''),
	markSchema,
	z.array(markSchema).check(z.minLength(2))
]);

const idSchema = z.string().check(z.minLength(1), z.maxLength(64));
const upTo = (n: number) => z.string().check(z.maxLength(n));
const text = upTo(100_000);
// z.number() takes finite numbers only.
const amount = z.nullable(z.number());

export const itemSchema = z.object({
	id: idSchema,
	no: upTo(16),
	title: text,
	content: text,
	departments: z.array(z.string().check(z.minLength(1), z.maxLength(32))).check(z.maxLength(16)),
	yearPlan: text,
	plans: z.tuple([text, text, text, text]),
	marks: z.tuple([markCellSchema, markCellSchema, markCellSchema, markCellSchema]),
	note: text
});

export const sectionSchema = z.object({
	id: idSchema,
	no: upTo(16),
	title: text,
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
	years: z.array(kpiYearSchema).check(z.maxLength(50))
});

export const sheetSchema = z.object({
	schemaVersion: z.literal(SCHEMA_VERSION),
	title: upTo(500),
	planName: upTo(200),
	organisation: upTo(200),
	fiscalYear: year,
	quarterLabels: z.tuple([z.string(), z.string(), z.string(), z.string()]),
	pillars: z.array(pillarSchema).check(z.maxLength(100)),
	kpis: z.array(kpiSchema).check(z.maxLength(200))
});

export type MarkCell = z.infer<typeof markCellSchema>;
export type ItemJSON = z.infer<typeof itemSchema>;
export type SectionJSON = z.infer<typeof sectionSchema>;
export type PillarJSON = z.infer<typeof pillarSchema>;
export type KpiYearJSON = z.infer<typeof kpiYearSchema>;
export type KpiJSON = z.infer<typeof kpiSchema>;
export type SheetJSON = z.infer<typeof sheetSchema>;
