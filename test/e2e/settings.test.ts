// 表の設定 (issue 19, first step): an admin renames a period and adds, removes and restores a
// department; a refused change says why and changes nothing; the table and another window follow;
// an editor sees the settings read-only.
import { addUser, allRows, expect, newWindow, openTable, saved, test } from './fixtures.ts';

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

test('an admin changes the mark scale: values of a removed mark stay, shown outside it', async ({
	page,
	baseUrl,
	tableId
}) => {
	await openTable(page, baseUrl, tableId);
	const cell = page.locator('[data-item-id="p1s1i1"] [data-mark="1"]');
	await expect(cell.locator('.mark')).toHaveText('×');
	await page.getByRole('link', { name: '表の設定' }).click();

	// A new mark with its meaning and key, and a meaning changed.
	await page.locator('[data-shape-new-mark]').fill('◇');
	await page.locator('[data-shape-new-mark-label]').fill('検討中');
	await page.getByRole('button', { name: '記号を追加' }).click();
	const diamond = page.locator('[data-shape-mark="◇"]');
	await expect(diamond).toBeVisible();
	await diamond.getByLabel('記号「◇」のキー').fill('d');
	await diamond.getByLabel('記号「◇」のキー').press('Enter');
	await diamond.getByLabel('記号「◇」の色分け').selectOption('partly');
	// A key another mark has is refused, naming it.
	await diamond.getByLabel('記号「◇」のキー').fill('x');
	await diamond.getByLabel('記号「◇」のキー').press('Enter');
	await expect(page.locator('[data-shape-problems]')).toContainText(
		'評価のキー「x」が二つあります'
	);
	await expect(diamond.getByLabel('記号「◇」のキー')).toHaveValue('d');

	// × removed: asked first, naming how many items hold it; their marks stay.
	const asked: string[] = [];
	page.once('dialog', (d) => {
		asked.push(d.message());
		void d.accept();
	});
	await page.getByRole('button', { name: '記号「×」を削除' }).click();
	expect(asked[0]).toMatch(/記号「×」を削除しますか？ この記号で評価した \d+ 件の項目/);
	await expect(page.locator('[data-shape-removed-mark="×"]')).toBeVisible();
	await saved(page);

	await page.goBack();
	await allRows(page);
	await expect(cell).toHaveAttribute('data-outside', '');
	await expect(cell).toHaveAttribute('title', /評価の記号にありません/);
	// The new mark by its key; the picker offers the scale as it is now.
	await cell.focus();
	await page.keyboard.press('d');
	await expect(cell.locator('.mark')).toHaveText('◇');
	await expect(cell).not.toHaveAttribute('data-outside', '');
	await cell.locator('.face').click();
	await expect(cell.locator('[data-pick]')).toHaveCount(6);
	await expect(cell.locator('[data-pick="×"]')).toHaveCount(0);
	await page.keyboard.press('Escape');

	// × restored: the items that kept it show it again as a mark of the scale.
	await page.getByRole('link', { name: '表の設定' }).click();
	await page.getByRole('button', { name: '記号「×」を戻す' }).click();
	await saved(page);
	await page.goBack();
	await allRows(page);
	await expect(page.locator('[data-outside]')).toHaveCount(0);
	await expect(page.locator('[data-item-id="p1s1i1"] [data-mark="2"] .mark')).toHaveText('×');
});

test('an admin defines a KPI: it joins the table with the plan’s years, and can be removed', async ({
	page,
	baseUrl,
	tableId
}) => {
	await page.goto(`${baseUrl}/t/${tableId}/settings`);
	await page.locator('[data-shape-new-kpi]').fill('重大事故の件数');
	await page.getByRole('textbox', { name: '単位' }).last().fill('件');
	await page.getByRole('button', { name: '目標を追加' }).click();
	const kpi = page.locator('[data-shape-kpi="重大事故の件数"]');
	await expect(kpi).toBeVisible();
	// The plan period's years, as the table's other KPIs have them.
	const years = await page
		.locator('[data-shape-kpi]')
		.first()
		.locator('[data-kpi-year]')
		.evaluateAll((els) => els.map((e) => e.getAttribute('data-kpi-year')));
	await expect(kpi.locator('[data-kpi-year]')).toHaveCount(years.length);
	await kpi.getByLabel('少ないほどよい').check();
	await saved(page);

	await page.goto(`${baseUrl}/t/${tableId}`);
	await allRows(page);
	const row = page.locator('[data-kpi-id]', { hasText: '重大事故の件数' });
	await expect(row).toBeVisible();
	await expect(page.locator('[data-kpi-id]')).toHaveCount(4);

	await page.goto(`${baseUrl}/t/${tableId}/settings`);
	page.once('dialog', (d) => void d.accept());
	await page.getByRole('button', { name: '目標「重大事故の件数」を削除' }).click();
	await expect(kpi).toHaveCount(0);
	await saved(page);
});

test('a table of one heading level: its headings hold their items, and a second level comes back', async ({
	page,
	baseUrl,
	tableId
}) => {
	await openTable(page, baseUrl, tableId);
	await expect(page.locator('tbody.section')).not.toHaveCount(0);
	await page.getByRole('link', { name: '表の設定' }).click();
	page.once('dialog', (d) => void d.accept());
	await page.locator('[data-levels="1"]').click();
	await expect(page.locator('[data-shape-level]')).toHaveCount(1);
	await saved(page);

	await page.goBack();
	await allRows(page);
	await expect(page.locator('tbody.section')).toHaveCount(0);
	await expect(page.locator('[data-item-id]')).toHaveCount(68);
	// A new item goes under the heading it is added from, numbered after its last item.
	const pillar = page.locator('tbody.pillar').first();
	await pillar.getByRole('button', { name: '＋ 取り組み項目' }).click();
	await expect(page.locator('[data-item-id]')).toHaveCount(69);
	await saved(page);

	await page.getByRole('link', { name: '表の設定' }).click();
	await page.locator('[data-levels="2"]').click();
	await saved(page);
	await page.goBack();
	await allRows(page);
	await expect(page.locator('tbody.section').first()).toContainText('入会の促進');
});

test('an editor sees 表の設定 read-only', async ({ browser, baseUrl, tableId }) => {
	// A name no other test adds: every test file shares one server and its users.
	addUser('takahashi', 'editor', 'takahashi-password');
	const editor = await newWindow(browser, 'takahashi', 'takahashi-password');
	await editor.goto(`${baseUrl}/t/${tableId}/settings`);
	await expect(editor.locator('[data-settings-readonly]')).toContainText('管理者だけ');
	await expect(editor.locator('[data-shape-period="1"]')).toBeDisabled();
	await expect(editor.locator('[data-shape-new-department]')).toHaveCount(0);
	const cross = editor.locator('[data-shape-mark="×"] input');
	await expect(cross.nth(1)).toHaveValue('未実施');
	await expect(cross.nth(1)).toBeDisabled();
	await expect(editor.locator('[data-mark-preset]')).toHaveCount(0);
	await editor.context().close();
});
