// What the app says is true and does not hide what it marks (issue 24, "Safety and truth"): change
// markers leave the cell readable, the top bar stops saying オフライン once the server answers,
// 未送信 counts cells not keystrokes, the badge speaks only when it matters, the storage notice
// stays closed, and tables are named by their titles and told apart by when they were made.
import type { Page } from '@playwright/test';
import {
	badge,
	controlled,
	expect,
	newWindow,
	openTable,
	REFERENCE,
	test,
	twoWindowsOn
} from './fixtures.ts';

const note = (page: Page, item: string) =>
	page.locator(`[data-item-id="${item}"] [data-field="note"]`);
const mark = (page: Page, item: string, period: number) =>
	page.locator(`[data-item-id="${item}"] [data-mark="${period}"]`);

/**
 * The rectangles of text the change marker of `cell` paints (its own text and its ::before and
 * ::after), and of the cell's content (`content`): whether any of the first cross any of the second.
 */
async function markerCoversContent(page: Page, cellSelector: string, content: string) {
	return page.evaluate(
		([cellSelector, content]) => {
			const cell = document.querySelector(cellSelector)!;
			const painted = (el: Element) => {
				const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent!.trim());
				const pseudo = ['::before', '::after'].some((p) => {
					const c = getComputedStyle(el, p).content;
					return c !== 'none' && c !== 'normal' && c !== '""';
				});
				return (own || pseudo) && getComputedStyle(el).display !== 'none';
			};
			const marker = [...cell.querySelectorAll('[data-changed-by], [data-changed-by] *')].filter(
				painted
			);
			const range = document.createRange();
			range.selectNodeContents(cell.querySelector(content)!);
			const texts = [...range.getClientRects()];
			const cross = (a: DOMRect, b: DOMRect) =>
				a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
			return marker.some((el) => texts.some((r) => cross(el.getBoundingClientRect(), r)));
		},
		[cellSelector, content] as const
	);
}

test('a change marker never covers the mark or the text it highlights, and says who and when to a screen reader', async ({
	browser,
	baseUrl,
	tableId
}) => {
	const [a, b] = await twoWindowsOn(browser, baseUrl, tableId);
	await note(a, 'p4s2i4').dblclick();
	await a.keyboard.type('（追記）');
	await a.keyboard.press('Enter');
	await mark(a, 'p4s2i4', 3).focus();
	await a.keyboard.press('x');
	await b.locator('select[name="highlight"]').selectOption('hour');
	await expect(mark(b, 'p4s2i4', 3).locator('[data-changed-by]')).toHaveAttribute(
		'data-changed-by',
		'管理者'
	);
	await expect(note(b, 'p4s2i4').locator('[data-changed-by]')).toHaveAttribute(
		'data-changed-by',
		'管理者'
	);
	await expect(mark(b, 'p4s2i4', 3)).toHaveText('×');
	expect(
		await markerCoversContent(b, '[data-item-id="p4s2i4"] [data-mark="3"]', '[data-value]')
	).toBe(false);
	expect(
		await markerCoversContent(b, '[data-item-id="p4s2i4"] [data-field="note"]', '.value')
	).toBe(false);
	// Who and when: in the tooltip, and as the cell's description.
	for (const cell of [mark(b, 'p4s2i4', 3), note(b, 'p4s2i4')]) {
		await expect(cell.locator('[data-changed-by] [title]')).toHaveAttribute(
			'title',
			/^管理者 が .+ に変更$/
		);
		await expect(cell).toHaveAccessibleDescription(/管理者 が .+ に変更/);
	}
	await b.locator('select[name="highlight"]').selectOption('off');
	await expect(b.locator('[data-changed-by]')).toHaveCount(0);
	await expect(mark(b, 'p4s2i4', 3)).not.toHaveAttribute('aria-describedby');
	await a.context().close();
	await b.context().close();
});

test('a page loaded offline stops saying オフライン within seconds of the network coming back, however long it was offline', async ({
	browser,
	baseUrl,
	tableId
}) => {
	const page = await newWindow(browser);
	const context = page.context();
	await page.goto(baseUrl);
	await expect(page.locator(`a[data-table-id="${tableId}"]`)).toBeVisible();
	await controlled(page);
	await page.clock.install();
	await context.setOffline(true);
	await page.reload();
	const user = page.locator('[data-user]');
	await expect(user).toContainText('オフライン');
	// A page loaded offline hears no 'online' event when the network comes back (its
	// navigator.onLine says true all along): only asking the server again tells. Some minutes
	// offline, each check failing in turn:
	for (let i = 0; i < 7; i++) {
		await page.clock.fastForward(60_000);
		await page.waitForTimeout(200);
	}
	await context.setOffline(false);
	await expect(user).not.toContainText('オフライン', { timeout: 7000 });
	await context.close();
});

test('ten characters typed offline into one cell are one unsent edit, not ten', async ({
	browser,
	baseUrl,
	tableId
}) => {
	const page = await newWindow(browser);
	const context = page.context();
	await openTable(page, baseUrl, tableId);
	await controlled(page);
	await context.setOffline(true);
	await expect(badge(page)).toHaveAttribute('data-sync-state', 'offline');
	await note(page, 'p2s2i1').dblclick();
	await page.keyboard.type('0123456789');
	await page.keyboard.press('Enter');
	const pending = page.locator('[data-pending]');
	await expect(pending).toHaveAttribute('data-pending', '1');
	await expect(badge(page)).toContainText('未送信 1 件');
	// A second cell is a second edit; a reload still counts cells.
	await mark(page, 'p2s2i1', 2).focus();
	await page.keyboard.press('o');
	await expect(pending).toHaveAttribute('data-pending', '2');
	await page.reload();
	await expect(page.locator('[data-pending]')).toHaveAttribute('data-pending', '2');
	await context.setOffline(false);
	await expect(badge(page)).toHaveAttribute('data-sync-state', 'saved');
	await context.close();
});

/** Counts, from now, the changes of text of every live region of the page. */
async function countAnnouncements(page: Page): Promise<void> {
	await page.evaluate(() => {
		const live =
			'[aria-live]:not([aria-live="off"]), [role="status"], [role="alert"], [role="log"]';
		const last = new Map<Element, string>();
		for (const region of document.querySelectorAll(live)) last.set(region, region.textContent!);
		const w = window as unknown as { announced: string[] };
		w.announced = [];
		new MutationObserver((records) => {
			const regions = new Set<Element>();
			for (const r of records) {
				const node = r.target instanceof Element ? r.target : r.target.parentElement;
				const region = node?.closest(live);
				if (region) regions.add(region);
			}
			for (const region of regions) {
				const text = region.textContent!;
				if (text !== (last.get(region) ?? '')) w.announced.push(text.trim());
				last.set(region, text);
			}
		}).observe(document.body, { subtree: true, childList: true, characterData: true });
	});
}

const announced = (page: Page) =>
	page.evaluate(() => (window as unknown as { announced: string[] }).announced);

test('the sync badge is not read out at each keystroke, only when going offline and back', async ({
	browser,
	baseUrl,
	tableId
}) => {
	const page = await newWindow(browser);
	const context = page.context();
	await openTable(page, baseUrl, tableId);
	await controlled(page);
	await countAnnouncements(page);
	await note(page, 'p3s1i1').dblclick();
	for (const char of 'あいうえおかきくけこさしすせそたちつてと') {
		await page.keyboard.type(char);
		await page.waitForTimeout(120);
	}
	await page.keyboard.press('Enter');
	await expect(badge(page)).toHaveAttribute('data-sync-state', 'saved');
	await page.waitForTimeout(2000);
	expect((await announced(page)).length).toBeLessThanOrEqual(2);

	// Going offline and coming back are said, once each.
	const region = page.locator('[data-sync-announce]');
	await context.setOffline(true);
	await expect(region).toHaveText(/オフライン/);
	await context.setOffline(false);
	await expect(region).toHaveText('すべての変更をサーバーに保存しました。');
	await expect(region).toHaveRole('status');

	// The time beside 保存済み reads at AA contrast on the badge.
	const ratio = await badge(page).evaluate((el) => {
		const rgb = (c: string) =>
			c
				.match(/[\d.]+/g)!
				.slice(0, 3)
				.map(Number);
		const lum = (c: string) => {
			const [r, g, b] = rgb(c).map((v) => {
				const s = v / 255;
				return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
			});
			return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
		};
		const time = [...el.querySelectorAll('span')].find((s) => s.textContent!.includes('に保存'))!;
		const fg = lum(getComputedStyle(time).color);
		const bg = lum(getComputedStyle(el).backgroundColor);
		return (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
	});
	expect(ratio).toBeGreaterThanOrEqual(4.5);
	await context.close();
});

test('the storage notice, once closed, stays closed at the next load', async ({
	browser,
	baseUrl
}) => {
	const page = await newWindow(browser);
	// Headless Chromium does not promise to keep this site's data: the notice shows.
	await page.goto(baseUrl);
	const notice = page.locator('[data-storage-warning]');
	await expect(notice).toBeVisible();
	await notice.getByRole('button', { name: '閉じる' }).click();
	await expect(notice).toHaveCount(0);
	await page.reload();
	await expect(page.locator('a[data-table-id]').first()).toBeVisible();
	await page.waitForTimeout(1000);
	await expect(notice).toHaveCount(0);
	await page.context().close();
});

test('設定 lists the tables on this device by year and title, the id beside them', async ({
	page,
	baseUrl,
	tableId
}) => {
	await openTable(page, baseUrl, tableId);
	await page.goto(`${baseUrl}/settings`);
	const row = page.locator(`[data-device-doc="${tableId}"]`);
	await expect(row).toContainText('令和2年度');
	await expect(row).toContainText('進行管理表');
	await expect(row).toContainText(`ID: ${tableId}`);
	expect((await row.innerText()).trim().startsWith(tableId)).toBe(false);
	await expect(page.locator('[data-device-doc="index"]')).toHaveText('表の一覧');
});

test('two tables imported from one file read differently on the home page', async ({
	page,
	baseUrl
}) => {
	const ids: string[] = [];
	for (let i = 0; i < 2; i++) {
		await page.goto(baseUrl);
		await page.getByRole('button', { name: 'ファイルから取り込む' }).click();
		const dialog = page.locator('[data-import-dialog]');
		await dialog.locator('input[type="file"]').setInputFiles(REFERENCE);
		await expect(dialog.locator('[data-import-preview]')).toContainText('取り組み項目 68');
		await dialog.getByRole('button', { name: 'この内容で表を作成' }).click();
		await expect(page).toHaveURL(/\/t\/[^/]+$/);
		ids.push(page.url().split('/t/')[1]!);
	}
	await page.goto(baseUrl);
	const [first, second] = ids.map((id) => page.locator(`a[data-table-id="${id}"]`));
	await expect(first!).toContainText('作成（管理者）');
	await expect(first!).toContainText(/令和\d+年\d+月\d+日/);
	expect(await first!.innerText()).not.toBe(await second!.innerText());
});
