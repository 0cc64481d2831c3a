// An edited text cell grows and shrinks with its text, so nothing typed is ever hidden: the
// browser sizes the textarea (field-sizing), or TextCell measures it where the browser cannot.
import type { Locator } from '@playwright/test';
import { expect, openTable, test } from './fixtures.ts';

/** The textarea's box and the text it holds, and the cell's box around it. */
function sizes(cell: Locator) {
	return cell.evaluate((td) => {
		const area = td.querySelector('textarea')!;
		const box = area.getBoundingClientRect();
		const outer = td.getBoundingClientRect();
		return {
			height: box.height,
			width: box.width,
			textHeight: area.scrollHeight,
			shownHeight: area.clientHeight,
			cellHeight: outer.height,
			cellWidth: outer.width
		};
	});
}

test('an edited cell grows with each line typed and shrinks when they go, filling the cell', async ({
	page,
	baseUrl,
	tableId
}) => {
	await openTable(page, baseUrl, tableId);
	const note = page.locator('[data-item-id="p1s1i1"] [data-field="note"]');
	// Selected with a click, the first key replaces the text (as in Excel).
	await note.click();
	await page.keyboard.type('a');
	await expect(note).toHaveAttribute('data-mode', 'edit');
	const one = await sizes(note);
	// As wide as the cell and as tall as the row: the cell's own frame is drawn over it.
	expect(one.width).toBeGreaterThan(one.cellWidth - 3);
	expect(one.height).toBeGreaterThan(one.cellHeight - 3);

	for (let line = 0; line < 12; line++) {
		await page.keyboard.type('line of text');
		await page.keyboard.press('Alt+Enter');
	}
	const grown = await sizes(note);
	expect(grown.textHeight).toBeLessThanOrEqual(grown.shownHeight); // every line shown
	expect(grown.height).toBeGreaterThan(one.height + 100);
	expect(grown.cellHeight).toBeGreaterThanOrEqual(grown.height);

	// A long line wraps, and the wrapped lines are shown too.
	await page.keyboard.type('wrapped '.repeat(40));
	const wrapped = await sizes(note);
	expect(wrapped.textHeight).toBeLessThanOrEqual(wrapped.shownHeight);
	expect(wrapped.height).toBeGreaterThan(grown.height + 40);

	// A narrower window makes the column narrower: the textarea follows it, and takes more lines.
	await page.setViewportSize({ width: 1100, height: 800 });
	await expect.poll(async () => (await sizes(note)).width).toBeLessThan(wrapped.width);
	const narrow = await sizes(note);
	expect(narrow.width).toBeGreaterThan(narrow.cellWidth - 3);
	expect(narrow.textHeight).toBeLessThanOrEqual(narrow.shownHeight);
	expect(narrow.height).toBeGreaterThan(wrapped.height);

	await page.setViewportSize({ width: 1280, height: 800 });
	await page.keyboard.press('Control+a');
	await page.keyboard.press('Backspace');
	await expect.poll(async () => (await sizes(note)).height).toBeLessThan(one.height + 2);
	await page.keyboard.press('Escape');
	await expect(note).toHaveAttribute('data-mode', 'select');
});
