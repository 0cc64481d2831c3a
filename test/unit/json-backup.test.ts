import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { sheetToJson } from '../../src/lib/export/json.ts';
import { JsonImportError, parseJsonBackup } from '../../src/lib/import/json.ts';
import { parseTextTable } from '../../src/lib/import/text-table.ts';
import type { SheetJSON, SheetV1JSON } from '../../src/lib/model/schema.ts';
import { sheetShapeFields } from '../../src/lib/model/sheet-shape.ts';
import { REFERENCE_SHAPE } from '../../src/lib/model/shape.ts';
import { shapeFieldsOf } from '../helpers/sheet.ts';

const reference = parseTextTable(
	readFileSync(new URL('../../server/seed/r2-progress-table.txt', import.meta.url), 'utf8')
);

function importError(text: string): JsonImportError {
	try {
		parseJsonBackup(text);
	} catch (error) {
		if (error instanceof JsonImportError) return error;
		throw error;
	}
	throw new Error('expected a JsonImportError, but the backup was imported');
}

/** The reference backup as a plain object to break in one place. */
function backup(): Record<string, unknown> & typeof reference {
	return JSON.parse(sheetToJson(reference));
}

/** `sheet` as a version 1 backup held it: four quarterLabels, no shape, no added columns. */
function v1Backup(sheet: SheetJSON): SheetV1JSON {
	type V1Item = SheetV1JSON['pillars'][number]['sections'][number]['items'][number];
	return {
		schemaVersion: 1,
		title: sheet.title,
		planName: sheet.planName,
		organisation: sheet.organisation,
		fiscalYear: sheet.fiscalYear,
		quarterLabels: sheet.periodLabels as SheetV1JSON['quarterLabels'],
		pillars: sheet.pillars.map((pillar) => ({
			...pillar,
			sections: pillar.sections.map((section) => ({
				...section,
				items: section.items.map((item): V1Item => ({
					id: item.id,
					no: item.no,
					title: item.title,
					content: item.content,
					departments: item.departments,
					yearPlan: item.yearPlan,
					plans: item.plans as V1Item['plans'],
					marks: item.marks as V1Item['marks'],
					note: item.note
				}))
			}))
		})),
		kpis: sheet.kpis
	};
}

describe('sheetToJson / parseJsonBackup', () => {
	it('round-trips the reference table', () => {
		const text = sheetToJson(reference);
		expect(text.endsWith('}\n')).toBe(true);
		expect(text.split('\n')[1]).toBe('  "schemaVersion": 2,');
		expect(parseJsonBackup(text)).toStrictEqual(reference);
		expect(parseJsonBackup(`\uFEFF${text}`)).toStrictEqual(reference);
	});

	it('round-trips conflicts and null KPI values', () => {
		const sheet = structuredClone(reference);
		sheet.pillars[0]!.sections[0]!.items[0]!.marks = [['○', '×'], '', '—', '◎'];
		sheet.kpis[0]!.years[4]!.actual = null;
		expect(parseJsonBackup(sheetToJson(sheet))).toStrictEqual(sheet);
	});

	it('refuses a __proto__ key without polluting any prototype', () => {
		const text = sheetToJson(reference).replace(
			'"id": "p1",',
			'"__proto__": { "polluted": "yes" }, "id": "p1",'
		);
		const error = importError(text);
		expect(error.path).toBe('pillars[0].__proto__');
		expect(error.message).toContain('__proto__');
		expect(({} as Record<string, unknown>).polluted).toBeUndefined();
		expect(Object.prototype).not.toHaveProperty('polluted');
	});

	it('refuses constructor and prototype keys too', () => {
		expect(importError('{"constructor": {"prototype": {"x": 1}}}').path).toBe('constructor');
		expect(importError('{"a": [{"prototype": 1}]}').path).toBe('a[0].prototype');
	});

	it('refuses deep nesting before anything recurses', () => {
		const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
		expect(importError(deep).message).toContain('入れ子が深すぎます');
		const nested = `{"a":${'{"a":'.repeat(40)}1${'}'.repeat(41)}`;
		expect(importError(nested).message).toContain('32段まで');
		// Brackets inside strings are text, not nesting.
		const sheet = structuredClone(reference);
		sheet.pillars[0]!.sections[0]!.items[0]!.note = '['.repeat(100);
		expect(parseJsonBackup(sheetToJson(sheet))).toStrictEqual(sheet);
	});

	it('refuses a mark not in the scale, naming the item and the period', () => {
		const sheet = backup();
		(sheet.pillars[0]!.sections[2]!.items[0]!.marks as unknown[])[3] = '◇';
		const error = importError(JSON.stringify(sheet));
		expect(error.path).toBe('pillars[0].sections[2].items[0].marks[3]');
		expect(error.message).toBe(
			'pillars[0].sections[2].items[0].marks[3]: 項目「①女性会員募集チラシの配布」の「～3月」の評価「◇」は評価の記号（○ ◎ △ × —）にありません。'
		);
	});

	it('refuses a mark that is not text, with the marks the sheet itself allows', () => {
		const sheet = backup();
		sheet.markScale = sheet.markScale.slice(0, 2);
		(sheet.pillars[0]!.sections[0]!.items[0]!.marks as unknown[])[1] = 3;
		const error = importError(JSON.stringify(sheet));
		expect(error.path).toBe('pillars[0].sections[0].items[0].marks[1]');
		expect(error.message).toContain('評価は ○ ◎ または空欄');
	});

	it('refuses items whose marks do not match the periods', () => {
		const sheet = backup();
		sheet.pillars[1]!.sections[0]!.items[1]!.marks.pop();
		const error = importError(JSON.stringify(sheet));
		expect(error.path).toBe('pillars[1].sections[0].items[1].marks');
		expect(error.message).toContain(
			'期間ごとの評価が3つあります。期間は4つです（～6月・～9月・～12月・～3月）'
		);
	});

	it('refuses a shape that cannot work, and a newer format, saying so', () => {
		const sheet = backup();
		sheet.periodLabels = ['～6月', '～6月', '～12月', '～3月'];
		expect(importError(JSON.stringify(sheet)).message).toContain('期間「～6月」が二つあります');
		const newer = { ...backup(), schemaVersion: 3 };
		const error = importError(JSON.stringify(newer));
		expect(error.path).toBe('schemaVersion');
		expect(error.message).toContain('新しい Shinko');
	});

	it('reads a version 1 backup as the reference shape', () => {
		const old = v1Backup(reference);
		expect(old.schemaVersion).toBe(1);
		expect(old).not.toHaveProperty('periodLabels');
		const sheet = parseJsonBackup(JSON.stringify(old, null, 2));
		expect(sheet).toStrictEqual(reference);
		expect(shapeFieldsOf(sheet)).toEqual(sheetShapeFields(REFERENCE_SHAPE));
	});

	it('keeps a version 1 backup’s own quarter labels and departments', () => {
		const sheet = structuredClone(reference);
		sheet.periodLabels = ['4～6月', '7～9月', '10～12月', '1～3月'];
		sheet.pillars[0]!.sections[0]!.items[0]!.departments = ['総務', '広報'];
		const read = parseJsonBackup(JSON.stringify(v1Backup(sheet)));
		expect(read.periodLabels).toEqual(['4～6月', '7～9月', '10～12月', '1～3月']);
		expect(read.departments).toEqual(['総務', '事業', '広報']);
		expect(read.pillars).toStrictEqual(sheet.pillars);
	});

	it('refuses a version 1 backup’s unknown mark with the marks version 1 had', () => {
		const old = v1Backup(reference);
		(old.pillars[0]!.sections[2]!.items[0]!.marks as unknown[])[3] = 'S';
		const error = importError(JSON.stringify(old));
		expect(error.path).toBe('pillars[0].sections[2].items[0].marks[3]');
		expect(error.message).toBe(
			'pillars[0].sections[2].items[0].marks[3]: 評価は ○ ◎ △ × — または空欄（競合中は2つ以上の評価の配列）です'
		);
		const short = v1Backup(reference);
		short.pillars[0]!.sections[0]!.items[0]!.marks.pop();
		const tooFew = importError(JSON.stringify(short));
		expect(tooFew.path).toBe('pillars[0].sections[0].items[0].marks');
		expect(tooFew.message).toContain('足りません（期間ごとに1つずつ（4つ）です）');
	});

	it('refuses a wrong type with its path in plain Japanese', () => {
		const sheet = backup();
		(sheet.kpis[1] as Record<string, unknown>).target = '12億円';
		const error = importError(JSON.stringify(sheet));
		expect(error.path).toBe('kpis[1].target');
		expect(error.message).toBe('kpis[1].target: 数値が必要ですが、文字列があります');
	});

	it('refuses text that is not JSON, saying where', () => {
		const error = importError('{\n  "title": "x",\n  "pillars": [1 2]\n}');
		expect(error.path).toBe('');
		expect(error.message).toMatch(/^JSON として読めません（3行目 \d+文字目）$/);
		expect(importError('').message).toContain('JSON として読めません');
		expect(importError('[]').message).toContain('オブジェクト');
	});

	it('refuses more than 5,000 items', () => {
		const sheet = backup();
		const section = sheet.pillars[0]!.sections[0]!;
		section.items = Array.from({ length: 5001 }, (_, index) => ({
			...section.items[0]!,
			id: `i${index}`
		}));
		expect(importError(JSON.stringify(sheet)).message).toContain('取り組み項目が多すぎます');
	});

	it('refuses a text over 20 MB', () => {
		const huge = `{"title": "${'あ'.repeat(7 * 1024 * 1024)}"}`;
		expect(importError(huge).message).toContain('大きすぎます');
		expect(importError(' '.repeat(20 * 1024 * 1024 + 1)).message).toContain('20 MB まで');
	});
});
