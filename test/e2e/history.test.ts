import type { Page } from '@playwright/test';
import { expect, saved, test, twoWindowsOn } from './fixtures.ts';

test('snapshot, diff against now, and forward restores of an item and a KPI that reach another window', async ({
	browser,
	baseUrl,
	tableId
}) => {
	const [a, b] = await twoWindowsOn(browser, baseUrl, tableId);
	const note = (p: Page) => p.locator('[data-item-id="p2s4i2"] [data-field="note"]');
	// Its text, not innerText: a row far below the window is not rendered (content-visibility in
	// TableView) until it comes near, and innerText is the rendered text.
	const original = ((await note(a).textContent()) ?? '').trim();
	// 会員数's actual of 令和3年度 (the fourth year), not yet known.
	const actual = (p: Page) => p.locator('[data-kpi-id="k1"] [data-kpi-field="year-actual"]').nth(3);
	await expect(actual(b)).toHaveText('—');

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
	await actual(a).click();
	await actual(a).locator('input').fill('2900');
	await actual(a).locator('input').press('Enter');
	await saved(a);
	await expect(note(b)).toContainText('（会議後に追記）');
	await expect(actual(b)).toHaveText('2,900人');

	// The diff shows the changed cells, marks per quarter.
	await a.locator('a', { hasText: '履歴' }).click();
	await a.locator('[data-snapshot="第2四半期会議後"]').click();
	const item = a.locator('[data-diff-item="p2s4i2"]');
	await expect(item).toHaveAttribute('data-diff-kind', 'changed');
	await expect(item.locator('[data-mark-change="1"] .before')).toHaveText('×');
	await expect(item.locator('[data-mark-change="1"] .after')).toHaveText('○');
	// Named as the table names them: the period's label, the column's heading.
	await expect(item.locator('[data-mark-change="1"] th')).toHaveText('～6月 の進行管理');
	await expect(item.locator('tr', { hasText: '（会議後に追記）' }).locator('th')).toHaveText(
		'達成状況及び今後の方針'
	);
	await expect(a.locator('[data-diff-item]')).toHaveCount(1);
	// The KPI's change: which KPI, which value, old and new with its unit.
	const kpi = a.locator('[data-diff-kpi="k1"]');
	await expect(kpi).toHaveAttribute('data-diff-kind', 'changed');
	await expect(kpi.locator('.head strong')).toHaveText('会員数');
	const change = kpi.locator('[data-kpi-change="2021actual"]');
	await expect(change.locator('th')).toHaveText('令和3年度の実績');
	await expect(change.locator('.before')).toHaveText('（空）');
	await expect(change.locator('.after')).toHaveText('2,900人');
	await expect(a.locator('[data-change-count]')).toHaveAttribute('data-change-count', '3');

	// Restore that item as a new change: B gets it like any edit.
	await a.locator('[data-restore-item="p2s4i2"]').click();
	await expect(a.locator('[data-diff-item]')).toHaveCount(0);
	await expect(note(b)).toHaveText(original);
	await expect(b.locator('[data-item-id="p2s4i2"] [data-mark="1"]')).toHaveText('×');

	// And the KPI, the same way.
	await a.locator('[data-restore-kpi="k1"]').click();
	await expect(a.locator('[data-diff-kpi]')).toHaveCount(0);
	await expect(a.locator('[data-change-count]')).toHaveAttribute('data-change-count', '0');
	await expect(actual(b)).toHaveText('—');
	await a.context().close();
	await b.context().close();
});
