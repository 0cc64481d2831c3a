// axe-core (WCAG 2.2 AA) on every page and state an office meets, in Japanese and in English, and
// on a 次年度 table made from the reference: no violation at all (issue 24).
import type { Page } from '@playwright/test';
import { violations } from './axe.ts';
import { expect, newWindow, openTable, test } from './fixtures.ts';

/** Checks the page in each state `states` brings it to, in order; collects every violation. */
async function audit(
	page: Page,
	states: [string, () => Promise<void>, string?][]
): Promise<Record<string, string[]>> {
	const found: Record<string, string[]> = {};
	for (const [name, reach, include] of states) {
		await reach();
		const list = await violations(page, include);
		if (list.length > 0) found[name] = list;
	}
	return found;
}

for (const locale of ['ja', 'en'] as const) {
	test(`no axe violation on any page or state (${locale})`, async ({
		browser,
		baseUrl,
		tableId
	}) => {
		test.setTimeout(300_000);
		const page = await newWindow(browser);
		await page.addInitScript((l) => localStorage.setItem('shinko:locale', l), locale);
		const table = `${baseUrl}/t/${tableId}`;
		const item = page.locator('tbody[data-item-id]').first();
		const found = await audit(page, [
			[
				'home',
				async () => {
					await page.goto(`${baseUrl}/`);
					await expect(page.locator(`a[data-table-id="${tableId}"]`)).toBeVisible();
					await expect(page.locator('html')).toHaveAttribute('lang', locale);
				}
			],
			[
				'home: new table form',
				async () => {
					await page
						.getByRole('button', { name: locale === 'ja' ? '新しい表' : 'New table' })
						.click();
				}
			],
			['table', () => openTable(page, baseUrl, tableId)],
			[
				'table: cell selected',
				async () => {
					await item.locator('[data-field="note"]').click();
				},
				'tbody:has([data-mode="select"])'
			],
			[
				'table: cell edited',
				async () => {
					await page.keyboard.press('F2');
				},
				'tbody:has([data-mode="edit"])'
			],
			[
				'table: mark picker',
				async () => {
					await page.keyboard.press('Escape');
					await item.locator('[data-mark] .face').first().click();
					await expect(item.getByRole('menu')).toBeVisible();
				},
				'tbody:has([role="menu"])'
			],
			[
				'table: row menu',
				async () => {
					await page.keyboard.press('Escape');
					await page.keyboard.press('Shift+F10');
					await expect(page.getByRole('menu')).toBeVisible();
				},
				'[role="menu"]'
			],
			[
				'table: comments',
				async () => {
					await page.locator('[data-action="comments"]').click();
					await page.locator('[data-comments-panel] textarea').fill('確認お願いします');
					await page.keyboard.press('Control+Enter');
					await expect(page.locator('[data-comment]')).toHaveCount(1);
				},
				'[data-comments-panel]'
			],
			[
				'table: filtered',
				async () => {
					await page.keyboard.press('Escape');
					await page.locator('[data-filter-bar] select[name="mark"]').selectOption({ index: 1 });
				},
				'[data-filter-bar]'
			],
			[
				'table: export menu',
				async () => {
					await page.locator('[data-export-menu] summary').click();
				},
				'[data-export-menu]'
			],
			[
				'home: import dialog',
				async () => {
					await page.goto(`${baseUrl}/`);
					await page
						.getByRole('button', {
							name: locale === 'ja' ? 'ファイルから取り込む' : 'Import a file'
						})
						.click();
					await expect(page.locator('input[type="file"]')).toBeVisible();
				}
			],
			[
				'logout dialog',
				async () => {
					await page.keyboard.press('Escape');
					await page
						.getByRole('button', { name: locale === 'ja' ? 'ログアウト' : 'Log out' })
						.click();
					await expect(page.getByRole('dialog')).toBeVisible();
				}
			],
			[
				'summary',
				async () => {
					await page.goto(`${table}/summary`);
					await expect(page.locator('main h1, main h2').first()).toBeVisible();
				}
			],
			[
				'history',
				async () => {
					await page.goto(`${table}/history`);
					await page.locator('form:has([data-take-snapshot]) input').fill('会議前');
					await page.locator('[data-take-snapshot]').click();
					await expect(page.locator('[data-snapshot="会議前"]')).toBeVisible();
				}
			],
			[
				'table settings',
				async () => {
					await page.goto(`${table}/settings`);
					await expect(page.locator('main h1, main h2').first()).toBeVisible();
				}
			],
			[
				'settings',
				async () => {
					await page.goto(`${baseUrl}/settings`);
					await expect(page.locator('main h1, main h2').first()).toBeVisible();
				}
			],
			[
				'次年度 table',
				async () => {
					await page.goto(`${baseUrl}/`);
					await page.locator(`[data-next-year="${tableId}"]`).click();
					await page.locator('.primary').click();
					await expect(page).toHaveURL(/\/t\/[^/]+$/);
					await expect(page.locator('[data-sync-state="saved"]')).toBeVisible();
					await expect(page.locator('table.sheet[data-grid]')).toHaveAttribute(
						'aria-busy',
						'false'
					);
				}
			]
		]);
		expect(found).toEqual({});
		// Logged out: the login page.
		const anonymous = await (await browser.newContext()).newPage();
		await anonymous.addInitScript((l) => localStorage.setItem('shinko:locale', l), locale);
		await anonymous.goto(`${baseUrl}/login`);
		await expect(anonymous.locator('input[name="username"]')).toBeVisible();
		expect(await violations(anonymous)).toEqual([]);
	});
}
