import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import {
	allRows,
	expect,
	newWindow,
	openTable,
	REFERENCE,
	test,
	twoWindowsOn
} from './fixtures.ts';

const source = readFileSync(REFERENCE, 'utf8');

test('the home page lists an imported reference table, which renders all 68 items', async ({
	page,
	baseUrl,
	tableId
}) => {
	await page.goto(baseUrl);
	const link = page.locator(`a[data-table-id="${tableId}"]`);
	await expect(link).toContainText('令和2年度 第3次基本計画に係る取り組み事項進行管理表');
	await link.click();
	await expect(page.locator('[data-item-id]')).toHaveCount(68);
	await expect(page.locator('tbody.pillar')).toHaveCount(4);
	await expect(page.locator('tbody.section')).toHaveCount(17);
	// Every item has its editable cells and its four marks inside its own element.
	const first = page.locator('[data-item-id]').first();
	for (const field of [
		'title',
		'content',
		'yearPlan',
		'plan1',
		'plan2',
		'plan3',
		'plan4',
		'note'
	]) {
		await expect(first.locator(`[data-field="${field}"]`)).toHaveCount(1);
	}
	await expect(first.locator('[data-mark]')).toHaveCount(4);
	await expect(first.locator('[data-field="title"]')).toContainText(
		'ホームページからの入会説明会参加予約'
	);
	// The marks on screen are the source's 進行管理 rows, in order.
	const expected = source
		.split('\n')
		.filter((line) => line.includes('\t進行管理\t'))
		.flatMap((line) => line.split('\t').slice(4, 8));
	const shown = await page
		.locator('[data-mark]')
		.evaluateAll((cells) => cells.map((c) => c.querySelector('.face')?.textContent?.trim() ?? ''));
	expect(shown).toEqual(expected);
	await expect(page.locator('[data-sync-state]')).toHaveAttribute('data-sync-state', 'saved');
});

/** Each element of the item rows: tag, attributes, own text, box and the styles that show. */
function drawnRows(page: Page) {
	return page.locator('tbody[data-item-id]').evaluateAll((rows) =>
		rows.flatMap((row) =>
			[row, ...row.querySelectorAll('*')].map((el) => {
				const style = getComputedStyle(el);
				const box = el.getBoundingClientRect();
				const attributes = [...el.attributes]
					.map((a) =>
						a.name === 'class'
							? `class=${a.value
									.split(' ')
									.filter((c) => c && !c.startsWith('svelte-'))
									.sort()
									.join(' ')}`
							: `${a.name}=${a.value}`
					)
					.sort();
				const text = [...el.childNodes]
					.filter((n) => n.nodeType === Node.TEXT_NODE)
					.map((n) => n.textContent)
					.join('')
					// Blanks between tags, which collapse, differ between the two.
					.replace(/^\s+$/, '');
				const shown = ['display', 'position', 'color', 'background-color', 'font-size', 'cursor']
					.map((p) => style.getPropertyValue(p))
					.join(';');
				const rect = [box.x, box.y, box.width, box.height].map(Math.round).join(',');
				return `${el.tagName} ${attributes.join(' ')} ${JSON.stringify(text)} ${shown} ${rect}`;
			})
		)
	);
}

/** The scoped-style classes of a row's cells: those of ItemRows at rest, of the cells when live. */
const cellScopes = (page: Page, item: string) =>
	page
		.locator(`[data-item-id="${item}"] [data-cell]`)
		.evaluateAll((cells) =>
			cells.map((c) => [...c.classList].find((n) => n.startsWith('svelte-')))
		);

/** Records, in the first frame with item rows, how many there are and whether they fill the window. */
async function watchFirstFrame(page: Page, thenPrint: boolean): Promise<void> {
	await page.addInitScript((print) => {
		const seen = new MutationObserver(() => {
			if (!document.querySelector('tbody[data-item-id]')) return;
			seen.disconnect();
			requestAnimationFrame(() => {
				const rows = document.querySelectorAll('tbody[data-item-id]');
				const bottom = rows[rows.length - 1]!.getBoundingClientRect().bottom;
				const w = window as unknown as Record<string, unknown>;
				w.firstFrame = { rows: rows.length, filled: bottom >= innerHeight };
				if (!print) return;
				window.dispatchEvent(new Event('beforeprint'));
				w.afterBeforePrint = document.querySelectorAll('tbody[data-item-id]').length;
			});
		});
		seen.observe(document, { childList: true, subtree: true });
	}, thenPrint);
}

const readWindow = (page: Page, key: string) =>
	page.evaluate((k) => (window as unknown as Record<string, unknown>)[k], key);

async function firstFrame(page: Page): Promise<{ rows: number; filled: boolean }> {
	await expect.poll(() => readWindow(page, 'firstFrame')).toBeTruthy();
	return (await readWindow(page, 'firstFrame')) as { rows: number; filled: boolean };
}

test('a table paints a screenful of rows first, then brings in every row by itself', async ({
	page,
	baseUrl,
	tableId
}) => {
	await watchFirstFrame(page, false);
	await page.goto(`${baseUrl}/t/${tableId}`);
	const first = await firstFrame(page);
	expect(first.rows).toBeGreaterThan(0);
	expect(first.rows).toBeLessThan(68);
	expect(first.filled).toBe(true);
	await allRows(page);
	await expect(page.locator('[data-item-id]')).toHaveCount(68);
	await expect(page.locator('tbody.section')).toHaveCount(17);
	await expect(page.locator('section.kpis table')).toBeVisible();
});

test('a view with no rows to draw is complete, with its KPI table', async ({
	page,
	baseUrl,
	tableId
}) => {
	await page.goto(`${baseUrl}/t/${tableId}?search=${encodeURIComponent('該当なしの語ｘｙｚ')}`);
	await expect(page.locator('[data-shown]')).toHaveAttribute('data-shown', '0');
	await allRows(page);
	await expect(page.locator('[data-item-id]')).toHaveCount(0);
	await expect(page.locator('section.kpis table')).toBeVisible();
});

test('printing brings in every row at once', async ({ page, baseUrl, tableId }) => {
	await watchFirstFrame(page, true);
	await page.goto(`${baseUrl}/t/${tableId}`);
	expect((await firstFrame(page)).rows).toBeLessThan(68);
	expect(await readWindow(page, 'afterBeforePrint')).toBe(68);
});

test('a row at rest is drawn exactly as its editable cells, which it becomes when pointed at', async ({
	page,
	baseUrl,
	tableId
}) => {
	await openTable(page, baseUrl, tableId);
	const atRest = await drawnRows(page);
	const restScopes = await cellScopes(page, 'p1s1i1');
	// Pointing at every row makes each one editable.
	for (const row of await page.locator('tbody[data-item-id]').all()) {
		await row.dispatchEvent('pointerover');
	}
	await expect.poll(() => cellScopes(page, 'p1s1i1')).not.toEqual(restScopes);
	expect(await drawnRows(page)).toEqual(atRest);
});

test('a row at rest hands the focus and clicks on to its editable cells', async ({
	page,
	baseUrl,
	tableId
}) => {
	await openTable(page, baseUrl, tableId);
	// From the keyboard: focused (selected), then edited with F2.
	const note = page.locator('[data-item-id="p3s1i1"] [data-field="note"]');
	await note.focus();
	await expect(note.locator('textarea')).toBeFocused();
	await page.keyboard.press('F2');
	await expect(note).toHaveAttribute('data-mode', 'edit');
	await page.keyboard.press('Escape');
	// A click with no pointer before it (a screen reader's) opens the mark picker.
	await page.locator('[data-item-id="p4s1i1"] [data-mark="2"] .face').dispatchEvent('click');
	await expect(
		page.locator('[data-item-id="p4s1i1"] [data-mark="2"] [data-pick="○"]')
	).toBeVisible();
});

test('two browser windows see each other’s note edits live, without losing the caret', async ({
	browser,
	baseUrl,
	tableId
}) => {
	const [pa, pb] = await twoWindowsOn(browser, baseUrl, tableId);
	const a = pa.context();
	const b = pb.context();
	const item = 'p1s1i2';
	const noteA = pa.locator(`[data-item-id="${item}"] [data-field="note"]`);
	const noteB = pb.locator(`[data-item-id="${item}"] [data-field="note"]`);
	const original = (await noteA.innerText()).trim();

	await noteA.dblclick();
	await pa.keyboard.type('【A】');
	await expect(noteB).toContainText(original + '【A】');

	// B edits the same note at its end while A types at the start: both survive, B's caret stays.
	await noteB.dblclick();
	await pa.keyboard.press('Control+Home');
	await pa.keyboard.type('先頭');
	await expect(noteB.locator('textarea')).toHaveValue('先頭' + original + '【A】');
	await pb.keyboard.type('末尾');
	const expected = '先頭' + original + '【A】末尾';
	await expect(noteA.locator('textarea')).toHaveValue(expected);
	await expect(noteB.locator('textarea')).toHaveValue(expected);
	await pa.keyboard.press('Enter');
	await pb.keyboard.press('Enter');
	await expect(pa.locator('[data-sync-state]')).toHaveAttribute('data-sync-state', 'saved');
	await expect(pb.locator('[data-sync-state]')).toHaveAttribute('data-sync-state', 'saved');
	await a.close();
	await b.close();
});

test('marks set offline on two devices show as a conflict, and one pick resolves it everywhere', async ({
	browser,
	baseUrl,
	tableId
}) => {
	const [pa, pb] = await twoWindowsOn(browser, baseUrl, tableId);
	const a = pa.context();
	const b = pb.context();
	const cell = (p: Page) => p.locator('[data-item-id="p1s1i2"] [data-mark="3"]');
	await expect(cell(pa)).toHaveText('○');

	await a.setOffline(true);
	await b.setOffline(true);
	await expect(pa.locator('[data-sync-state]')).toHaveAttribute('data-sync-state', 'offline');
	await expect(pb.locator('[data-sync-state]')).toHaveAttribute('data-sync-state', 'offline');
	await cell(pa).focus();
	await pa.keyboard.press('x');
	await cell(pb).focus();
	await pb.keyboard.press('t');
	await expect(cell(pa)).toHaveText('×');
	await expect(cell(pb)).toHaveText('△');
	await expect(cell(pa)).not.toHaveAttribute('data-conflict');

	await a.setOffline(false);
	await b.setOffline(false);
	for (const p of [pa, pb]) {
		await expect(cell(p)).toHaveAttribute('data-conflict', '');
		await expect(cell(p).locator('.mark')).toHaveText(['△', '×']);
		await expect(p.locator('[data-sync-state]')).toHaveAttribute('data-sync-state', 'saved');
	}

	await cell(pa).locator('.face').click();
	await pa.locator('[data-pick="×"]').click();
	for (const p of [pa, pb]) {
		await expect(cell(p)).not.toHaveAttribute('data-conflict');
		await expect(cell(p)).toHaveText('×');
	}
	await a.close();
	await b.close();
});

test('English is fetched when chosen, stays chosen after a reload, and sets the page language', async ({
	browser,
	baseUrl,
	tableId
}) => {
	const page = await newWindow(browser);
	await openTable(page, baseUrl, tableId);
	await expect(page.locator('html')).toHaveAttribute('lang', 'ja');
	await page.getByRole('button', { name: 'English' }).click();
	await expect(page.getByRole('button', { name: 'Log out' })).toBeVisible();
	await expect(page.locator('html')).toHaveAttribute('lang', 'en');
	await page.reload();
	await expect(page.locator('[data-item-id]')).toHaveCount(68);
	await expect(page.getByRole('button', { name: 'Log out' })).toBeVisible();
	await expect(page.locator('html')).toHaveAttribute('lang', 'en');
	await page.getByRole('button', { name: '日本語' }).click();
	await expect(page.getByRole('button', { name: 'ログアウト' })).toBeVisible();
	await expect(page.locator('html')).toHaveAttribute('lang', 'ja');
	await page.context().close();
});
