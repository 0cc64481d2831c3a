// The published PDF (printed by Chromium from the published A4 landscape layout) imports as the
// reference table: cells rebuilt from the ruling lines and the text's positions, tables continued
// over pages, the KPI table read. A scanned PDF and a PDF with no table are refused, saying why.
import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { importBytes, isImportError } from '../../src/lib/import/any.ts';
import { parseTextTable } from '../../src/lib/import/text-table.ts';
import type { SheetJSON } from '../../src/lib/model/schema.ts';
import { printPdf, publishedHtml, scannedPdf } from '../helpers/office-pdfs.ts';
import { tablesOf } from '../../src/lib/import/office/pdf-geometry.ts';

const reference = parseTextTable(
	readFileSync(new URL('../../server/seed/r2-progress-table.txt', import.meta.url), 'utf8')
);

/** Texts without spaces and line breaks: a PDF keeps neither where a line wraps. */
const flat = (text: string) => text.replace(/\s+/g, '');

function content(sheet: SheetJSON) {
	return {
		fiscalYear: sheet.fiscalYear,
		title: flat(sheet.title),
		periods: sheet.periodLabels,
		pillars: sheet.pillars.map((p) => ({
			heading: flat(p.no + p.title),
			sections: p.sections.map((s) => ({
				heading: flat(s.no + s.title),
				items: s.items.map((i) => [
					i.no,
					flat(i.title),
					flat(i.content),
					i.departments,
					i.yearPlan,
					...i.plans.map(flat),
					...i.marks,
					flat(i.note)
				])
			}))
		})),
		kpis: sheet.kpis.map((k) => [
			k.name,
			k.unit,
			k.baseline.value,
			k.target,
			...k.years.map((y) => [y.fiscalYear, y.target, y.actual])
		])
	};
}

async function failure(bytes: Uint8Array): Promise<Error> {
	const error = await importBytes(bytes).then(
		() => null,
		(e: unknown) => e
	);
	expect(isImportError(error), String(error)).toBe(true);
	return error as Error;
}

let published: Uint8Array;
beforeAll(async () => {
	published = await printPdf(publishedHtml(reference));
}, 60_000);

describe('a published PDF', { timeout: 60_000 }, () => {
	it('imports as the reference table, over its pages', async () => {
		const { sheet, office, format } = await importBytes(published);
		expect(format).toBe('pdf');
		expect(content(sheet)).toEqual(content(reference));
		expect(office!.counts).toEqual({ headings: 21, items: 68, kpis: 3 });
		expect(office!.notes.map((n) => n.text)).toContain('※括弧は年度実績');
		expect(office!.warnings).toEqual([]);
		// Where things are is said by page and line.
		expect(office!.notes[0]!.where).toMatch(/^\d+ページ \d+行目$/);
	});

	it('keeps a spelling of its own: marks and kanji as a person reads them', async () => {
		const { sheet } = await importBytes(published);
		const items = sheet.pillars.flatMap((p) => p.sections.flatMap((s) => s.items));
		expect(items.find((i) => i.id === 'p1s1i2')!.title).toBe('公民館などを活用した出張入会説明会');
		expect(sheet.periodLabels[0]).toBe('～6月');
	});

	it('reads it printed with page numbers and a print date in the margins, and says it left them out', async () => {
		const { sheet, office } = await importBytes(
			await printPdf(publishedHtml(reference), { footer: true })
		);
		expect(content(sheet)).toEqual(content(reference));
		expect(office!.warnings.map((w) => w.message).join()).toContain(
			'ページ番号・ヘッダー・フッター'
		);
	});

	it('reads dashed borders, and cells drawn each as a stroked frame', async () => {
		for (const css of [
			'th, td { border: 0.75pt dashed #000; }',
			'table { border-collapse: separate; border-spacing: 0; }'
		]) {
			const { sheet } = await importBytes(await printPdf(publishedHtml(reference, css)));
			expect(content(sheet), css).toEqual(content(reference));
		}
	});

	it('refuses a scanned PDF, saying it has no text', async () => {
		const error = await failure(await scannedPdf());
		expect(error.message).toContain('文字の情報がありません');
	});

	it('refuses a PDF that holds no progress table, naming what it looked for', async () => {
		const error = await failure(
			await printPdf(
				'<!doctype html><html lang="ja"><body><h1>議事録</h1><p>出席者 5名</p></body></html>'
			)
		);
		expect(error.message).toContain('進行管理表が見つかりません');
	});

	it('takes a grid finer than any table (graph paper) as no table, at once', () => {
		const lines = (n: number) =>
			Array.from({ length: n }, (_, i) => ({ at: 10 + i * 0.5 * 5, from: 0, to: 2500 }));
		expect(tablesOf(lines(1000), lines(1000))).toEqual([]);
	});

	it('refuses bytes that only start like a PDF', async () => {
		const error = await failure(new TextEncoder().encode('%PDF-1.7\n garbage'));
		expect(error.message).toContain('PDF として読めません');
	});
});
