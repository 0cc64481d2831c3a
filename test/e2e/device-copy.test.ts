// The device copy (src/lib/sync/local.ts): a copy of many stored rows opens with every edit in
// it, in y-indexeddb's format, and is merged into one row once loaded; a merge keeps what other
// tabs stored meanwhile. Offline throughout, so what the table shows came from the device.
import type { Page } from '@playwright/test';
import * as Y from 'yjs';
import { roots, textOf } from '../../src/lib/doc/table-doc.ts';
import { LOCAL_DB_PREFIX } from '../../src/lib/sync/local.ts';
import * as copy from '../helpers/device-copy.ts';
import {
	controlled,
	deviceDatabases,
	expect,
	newWindow,
	openTable,
	saved,
	test
} from './fixtures.ts';

const toBase64 = (u: Uint8Array) => Buffer.from(u).toString('base64');
const storedRows = (page: Page, docId: string) => copy.storedRows(page, LOCAL_DB_PREFIX + docId);
const storeRows = (page: Page, docId: string, rows: string[]) =>
	copy.storeRows(page, LOCAL_DB_PREFIX + docId, rows);

const note = (page: Page, item: string) =>
	page.locator(`[data-item-id="${item}"] [data-field="note"]`);

test('a device copy of 1,200 stored edits opens with all of them, is merged into one row, and reaches the server', async ({
	browser,
	baseUrl,
	tableId
}) => {
	const item = 'p1s1i1';
	const edits = 1200;
	const page = await newWindow(browser);
	const context = page.context();
	await openTable(page, baseUrl, tableId);
	await controlled(page);
	await page.goto(`${baseUrl}/`);

	// 1,200 edits of one note, one stored row each, as typing offline leaves them.
	const doc = new Y.Doc();
	for (const row of await storedRows(page, tableId)) Y.applyUpdate(doc, Buffer.from(row, 'base64'));
	const text = textOf(roots(doc).items.get(item)!, 'note')!;
	const before = text.toString();
	const rows: string[] = [];
	doc.on('update', (u: Uint8Array) => rows.push(toBase64(u)));
	for (let i = 0; i < edits; i++) text.insert(text.length, i % 2 === 0 ? '追' : '記');
	expect(rows).toHaveLength(edits);
	await storeRows(page, tableId, rows);

	await context.setOffline(true);
	await page.goto(`${baseUrl}/t/${tableId}`);
	await expect(note(page, item)).toContainText('追記'.repeat(edits / 2));
	expect(await note(page, item).textContent()).toContain(before.slice(0, 20));
	// Merged once loaded: the whole doc in one row (the store had more than 1,200).
	await expect.poll(async () => (await storedRows(page, tableId)).length).toBe(1);
	await page.reload();
	await expect(note(page, item)).toContainText('追記'.repeat(edits / 2));

	// Back online, the server gets them as any offline edits, and another device sees them.
	await context.setOffline(false);
	await saved(page);
	const other = await newWindow(browser);
	await openTable(other, baseUrl, tableId);
	await expect(note(other, item)).toContainText('追記'.repeat(edits / 2));
	await context.close();
	await other.context().close();
});

test('a merge keeps the rows another tab stored after the load, and brings their edits in', async ({
	browser,
	baseUrl,
	tableId
}) => {
	const a = await newWindow(browser);
	const context = a.context();
	await openTable(a, baseUrl, tableId);
	await controlled(a);
	// Offline, two tabs of one device share its copy but not their docs (no network between them).
	await context.setOffline(true);
	const b = await context.newPage();
	await b.goto(`${baseUrl}/t/${tableId}`);
	await note(b, 'p2s2i1').dblclick();
	await b.keyboard.press('Control+Home');
	await b.keyboard.type('【B】');
	await b.keyboard.press('Enter');
	await expect(note(a, 'p2s2i1')).not.toContainText('【B】');

	// 600 keys in tab A, a stored row each: past 500 rows, A merges them after a pause in typing.
	await note(a, 'p1s1i1').dblclick();
	await a.keyboard.press('Control+End');
	for (let i = 0; i < 60; i++) await a.keyboard.type('あいうえおかきくけこ');
	await a.keyboard.press('Enter');
	// The merge read B's rows, stored after A loaded, and applied them before deleting any.
	await expect(note(a, 'p2s2i1')).toContainText('【B】', { timeout: 20_000 });
	await expect.poll(async () => (await storedRows(a, tableId)).length).toBeLessThan(10);

	const c = await context.newPage();
	await c.goto(`${baseUrl}/t/${tableId}`);
	await expect(note(c, 'p2s2i1')).toContainText('【B】');
	await expect(note(c, 'p1s1i1')).toContainText('あいうえおかきくけこ'.repeat(60));
	await context.close();
});

test('logging out with the copies deleted deletes them while another tab has the table open', async ({
	browser,
	baseUrl,
	tableId
}) => {
	const a = await newWindow(browser);
	const context = a.context();
	const b = await context.newPage();
	await openTable(b, baseUrl, tableId);
	await a.goto(`${baseUrl}/settings`);
	await a.getByRole('button', { name: 'ログアウト' }).click();
	await a.locator('[data-logout-dialog] [data-erase]').click();
	await expect(a).toHaveURL(/\/login/);
	// Tab B let go of its copies (the table's and the list's) when tab A deleted them.
	await expect.poll(() => deviceDatabases(a)).toBe(0);
	await context.close();
});
