import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { Page } from '@playwright/test';
import { warekiDate } from '../../src/lib/model/fiscal-year.ts';
import { expect, openTable, saved, test } from './fixtures.ts';

/** The page's margin (app.css `@page`): 10 mm top and bottom; the footer is printed in it. */
const MARGIN = (10 / 25.4) * 72;

interface PdfPage {
	width: number;
	height: number;
	/** What is printed inside the margins, and in the bottom margin (the footer). */
	text: string;
	footer: string;
	/** How far down the page's printable height its text reaches (0 … 1). */
	filled: number;
}

/**
 * The PDF's fonts map some kanji to their radical look-alikes: NFKC brings back the Kangxi ones
 * (⽬ for 目), not those of the radicals supplement (⺠ for 民).
 */
const RADICALS: Record<string, string> = {
	'⺠': '民',
	'⻑': '長',
	'⻄': '西',
	'⻘': '青',
	'⻝': '食'
};
const norm = (text: string) =>
	text
		.normalize('NFKC')
		.replace(/[⺠⻑⻄⻘⻝]/g, (c) => RADICALS[c]!)
		.replace(/\s+/g, '');

/** Text and size of each page of a PDF, read with pdf.js (no system tools needed). */
async function readPdf(bytes: Buffer): Promise<PdfPage[]> {
	const pdf = await getDocument({ data: new Uint8Array(bytes), useSystemFonts: false }).promise;
	const pages = [];
	for (let n = 1; n <= pdf.numPages; n++) {
		const page = await pdf.getPage(n);
		const { width, height } = page.getViewport({ scale: 1 });
		const content = await page.getTextContent();
		let text = '';
		let footer = '';
		let lowest = height;
		for (const item of content.items) {
			if (!('str' in item) || item.str.trim() === '') continue;
			// transform[5]: the baseline's height above the page's bottom edge.
			const y = item.transform[5] as number;
			if (y < MARGIN) footer += item.str;
			else {
				text += item.str;
				lowest = Math.min(lowest, y);
			}
		}
		const top = height - MARGIN;
		const filled = (top - lowest) / (top - MARGIN);
		pages.push({ width, height, text: norm(text), footer: norm(footer), filled });
	}
	await pdf.destroy();
	return pages;
}

/** Prints the page as the browser's 「PDF に保存」 does, with the CSS page size. */
async function print(page: Page): Promise<PdfPage[]> {
	return readPdf(await page.pdf({ preferCSSPageSize: true, printBackground: true }));
}

const TITLE = '令和2年度第3次基本計画に係る取り組み事項進行管理表';

test('the print view gives A4 landscape pages with the header row on each', async ({
	page,
	baseUrl,
	tableId
}) => {
	await page.goto(`${baseUrl}/t/${tableId}`);
	await expect(page.locator('[data-sync-state="saved"]')).toBeVisible();
	const pages = await print(page);
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
	expect(pages[0]!.text).toContain(TITLE);
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

test('every printed page has its number of the total and the print date, and none but the last is near-empty', async ({
	page,
	baseUrl,
	tableId
}) => {
	// Opened on one day and printed days later: the date is the day it is printed.
	await page.clock.setFixedTime(new Date(2026, 3, 28, 10));
	await page.goto(`${baseUrl}/t/${tableId}`);
	await saved(page);
	const footer = () => page.locator('style[data-print-info]').textContent();
	await expect.poll(footer).toContain('印刷日 令和8年4月28日');
	await page.clock.setFixedTime(new Date(2026, 4, 1, 10));
	const pages = await print(page);
	expect(pages.length).toBeGreaterThan(3);
	for (const [n, p] of pages.entries()) {
		expect(p.footer, `page ${n + 1}`).toContain(`${TITLE}印刷日令和8年5月1日`);
		expect(p.footer, `page ${n + 1}`).toContain(`${n + 1}/${pages.length}ページ`);
	}
	// Items are kept whole on a page, but no page is left holding a row or two (the KPIs, forced
	// onto a page of their own, once left the table's last page nearly empty).
	for (const [n, p] of pages.slice(0, -1).entries()) {
		expect(p.filled, `page ${n + 1} of ${pages.length}`).toBeGreaterThan(1 / 3);
	}
	expect(pages.at(-1)!.text).toContain('<計画期間の目標>');
});

test('a filtered view prints its items only, under a note saying what the filter is', async ({
	page,
	baseUrl,
	tableId
}) => {
	await openTable(page, baseUrl, tableId);
	const titleOf = async () =>
		new Map(
			await page
				.locator('[data-item-id]')
				.evaluateAll((items) =>
					items.map((i) => [
						i.getAttribute('data-item-id')!,
						i.querySelector('[data-field="title"]')!.textContent!
					])
				)
		);
	const allTitles = await titleOf();
	expect(allTitles.size).toBe(68);

	await page.goto(`${baseUrl}/t/${tableId}?dept=総務&mark=×`);
	await saved(page);
	const shownTitles = await titleOf();
	const shown = shownTitles.size;
	expect(shown).toBeGreaterThan(1);
	expect(shown).toBeLessThan(68);
	await expect(page.locator('[data-shown]')).toHaveAttribute('data-shown', String(shown));
	const shownText = norm((await page.locator('[data-item-id]').allTextContents()).join(''));

	const pages = await print(page);
	const text = pages.map((p) => p.text).join('');
	for (const title of shownTitles.values()) expect(text).toContain(norm(title));
	// A title left out is nowhere on the paper (unless a printed item quotes it).
	const hidden = [...allTitles]
		.filter(([id]) => !shownTitles.has(id))
		.map(([, title]) => norm(title))
		.filter((title) => !shownText.includes(title));
	expect(hidden.length).toBeGreaterThan(50);
	for (const title of hidden) expect(text).not.toContain(title);

	const note = norm(`絞り込み表示：担当課＝総務、進行管理＝× 未実施（${shown} / 68 項目）`);
	expect(pages[0]!.text).toContain(`${TITLE}${note}`);
	for (const [n, p] of pages.entries()) {
		if (n > 0) expect(p.text, `page ${n + 1}`).not.toContain('絞り込み表示');
		// A page on its own still says it is not the whole table.
		expect(p.footer, `page ${n + 1}`).toContain(`${TITLE}(絞り込み表示)印刷日`);
		expect(p.footer, `page ${n + 1}`).toContain(`${n + 1}/${pages.length}ページ`);
	}
	for (const [n, p] of pages.slice(0, -1).entries()) {
		expect(p.filled, `page ${n + 1} of ${pages.length}`).toBeGreaterThan(1 / 3);
	}
});

test('the summary prints with the same footer, in Japanese and in English', async ({
	page,
	baseUrl,
	tableId
}) => {
	await page.goto(`${baseUrl}/t/${tableId}/summary`);
	await expect(page.locator('[data-crosses] li').first()).toBeVisible();
	const before = Date.now();
	const pages = await print(page);
	const dates = [warekiDate(before), warekiDate(Date.now())].map(norm);
	expect(pages[0]!.text).toContain(`進行管理の集計—${TITLE}`);
	for (const [n, p] of pages.entries()) {
		expect(p.footer, `page ${n + 1}`).toContain(`進行管理の集計—${TITLE}印刷日`);
		expect(
			dates.some((d) => p.footer.includes(`印刷日${d}`)),
			p.footer
		).toBe(true);
		expect(p.footer, `page ${n + 1}`).toContain(`${n + 1}/${pages.length}ページ`);
	}

	await page.evaluate(() => localStorage.setItem('shinko:locale', 'en'));
	await page.reload();
	await expect(page.locator('[data-crosses] li').first()).toBeVisible();
	const english = await print(page);
	const day = (at: number) =>
		new Date(at).toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric' });
	const printed = [day(before), day(Date.now())].map((d) => norm(`printed ${d}`));
	for (const [n, p] of english.entries()) {
		expect(p.footer, `page ${n + 1}`).toContain(`Progresssummary—${TITLE}·printed`);
		expect(
			printed.some((d) => p.footer.includes(d)),
			p.footer
		).toBe(true);
		expect(p.footer, `page ${n + 1}`).toContain(`Page${n + 1}of${english.length}`);
	}
});
