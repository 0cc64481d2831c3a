// The plain JSON form of a table (SheetJSON): import, export, backup and tests go through it.
import { z } from 'zod';
import { MARKS } from './marks.ts';

export const SCHEMA_VERSION = 1;

export const DOC_ID = /^[A-Za-z0-9_-]{1,64}$/;
export const docIdSchema = z.string().regex(DOC_ID);

export const markSchema = z.enum(MARKS);
/** '' = not yet assessed; an array = competing marks while in conflict. */
export const markCellSchema = z.union([z.literal(''), markSchema, z.array(markSchema).min(2)]);

const idSchema = z.string().min(1).max(64);
const text = z.string().max(100_000);

export const itemSchema = z.object({
	id: idSchema,
	no: z.string().max(16),
	title: text,
	content: text,
	departments: z.array(z.string().min(1).max(32)).max(16),
	yearPlan: text,
	plans: z.tuple([text, text, text, text]),
	marks: z.tuple([markCellSchema, markCellSchema, markCellSchema, markCellSchema]),
	note: text
});

export const sectionSchema = z.object({
	id: idSchema,
	no: z.string().max(16),
	title: text,
	items: z.array(itemSchema).max(2000)
});

export const pillarSchema = z.object({
	id: idSchema,
	no: z.string().max(16),
	title: text,
	sections: z.array(sectionSchema).max(200)
});

export const kpiYearSchema = z.object({
	label: z.string().max(64),
	fiscalYear: z.number().int().min(1900).max(2200),
	target: z.number().finite().nullable(),
	actual: z.number().finite().nullable()
});

export const kpiSchema = z.object({
	id: idSchema,
	name: z.string().max(200),
	unit: z.string().max(16),
	baseline: z.object({ label: z.string().max(64), value: z.number().finite().nullable() }),
	target: z.number().finite().nullable(),
	years: z.array(kpiYearSchema).max(50)
});

export const sheetSchema = z.object({
	schemaVersion: z.literal(SCHEMA_VERSION),
	title: z.string().max(500),
	planName: z.string().max(200),
	organisation: z.string().max(200),
	fiscalYear: z.number().int().min(1900).max(2200),
	quarterLabels: z.tuple([z.string(), z.string(), z.string(), z.string()]),
	pillars: z.array(pillarSchema).max(100),
	kpis: z.array(kpiSchema).max(200)
});

export type MarkCell = z.infer<typeof markCellSchema>;
export type ItemJSON = z.infer<typeof itemSchema>;
export type SectionJSON = z.infer<typeof sectionSchema>;
export type PillarJSON = z.infer<typeof pillarSchema>;
export type KpiYearJSON = z.infer<typeof kpiYearSchema>;
export type KpiJSON = z.infer<typeof kpiSchema>;
export type SheetJSON = z.infer<typeof sheetSchema>;

export const QUARTER_LABELS: SheetJSON['quarterLabels'] = ['～6月', '～9月', '～12月', '～3月'];
export const DEPARTMENTS = ['総務', '事業'] as const;
export const YEAR_PLANS = ['実施', '一部実施', '拡充', '検討', '継続'] as const;
