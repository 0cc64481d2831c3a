// An office brings its own Excel file (issue 21): the import dialog reads it in a worker, shows
// the role it inferred for every column, the periods and the scale, the rows as they will be
// imported and every warning; a column's role corrected there changes the rows at once, and the
// table opens as previewed. Nothing is stored before 作成.
import { readFileSync } from 'node:fs';
import { parseTextTable } from '../../src/lib/import/text-table.ts';
import { REFERENCE } from '../helpers/cli.ts';
import { printPdf, publishedHtml } from '../helpers/office-pdfs.ts';
import { halfYearWorkbook, save } from '../helpers/office-workbooks.ts';
import { allRows, expect, saved, test } from './fixtures.ts';

test('an office’s own workbook: preview, one column corrected, the table opened', async ({
	page,
	baseUrl
}) => {
	await page.goto(baseUrl);
	await expect(page.locator('a[data-table-id]').first()).toBeVisible();
	const before = await page.locator('a[data-table-id]').count();
	await page.getByRole('button', { name: 'ファイルから取り込む' }).click();
	const dialog = page.locator('[data-import-dialog]');
	await dialog.locator('input[type="file"]').setInputFiles({
		name: '総合計画 進行管理表.xlsx',
		mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
		buffer: Buffer.from(await save(halfYearWorkbook()))
	});
	const preview = dialog.locator('[data-import-preview]');
	await expect(preview.locator('[data-import-counts]')).toContainText(
		'見出し 7・取り組み項目 5・目標 2'
	);
	const values = (selector: string) =>
		dialog
			.locator(selector)
			.evaluateAll((inputs) => inputs.map((i) => (i as HTMLInputElement).value));
	expect(await values('[data-import-periods] input')).toEqual(['上半期', '下半期']);
	expect(await values('[data-import-marks] input.mark')).toEqual(['S', 'A', 'B', 'C']);
	expect(await values('[data-import-levels] input')).toEqual(['基本目標', '施策', '事業']);
	const kadai = dialog.locator('[data-import-column="9"]');
	await expect(kadai).toContainText('課題');
	await expect(kadai.locator('[data-role]')).toHaveValue('extra');
	const drill = preview.locator('[data-import-row]').first();
	await expect(drill).toContainText('防災訓練');
	await expect(drill).not.toContainText('参加者の固定化');

	// 課題 is where this office writes how the year went: it is the note column.
	await kadai.locator('[data-role]').selectOption('note');
	await expect(drill).toContainText('参加者の固定化');
	await expect(preview.locator('[data-import-counts]')).toContainText('取り組み項目 5');

	// A mapping that cannot work says why and cannot be created.
	const title = dialog.locator('[data-import-column="1"] [data-role]');
	await title.selectOption('extra');
	await expect(dialog.locator('[data-import-error]')).toContainText('取り組み項目');
	await expect(dialog.getByRole('button', { name: 'この内容で表を作成' })).toBeDisabled();
	await title.selectOption('title');
	await expect(dialog.locator('[data-import-error]')).toHaveCount(0);

	await dialog.getByRole('button', { name: 'この内容で表を作成' }).click();
	await allRows(page);
	await expect(page.locator('[data-item-id]')).toHaveCount(5);
	const head = page.locator('table.sheet thead th');
	await expect(head).toContainText(['上半期', '下半期', '備考']);
	await expect(page.locator('[data-item-id]').first().locator('[data-field="note"]')).toContainText(
		'参加者の固定化'
	);
	await saved(page);
	await page.goto(baseUrl);
	await expect(page.locator('a[data-table-id]')).toHaveCount(before + 1);
});

test('a published PDF through the dialog: read in the worker, previewed, not stored until 作成', async ({
	page,
	baseUrl
}) => {
	const reference = parseTextTable(readFileSync(REFERENCE, 'utf8'));
	const pdf = Buffer.from(await printPdf(publishedHtml(reference)));
	await page.goto(baseUrl);
	await page.getByRole('button', { name: 'ファイルから取り込む' }).click();
	const dialog = page.locator('[data-import-dialog]');
	await dialog.locator('input[type="file"]').setInputFiles({
		name: '進行管理表.pdf',
		mimeType: 'application/pdf',
		buffer: pdf
	});
	await expect(dialog.locator('[data-import-counts]')).toContainText(
		'見出し 21・取り組み項目 68・目標 3'
	);
	await expect(dialog.locator('[data-import-column="1"] td').first()).toHaveText('1');
	await expect(dialog.locator('[data-import-rows]')).toContainText(
		'公民館などを活用した出張入会説明会'
	);
	await dialog.getByRole('button', { name: 'キャンセル' }).click();
	await expect(dialog).toHaveCount(0);
});
