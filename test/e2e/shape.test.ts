// Another body's 進行管理表 (issue 19): a half-year table with S/A/B/C marks made from its preset,
// a department and a 課題 column added in 表の設定, marks set with the picker and with keys and
// counted in the summary, exported to .xlsx headed by its own periods and column and imported
// again unchanged; and the reference table as it always was.
import ExcelJS from 'exceljs';
import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { allRows, expect, openTable, saved, test } from './fixtures.ts';

async function download(page: Page, format: 'xlsx' | 'json'): Promise<Buffer> {
	const menu = page.locator('[data-export-menu]');
	if ((await menu.getAttribute('open')) === null) await menu.locator('summary').click();
	const [file] = await Promise.all([
		page.waitForEvent('download'),
		page.locator(`[data-export="${format}"]`).click()
	]);
	return readFileSync((await file.path())!);
}

/** Imports an .xlsx in the import dialog, once its preview shows `expected`. */
async function importXlsx(page: Page, name: string, buffer: Buffer, expected: string) {
	await page.getByRole('button', { name: 'ファイルから取り込む' }).click();
	const dialog = page.locator('[data-import-dialog]');
	await dialog.locator('input[type="file"]').setInputFiles({
		name,
		mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
		buffer
	});
	await expect(dialog.locator('[data-import-preview]')).toContainText(expected);
	await dialog.getByRole('button', { name: 'この内容で表を作成' }).click();
}

/** A table's content, as its JSON export has it. */
async function content(page: Page): Promise<unknown> {
	return JSON.parse((await download(page, 'json')).toString('utf8'));
}

test('a half-year S/A/B/C table from its preset, with its own department and 課題 column', async ({
	page,
	baseUrl,
	tableId
}) => {
	await page.goto(baseUrl);
	await page.getByRole('button', { name: '新しい表' }).click();
	await page.getByLabel('表の名前').fill('令和7年度 半期の進行管理表');
	await page.getByLabel('年度（西暦）').fill('2025');
	await page.locator('[data-new-table-shape]').selectOption('half-year');
	await page.getByRole('button', { name: '作成', exact: true }).click();
	await expect(page.locator('[data-item-id]')).toHaveCount(1);
	const head = page.locator('table.sheet thead th');
	await expect(head).toHaveText([
		'取り組み項目',
		'具体的内容',
		'担当課',
		'令和7年度',
		'上半期',
		'下半期',
		'達成状況及び今後の方針'
	]);
	const url = page.url();

	// 表の設定: a department and a 課題 column.
	await page.getByRole('link', { name: '表の設定' }).click();
	await page.locator('[data-shape-new-department]').fill('企画課');
	await page.getByRole('button', { name: '担当課を追加' }).click();
	await page.locator('[data-shape-new-column]').fill('課題');
	await page.getByRole('button', { name: '列を追加' }).click();
	await expect(page.locator('[data-shape-problems]')).toHaveCount(0);
	await expect(page.locator('[data-shape-marks] tbody tr')).toHaveCount(4);
	await saved(page);

	await page.goto(url);
	await allRows(page);
	await expect(head.last()).toHaveText('課題');
	const item = page.locator('[data-item-id]').first();
	await item.locator('[data-field="title"]').click();
	await page.keyboard.type('広報の充実');
	await page.keyboard.press('Enter');
	const kadai = item.locator('[data-field^="x"]');
	await kadai.click();
	await page.keyboard.type('若い世代に届かない');
	await page.keyboard.press('Enter');
	const departments = item.locator('[data-field="departments"]');
	await departments.click();
	await departments.getByRole('checkbox', { name: '企画課' }).check();
	await page.keyboard.press('Escape');

	// A mark with the picker, which offers the table's scale, and one with its key.
	const [first, second] = [item.locator('[data-mark]').nth(0), item.locator('[data-mark]').nth(1)];
	await first.locator('.face').click();
	const picker = first.getByRole('menu');
	await expect(picker.getByRole('menuitem')).toHaveText([
		'S 計画以上 s',
		'A 計画どおり a',
		'B やや遅れ b',
		'C 遅れ c',
		'クリア'
	]);
	await picker.locator('[data-pick="A"]').click();
	await expect(first.locator('.mark')).toHaveText('A');
	await second.focus();
	await page.keyboard.press('c');
	await expect(second.locator('.mark')).toHaveText('C');
	await expect(second.locator('.mark')).toHaveClass(/tone-behind/);
	await saved(page);

	// The summary counts them by the table's own marks and periods.
	await page.getByRole('link', { name: '集計' }).click();
	await expect(page.locator('[data-count="total:1:A"]')).toHaveAttribute('data-value', '1');
	await expect(page.locator('[data-count="total:2:C"]')).toHaveAttribute('data-value', '1');
	await expect(page.locator('[data-count="total:1:none"]')).toHaveAttribute('data-value', '0');
	await expect(page.locator('[data-crosses]')).toContainText('広報の充実');
	await expect(page.locator('[data-crosses] .quarters')).toHaveText('下半期');

	// Exported to .xlsx: headed by its periods and its column.
	await page.goto(url);
	await allRows(page);
	const before = await content(page);
	const xlsx = await download(page, 'xlsx');
	const book = new ExcelJS.Workbook();
	await book.xlsx.load(xlsx as unknown as ArrayBuffer);
	const texts: string[] = [];
	book.worksheets[0]!.eachRow((row) =>
		row.eachCell((cell) => {
			if (typeof cell.value === 'string') texts.push(cell.value);
		})
	);
	for (const heading of ['上半期', '下半期', '課題', '若い世代に届かない', '企画課'])
		expect(texts, heading).toContain(heading);

	// … and imported again, unchanged.
	await page.goto(baseUrl);
	await importXlsx(page, 'half-year.xlsx', xlsx, '広報の充実');
	await expect(page.locator('[data-item-id]')).toHaveCount(1);
	await allRows(page);
	await expect(head).toHaveText([
		'取り組み項目',
		'具体的内容',
		'担当課',
		'令和7年度',
		'上半期',
		'下半期',
		'達成状況及び今後の方針',
		'課題'
	]);
	await expect(page.locator('[data-mark] .mark')).toHaveText(['A', 'C']);
	expect(await content(page)).toEqual(before);
	await saved(page);

	// The reference table is as it always was.
	await openTable(page, baseUrl, tableId);
	await expect(head).toHaveText([
		'取り組み項目',
		'具体的内容',
		'担当課',
		'令和2年度',
		'～6月',
		'～9月',
		'～12月',
		'～3月',
		'達成状況及び今後の方針'
	]);
	await expect(page.locator('[data-item-id]')).toHaveCount(68);
	const firstItem = page.locator('[data-item-id="p1s1i1"]');
	await expect(firstItem.locator('[data-mark="1"] .mark')).toHaveText('×');
	await expect(firstItem.locator('[data-mark="1"] .mark')).toHaveClass(/tone-behind/);
	await expect(page.locator('.mark-cell .tone-good').first()).toHaveText('○');
});

test('a table of three heading levels: a level-3 heading, its item, the summary and xlsx', async ({
	page,
	baseUrl
}) => {
	await page.goto(baseUrl);
	await page.getByRole('button', { name: '新しい表' }).click();
	await page.getByLabel('表の名前').fill('令和7年度 3階層の進行管理表');
	await page.getByRole('button', { name: '作成', exact: true }).click();
	await expect(page.locator('[data-item-id]')).toHaveCount(1);
	const url = page.url();

	await page.getByRole('link', { name: '表の設定' }).click();
	await page.locator('[data-levels="3"]').click();
	await expect(page.locator('[data-shape-level]')).toHaveCount(3);
	await page.locator('[data-shape-level="3"]').fill('事業群');
	await page.locator('[data-shape-level="3"]').press('Enter');
	await expect(page.locator('[data-shape-problems]')).toHaveCount(0);
	await saved(page);

	await page.goto(url);
	await allRows(page);
	const section = page.locator('tbody.section[data-level="2"]').first();
	const sectionId = await section.getAttribute('data-section-id');
	await section.getByRole('button', { name: '＋ 事業群' }).click();
	const sub = page.locator('tbody.section[data-level="3"]');
	await expect(sub).toHaveCount(1);
	await expect(sub).toContainText('ア');
	await sub.getByRole('button', { name: '＋ 取り組み項目' }).click();
	await expect(page.locator('[data-item-id]')).toHaveCount(2);
	// The new row's first cell is selected: typing fills it.
	const added = page.locator('[data-item-id]').last();
	await expect(added.locator('[data-field="title"] textarea')).toBeFocused();
	await page.keyboard.type('避難所の運営');
	await page.keyboard.press('Enter');
	await saved(page);

	// Filtered to that item, its level-2 heading stays above its level-3 one.
	await page.goto(`${url}?search=${encodeURIComponent('避難所')}`);
	await expect(page.locator('[data-item-id]')).toHaveCount(1);
	await expect(page.locator('tbody.section[data-level="2"]')).toHaveCount(1);
	await expect(page.locator('tbody.section[data-level="3"]')).toHaveCount(1);

	// The summary: the level-2 heading counts the item under its level-3 heading too.
	await page.getByRole('link', { name: '集計' }).click();
	await expect(page.locator(`[data-count="${sectionId}:1:none"]`)).toHaveAttribute(
		'data-value',
		'2'
	);
	// (On screen, a table a period: the first period's.)
	await expect(page.locator('[data-summary-period="1"] tr.sub')).toContainText('ア');

	// Exported to .xlsx and imported again: the level-3 heading is one still.
	await page.goto(url);
	await allRows(page);
	const before = await content(page);
	const xlsx = await download(page, 'xlsx');
	await page.goto(baseUrl);
	await importXlsx(page, 'three-levels.xlsx', xlsx, '避難所の運営');
	await expect(page.locator('[data-item-id]')).toHaveCount(2);
	await allRows(page);
	await expect(page.locator('tbody.section[data-level="3"]')).toContainText('ア');
	expect(await content(page)).toEqual(before);
});
