import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { sheetToJson } from '../../src/lib/export/json.ts';
import { JsonImportError, parseJsonBackup } from '../../src/lib/import/json.ts';
import { parseTextTable } from '../../src/lib/import/text-table.ts';

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

describe('sheetToJson / parseJsonBackup', () => {
	it('round-trips the reference table', () => {
		const text = sheetToJson(reference);
		expect(text.endsWith('}\n')).toBe(true);
		expect(text.split('\n')[1]).toBe('  "schemaVersion": 1,');
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

	it('refuses an invalid mark with its path', () => {
		const sheet = backup();
		(sheet.pillars[0]!.sections[2]!.items[0]!.marks as unknown[])[3] = '◇';
		const error = importError(JSON.stringify(sheet));
		expect(error.path).toBe('pillars[0].sections[2].items[0].marks[3]');
		expect(error.message).toBe(
			'pillars[0].sections[2].items[0].marks[3]: 進行管理のマークは ○ ◎ △ × — または空欄（競合中は2つ以上のマークの配列）です'
		);
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
