import type { Page } from '@playwright/test';
import { expect, newWindow, test } from './fixtures.ts';

async function openTable(page: Page, baseUrl: string, tableId: string): Promise<void> {
	await page.goto(`${baseUrl}/t/${tableId}`);
	await expect(page.locator('[data-sync-state="saved"]')).toBeVisible();
}

test('undo and redo touch only your own edits', async ({ browser, baseUrl, tableId }) => {
	const a = await newWindow(browser);
	const b = await newWindow(browser);
	await openTable(a, baseUrl, tableId);
	await openTable(b, baseUrl, tableId);
	const noteA = a.locator('[data-item-id="p1s1i3"] [data-field="note"]');
	const noteB = b.locator('[data-item-id="p1s1i3"] [data-field="note"]');
	const original = (await noteA.innerText()).trim();

	await noteA.dblclick();
	await a.keyboard.type('（A）');
	await a.keyboard.press('Enter');
	await expect(noteB).toHaveText(original + '（A）');
	await noteB.dblclick();
	await b.keyboard.press('Control+Home');
	await b.keyboard.type('（B）');
	await b.keyboard.press('Enter');
	await expect(noteA).toHaveText('（B）' + original + '（A）');

	await a.keyboard.press('Control+z');
	await expect(noteA).toHaveText('（B）' + original);
	await expect(noteB).toHaveText('（B）' + original);
	await a.keyboard.press('Control+Shift+z');
	await expect(noteB).toHaveText('（B）' + original + '（A）');
	await a.context().close();
	await b.context().close();
});

test('the keyboard moves between text and mark cells, F2 edits and Enter commits', async ({
	page,
	baseUrl,
	tableId
}) => {
	await openTable(page, baseUrl, tableId);
	const item = page.locator('[data-item-id="p1s1i1"]');
	const plan = item.locator('[data-field="plan1"]');
	await item.locator('[data-field="yearPlan"]').focus();
	await page.keyboard.press('ArrowRight');
	await expect(plan.locator('textarea')).toBeFocused();
	await page.keyboard.press('ArrowDown');
	await expect(item.locator('[data-mark="1"]')).toBeFocused();
	await page.keyboard.press('o');
	await expect(item.locator('[data-mark="1"]')).toHaveText('○');
	await page.keyboard.press('Delete');
	await expect(item.locator('[data-mark="1"]')).toHaveText('');
	await page.keyboard.press('ArrowUp');
	await expect(plan.locator('textarea')).toBeFocused();
	await page.keyboard.press('F2');
	await expect(plan).toHaveAttribute('data-mode', 'edit');
	await page.keyboard.type('済');
	await page.keyboard.press('Enter');
	await expect(item.locator('[data-mark="1"]')).toBeFocused();
	await expect(plan).toHaveText('委託業者との調整済');
});

test('a KPI takes Japanese numbers, refuses garbage in Japanese, and shows the rate', async ({
	page,
	baseUrl,
	tableId
}) => {
	await openTable(page, baseUrl, tableId);
	// The baseline column is headed as the published table heads it, with its year.
	await expect(page.locator('section.kpis [data-kpi-baseline]')).toHaveText('現状 (H29)');
	const row = page.locator('[data-kpi-id="k1"]');
	// 令和2年度: 2,034 of the plan-period target 3,000, with one decimal.
	await expect(row.locator('.rate-col')).toHaveText('67.8%');
	const actual = row.locator('[data-kpi-field="year-actual"]').nth(3);
	// No actual yet: a bare —, no brackets around it.
	await expect(row.locator('.actual').nth(3)).toHaveText('—');
	await actual.click();
	await actual.locator('input').fill('2千9百人');
	await actual.locator('input').press('Enter');
	await expect(actual).toHaveText('2,900人');
	await expect(row.locator('.actual').nth(3)).toHaveText(/\(\s*2,900人\s*\)/);
	// 2,900 of the plan-period target 3,000
	await expect(row.locator('.rate-col')).toHaveText('96.7%');
	await actual.click();
	await actual.locator('input').fill('たくさん');
	await actual.locator('input').press('Enter');
	await expect(actual.getByRole('alert')).toContainText('数値として読めません');
	await actual.locator('input').press('Escape');
	await expect(actual).toHaveText('2,900人');
	const accidents = page.locator('[data-kpi-id="k3"] .rate-col');
	await expect(accidents).toHaveText('達成');
});
