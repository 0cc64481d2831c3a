// Playwright fixtures: the server's URL and a fresh copy of the reference table for each test.
import {
	test as base,
	expect,
	type Browser,
	type BrowserContext,
	type Page
} from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { ADMIN_PASSWORD, ROOT } from '../helpers/server.ts';

export const REFERENCE = join(ROOT, 'server/seed/r2-progress-table.txt');

function importReference(): string {
	// The CLI, writing into the running server's data dir, as an operator would.
	const out = execFileSync(process.execPath, [join(ROOT, 'bin/shinko.js'), 'import', REFERENCE], {
		cwd: ROOT,
		env: { ...process.env, DATA_DIR: process.env.SHINKO_DATA_DIR },
		encoding: 'utf8'
	});
	const lines = out.trim().split('\n');
	return lines[lines.length - 1]!.trim();
}

function serverUrl(): string {
	const url = process.env.SHINKO_URL;
	if (!url) throw new Error('SHINKO_URL is not set: run through playwright.config.ts');
	return url;
}

/** Adds a user with the CLI (password on stdin), as an operator would. */
export function addUser(
	username: string,
	role: 'admin' | 'editor' | 'viewer',
	password: string
): void {
	execFileSync(
		process.execPath,
		[join(ROOT, 'bin/shinko.js'), 'users', 'add', username, '--role', role],
		{
			cwd: ROOT,
			env: { ...process.env, DATA_DIR: process.env.SHINKO_DATA_DIR },
			input: password + '\n',
			encoding: 'utf8'
		}
	);
}

/** Logs a browser context in through the API; its pages then carry the session cookie. */
export async function logIn(
	context: BrowserContext,
	username = 'admin',
	password = ADMIN_PASSWORD,
	url = serverUrl()
): Promise<void> {
	const res = await context.request.post(`${url}/api/login`, {
		data: { username, password },
		headers: { origin: url }
	});
	if (res.status() !== 200) throw new Error(`login as ${username} failed: ${res.status()}`);
}

/** A new window (its own cookies and IndexedDB), logged in. */
export async function newWindow(
	browser: Browser,
	username?: string,
	password?: string,
	url?: string
): Promise<Page> {
	const context = await browser.newContext();
	await logIn(context, username, password, url);
	return context.newPage();
}

/** The sync badge. */
export const badge = (page: Page) => page.locator('[data-sync-state]');

/** Waits until the server has everything this page did (the badge says saved). */
export async function saved(page: Page): Promise<void> {
	await expect(page.locator('[data-sync-state="saved"]')).toBeVisible();
}

/** Waits until every row of the open table is in the DOM (they come in after the first screen). */
export async function allRows(page: Page): Promise<void> {
	await expect(page.locator('table.sheet[data-grid]')).toHaveAttribute('aria-busy', 'false');
}

/** The service worker has precached the shell and controls the page (it then opens offline). */
export async function controlled(page: Page): Promise<void> {
	await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, {
		timeout: 20_000
	});
}

/** How many of Shinko's databases (the device's table copies) the page's origin holds. */
export function deviceDatabases(page: Page): Promise<number> {
	return page.evaluate(
		async () => (await indexedDB.databases()).filter((d) => d.name?.startsWith('shinko:')).length
	);
}

/** Opens a table and waits until it is shown, with all its rows, and in sync. */
export async function openTable(page: Page, baseUrl: string, tableId: string): Promise<void> {
	await page.goto(`${baseUrl}/t/${tableId}`);
	await expect(page.locator('[data-item-id]').first()).toBeVisible();
	await allRows(page);
	await saved(page);
}

/** Two windows (separate cookies and IndexedDB), logged in, with the table open and in sync. */
export async function twoWindowsOn(
	browser: Browser,
	baseUrl: string,
	tableId: string
): Promise<[Page, Page]> {
	const a = await newWindow(browser);
	const b = await newWindow(browser);
	await openTable(a, baseUrl, tableId);
	await openTable(b, baseUrl, tableId);
	return [a, b];
}

export const test = base.extend<{ baseUrl: string; tableId: string }>({
	baseUrl: async ({}, use) => {
		await use(serverUrl());
	},
	page: async ({ page }, use) => {
		await logIn(page.context());
		await use(page);
	},
	tableId: async ({}, use) => {
		await use(importReference());
	}
});

export { expect };
