import type { Page } from '@playwright/test';
import { expect, saved, test, twoWindowsOn } from './fixtures.ts';

test('snapshot, diff against now, and a forward restore that reaches another window', async ({
	browser,
	baseUrl,
	tableId
}) => {
	const [a, b] = await twoWindowsOn(browser, baseUrl, tableId);
	const note = (p: Page) => p.locator('[data-item-id="p2s4i2"] [data-field="note"]');
	// Its text, not innerText: a row far below the window is not rendered (content-visibility in
	// TableView) until it comes near, and innerText is the rendered text.
	const original = ((await note(a).textContent()) ?? '').trim();

	// A named snapshot, taken on the server.
	await a.goto(`${baseUrl}/t/${tableId}/history`);
	await a.getByLabel('スナップショットの名前').fill('第2四半期会議後');
	await a.locator('[data-take-snapshot]').click();
	await expect(a.locator('[data-snapshot="第2四半期会議後"]')).toBeVisible();
	// Dated in 和暦, as the office writes dates (not 2026/12/5).
	await expect(a.locator('[data-snapshot="第2四半期会議後"] .meta')).toContainText(
		/^令和(元|\d+)年\d+月\d+日 \d\d:\d\d · 手動 · /
	);

	// Edits after it: a note and a mark.
	await a.locator('a', { hasText: '表に戻る' }).click();
	await note(a).dblclick();
	await a.keyboard.type('（会議後に追記）');
	await a.keyboard.press('Enter');
	await a.locator('[data-item-id="p2s4i2"] [data-mark="1"]').focus();
	await a.keyboard.press('o');
	await saved(a);
	await expect(note(b)).toContainText('（会議後に追記）');

	// The diff shows the changed cells, marks per quarter.
	await a.locator('a', { hasText: '履歴' }).click();
	await a.locator('[data-snapshot="第2四半期会議後"]').click();
	const item = a.locator('[data-diff-item="p2s4i2"]');
	await expect(item).toHaveAttribute('data-diff-kind', 'changed');
	await expect(item.locator('[data-mark-change="1"] .before')).toHaveText('×');
	await expect(item.locator('[data-mark-change="1"] .after')).toHaveText('○');
	await expect(item).toContainText('（会議後に追記）');
	await expect(a.locator('[data-diff-item]')).toHaveCount(1);

	// Restore that item as a new change: B gets it like any edit.
	await a.locator('[data-restore-item="p2s4i2"]').click();
	await expect(a.locator('[data-diff-item]')).toHaveCount(0);
	await expect(note(b)).toHaveText(original);
	await expect(b.locator('[data-item-id="p2s4i2"] [data-mark="1"]')).toHaveText('×');
	await a.context().close();
	await b.context().close();
});
