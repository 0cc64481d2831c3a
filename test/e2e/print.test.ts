import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { expect, test } from './fixtures.ts';

/** Text and size of each page of a PDF, read with pdf.js (no system tools needed). */
async function readPdf(bytes: Buffer): Promise<{ width: number; height: number; text: string }[]> {
	const pdf = await getDocument({ data: new Uint8Array(bytes), useSystemFonts: false }).promise;
	const pages = [];
	for (let n = 1; n <= pdf.numPages; n++) {
		const page = await pdf.getPage(n);
		const { width, height } = page.getViewport({ scale: 1 });
		const content = await page.getTextContent();
		const text = content.items.map((i) => ('str' in i ? i.str : '')).join('');
		// NFKC: the PDF's fonts map some kanji to their Kangxi-radical look-alikes (⽬ for 目).
		pages.push({ width, height, text: text.normalize('NFKC').replace(/\s+/g, '') });
	}
	await pdf.destroy();
	return pages;
}

test('the print view gives A4 landscape pages with the header row on each', async ({
	page,
	baseUrl,
	tableId
}) => {
	await page.goto(`${baseUrl}/t/${tableId}`);
	await expect(page.locator('[data-sync-state="saved"]')).toBeVisible();
	const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
	const pages = await readPdf(pdf);
	expect(pages.length).toBeGreaterThan(3);
	const tablePages = pages.filter((p) => !p.text.includes('<計画期間の目標>'));
	for (const [n, p] of pages.entries()) {
		// A4 landscape: 297 × 210 mm = 842 × 595 pt.
		expect(Math.round(p.width), `page ${n + 1}`).toBe(842);
		expect(Math.round(p.height), `page ${n + 1}`).toBe(595);
	}
	for (const [n, p] of tablePages.entries()) {
		expect(p.text, `page ${n + 1}`).toContain('取り組み項目具体的内容担当課');
		expect(p.text, `page ${n + 1}`).toContain('達成状況及び今後の方針');
	}
	// Nothing of the screen's chrome is printed, and the title is.
	expect(pages[0]!.text).toContain('令和2年度第3次基本計画に係る取り組み事項進行管理表');
	expect(pages.map((p) => p.text).join('')).not.toContain('書き出し・印刷');
	// Each item is on one page, whole: its title and its 進行管理 row together.
	const all = pages.map((p) => p.text);
	for (const title of [
		'ホームページからの入会説明会参加予約',
		'事務経費の節減',
		'他都市の実施状況の調査'
	]) {
		expect(
			all.filter((t) => t.includes(title)),
			title
		).toHaveLength(1);
	}
});
