// Excel's keys on the table's text cells (issue 20): a selected cell is replaced by what is typed
// (an IME composition too), F2 and a double click edit keeping it, Enter and Tab commit and move,
// Alt+Enter breaks the line, Escape puts the cell back, Delete clears it, Ctrl+Z / Ctrl+Y undo and
// redo; each checked from a second window's copy of the table. And Escape in the export menu.
import type { Locator, Page } from '@playwright/test';
import { addUser, expect, newWindow, openTable, test, twoWindowsOn } from './fixtures.ts';

const cellOf = (page: Page, item: string, field: string) =>
	page.locator(`[data-item-id="${item}"] [data-field="${field}"]`);

/** A cell's text (not `innerText`: rows far off screen are not laid out, and have none). */
async function textOf(cell: Locator): Promise<string> {
	return (await cell.locator('.value').textContent()) ?? '';
}

/** The cell is selected: its (unseen) textarea has the focus, all of its text selected. */
async function selected(cell: Locator): Promise<void> {
	await expect(cell).toHaveAttribute('data-mode', 'select');
	await expect(cell.locator('textarea')).toBeFocused();
}

test('typing on a selected cell replaces it; F2 and a double click edit keeping it', async ({
	browser,
	baseUrl,
	tableId
}) => {
	const [a, b] = await twoWindowsOn(browser, baseUrl, tableId);
	const note = cellOf(a, 'p3s3i1', 'note');
	const original = await textOf(note);
	expect(original).not.toBe('');

	await note.click();
	await selected(note);
	await a.keyboard.type('差し替え');
	await expect(note).toHaveAttribute('data-mode', 'edit');
	await a.keyboard.press('Enter');
	await expect(cellOf(b, 'p3s3i1', 'note').locator('.value')).toHaveText('差し替え');
	// The replacement is one step: one Ctrl+Z brings the note back whole.
	await a.keyboard.press('Control+z');
	await expect(cellOf(b, 'p3s3i1', 'note').locator('.value')).toHaveText(original);

	await note.click();
	await a.keyboard.press('F2');
	await expect(note).toHaveAttribute('data-mode', 'edit');
	await a.keyboard.type('（F2）');
	await a.keyboard.press('Enter');
	await note.dblclick();
	await expect(note).toHaveAttribute('data-mode', 'edit');
	await a.keyboard.type('（ダブルクリック）');
	await a.keyboard.press('Tab');
	await expect(cellOf(b, 'p3s3i1', 'note').locator('.value')).toHaveText(
		`${original}（F2）（ダブルクリック）`
	);
	await a.context().close();
	await b.context().close();
});

test('Enter and Tab commit and move: down, up, right, left', async ({ page, baseUrl, tableId }) => {
	await openTable(page, baseUrl, tableId);
	const title = cellOf(page, 'p3s3i2', 'title');
	await title.dblclick();
	await page.keyboard.type('（済）');
	await page.keyboard.press('Enter');
	await selected(cellOf(page, 'p3s3i3', 'title'));
	await expect(title).toContainText('（済）');
	await expect(title).toHaveAttribute('data-mode', 'rest');
	await page.keyboard.press('Shift+Enter');
	await selected(title);
	await page.keyboard.press('Tab');
	await selected(cellOf(page, 'p3s3i2', 'content'));
	await page.keyboard.press('Shift+Tab');
	await selected(title);
	// Editing, Tab commits too; the arrows move the caret, not the cell.
	await page.keyboard.press('F2');
	await page.keyboard.press('ArrowLeft');
	await page.keyboard.type('!');
	await page.keyboard.press('Tab');
	await selected(cellOf(page, 'p3s3i2', 'content'));
	await expect(title).toContainText('（済!）');
	// Selected, the arrows move between cells.
	await page.keyboard.press('ArrowLeft');
	await selected(title);
	await page.keyboard.press('ArrowDown');
	await selected(cellOf(page, 'p3s3i3', 'title'));
});

test('Alt+Enter breaks the line; Escape puts the cell back as it was', async ({
	browser,
	baseUrl,
	tableId
}) => {
	const [a, b] = await twoWindowsOn(browser, baseUrl, tableId);
	const plan = cellOf(a, 'p4s3i3', 'plan1');
	const original = await textOf(plan);
	await plan.dblclick();
	await a.keyboard.type('一行目');
	await a.keyboard.press('Alt+Enter');
	await a.keyboard.type('二行目');
	await a.keyboard.press('Enter');
	const expected = `${original}一行目\n二行目`;
	await expect(cellOf(b, 'p4s3i3', 'plan1').locator('.value')).toHaveText(expected);

	// Escape after typing: the cell is as it was, here and on the other copy, and still selected.
	await plan.click();
	await a.keyboard.type('取り消す文');
	await expect(cellOf(b, 'p4s3i3', 'plan1').locator('.value')).toHaveText('取り消す文');
	await a.keyboard.press('Escape');
	await selected(plan);
	await expect(plan.locator('.value')).toHaveText(expected);
	await expect(cellOf(b, 'p4s3i3', 'plan1').locator('.value')).toHaveText(expected);
	// A cancelled edit is not redone by Ctrl+Y.
	await a.keyboard.press('Control+y');
	await expect(plan.locator('.value')).toHaveText(expected);
	await a.context().close();
	await b.context().close();
});

test('Delete clears a selected cell; Ctrl+Z brings it back and Ctrl+Y clears it again', async ({
	browser,
	baseUrl,
	tableId
}) => {
	const [a, b] = await twoWindowsOn(browser, baseUrl, tableId);
	const content = cellOf(a, 'p4s3i4', 'content');
	const original = await textOf(content);
	await content.click();
	await a.keyboard.press('Delete');
	await selected(content);
	await expect(cellOf(b, 'p4s3i4', 'content').locator('.value')).toHaveText('');
	await a.keyboard.press('Control+z');
	await expect(cellOf(b, 'p4s3i4', 'content').locator('.value')).toHaveText(original);
	await a.keyboard.press('Control+y');
	await expect(cellOf(b, 'p4s3i4', 'content').locator('.value')).toHaveText('');
	await a.keyboard.press('Control+Shift+z'); // nothing left to redo
	await a.keyboard.press('Control+z');
	await expect(cellOf(b, 'p4s3i4', 'content').locator('.value')).toHaveText(original);
	await a.context().close();
	await b.context().close();
});

test('an IME composition on a selected cell replaces it once the composition ends', async ({
	page,
	baseUrl,
	tableId
}) => {
	await openTable(page, baseUrl, tableId);
	const note = cellOf(page, 'p4s3i5', 'note');
	await note.click();
	await selected(note);
	const cdp = await page.context().newCDPSession(page);
	for (const text of ['か', 'かん', 'かんじ'])
		await cdp.send('Input.imeSetComposition', {
			text,
			selectionStart: text.length,
			selectionEnd: text.length
		});
	await expect(note).toHaveAttribute('data-mode', 'edit');
	await cdp.send('Input.insertText', { text: '漢字' });
	await page.keyboard.press('Enter');
	await expect(note.locator('.value')).toHaveText('漢字');
});

test('a viewer’s keys change nothing, and the page says why', async ({
	browser,
	baseUrl,
	tableId
}) => {
	addUser('kimura', 'viewer', 'kimura-password');
	const viewer = await newWindow(browser, 'kimura', 'kimura-password');
	await openTable(viewer, baseUrl, tableId);
	await expect(viewer.locator('[data-readonly-notice]')).toContainText('閲覧のみ');
	const note = cellOf(viewer, 'p4s3i6', 'note');
	const original = await textOf(note);
	await note.click();
	await expect(note).toBeFocused();
	await expect(note).toHaveAttribute('data-mode', 'rest');
	for (const key of ['a', 'Delete', 'Backspace', 'F2']) await viewer.keyboard.press(key);
	await expect(note.locator('.value')).toHaveText(original);
	await expect(note.locator('textarea')).toHaveCount(0);
	// The arrows still move (the note is the last column).
	await viewer.keyboard.press('ArrowLeft');
	await expect(note).not.toBeFocused();
	await viewer.context().close();
});

test('deleting an item asks first, naming it; undo brings it back', async ({
	browser,
	baseUrl,
	tableId
}) => {
	const [a, b] = await twoWindowsOn(browser, baseUrl, tableId);
	const item = a.locator('[data-item-id="p2s5i2"]');
	await item.locator('[data-comments-button]').click();
	const panel = a.locator('[data-comments-panel="p2s5i2"]');
	let asked = '';
	a.once('dialog', (d) => {
		asked = d.message();
		void d.dismiss();
	});
	await panel.locator('[data-delete-item]').click();
	expect(asked).toContain('新たな独自事業の');
	await expect(item).toHaveCount(1);

	a.once('dialog', (d) => void d.accept());
	await panel.locator('[data-delete-item]').click();
	await expect(b.locator('[data-item-id="p2s5i2"]')).toHaveCount(0);
	await a.getByRole('button', { name: '元に戻す' }).click();
	await expect(b.locator('[data-item-id="p2s5i2"]')).toHaveCount(1);
	await expect(b.locator('[data-item-id="p2s5i2"] [data-field="title"]')).toContainText(
		'新たな独自事業の'
	);
	await a.context().close();
	await b.context().close();
});

test('Escape takes back only this cell’s edit, never one committed before it', async ({
	page,
	baseUrl,
	tableId
}) => {
	await openTable(page, baseUrl, tableId);
	const first = cellOf(page, 'p4s4i1', 'title');
	const second = cellOf(page, 'p4s4i2', 'title');
	await first.dblclick();
	await page.keyboard.type('【A編集】');
	await page.keyboard.press('Enter');
	await selected(second);
	const before = await textOf(second);
	// A step that changes nothing (typed and erased at once), then Escape.
	await page.keyboard.press('F2');
	await page.keyboard.type('x');
	await page.keyboard.press('Backspace');
	await page.keyboard.press('Escape');
	await expect(second.locator('.value')).toHaveText(before);
	await expect(first.locator('.value')).toContainText('【A編集】');

	// Undone and redone inside the cell, then Escape: the first cell's edit stays.
	await first.click();
	await page.keyboard.press('F2');
	await page.keyboard.type('【B】');
	await page.keyboard.press('Enter');
	await page.keyboard.press('Control+z');
	await page.keyboard.press('Control+y');
	await page.keyboard.type('C');
	await page.keyboard.press('Escape');
	await expect(first.locator('.value')).toContainText('【A編集】【B】');
	await expect(second.locator('.value')).toHaveText(before);
});

test('a double click while editing places the caret where it was clicked', async ({
	page,
	baseUrl,
	tableId
}) => {
	await openTable(page, baseUrl, tableId);
	const note = cellOf(page, 'p4s4i3', 'note');
	await note.dblclick();
	await page.keyboard.type(' 追記');
	const area = note.locator('textarea');
	const box = (await area.boundingBox())!;
	await page.mouse.dblclick(box.x + 12, box.y + 10);
	const [start, end] = await area.evaluate((t: HTMLTextAreaElement) => [
		t.selectionStart,
		t.selectionEnd
	]);
	const length = await area.evaluate((t: HTMLTextAreaElement) => t.value.length);
	expect(start).toBeLessThan(length - 3);
	expect(end).toBeGreaterThan(start);
	// Escape still takes back the whole edit.
	const original = await area.evaluate((t: HTMLTextAreaElement) => t.value.slice(0, -3));
	await page.keyboard.press('Escape');
	await expect(note.locator('.value')).toHaveText(original);
});

test('Alt+↑ / Alt+↓ move an item, across a section’s edge too; Ctrl+Z moves it back', async ({
	browser,
	baseUrl,
	tableId
}) => {
	const [a, b] = await twoWindowsOn(browser, baseUrl, tableId);
	// The rows around the heading of section p4s4, in document order.
	const order = (page: Page) =>
		page
			.locator(
				'tbody[data-item-id="p4s3i7"], tbody[data-section-id="p4s4"], tbody[data-item-id^="p4s4"]'
			)
			.evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.itemId ?? 'heading p4s4'));
	const start = ['p4s3i7', 'heading p4s4', 'p4s4i1', 'p4s4i2', 'p4s4i3'];
	await expect.poll(() => order(b)).toEqual(start);

	const title = cellOf(a, 'p4s4i2', 'title');
	await title.click();
	await a.keyboard.press('Alt+ArrowDown');
	await expect
		.poll(() => order(b))
		.toEqual(['p4s3i7', 'heading p4s4', 'p4s4i1', 'p4s4i3', 'p4s4i2']);
	await selected(title);
	await a.keyboard.press('Alt+ArrowUp');
	await a.keyboard.press('Alt+ArrowUp');
	await expect
		.poll(() => order(b))
		.toEqual(['p4s3i7', 'heading p4s4', 'p4s4i2', 'p4s4i1', 'p4s4i3']);
	// At the top of its section, up once more: the end of the section before it.
	await a.keyboard.press('Alt+ArrowUp');
	await expect
		.poll(() => order(b))
		.toEqual(['p4s3i7', 'p4s4i2', 'heading p4s4', 'p4s4i1', 'p4s4i3']);
	await selected(title);
	for (let i = 0; i < 4; i++) await a.keyboard.press('Control+z');
	await expect.poll(() => order(b)).toEqual(start);
	await a.context().close();
	await b.context().close();
});

test('a mark cell: Enter moves down as in a text cell; Space opens the list, ↓ and Enter set a mark', async ({
	browser,
	baseUrl,
	tableId
}) => {
	const [a, b] = await twoWindowsOn(browser, baseUrl, tableId);
	const mark = a.locator('[data-item-id="p3s1i2"] [data-mark="3"]');
	const before =
		(await b
			.locator('[data-item-id="p3s1i2"] [data-mark="3"] [data-value]')
			.getAttribute('data-value')
			.catch(() => null)) ?? '';
	await mark.focus();
	await a.keyboard.press('Enter');
	await selected(cellOf(a, 'p3s1i3', 'plan3'));
	await a.keyboard.press('Shift+Enter');
	await expect(mark).toBeFocused();
	await a.keyboard.press(' ');
	await expect(mark.locator('[role="menu"]')).toBeVisible();
	await a.keyboard.press('ArrowDown');
	await a.keyboard.press('ArrowDown');
	const second = mark.locator('[data-pick]').nth(1);
	await expect(second).toBeFocused();
	const chosen = (await second.getAttribute('data-pick'))!;
	await a.keyboard.press('Enter');
	await expect(mark.locator('[role="menu"]')).toHaveCount(0);
	await expect(mark).toBeFocused();
	await expect(
		b.locator(`[data-item-id="p3s1i2"] [data-mark="3"] [data-value="${chosen}"]`)
	).toBeVisible();
	await a.keyboard.press('Control+z');
	await expect
		.poll(
			async () =>
				(await b
					.locator('[data-item-id="p3s1i2"] [data-mark="3"] [data-value]')
					.getAttribute('data-value', { timeout: 500 })
					.catch(() => null)) ?? ''
		)
		.toBe(before);
	await a.context().close();
	await b.context().close();
});

test('Escape closes the export menu even before the menu has seen itself opened', async ({
	page,
	baseUrl,
	tableId
}) => {
	await openTable(page, baseUrl, tableId);
	const menu = page.locator('[data-export-menu]');
	// Opened and Escaped in one task: the details element's toggle event, which a quick key can
	// beat (it came in CI), has not been dispatched yet.
	await menu.evaluate((el) => {
		el.querySelector('summary')!.click();
		el.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
	});
	await expect(menu).not.toHaveAttribute('open', '');
	await expect(menu.locator('summary')).toBeFocused();
});
