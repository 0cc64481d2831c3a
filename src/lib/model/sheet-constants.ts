// The constants of the SheetJSON format, apart from its zod schema (schema.ts), so the table page
// can use them without loading the schema.

export const SCHEMA_VERSION = 2;

export const DOC_ID = /^[A-Za-z0-9_-]{1,64}$/;

export const QUARTER_LABELS: [string, string, string, string] = [
	'～6月',
	'～9月',
	'～12月',
	'～3月'
];
export const DEPARTMENTS = ['総務', '事業'] as const;
export const YEAR_PLANS = ['実施', '一部実施', '拡充', '検討', '継続'] as const;
