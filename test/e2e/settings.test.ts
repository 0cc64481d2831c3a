// 表の設定 (issue 19, first step): an admin renames a period and adds, removes and restores a
// department; a refused change says why and changes nothing; the table and another window follow;
// an editor sees the settings read-only.
import { addUser, expect, newWindow, openTable, saved, test } from './fixtures.ts';

test('an admin changes the periods and departments in 表の設定, and the table follows', async ({
	browser,
	page,
	baseUrl,
	tableId
}) => {
	const other = await newWindow(browser);
	await openTable(other, baseUrl, tableId);
	await openTable(page, baseUrl, tableId);
	await page.getByRole('link', { name: '表の設定' }).click();
	await expect(page.locator('[data-table-settings]')).toBeVisible();
	await expect(page.locator('[data-settings-readonly]')).toHaveCount(0);

	// A period renamed: the table's heading follows, here and in the other window.
	const first = page.locator('[data-shape-period="1"]');
	await expect(first).toHaveValue('～6月');
	await first.fill('4～6月');
	await first.press('Enter');
	await expect(page.locator('[data-shape-problems]')).toHaveCount(0);

	// A refused change names what is wrong, and the name stays as it was.
	const second = page.locator('[data-shape-period="2"]');
	await second.fill('  ');
	await second.press('Enter');
	await expect(page.locator('[data-shape-problems]')).toContainText('期間2の名前が空です。');
	await expect(second).toHaveValue('～9月');
	await second.fill('4～6月');
	await second.press('Enter');
	await expect(page.locator('[data-shape-problems]')).toContainText(
		'期間「4～6月」が二つあります。'
	);
	await expect(second).toHaveValue('～9月');

	// A department added; the department cell offers it.
	await page.locator('[data-shape-new-department]').fill('企画');
	await page.getByRole('button', { name: '担当課を追加' }).click();
	await expect(page.locator('[data-shape-department="企画"]')).toBeVisible();
	await saved(page);

	await expect(other.locator('table.sheet thead')).toContainText('4～6月');
	const cell = other.locator('[data-item-id="p1s1i1"] [data-field="departments"]');
	await cell.click();
	await expect(cell.getByRole('group')).toContainText('企画');
	await cell.getByRole('checkbox', { name: '企画' }).check();
	await expect(cell.locator('.names')).toContainText('企画');
	await saved(other);

	// Removed from the list (asked first, naming it and its item), it stays on the item, and
	// comes back.
	const asked: string[] = [];
	page.once('dialog', (d) => {
		asked.push(d.message());
		void d.accept();
	});
	await page.getByRole('button', { name: '担当課「企画」を一覧から削除' }).click();
	await expect(page.locator('[data-shape-removed-department="企画"]')).toBeVisible();
	expect(asked[0]).toContain('企画');
	expect(asked[0]).toContain('1 件');
	await expect(cell.locator('.names')).toContainText('企画');
	await page.getByRole('button', { name: '担当課「企画」を一覧に戻す' }).click();
	await expect(page.locator('[data-shape-department="企画"]')).toBeVisible();

	// A department renamed is renamed on its items too.
	const kikaku = page.locator('[data-shape-department="企画"] input');
	await kikaku.fill('企画課');
	await kikaku.press('Enter');
	await expect(cell.locator('.names')).toContainText('企画課');

	await page.getByRole('link', { name: '表に戻る' }).click();
	await expect(page.locator('table.sheet thead')).toContainText('4～6月');
	await other.context().close();
});

test('an editor sees 表の設定 read-only', async ({ browser, baseUrl, tableId }) => {
	// A name no other test adds: every test file shares one server and its users.
	addUser('takahashi', 'editor', 'takahashi-password');
	const editor = await newWindow(browser, 'takahashi', 'takahashi-password');
	await editor.goto(`${baseUrl}/t/${tableId}/settings`);
	await expect(editor.locator('[data-settings-readonly]')).toContainText('管理者だけ');
	await expect(editor.locator('[data-shape-period="1"]')).toBeDisabled();
	await expect(editor.locator('[data-shape-new-department]')).toHaveCount(0);
	await expect(editor.locator('[data-shape-marks]')).toContainText('未実施');
	await editor.context().close();
});
