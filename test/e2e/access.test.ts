import { ADMIN_PASSWORD } from '../helpers/server.ts';
import { addUser, badge, expect, newWindow, openTable, test } from './fixtures.ts';

test('the login page says plainly what went wrong, then returns where you were', async ({
	browser,
	baseUrl,
	tableId
}) => {
	const page = await (await browser.newContext()).newPage();
	await page.goto(`${baseUrl}/t/${tableId}`);
	await expect(page).toHaveURL(/\/login\?next=/);
	await page.getByLabel('ユーザー名').fill('admin');
	await page.getByLabel('パスワード').fill('not-the-password');
	await page.getByRole('button', { name: 'ログイン' }).click();
	await expect(page.getByRole('alert')).toHaveText('ユーザー名またはパスワードが違います。');
	await page.getByLabel('パスワード').fill(ADMIN_PASSWORD);
	await page.getByRole('button', { name: 'ログイン' }).click();
	await expect(page).toHaveURL(`${baseUrl}/t/${tableId}`);
	await expect(page.locator('[data-item-id]')).toHaveCount(68);
	await page.context().close();
});

test('a viewer sees the table read-only, and is told so', async ({ browser, baseUrl, tableId }) => {
	addUser('mori', 'viewer', 'viewer-password');
	const viewer = await newWindow(browser, 'mori', 'viewer-password');
	await openTable(viewer, baseUrl, tableId);
	await expect(viewer.locator('[data-readonly-notice]')).toContainText('閲覧のみ');
	const note = viewer.locator('[data-item-id="p1s1i1"] [data-field="note"]');
	await note.click();
	await expect(note.locator('textarea')).toHaveCount(0);
	const mark = viewer.locator('[data-item-id="p1s1i1"] [data-mark="1"]');
	await mark.focus();
	await viewer.keyboard.press('o');
	await expect(mark).toHaveText('×');
	await viewer.context().close();
});

test('the badge says saved only once the server has the edit on disk', async ({
	page,
	baseUrl,
	tableId
}) => {
	const pid = Number(process.env.SHINKO_SERVER_PID);
	await openTable(page, baseUrl, tableId);
	await expect(badge(page)).toHaveAttribute('data-sync-state', 'saved');
	process.kill(pid, 'SIGSTOP'); // the server can neither write nor acknowledge
	try {
		const note = page.locator('[data-item-id="p2s1i1"] [data-field="note"]');
		await note.dblclick();
		await page.keyboard.type('確認中');
		await page.keyboard.press('Enter');
		await expect(badge(page)).toHaveAttribute('data-sync-state', 'unsaved');
		await expect(page.locator('[data-pending]')).toBeVisible();
		// However long we wait, it must not claim saved while the server cannot have written it.
		await page.waitForTimeout(1500);
		await expect(badge(page)).toHaveAttribute('data-sync-state', 'unsaved');
	} finally {
		process.kill(pid, 'SIGCONT');
	}
	await expect(badge(page)).toHaveAttribute('data-sync-state', 'saved');
	await expect(badge(page)).toContainText('に保存');
});

test('presence: who is in the table, and in which cell, is visible to the others', async ({
	browser,
	baseUrl,
	tableId
}) => {
	addUser('sato', 'editor', 'sato-password');
	addUser('suzuki', 'editor', 'suzuki-password');
	const a = await newWindow(browser, 'sato', 'sato-password');
	const b = await newWindow(browser, 'suzuki', 'suzuki-password');
	await openTable(a, baseUrl, tableId);
	await openTable(b, baseUrl, tableId);
	await expect(b.locator('[data-presence] [data-peer="sato"]')).toBeVisible();
	await expect(a.locator('[data-presence] [data-peer="suzuki"]')).toBeVisible();

	await a.locator('[data-item-id="p1s2i1"] [data-field="note"]').click();
	await expect(
		b.locator('[data-item-id="p1s2i1"] [data-field="note"] [data-peers]')
	).toHaveAttribute('data-peers', 'sato');
	await a.locator('[data-item-id="p1s2i1"] [data-mark="2"]').focus();
	await expect(b.locator('[data-item-id="p1s2i1"] [data-mark="2"] [data-peers]')).toBeVisible();
	await expect(b.locator('[data-item-id="p1s2i1"] [data-field="note"] [data-peers]')).toHaveCount(
		0
	);

	await a.close();
	await expect(b.locator('[data-presence] [data-peer="sato"]')).toHaveCount(0, { timeout: 3000 });
	await b.context().close();
});

test('when the session ends, edits stay on the device and sync after logging in again', async ({
	browser,
	baseUrl,
	tableId
}) => {
	const page = await newWindow(browser);
	const other = await newWindow(browser);
	await openTable(page, baseUrl, tableId);
	await openTable(other, baseUrl, tableId);
	await page.request.post(`${baseUrl}/api/logout`, { headers: { origin: baseUrl } });
	await expect(page.locator('[data-login-required]')).toBeVisible();
	const note = page.locator('[data-item-id="p3s1i1"] [data-field="note"]');
	await note.dblclick();
	await page.keyboard.type('（再ログイン前）');
	await page.keyboard.press('Enter');
	await expect(badge(page)).not.toHaveAttribute('data-sync-state', 'saved');

	await page.locator('[data-login-required] a').click();
	await page.getByLabel('ユーザー名').fill('admin');
	await page.getByLabel('パスワード').fill(ADMIN_PASSWORD);
	await page.getByRole('button', { name: 'ログイン' }).click();
	await expect(page).toHaveURL(`${baseUrl}/t/${tableId}`);
	await expect(badge(page)).toHaveAttribute('data-sync-state', 'saved');
	await expect(other.locator('[data-item-id="p3s1i1"] [data-field="note"]')).toContainText(
		'（再ログイン前）'
	);
	await page.context().close();
	await other.context().close();
});

test('a table on the device opens for the last known user before the server answers, and closes if the session is over', async ({
	browser,
	baseUrl,
	tableId
}) => {
	const page = await newWindow(browser);
	await openTable(page, baseUrl, tableId);
	// The server's answer to "who am I" is held back, then says the session is over.
	let answer = () => {};
	const held = new Promise<void>((resolve) => (answer = resolve));
	await page.route('**/api/me', async (route) => {
		await held;
		await route.fulfill({ status: 401, json: { error: 'login_required' } });
	});
	await page.reload();
	await expect(page.locator('[data-item-id="p1s1i1"] [data-field="note"]')).not.toBeEmpty();
	await expect(page.locator('[data-user="admin"]')).toBeVisible();
	answer();
	await expect(page).toHaveURL(/\/login\?next=/);
	await expect(page.locator('[data-item-id]')).toHaveCount(0);
	await page.context().close();
});
