// Items and headings inserted, moved and deleted as in a spreadsheet (issue 20): the row's handle
// and a right click open its menu, Shift+F10 from the keyboard; Ctrl+Alt+= inserts above,
// Ctrl+Alt+- deletes; Alt+↑ / Alt+↓ move a heading with what it holds; a drag by the handle moves
// an item; every delete asks first, naming what goes; each is one undo step, checked from a second
// window's copy of the table.
import type { Locator, Page } from '@playwright/test';
import { addUser, expect, newWindow, openTable, test, twoWindowsOn } from './fixtures.ts';

const row = (page: Page, item: string) => page.locator(`tbody[data-item-id="${item}"]`);
const titleOf = (page: Page, item: string) =>
	page.locator(`[data-item-id="${item}"] [data-field="title"]`);
const menu = (page: Page) => page.locator('[data-action-menu]');

/** The item ids under a section, in order, as drawn. */
async function itemsOf(page: Page, section: string): Promise<string[]> {
	return page.evaluate((id) => {
		const ids: string[] = [];
		let body = document.querySelector(`tbody[data-section-id="${id}"]`)?.nextElementSibling;
		while (body?.matches('tbody[data-item-id]')) {
			ids.push((body as HTMLElement).dataset.itemId!);
			body = body.nextElementSibling;
		}
		return ids;
	}, section);
}

/**
 * An HTML5 drag with the mouse, in small steps (Playwright's dragTo moves too directly for
 * Chromium to start one), dropped `x` from the target's left and `fromBottom` above its bottom.
 */
async function drag(
	page: Page,
	from: Locator,
	to: Locator,
	at: { x: number; fromBottom: number }
): Promise<void> {
	const start = (await from.boundingBox())!;
	const end = (await to.boundingBox())!;
	await page.mouse.move(start.x + 4, start.y + 4);
	await page.mouse.down();
	await page.mouse.move(start.x + 10, start.y + 12, { steps: 5 });
	await page.mouse.move(end.x + at.x, end.y + end.height - at.fromBottom, { steps: 10 });
	await page.mouse.up();
}

/** The section ids of the table, in order, as drawn. */
const sectionsOf = (page: Page) =>
	page
		.locator('tbody[data-section-id]')
		.evaluateAll((bodies) => bodies.map((b) => (b as HTMLElement).dataset.sectionId!));

test('the row menu inserts an item above and below; the new row is selected and numbered on', async ({
	browser,
	baseUrl,
	tableId
}) => {
	const [a, b] = await twoWindowsOn(browser, baseUrl, tableId);
	const before = await itemsOf(b, 'p1s3');
	await row(a, 'p1s3i2').hover();
	await row(a, 'p1s3i2').locator('[data-row-menu]').click();
	await expect(menu(a)).toBeVisible();
	await expect(menu(a).locator('[data-action="insert-above"]')).toBeFocused();
	await menu(a).locator('[data-action="insert-above"]').click();
	await expect.poll(() => itemsOf(b, 'p1s3')).toHaveLength(before.length + 1);
	const added = (await itemsOf(b, 'p1s3'))[1]!;
	expect(await itemsOf(b, 'p1s3')).toEqual([before[0], added, ...before.slice(1)]);
	// Selected, so typing fills it; numbered after the section's last.
	const title = titleOf(a, added);
	await expect(title).toHaveAttribute('data-mode', 'select');
	await expect(title.locator('.prefix')).toHaveText('④');
	await a.keyboard.type('新しい項目');
	await a.keyboard.press('Enter');
	await expect(titleOf(b, added).locator('.value')).toContainText('新しい項目');

	// From the keyboard: Shift+F10 opens the menu on the focused cell, ↓ and Enter run an action.
	await titleOf(a, 'p1s3i3').click();
	await a.keyboard.press('Shift+F10');
	await expect(menu(a).locator('[data-action="insert-above"]')).toBeFocused();
	await a.keyboard.press('ArrowDown');
	await expect(menu(a).locator('[data-action="insert-below"]')).toBeFocused();
	await a.keyboard.press('Enter');
	await expect.poll(() => itemsOf(b, 'p1s3')).toHaveLength(before.length + 2);
	expect((await itemsOf(b, 'p1s3')).at(-2)).toBe('p1s3i3');
	// Escape closes a menu and gives the focus back.
	await titleOf(a, 'p1s3i1').click();
	await a.keyboard.press('Shift+F10');
	await a.keyboard.press('Escape');
	await expect(menu(a)).toHaveCount(0);
	await expect(titleOf(a, 'p1s3i1').locator('textarea')).toBeFocused();

	// Ctrl+Alt+= inserts above too; each insert is one undo step.
	await a.keyboard.press('Control+Alt+=');
	await expect.poll(() => itemsOf(b, 'p1s3')).toHaveLength(before.length + 3);
	for (let i = 0; i < 5; i++) await a.keyboard.press('Control+z');
	await expect.poll(() => itemsOf(b, 'p1s3')).toEqual(before);
	await a.context().close();
	await b.context().close();
});

test('an item moves by the menu, to another heading, and by a drag of its handle', async ({
	browser,
	baseUrl,
	tableId
}) => {
	const [a, b] = await twoWindowsOn(browser, baseUrl, tableId);
	const s3 = await itemsOf(b, 'p2s3');
	const s4 = await itemsOf(b, 'p2s4');
	// 下へ移動 from the menu of a right click.
	await titleOf(a, s3[0]!).click({ button: 'right' });
	await menu(a).locator('[data-action="move-down"]').click();
	await expect.poll(() => itemsOf(b, 'p2s3')).toEqual([s3[1], s3[0], ...s3.slice(2)]);
	// To another heading: the end of it.
	await titleOf(a, s3[0]!).click({ button: 'right' });
	await menu(a).locator('[data-action="move-to"]').click();
	await menu(a).locator('[data-action="section:p2s4"]').click();
	await expect.poll(() => itemsOf(b, 'p2s4')).toEqual([...s4, s3[0]]);
	await expect(titleOf(a, s3[0]!).locator('textarea')).toBeFocused();
	// Its number stays.
	await expect(titleOf(b, s3[0]!).locator('.prefix')).toHaveText('①');
	await a.keyboard.press('Control+z');
	await a.keyboard.press('Control+z');
	await expect.poll(() => itemsOf(b, 'p2s3')).toEqual(s3);

	// A drag by the handle onto the lower half of another row puts it after that row.
	await row(a, s3[0]!).hover();
	await drag(a, row(a, s3[0]!).locator('[data-row-menu]'), row(a, s3[2]!), {
		x: 40,
		fromBottom: 8
	});
	await expect.poll(() => itemsOf(b, 'p2s3')).toEqual([s3[1], s3[2], s3[0], ...s3.slice(3)]);
	await a.keyboard.press('Control+z');
	await expect.poll(() => itemsOf(b, 'p2s3')).toEqual(s3);
	await a.context().close();
	await b.context().close();
});

test('deleting an item or a heading asks first, naming what goes; Ctrl+Z brings it all back', async ({
	browser,
	baseUrl,
	tableId
}) => {
	const [a, b] = await twoWindowsOn(browser, baseUrl, tableId);
	const count = await b.locator('tbody[data-item-id]').count();
	const questions: string[] = [];
	let answer = false;
	a.on('dialog', (dialog) => {
		questions.push(dialog.message());
		void (answer ? dialog.accept() : dialog.dismiss());
	});

	// An item: declined, nothing goes; accepted, it goes and the next row has the focus.
	await titleOf(a, 'p3s2i2').click();
	await a.keyboard.press('Control+Alt+-');
	await expect.poll(() => questions.length).toBe(1);
	expect(questions[0]).toContain('②');
	await expect(row(b, 'p3s2i2')).toHaveCount(1);
	answer = true;
	await a.keyboard.press('Control+Alt+-');
	await expect(row(b, 'p3s2i2')).toHaveCount(0);
	await expect(titleOf(a, 'p3s2i3').locator('textarea')).toBeFocused();
	await a.keyboard.press('Control+z');
	await expect(row(b, 'p3s2i2')).toHaveCount(1);

	// A heading, with the items it holds.
	const held = await itemsOf(b, 'p3s1');
	await a.locator('[data-heading-menu="p3s1"]').click();
	await menu(a).locator('[data-action="delete"]').click();
	await expect.poll(() => questions.length).toBe(3);
	expect(questions[2]).toContain(`その中の ${held.length} 項目`);
	await expect(b.locator('tbody[data-section-id="p3s1"]')).toHaveCount(0);
	await expect(b.locator('tbody[data-item-id]')).toHaveCount(count - held.length);
	await a.keyboard.press('Control+z');
	await expect(b.locator('tbody[data-item-id]')).toHaveCount(count);
	expect(await itemsOf(b, 'p3s1')).toEqual(held);
	await a.context().close();
	await b.context().close();
});

test('Alt+↑ / Alt+↓ move a heading with its items, past the pillar’s edge too', async ({
	browser,
	baseUrl,
	tableId
}) => {
	const [a, b] = await twoWindowsOn(browser, baseUrl, tableId);
	const sections = await sectionsOf(b);
	const held = await itemsOf(b, 'p1s4');
	const heading = a.locator('tbody[data-section-id="p1s4"] .heading-text');
	await heading.focus();
	await a.keyboard.press('Alt+ArrowUp');
	const moved = [...sections];
	moved.splice(moved.indexOf('p1s4'), 1);
	moved.splice(moved.indexOf('p1s3'), 0, 'p1s4');
	await expect.poll(() => sectionsOf(b)).toEqual(moved);
	expect(await itemsOf(b, 'p1s4')).toEqual(held);
	await expect(heading).toBeFocused();
	// Back down, then past the pillar's end: first under the next pillar, with its items.
	await a.keyboard.press('Alt+ArrowDown');
	await expect.poll(() => sectionsOf(b)).toEqual(sections);
	await a.keyboard.press('Alt+ArrowDown');
	await expect(b.locator('tbody[data-pillar-id="p2"] + tbody[data-section-id="p1s4"]')).toHaveCount(
		1
	);
	expect(await itemsOf(b, 'p1s4')).toEqual(held);
	await expect(heading).toBeFocused();
	for (let i = 0; i < 3; i++) await a.keyboard.press('Control+z');
	await expect.poll(() => sectionsOf(b)).toEqual(sections);
	await a.context().close();
	await b.context().close();
});

test('a heading dragged by its ⋯ goes before or after another, with its items', async ({
	browser,
	baseUrl,
	tableId
}) => {
	const [a, b] = await twoWindowsOn(browser, baseUrl, tableId);
	const sections = await sectionsOf(b);
	const held = await itemsOf(b, 'p2s5');
	await a
		.locator('tbody[data-section-id="p2s5"]')
		.evaluate((el) => el.scrollIntoView({ block: 'center' }));
	await drag(
		a,
		a.locator('[data-heading-menu="p2s5"]'),
		a.locator('tbody[data-section-id="p2s6"]'),
		{ x: 200, fromBottom: 3 }
	);
	await expect(a.locator('[data-drop]')).toHaveCount(0);
	const moved = [...sections];
	moved.splice(moved.indexOf('p2s5'), 1);
	moved.splice(moved.indexOf('p2s6') + 1, 0, 'p2s5');
	await expect.poll(() => sectionsOf(b)).toEqual(moved);
	expect(await itemsOf(b, 'p2s5')).toEqual(held);
	// While dragged over the lower half of a heading, the line is drawn under the last item it
	// holds: that is where the heading goes.
	const line = await a.evaluate(() => {
		const data = new DataTransfer();
		const handle = document.querySelector('[data-heading-menu="p2s6"]')!;
		handle.dispatchEvent(new DragEvent('dragstart', { bubbles: true, dataTransfer: data }));
		const onto = document.querySelector<HTMLElement>('tbody[data-section-id="p2s4"]')!;
		const box = onto.getBoundingClientRect();
		onto.querySelector('th')!.dispatchEvent(
			new DragEvent('dragover', {
				bubbles: true,
				cancelable: true,
				dataTransfer: data,
				clientX: box.left + 200,
				clientY: box.bottom - 2
			})
		);
		const marked = document.querySelector<HTMLElement>('[data-drop]');
		const found = marked ? [marked.dataset.itemId, marked.dataset.drop] : null;
		handle.dispatchEvent(new DragEvent('dragend', { bubbles: true, dataTransfer: data }));
		return found;
	});
	expect(line).toEqual([(await itemsOf(a, 'p2s4')).at(-1), 'after']);
	await a.keyboard.press('Control+z');
	await expect.poll(() => sectionsOf(b)).toEqual(sections);
	await a.context().close();
	await b.context().close();
});

test('someone typing keeps their cell, caret and all, while another moves rows and headings', async ({
	browser,
	baseUrl,
	tableId
}) => {
	const [a, b] = await twoWindowsOn(browser, baseUrl, tableId);
	const note = b.locator('[data-item-id="p1s2i2"] [data-field="note"]');
	const original = (await note.locator('.value').textContent()) ?? '';
	await note.dblclick();
	await b.keyboard.type('（一）');
	// A moves that very item down, then the pillar B's item is in past another.
	await titleOf(a, 'p1s2i2').click();
	await a.keyboard.press('Alt+ArrowDown');
	await expect(row(b, 'p1s2i3').locator('xpath=following-sibling::tbody[1]')).toHaveAttribute(
		'data-item-id',
		'p1s2i2'
	);
	await b.keyboard.type('（二）');
	await a.locator('tbody[data-pillar-id="p1"] .heading-text').focus();
	await a.keyboard.press('Alt+ArrowDown');
	await expect(b.locator('tbody[data-pillar-id="p2"] ~ tbody[data-pillar-id="p1"]')).toHaveCount(1);
	await b.keyboard.type('（三）');
	await expect(note).toHaveAttribute('data-mode', 'edit');
	await b.keyboard.press('Enter');
	await expect(a.locator('[data-item-id="p1s2i2"] [data-field="note"] .value')).toHaveText(
		`${original}（一）（二）（三）`
	);
	// Back as it was: the pillar, the item, B's typing.
	await a.keyboard.press('Control+z');
	await a.keyboard.press('Control+z');
	await expect(a.locator('tbody[data-pillar-id="p1"] ~ tbody[data-pillar-id="p2"]')).toHaveCount(1);
	await expect
		.poll(() => itemsOf(b, 'p1s2'))
		.toEqual(['p1s2i1', 'p1s2i2', 'p1s2i3', 'p1s2i4', 'p1s2i5', 'p1s2i6']);
	// (B's typing may be up to three undo steps: each return of the focus starts one.)
	for (let i = 0; i < 3; i++) await b.keyboard.press('Control+z');
	await expect(note.locator('.value')).toHaveText(original);
	await a.context().close();
	await b.context().close();
});

test('a viewer has no handles or menus, and the row keys change nothing', async ({
	browser,
	baseUrl,
	tableId
}) => {
	addUser('kudo', 'viewer', 'viewer-password');
	const viewer = await newWindow(browser, 'kudo', 'viewer-password');
	await openTable(viewer, baseUrl, tableId);
	await expect(viewer.locator('[data-row-menu]')).toHaveCount(0);
	await expect(viewer.locator('[data-heading-menu]')).toHaveCount(0);
	await titleOf(viewer, 'p1s1i1').click();
	await viewer.keyboard.press('Shift+F10');
	await viewer.keyboard.press('Control+Alt+=');
	await expect(menu(viewer)).toHaveCount(0);
	await expect(viewer.locator('tbody[data-item-id]')).toHaveCount(68);
	await viewer.context().close();
});
