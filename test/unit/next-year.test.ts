import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseTextTable } from '../../src/lib/import/text-table.ts';
import { emptySheet, nextYearSheet, nextYearTitle } from '../../src/lib/model/next-year.ts';
import { sheetSchema } from '../../src/lib/model/schema.ts';

const sheet = parseTextTable(
	readFileSync(new URL('../../server/seed/r2-progress-table.txt', import.meta.url), 'utf8')
);
const items = (s: typeof sheet) => s.pillars.flatMap((p) => p.sections).flatMap((x) => x.items);

describe('next year', () => {
	it('copies the plan, clears marks and notes, and moves the year on', () => {
		const next = nextYearSheet(sheet);
		expect(next.fiscalYear).toBe(2021);
		expect(next.title).toBe('令和3年度 第3次基本計画に係る取り組み事項進行管理表');
		expect(items(next)).toHaveLength(68);
		expect(items(next).every((i) => i.note === '' && i.marks.every((m) => m === ''))).toBe(true);
		expect(items(next).map((i) => [i.title, i.content, i.departments, i.plans])).toEqual(
			items(sheet).map((i) => [i.title, i.content, i.departments, i.plans])
		);
		expect(next.kpis).toEqual(sheet.kpis);
		expect(sheetSchema.safeParse(next).success).toBe(true);
		expect(items(sheet)[0]!.note).not.toBe(''); // the source is untouched
	});

	it('keeps marks and notes when asked', () => {
		const next = nextYearSheet(sheet, { keepMarks: true, keepNotes: true });
		expect(items(next).map((i) => [i.marks, i.note])).toEqual(
			items(sheet).map((i) => [i.marks, i.note])
		);
	});

	it('updates era and western years in titles', () => {
		expect(nextYearTitle('令和元年度 進行管理表', 2019)).toBe('令和2年度 進行管理表');
		expect(nextYearTitle('平成30年度 表', 2018)).toBe('令和元年度 表');
		expect(nextYearTitle('2020年度 表', 2020)).toBe('2021年度 表');
		expect(nextYearTitle('進行管理表', 2020)).toBe('令和3年度 進行管理表');
	});

	it('makes a valid empty table', () => {
		expect(sheetSchema.safeParse(emptySheet('令和3年度 進行管理表', 2021)).success).toBe(true);
	});
});
