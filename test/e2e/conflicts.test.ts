import type { Page } from '@playwright/test';
import { expect, saved, test, twoWindowsOn } from './fixtures.ts';

// ③他都市の実施状況の調査, the table's last item: far below the first screen.
const ITEM = 'p4s4i3';
const cell = (p: Page) => p.locator(`[data-item-id="${ITEM}"] [data-mark="1"]`);
const offlineState = (p: Page) =>
	expect(p.locator('[data-sync-state]')).toHaveAttribute('data-sync-state', 'offline');

test('a conflict that arrives below the fold is announced, counted and found by the 競合 filter', async ({
	browser,
	baseUrl,
	tableId
}) => {
	const [a, b] = await twoWindowsOn(browser, baseUrl, tableId);
	// One of them on a portrait tablet, its filter bar folded away: the conflict must still show.
	await b.setViewportSize({ width: 768, height: 1024 });
	await expect(b.locator('select[name="mark"]')).toBeHidden();
	await expect(cell(a)).toHaveText('×');
	for (const p of [a, b]) await expect(p.locator('[data-conflict-count]')).toHaveCount(0);

	// Both set the first period's mark of the same item while offline, each its own.
	await a.context().setOffline(true);
	await b.context().setOffline(true);
	await offlineState(a);
	await offlineState(b);
	await cell(a).focus();
	await a.keyboard.press('o');
	await cell(b).focus();
	await b.keyboard.press('t');
	await expect(cell(a)).toHaveText('○');
	await expect(cell(b)).toHaveText('△');
	// Then they look elsewhere: the cell is out of sight when the other's mark arrives.
	for (const p of [a, b]) {
		await p.locator('[data-item-id="p1s1i1"] [data-field="title"]').focus();
		await p.evaluate(() => window.scrollTo(0, 0));
		await expect(cell(p)).not.toBeInViewport();
	}

	await a.context().setOffline(false);
	await b.context().setOffline(false);
	for (const p of [a, b]) {
		await expect(p.locator('[data-conflict-news]')).toHaveText(
			'「③他都市の実施状況の調査」の～6月の進行管理で評価が競合しています。'
		);
		// Said by a status a screen reader reads (not inside a bar folded out of the page).
		await expect(p.getByRole('status').filter({ hasText: '競合しています' })).toHaveCount(1);
		await expect(p.locator('[data-conflict-count]')).toHaveText('競合 1 件');
		await expect(p.locator('[data-conflict-count]')).toBeVisible();
		await saved(p);
	}

	// The count shows the item; so does 「競合あり」 in the filter bar.
	await b.locator('[data-conflict-count]').click();
	await expect(b).toHaveURL(/[?&]mark=conflict(&|$)/);
	await expect(b.locator('[data-item-id]')).toHaveCount(1);
	await expect(b.locator('[data-item-id]')).toHaveAttribute('data-item-id', ITEM);
	await expect(b.locator('[data-conflict-count]')).toHaveAttribute('aria-pressed', 'true');
	await a.locator('select[name="mark"]').selectOption({ label: '競合あり' });
	await expect(a.locator('[data-item-id]')).toHaveCount(1);
	await expect(a.locator('[data-shown]')).toHaveAttribute('data-shown', '1');

	// One pick resolves it everywhere: the count goes, the filter finds nothing.
	await cell(b).locator('.face').click();
	await b.locator('[data-pick="△"]').click();
	for (const p of [a, b]) {
		await expect(p.locator('[data-conflict-count]')).toHaveCount(0);
		await expect(p.locator('[data-item-id]')).toHaveCount(0);
	}
	await a.context().close();
	await b.context().close();
});
