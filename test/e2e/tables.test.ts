import { readFileSync } from 'node:fs';
import { controlled, expect, newWindow, REFERENCE, saved, test } from './fixtures.ts';

test('start next year from a table: the plan is copied, marks and notes cleared', async ({
	page,
	baseUrl,
	tableId
}) => {
	await page.goto(baseUrl);
	await page.locator(`[data-next-year="${tableId}"]`).click();
	await page.locator('[data-next-dialog]').getByRole('button', { name: '作成' }).click();
	await expect(page).toHaveURL(/\/t\/[a-z0-9]+$/);
	expect(page.url()).not.toContain(tableId);
	await expect(page.locator('h1').first()).toHaveText(
		'令和3年度 第3次基本計画に係る取り組み事項進行管理表'
	);
	await expect(page.locator('[data-item-id]')).toHaveCount(68);
	await expect(page.locator('[data-item-id="p1s1i1"] [data-field="note"]')).toHaveText('');
	await expect(page.locator('[data-item-id="p1s1i1"] [data-field="title"]')).toContainText(
		'ホームページからの入会説明会参加予約'
	);
	await expect(page.locator('[data-mark] .mark')).toHaveCount(0);
	await saved(page);
	const newId = page.url().split('/t/')[1]!;
	await page.goto(baseUrl);
	await expect(page.locator(`a[data-table-id="${newId}"]`)).toContainText('令和3年度');

	// Rename and archive, and back.
	const row = page.locator('li', { has: page.locator(`a[data-table-id="${newId}"]`) });
	await row.getByRole('button', { name: '名前を変更' }).click();
	await page.getByRole('textbox', { name: '名前を変更' }).fill('令和3年度 進行管理表（案）');
	await page.getByRole('button', { name: '保存' }).click();
	await expect(page.locator(`a[data-table-id="${newId}"]`)).toContainText('（案）');
	await page.locator(`[data-archive="${newId}"]`).click();
	await expect(page.locator('details.archive')).toContainText('（案）');
	await page.locator('details.archive summary').click();
	await page.locator(`[data-archive="${newId}"]`).click();
	await expect(page.locator('details.archive')).toHaveCount(0);
});

test('import a file from the browser: errors name the line, a good file is previewed', async ({
	page,
	baseUrl
}) => {
	await page.goto(baseUrl);
	await page.getByRole('button', { name: 'ファイルから取り込む' }).click();
	const dialog = page.locator('[data-import-dialog]');
	const text = readFileSync(REFERENCE, 'utf8');
	const lines = text.split('\n');
	const markLine = lines.findIndex((l) => l.includes('\t進行管理\t'));
	lines[markLine] = lines[markLine]!.replace(/\t[○×—]\t/, '\t◇\t');
	await dialog.locator('input[type="file"]').setInputFiles({
		name: 'broken.txt',
		mimeType: 'text/plain',
		buffer: Buffer.from(lines.join('\n'))
	});
	await expect(dialog.locator('[data-import-error]')).toContainText(`${markLine + 1}行目`);
	await expect(dialog.getByRole('button', { name: 'この内容で表を作成' })).toBeDisabled();

	await dialog.locator('input[type="file"]').setInputFiles(REFERENCE);
	await expect(dialog.locator('[data-import-preview]')).toContainText('取り組み項目 68');
	await dialog.getByRole('button', { name: 'この内容で表を作成' }).click();
	await expect(page.locator('[data-item-id]')).toHaveCount(68);
	await saved(page);
});

test('a table created offline, with items typed in, reaches everyone once online', async ({
	browser,
	baseUrl
}) => {
	const a = await newWindow(browser);
	const b = await newWindow(browser);
	await a.goto(baseUrl);
	await saved(a);
	// After one online visit the service worker holds the whole app.
	await controlled(a);
	await a.context().setOffline(true);
	await a.getByRole('button', { name: '新しい表' }).click();
	await a.getByLabel('表の名前').fill('令和4年度 オフラインで作った表');
	await a.getByRole('button', { name: '作成', exact: true }).click();
	await expect(a.locator('[data-item-id]')).toHaveCount(1);
	await a.locator('[data-add-item]').first().click();
	await expect(a.locator('[data-item-id]')).toHaveCount(2);
	const second = a.locator('[data-item-id]').nth(1);
	await expect(second.locator('[data-field="title"]')).toContainText('②');
	await second.locator('[data-field="title"]').click();
	await a.keyboard.type('オフラインの項目');
	await a.keyboard.press('Enter');
	const id = a.url().split('/t/')[1]!;
	await a.context().setOffline(false);
	await saved(a);

	await b.goto(baseUrl);
	await expect(b.locator(`a[data-table-id="${id}"]`)).toContainText('オフラインで作った表');
	await b.locator(`a[data-table-id="${id}"]`).click();
	await expect(b.locator('[data-item-id]')).toHaveCount(2);
	await expect(b.locator('[data-item-id]').nth(1).locator('[data-field="title"]')).toContainText(
		'オフラインの項目'
	);
	await a.context().close();
	await b.context().close();
});
