// Comments as an office uses them: a viewer comments (the server writes it), and an editor
// resolves the item's thread with one click, folds it, and a reply reopens it.
import type { Page } from '@playwright/test';
import { addUser, expect, newWindow, openTable, test } from './fixtures.ts';

const button = (page: Page, itemId: string) =>
	page.locator(`[data-item-id="${itemId}"] [data-comments-button]`);

/** Opens an item's thread and writes a comment with the panel's form. */
async function write(page: Page, itemId: string, text: string): Promise<void> {
	const panel = page.locator(`[data-comments-panel="${itemId}"]`);
	if ((await panel.count()) === 0) await button(page, itemId).click();
	await panel.getByRole('textbox').fill(text);
	await panel.getByRole('button', { name: '送信' }).click();
}

test('a viewer comments through the server; offline, the comment is kept and the viewer told', async ({
	browser,
	baseUrl,
	tableId
}) => {
	addUser('nishida', 'viewer', 'nishida-password');
	const viewer = await newWindow(browser, 'nishida', 'nishida-password');
	const editor = await newWindow(browser);
	await openTable(viewer, baseUrl, tableId);
	await openTable(editor, baseUrl, tableId);

	await write(viewer, 'p2s1i2', '配布先の一覧をいただけますか');
	const panel = viewer.locator('[data-comments-panel="p2s1i2"]');
	await expect(panel.locator('[data-comment]')).toHaveText([/配布先の一覧をいただけますか/]);
	await expect(panel.getByRole('textbox')).toHaveValue('');
	// A viewer writes, but neither resolves nor deletes.
	await expect(panel.locator('[data-thread-resolve]')).toHaveCount(0);
	await expect(panel.locator('[data-delete-item]')).toHaveCount(0);

	await expect(button(editor, 'p2s1i2')).toHaveAttribute('data-comments-button', '1');
	await button(editor, 'p2s1i2').click();
	const seen = editor.locator('[data-comments-panel="p2s1i2"] [data-comment]');
	await expect(seen).toContainText('配布先の一覧をいただけますか');
	await expect(seen).toContainText('nishida');

	// Offline the server cannot write it: the viewer is told, and the text stays in the box.
	await viewer.context().setOffline(true);
	await write(viewer, 'p2s1i2', '急ぎではありません');
	await expect(panel.getByRole('alert')).toContainText('ネットワークにつながっていないため');
	await expect(panel.getByRole('textbox')).toHaveValue('急ぎではありません');
	await viewer.context().setOffline(false);
	await panel.getByRole('button', { name: '送信' }).click();
	await expect(panel.getByRole('alert')).toHaveCount(0);
	await expect(panel.getByRole('textbox')).toHaveValue('');
	await expect(seen).toHaveCount(2);
	await viewer.context().close();
	await editor.context().close();
});

test('an editor resolves an item’s thread with one click; it folds, and a reply reopens it', async ({
	browser,
	baseUrl,
	tableId
}) => {
	const a = await newWindow(browser);
	const b = await newWindow(browser);
	await openTable(a, baseUrl, tableId);
	await openTable(b, baseUrl, tableId);
	await write(a, 'p1s2i1', '会員数の集計方法を確認');
	await write(a, 'p1s2i1', '前年度と同じ方法で集計済みです');
	const panel = a.locator('[data-comments-panel="p1s2i1"]');
	await expect(panel.locator('[data-comment]')).toHaveCount(2);
	await expect(button(b, 'p1s2i1')).toHaveAttribute('data-comments-button', '2');

	// One button for the thread, not one per comment.
	await expect(panel.getByRole('button', { name: '解決済みにする' })).toHaveCount(1);
	await panel.getByRole('button', { name: '解決済みにする' }).click();
	const resolved = panel.locator('[data-thread-resolved]');
	await expect(resolved).toContainText('管理者 が');
	await expect(resolved).toContainText('解決済みにしました');
	await expect(panel.locator('[data-comment]').first()).toBeHidden();
	await expect(panel.getByRole('button', { name: '再開' })).toBeFocused();
	await expect(button(a, 'p1s2i1')).toHaveAttribute('data-comments-button', '0');
	await expect(button(b, 'p1s2i1')).toHaveAttribute('data-comments-button', '0');
	// Folded, not gone: the comments unfold on demand.
	await resolved.getByText('コメント 2 件を表示').click();
	await expect(panel.locator('[data-comment]')).toHaveText([
		/会員数の集計方法を確認/,
		/前年度と同じ方法で集計済みです/
	]);

	// A reply, from another window, reopens the thread everywhere.
	await button(b, 'p1s2i1').click();
	await expect(b.locator('[data-comments-panel="p1s2i1"] [data-thread-resolved]')).toBeVisible();
	await write(b, 'p1s2i1', '集計方法の注記を追加してください');
	await expect(resolved).toHaveCount(0);
	await expect(panel.locator('[data-comment]')).toHaveCount(3);
	await expect(panel.locator('[data-comment]').last()).toBeVisible();
	await expect(button(a, 'p1s2i1')).toHaveAttribute('data-comments-button', '3');

	// Resolved again and reopened by hand.
	await panel.getByRole('button', { name: '解決済みにする' }).click();
	await expect(button(b, 'p1s2i1')).toHaveAttribute('data-comments-button', '0');
	await panel.getByRole('button', { name: '再開' }).click();
	await expect(resolved).toHaveCount(0);
	await expect(button(b, 'p1s2i1')).toHaveAttribute('data-comments-button', '3');
	await a.context().close();
	await b.context().close();
});
