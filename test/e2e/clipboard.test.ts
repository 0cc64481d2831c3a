// A block of cells as in Excel (issue 20): Shift+arrows, Shift+click and a drag select it, shown
// tinted and counted; Ctrl+C copies it as tab-separated text and an HTML table, Ctrl+X cuts it,
// Ctrl+V pastes what Excel and Google Sheets put on the clipboard (checked whole first, refused
// naming the cell, offering to add items), Ctrl+D fills down, Delete clears; each one undo step,
// checked from a second window's copy of the table.
import type { Locator, Page } from '@playwright/test';
import { addUser, expect, newWindow, openTable, test, twoWindowsOn } from './fixtures.ts';

const cellOf = (page: Page, item: string, field: string) =>
	page.locator(`[data-item-id="${item}"] [data-field="${field}"]`);
const markOf = (page: Page, item: string, period: string) =>
	page.locator(`[data-item-id="${item}"] [data-mark="${period}"]`);

/** A cell's text (not `innerText`: rows far off screen are not laid out, and have none). */
async function textOf(cell: Locator): Promise<string> {
	return (await cell.locator('.value').textContent()) ?? '';
}

async function markIn(cell: Locator): Promise<string> {
	return (
		(await cell
			.locator('[data-value]')
			.getAttribute('data-value')
			.catch(() => null)) ?? ''
	);
}

const range = (page: Page) => page.locator('[data-range-size]');

/** What Ctrl+C put on the clipboard: read by a paste into nothing but this listener. */
async function clipboardOf(page: Page): Promise<{ plain: string; html: string }> {
	await page.evaluate(() => {
		addEventListener(
			'paste',
			(e) => {
				e.preventDefault();
				e.stopImmediatePropagation();
				const data = {
					plain: e.clipboardData?.getData('text/plain') ?? '',
					html: e.clipboardData?.getData('text/html') ?? ''
				};
				document.body.dataset.pasted = JSON.stringify(data);
			},
			{ capture: true, once: true }
		);
		delete document.body.dataset.pasted;
	});
	await page.keyboard.press('Control+v');
	const pasted = await page.waitForFunction(() => document.body.dataset.pasted);
	return JSON.parse((await pasted.jsonValue()) as string) as { plain: string; html: string };
}

/** Puts text and HTML on the clipboard as Excel or Google Sheets does: a copy this listener fills. */
async function putOnClipboard(page: Page, data: { plain?: string; html?: string }): Promise<void> {
	await page.evaluate((data) => {
		addEventListener(
			'copy',
			(e) => {
				e.preventDefault();
				e.stopImmediatePropagation();
				if (data.plain !== undefined) e.clipboardData?.setData('text/plain', data.plain);
				if (data.html !== undefined) e.clipboardData?.setData('text/html', data.html);
			},
			{ capture: true, once: true }
		);
	}, data);
	await page.keyboard.press('Control+c');
}

test('Shift+arrows select a block, shown and counted; Ctrl+C copies it as TSV and an HTML table', async ({
	page,
	baseUrl,
	tableId
}) => {
	await openTable(page, baseUrl, tableId);
	const item = 'p1s2i1';
	const plan1 = await textOf(cellOf(page, item, 'plan1'));
	const plan2 = await textOf(cellOf(page, item, 'plan2'));
	const mark1 = await markIn(markOf(page, item, '1'));
	const mark2 = await markIn(markOf(page, item, '2'));
	const yearPlan = await textOf(cellOf(page, item, 'yearPlan'));

	await cellOf(page, item, 'plan1').click();
	await page.keyboard.press('Shift+ArrowRight');
	await page.keyboard.press('Shift+ArrowDown');
	await expect(range(page)).toHaveText('2 行 × 2 列を選択');
	// The block is tinted; the active cell is not.
	const tint = (l: Locator) => l.evaluate((el) => getComputedStyle(el).boxShadow);
	await expect.poll(() => tint(markOf(page, item, '2'))).toContain('rgba(33, 115, 230');
	expect(await tint(cellOf(page, item, 'plan1'))).not.toContain('rgba(33, 115, 230');
	await expect(cellOf(page, item, 'plan1')).toHaveAttribute('data-mode', 'select');

	await page.keyboard.press('Control+c');
	let copied = await clipboardOf(page);
	expect(copied.plain).toBe(`${tsv(plan1)}\t${tsv(plan2)}\n${mark1}\t${mark2}\n`);
	expect(copied.html).toContain('<table>');
	expect(copied.html).toContain("mso-number-format:'\\@'");

	// Across to the departments, which span the item's two rows: the block takes both.
	await page.keyboard.press('Shift+ArrowLeft');
	await page.keyboard.press('Shift+ArrowLeft');
	await page.keyboard.press('Shift+ArrowLeft');
	await expect(range(page)).toHaveText('2 行 × 3 列を選択');
	await page.keyboard.press('Control+c');
	copied = await clipboardOf(page);
	const depts = await cellOf(page, item, 'departments').locator('.names span').allTextContents();
	expect(copied.plain).toBe(
		`${tsv(depts.join('\n'))}\t${tsv(yearPlan)}\t${tsv(plan1)}\n\t進行管理\t${mark1}\n`
	);
	expect(copied.html).toMatch(/<td rowspan="2"[^>]*>/);

	// An arrow without Shift moves the active cell, and the block is that cell again.
	await page.keyboard.press('ArrowRight');
	await expect(range(page)).toHaveCount(0);
});

/** A cell as Excel's text has it: quoted when it holds a tab, a line break or a quote. */
function tsv(text: string): string {
	return /[\t\n"]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

test('Ctrl+V pastes Excel’s text: quoted line breaks, look-alike marks, departments; one undo step', async ({
	browser,
	baseUrl,
	tableId
}) => {
	const [a, b] = await twoWindowsOn(browser, baseUrl, tableId);
	const items = ['p2s1i1', 'p2s1i2'];
	const before = await Promise.all(
		items.flatMap((id) => [textOf(cellOf(b, id, 'plan3')), markIn(markOf(b, id, '3'))])
	);
	// Two items' plan and mark of the third period, as Excel copies them: CRLF, a quoted cell with
	// a line break, 〇 (a kanji zero) for ○, and a dash for —.
	const plain = '"上期に\r\n説明会"\t\r\n〇\t\r\n下期に実施\t\r\n－\t\r\n';
	await cellOf(a, 'p2s1i1', 'plan3').click();
	await putOnClipboard(a, { plain });
	await cellOf(a, 'p2s1i1', 'plan3').click();
	await a.keyboard.press('Control+v');
	await expect(cellOf(b, 'p2s1i1', 'plan3').locator('.value')).toHaveText('上期に\n説明会');
	await expect(markOf(b, 'p2s1i1', '3').locator('[data-value]')).toHaveAttribute('data-value', '○');
	await expect(cellOf(b, 'p2s1i2', 'plan3').locator('.value')).toHaveText('下期に実施');
	await expect(markOf(b, 'p2s1i2', '3').locator('[data-value]')).toHaveAttribute('data-value', '—');
	// The pasted block is selected.
	await expect(range(a)).toHaveText('4 行 × 2 列を選択');

	// Departments by their names, as a line each or run together.
	await cellOf(a, 'p2s1i3', 'content').click();
	await a.keyboard.press('ArrowRight');
	await expect(cellOf(a, 'p2s1i3', 'departments')).toBeFocused();
	await putOnClipboard(a, { plain: '"総務\n事業"\n事業総務\n' });
	await a.keyboard.press('Control+v');
	await expect(cellOf(b, 'p2s1i3', 'departments').locator('.names')).toHaveText('総務事業');
	await expect(cellOf(b, 'p2s1i4', 'departments').locator('.names')).toHaveText('総務事業');

	// Each paste is one step.
	await a.keyboard.press('Control+z');
	await a.keyboard.press('Control+z');
	for (const [i, id] of items.entries()) {
		await expect(cellOf(b, id, 'plan3').locator('.value')).toHaveText(before[2 * i]!);
		expect(await markIn(markOf(b, id, '3'))).toBe(before[2 * i + 1]);
	}
	await a.context().close();
	await b.context().close();
});

test('a cell that does not fit refuses the whole paste, naming it', async ({
	browser,
	baseUrl,
	tableId
}) => {
	const [a, b] = await twoWindowsOn(browser, baseUrl, tableId);
	const before = await textOf(cellOf(b, 'p2s2i1', 'plan1'));
	await cellOf(a, 'p2s2i1', 'plan1').click();
	await putOnClipboard(a, { plain: '新しい計画\n済\n' });
	await cellOf(a, 'p2s2i1', 'plan1').click();
	await a.keyboard.press('Control+v');
	const message = a.locator('[data-grid-message]');
	await expect(message).toContainText('2 行 1 列目「済」');
	await expect(message).toContainText('進行管理');
	await expect(message).toContainText('何も貼り付けていません');
	await expect(cellOf(a, 'p2s2i1', 'plan1').locator('.value')).toHaveText(before);
	await expect(cellOf(b, 'p2s2i1', 'plan1').locator('.value')).toHaveText(before);

	// A department not in the table's list is refused too.
	await cellOf(a, 'p2s2i1', 'content').click();
	await a.keyboard.press('ArrowRight');
	await putOnClipboard(a, { plain: '広報課\n' });
	await a.keyboard.press('Control+v');
	await expect(message).toContainText('「広報課」');
	await message.getByRole('button').click();
	await expect(message).toHaveCount(0);
	await a.context().close();
	await b.context().close();
});

test('Ctrl+V pastes an HTML table (merged cells, line breaks) and adds the items it needs', async ({
	browser,
	baseUrl,
	tableId
}) => {
	const [a, b] = await twoWindowsOn(browser, baseUrl, tableId);
	const count = await b.locator('[data-item-id]').count();
	const lastNote = await textOf(cellOf(b, 'p4s4i3', 'note'));
	// As Excel writes HTML: a line break kept in its cell, source lines wrapped, a merged cell.
	const html =
		'<html><body><!--StartFragment--><table><tr><td class=xl65>最後の方針<br style="mso-data-placement:same-cell;">二行目</td></tr>\r\n' +
		'<tr><td>追加一</td></tr><tr><td colspan=2>追加二</td></tr></table><!--EndFragment--></body></html>';
	a.on('dialog', (dialog) => {
		expect(dialog.message()).toContain('2 個追加');
		void dialog.accept();
	});
	await cellOf(a, 'p4s4i3', 'note').click();
	await putOnClipboard(a, { html });
	await cellOf(a, 'p4s4i3', 'note').click();
	await a.keyboard.press('Control+v');
	await expect(b.locator('[data-item-id]')).toHaveCount(count + 2);
	await expect(cellOf(b, 'p4s4i3', 'note').locator('.value')).toHaveText('最後の方針\n二行目');
	const added = b.locator('tbody[data-item-id]').nth(count + 1);
	await expect(added.locator('[data-field="note"] .value')).toHaveText('追加二');
	await expect(added.locator('[data-field="title"]')).toContainText('⑤');

	await a.keyboard.press('Control+z');
	await expect(b.locator('[data-item-id]')).toHaveCount(count);
	await expect(cellOf(b, 'p4s4i3', 'note').locator('.value')).toHaveText(lastNote);
	await a.context().close();
	await b.context().close();
});

test('Ctrl+X cuts, Ctrl+D fills down, Delete clears a block; each one undo step', async ({
	browser,
	baseUrl,
	tableId
}) => {
	const [a, b] = await twoWindowsOn(browser, baseUrl, tableId);
	const ids = ['p1s2i2', 'p1s2i3', 'p1s2i4'];
	const notes = await Promise.all(ids.map((id) => textOf(cellOf(b, id, 'note'))));
	const expectNotes = async (want: string[]) => {
		for (const [i, id] of ids.entries())
			await expect(cellOf(b, id, 'note').locator('.value')).toHaveText(want[i]!);
	};

	// Ctrl+D: the first item's note down the block.
	await cellOf(a, ids[0]!, 'note').click();
	await a.keyboard.press('Shift+ArrowDown');
	await a.keyboard.press('Shift+ArrowDown');
	await expect(range(a)).toHaveText('3 行 × 1 列を選択');
	await a.keyboard.press('Control+d');
	await expectNotes([notes[0]!, notes[0]!, notes[0]!]);
	await a.keyboard.press('Control+z');
	await expectNotes(notes);

	// Delete: the block emptied.
	await a.keyboard.press('Delete');
	await expectNotes(['', '', '']);
	await a.keyboard.press('Control+z');
	await expectNotes(notes);

	// Ctrl+X: copied and emptied; pasted back, the notes are as they were.
	await a.keyboard.press('Control+x');
	await expectNotes(['', '', '']);
	const copied = await clipboardOf(a);
	expect(copied.plain).toBe(notes.map(tsv).join('\n') + '\n');
	await putOnClipboard(a, copied);
	await a.keyboard.press('Control+v');
	await expectNotes(notes);
	await a.context().close();
	await b.context().close();
});

test('Shift+click and a drag select a block', async ({ page, baseUrl, tableId }) => {
	await openTable(page, baseUrl, tableId);
	await cellOf(page, 'p1s3i1', 'title').click();
	await cellOf(page, 'p1s3i3', 'content').click({ modifiers: ['Shift'] });
	await expect(range(page)).toHaveText('3 行 × 2 列を選択');
	await expect(cellOf(page, 'p1s3i1', 'title')).toHaveAttribute('data-mode', 'select');

	await markOf(page, 'p1s4i2', '2').scrollIntoViewIfNeeded();
	const from = await cellOf(page, 'p1s4i1', 'plan1').boundingBox();
	const to = await markOf(page, 'p1s4i2', '2').boundingBox();
	await page.mouse.move(from!.x + 5, from!.y + 5);
	await page.mouse.down();
	await page.mouse.move(to!.x + 5, to!.y + 5, { steps: 5 });
	await page.mouse.up();
	await expect(range(page)).toHaveText('4 行 × 2 列を選択');
});

test('a viewer copies a block; paste, cut and fill change nothing and say why', async ({
	browser,
	baseUrl,
	tableId
}) => {
	addUser('hayashi', 'viewer', 'viewer-password');
	const viewer = await newWindow(browser, 'hayashi', 'viewer-password');
	await openTable(viewer, baseUrl, tableId);
	const title = await textOf(cellOf(viewer, 'p1s1i1', 'title'));
	await cellOf(viewer, 'p1s1i1', 'title').click();
	await viewer.keyboard.press('Shift+ArrowDown');
	await viewer.keyboard.press('Control+c');
	const copied = await clipboardOf(viewer);
	expect(copied.plain.split('\n')[0]).toContain(title);
	await putOnClipboard(viewer, { plain: '書き換え\n' });
	await viewer.keyboard.press('Control+v');
	await expect(viewer.locator('[data-grid-message]')).toContainText('閲覧のみ');
	await expect(cellOf(viewer, 'p1s1i1', 'title').locator('.value')).toContainText(title);
	await viewer.context().close();
});

test('offline, a paste and an inserted row wait on the device and merge with another person’s edits', async ({
	browser,
	baseUrl,
	tableId
}) => {
	const [a, b] = await twoWindowsOn(browser, baseUrl, tableId);
	const notes = await Promise.all(['p2s5i1', 'p2s5i2'].map((id) => textOf(cellOf(b, id, 'note'))));
	const content = await textOf(cellOf(b, 'p2s5i1', 'content'));
	await a.context().setOffline(true);
	await expect(a.locator('[data-sync-state]')).toHaveAttribute('data-sync-state', 'offline');

	await cellOf(a, 'p2s5i1', 'note').click();
	await putOnClipboard(a, { plain: 'オフラインの方針\n二つ目の方針\n' });
	await a.keyboard.press('Control+v');
	await expect(cellOf(a, 'p2s5i2', 'note').locator('.value')).toHaveText('二つ目の方針');
	await cellOf(a, 'p2s5i2', 'title').click();
	await a.keyboard.press('Shift+F10');
	await a.locator('[data-action-menu] [data-action="insert-below"]').click();
	// Meanwhile, online, someone else edits the same item.
	await cellOf(b, 'p2s5i1', 'content').dblclick();
	await b.keyboard.type('（B）');
	await b.keyboard.press('Enter');
	await expect(cellOf(b, 'p2s5i1', 'note').locator('.value')).toHaveText(notes[0]!);

	await a.context().setOffline(false);
	await expect(cellOf(b, 'p2s5i1', 'note').locator('.value')).toHaveText('オフラインの方針');
	await expect(cellOf(b, 'p2s5i2', 'note').locator('.value')).toHaveText('二つ目の方針');
	await expect(b.locator('tbody[data-item-id]')).toHaveCount(69);
	await expect(cellOf(a, 'p2s5i1', 'content').locator('.value')).toHaveText(`${content}（B）`);

	await b.keyboard.press('Control+z');
	await a.keyboard.press('Control+z');
	await a.keyboard.press('Control+z');
	await expect(b.locator('tbody[data-item-id]')).toHaveCount(68);
	await expect(cellOf(b, 'p2s5i1', 'note').locator('.value')).toHaveText(notes[0]!);
	await expect(cellOf(a, 'p2s5i1', 'content').locator('.value')).toHaveText(content);
	await a.context().close();
	await b.context().close();
});

test('after a paste the cell edits what was pasted, and Escape takes back the typing only', async ({
	browser,
	baseUrl,
	tableId
}) => {
	const [a, b] = await twoWindowsOn(browser, baseUrl, tableId);
	const ids = ['p1s4i1', 'p1s4i2'];
	const before = await Promise.all(ids.map((id) => textOf(cellOf(b, id, 'content'))));
	const content = cellOf(a, ids[0]!, 'content');
	await content.click();
	await a.keyboard.press('Shift+ArrowDown');
	await putOnClipboard(a, { plain: '貼った一\n貼った二\n' });
	await a.keyboard.press('Control+v');
	await expect(cellOf(b, ids[1]!, 'content').locator('.value')).toHaveText('貼った二');
	// F2 edits the pasted text, not what the cell held before.
	await a.keyboard.press('F2');
	await expect(content.locator('textarea')).toHaveValue('貼った一');
	await a.keyboard.type('（追記）');
	await a.keyboard.press('Escape');
	await expect(content.locator('.value')).toHaveText('貼った一');
	await expect(cellOf(b, ids[1]!, 'content').locator('.value')).toHaveText('貼った二');
	// Typed over, then Escape: the paste stays.
	await a.keyboard.type('上書き');
	await a.keyboard.press('Escape');
	await expect(cellOf(b, ids[0]!, 'content').locator('.value')).toHaveText('貼った一');
	await a.keyboard.press('Control+z');
	for (const [i, id] of ids.entries())
		await expect(cellOf(b, id, 'content').locator('.value')).toHaveText(before[i]!);
	await a.context().close();
	await b.context().close();
});

test('a mark cell clicked with the mouse takes the block keys; Excel’s HTML paste tolerated', async ({
	page,
	baseUrl,
	tableId
}) => {
	await openTable(page, baseUrl, tableId);
	const mark = markOf(page, 'p1s2i2', '1');
	const before = [await markIn(mark), await markIn(markOf(page, 'p1s2i2', '2'))];
	await mark.locator('.face').click();
	await page.keyboard.press('Escape');
	await page.keyboard.press('Shift+ArrowRight');
	await expect(range(page)).toHaveText('1 行 × 2 列を選択');
	await putOnClipboard(page, { plain: '△\t✕\n' });
	await page.keyboard.press('Control+v');
	await expect(mark.locator('[data-value]')).toHaveAttribute('data-value', '△');
	await expect(markOf(page, 'p1s2i2', '2').locator('[data-value]')).toHaveAttribute(
		'data-value',
		'×'
	);
	await page.keyboard.press('Control+z');
	await expect.poll(() => markIn(mark)).toBe(before[0]);

	// An empty paragraph before a cell's text gives no line break; spans too large are refused.
	const note = cellOf(page, 'p1s2i3', 'note');
	const original = await textOf(note);
	await note.click();
	await putOnClipboard(page, { html: '<table><tr><td><p></p>段落の後</td></tr></table>' });
	await page.keyboard.press('Control+v');
	await expect(note.locator('.value')).toHaveText('段落の後');
	await page.keyboard.press('Control+z');
	await expect(note.locator('.value')).toHaveText(original);
	const huge = '<table><tr>' + '<td rowspan=1000 colspan=1000>x</td>'.repeat(100) + '</tr></table>';
	await putOnClipboard(page, { html: huge });
	await page.keyboard.press('Control+v');
	await expect(page.locator('[data-grid-message]')).toContainText('大きすぎます');
	await expect(note.locator('.value')).toHaveText(original);
});

test('a block keeps to its columns when someone adds a period meanwhile', async ({
	browser,
	baseUrl,
	tableId
}) => {
	const [a, b] = await twoWindowsOn(browser, baseUrl, tableId);
	const note = cellOf(a, 'p1s1i3', 'note');
	const original = await textOf(note);
	await note.click();
	await b.goto(`${baseUrl}/t/${tableId}/settings`);
	await b.locator('[data-shape-new-period]').fill('追加期');
	await b.getByRole('button', { name: '期間を追加' }).click();
	await expect(a.locator('table.sheet thead')).toContainText('追加期');
	await putOnClipboard(a, { plain: '方針に貼る\n' });
	await a.keyboard.press('Control+v');
	await expect(note.locator('.value')).toHaveText('方針に貼る');
	await a.keyboard.press('Control+z');
	await expect(note.locator('.value')).toHaveText(original);
	b.once('dialog', (d) => void d.accept());
	await b.getByRole('button', { name: '期間「追加期」を削除' }).click();
	await expect(a.locator('table.sheet thead')).not.toContainText('追加期');
	await a.context().close();
	await b.context().close();
});

test('text selected inside a cell is copied as it is', async ({ browser, baseUrl, tableId }) => {
	addUser('ono', 'viewer', 'viewer-password');
	const viewer = await newWindow(browser, 'ono', 'viewer-password');
	await openTable(viewer, baseUrl, tableId);
	const note = cellOf(viewer, 'p3s1i2', 'note');
	await note.click();
	const part = await note.locator('.value').evaluate((el) => {
		const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
		let text = walker.nextNode()!;
		while ((text.textContent ?? '').length < 5) text = walker.nextNode()!;
		const range = document.createRange();
		range.setStart(text, 1);
		range.setEnd(text, 5);
		getSelection()!.removeAllRanges();
		getSelection()!.addRange(range);
		return range.toString();
	});
	await viewer.keyboard.press('Control+c');
	expect((await clipboardOf(viewer)).plain).toBe(part);
	await viewer.context().close();
});
