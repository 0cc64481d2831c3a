// The office's tasks with the keyboard alone (issue 24): not one click, hover or locator.focus().
// Tab, Shift+Tab, arrows, Enter, Space, Escape and typing reach everything: log in, open a table,
// move, edit, set a mark with the picker, comment, filter, export, take a snapshot, the summary.
import type { Locator, Page } from '@playwright/test';
import { ADMIN_PASSWORD } from '../helpers/server.ts';
import { expect, test } from './fixtures.ts';

/** Whether the focus is on (or inside) what `target` finds. */
function focusedIn(target: Locator): Promise<boolean> {
	return target.evaluate(
		(el) => el === document.activeElement || el.contains(document.activeElement)
	);
}

/**
 * Presses `key` (Tab by default) until the focus reaches `target`, as a keyboard user would; fails
 * when it takes more than `most` presses.
 */
async function keyTo(page: Page, target: Locator, most = 60, key = 'Tab'): Promise<number> {
	for (let n = 1; n <= most; n++) {
		await page.keyboard.press(key);
		if (await focusedIn(target)) return n;
	}
	throw new Error(`${key} did not reach ${target} in ${most} presses`);
}

/** The focused element's attributes, for asserting where the focus went. */
function focused(page: Page): Promise<{ tag: string; item: string; field: string; pick: string }> {
	return page.evaluate(() => {
		const el = document.activeElement as HTMLElement;
		const cell = el.closest<HTMLElement>('[data-cell]');
		return {
			tag: el.tagName,
			item: el.closest<HTMLElement>('[data-item-id]')?.dataset.itemId ?? '',
			field: cell?.dataset.field ?? (cell?.dataset.mark ? `mark${cell.dataset.mark}` : ''),
			pick: el.dataset.pick ?? ''
		};
	});
}

test('log in, open a table, move, edit, mark, comment, filter, export, snapshot and summary with the keyboard alone', async ({
	browser,
	baseUrl,
	tableId
}) => {
	test.setTimeout(120_000);
	const context = await browser.newContext({ acceptDownloads: true });
	const page = await context.newPage();

	// Log in.
	await page.goto(`${baseUrl}/login`);
	await keyTo(page, page.locator('input[name="username"]'));
	await page.keyboard.type('admin');
	await page.keyboard.press('Tab');
	await page.keyboard.type(ADMIN_PASSWORD);
	await page.keyboard.press('Enter');
	await expect(page).toHaveURL(`${baseUrl}/`);
	await expect(page.locator(`a[data-table-id="${tableId}"]`)).toBeVisible();

	// The first Tab of a page is its skip link, which goes past the top bar.
	await page.keyboard.press('Tab');
	await expect(page.locator('a.skip')).toBeFocused();

	// Open the table.
	// (Past every table listed before it: the e2e run's server holds some thirty by now.)
	await keyTo(page, page.locator(`a[data-table-id="${tableId}"]`), 400);
	await page.keyboard.press('Enter');
	await expect(page.locator('[data-sync-state="saved"]')).toBeVisible();
	await expect(page.locator('table.sheet[data-grid]')).toHaveAttribute('aria-busy', 'false');

	// Into the table, then across and down with the arrows.
	const firstTitle = page.locator('tbody[data-item-id] [data-field="title"]').first();
	await keyTo(page, firstTitle);
	const start = await focused(page);
	await page.keyboard.press('ArrowDown');
	const below = await focused(page);
	expect(below.item).not.toBe(start.item);
	await page.keyboard.press('ArrowUp');
	expect(await focused(page)).toMatchObject({ item: start.item, field: 'title' });
	const item = start.item;
	const row = page.locator(`tbody[data-item-id="${item}"]`);

	// Edit the note: F2 keeps its text, the caret at the end; Enter commits and moves down.
	const note = row.locator('[data-field="note"]');
	await keyTo(page, note, 20, 'ArrowRight');
	await page.keyboard.press('F2');
	await page.keyboard.press('End');
	await page.keyboard.type('（キーボードで追記）');
	await page.keyboard.press('Enter');
	await expect(note).toContainText('（キーボードで追記）');
	expect((await focused(page)).item).not.toBe(item);

	// A mark with the picker: Space opens it, ↓ goes through the choices, Enter picks.
	await keyTo(page, note, 3, 'ArrowUp');
	// (The marks are the row under the plans: left of the note to the last period's plan, down.)
	await page.keyboard.press('ArrowLeft');
	await page.keyboard.press('ArrowDown');
	const at = await focused(page);
	expect(at).toMatchObject({ item, field: expect.stringMatching(/^mark/) });
	const mark = row.locator(`[data-mark="${at.field.slice(4)}"]`);
	const before = (await mark.locator('.face').innerText()).trim();
	await page.keyboard.press(' ');
	await expect(mark.getByRole('menu')).toBeVisible();
	let chosen = '';
	for (let n = 0; n < 8 && (chosen === '' || chosen === before); n++) {
		await page.keyboard.press('ArrowDown');
		chosen = (await focused(page)).pick;
	}
	expect(chosen).not.toBe(before);
	await page.keyboard.press('Enter');
	await expect(mark.getByRole('menu')).toHaveCount(0);
	await expect(mark.locator('.face')).toHaveText(chosen);
	await expect(mark).toBeFocused();
	// Escape closes the picker and keeps the focus on the cell, the mark unchanged.
	await page.keyboard.press(' ');
	await page.keyboard.press('ArrowDown');
	await page.keyboard.press('Escape');
	await expect(mark.getByRole('menu')).toHaveCount(0);
	await expect(mark).toBeFocused();
	await expect(mark.locator('.face')).toHaveText(chosen);

	// A comment: the row's menu (Shift+F10), コメントを開く; the panel takes the focus, Ctrl+Enter
	// sends, Escape closes it and the focus is back on the cell.
	await page.keyboard.press('Shift+F10');
	const menu = page.getByRole('menu');
	await expect(menu).toBeVisible();
	await keyTo(page, menu.locator('[data-action="comments"]'), 10, 'ArrowDown');
	await page.keyboard.press('Enter');
	const panel = page.locator(`[data-comments-panel="${item}"]`);
	await expect(panel.locator('textarea')).toBeFocused();
	await page.keyboard.type('キーボードだけで書いたコメント');
	await page.keyboard.press('Control+Enter');
	await expect(panel.locator('[data-comment]')).toContainText(['キーボードだけで書いたコメント']);
	await page.keyboard.press('Escape');
	await expect(panel).toHaveCount(0);
	await expect(mark).toBeFocused();

	// Filter by the mark just set: Shift+Tab back to the filter bar, a select changed with ↓.
	const markFilter = page.locator('[data-filter-bar] select[name="mark"]');
	await keyTo(page, markFilter, 80, 'Shift+Tab');
	const shown = page.locator('[data-shown]');
	const all = await shown.getAttribute('data-shown');
	const options = await markFilter.locator('option').allTextContents();
	const index = options.findIndex((o) => o.startsWith(`${chosen} `));
	for (let n = 0; n < index; n++) await page.keyboard.press('ArrowDown');
	await expect(markFilter).toHaveValue(chosen);
	await expect(shown).not.toHaveAttribute('data-shown', all!);
	await expect(row).toBeVisible();
	await keyTo(page, page.getByRole('button', { name: '絞り込みを解除' }), 10);
	await page.keyboard.press('Enter');
	await expect(shown).toHaveAttribute('data-shown', all!);

	// Export to Excel: the menu opens with Enter, Escape closes it, a choice downloads.
	const exportMenu = page.locator('[data-export-menu]');
	await keyTo(page, exportMenu.locator('summary'), 80, 'Shift+Tab');
	await page.keyboard.press('Enter');
	await expect(exportMenu).toHaveAttribute('open', '');
	await page.keyboard.press('Escape');
	await expect(exportMenu).not.toHaveAttribute('open', '');
	await expect(exportMenu.locator('summary')).toBeFocused();
	await page.keyboard.press('Enter');
	const download = page.waitForEvent('download');
	await keyTo(page, exportMenu.locator('[data-export="xlsx"]'), 3);
	await page.keyboard.press('Enter');
	expect((await download).suggestedFilename()).toMatch(/\.xlsx$/);
	await expect(exportMenu.locator('summary')).toBeFocused();

	// A snapshot, on the history page.
	await keyTo(page, page.getByRole('link', { name: '履歴' }), 10, 'Shift+Tab');
	await page.keyboard.press('Enter');
	await expect(page.locator('[data-take-snapshot]')).toBeVisible();
	await keyTo(page, page.locator('form:has([data-take-snapshot]) input'), 40);
	await page.keyboard.type('キーボードの版');
	await page.keyboard.press('Enter');
	await expect(page.locator('[data-snapshot="キーボードの版"]')).toBeVisible();

	// The summary, from the table.
	await keyTo(page, page.getByRole('link', { name: '表に戻る' }), 40, 'Shift+Tab');
	await page.keyboard.press('Enter');
	await expect(page.locator('[data-sync-state="saved"]')).toBeVisible();
	await keyTo(page, page.getByRole('link', { name: '集計' }), 40);
	await page.keyboard.press('Enter');
	await expect(page).toHaveURL(/\/summary$/);

	// A dialog gives the focus back to what opened it.
	const logout = page.getByRole('button', { name: 'ログアウト' });
	await keyTo(page, logout, 40, 'Shift+Tab');
	await page.keyboard.press('Enter');
	await expect(page.locator('[data-logout-dialog]')).toBeVisible();
	await page.keyboard.press('Escape');
	await expect(page.locator('[data-logout-dialog]')).toHaveCount(0);
	await expect(logout).toBeFocused();
	await context.close();
});
