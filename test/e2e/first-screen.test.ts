// The table's first screen kept on the device (src/lib/ui/first-screen.ts): the next start paints
// it from the shell before the app's scripts have run, then the live table takes its place.
import type { Locator, Page, Route } from '@playwright/test';
import { allRows, expect, openTable, test } from './fixtures.ts';

// Scripts are held back with page.route, which sees no request the service worker answers.
test.use({ serviceWorkers: 'block' });

const KEY = (id: string) => `shinko:first-screen:${id}`;
const box = (page: Page) => page.locator('#shinko-first-screen');

/** Holds back every script of the app until the returned function is called. */
async function holdScripts(page: Page): Promise<() => Promise<void>> {
	const held: Route[] = [];
	let holding = true;
	await page.route(/\/_app\/.*\.js$/, (route) => (holding ? held.push(route) : route.continue()));
	return async () => {
		holding = false;
		await Promise.all(held.map((r) => r.continue()));
		await page.unrouteAll();
	};
}

/**
 * Records, in the page, when the kept screen comes and goes, and how many live rows are in the
 * DOM at the moment it goes (in the same task: a MutationObserver runs before the next paint).
 */
async function watchKeptScreen(page: Page): Promise<void> {
	await page.addInitScript(() => {
		const log: { shown: boolean; liveRowsWhenGone: number | null } = {
			shown: false,
			liveRowsWhenGone: null
		};
		(window as unknown as { keptScreen: typeof log }).keptScreen = log;
		let box: Element | null = null;
		new MutationObserver(() => {
			const now = document.getElementById('shinko-first-screen');
			if (now && !box) log.shown = true;
			if (box && !box.isConnected)
				log.liveRowsWhenGone = document.querySelectorAll('tbody[data-item-id]').length;
			box = now;
		}).observe(document, { childList: true, subtree: true });
	});
}
const keptScreenLog = (page: Page) =>
	page.evaluate(
		() =>
			(window as unknown as { keptScreen: { shown: boolean; liveRowsWhenGone: number | null } })
				.keptScreen
	);

/** Opens the table, then waits until its first screen is kept in localStorage. */
async function visit(page: Page, baseUrl: string, tableId: string): Promise<void> {
	await openTable(page, baseUrl, tableId);
	await expect
		.poll(() => page.evaluate((key) => localStorage.getItem(key) !== null, KEY(tableId)))
		.toBe(true);
}

test('a table opened before paints its kept first screen before the app starts, then the live one', async ({
	page,
	baseUrl,
	tableId
}) => {
	await visit(page, baseUrl, tableId);
	const firstTitle = await page.locator('[data-item-id] [data-field="title"]').first().innerText();
	const firstNote = await page.locator('[data-item-id] [data-field="note"]').first().innerText();
	const third = (await page.locator('tbody[data-item-id]').nth(2).boundingBox())!;
	const live = [third.x, third.y, third.width, third.height].map(Math.round);

	await page.goto('about:blank');
	await watchKeptScreen(page);
	const release = await holdScripts(page);
	await page.goto(`${baseUrl}/t/${tableId}`, { waitUntil: 'domcontentloaded' });
	// No script of the app has run: this is the shell alone, painting what was kept.
	await expect(box(page)).toBeVisible();
	await expect(page.locator('[data-item-id]')).toHaveCount(0);
	const rows = await box(page).locator('tbody.item').count();
	expect(rows).toBeGreaterThan(3);
	expect(rows).toBeLessThan(68);
	await expect(box(page).locator('tbody.item .c-title').first()).toHaveText(firstTitle);
	await expect(box(page).locator('tbody.item .c-note').first()).toHaveText(firstNote);
	// Where the live table's first rows were, the same size.
	const rect = async (row: Locator) => {
		const r = (await row.boundingBox())!;
		return [r.x, r.y, r.width, r.height].map(Math.round);
	};
	const kept = await rect(box(page).locator('tbody.item').nth(2));
	kept.forEach((px, i) =>
		expect(Math.abs(px - live[i]!), `${kept} vs ${live}`).toBeLessThanOrEqual(2)
	);
	// A picture of the table: inert, hidden from assistive technology, without the live table's
	// hooks or ids.
	await expect(box(page)).toHaveAttribute('aria-hidden', 'true');
	await expect(box(page)).toHaveAttribute('inert', '');
	expect(
		await box(page)
			.locator('[id], [data-item-id], [data-field], [data-mark], [data-sync-state]')
			.count()
	).toBe(0);
	await expect(page).toHaveTitle(/令和2年度/);

	await release();
	await allRows(page);
	await expect(box(page)).toHaveCount(0);
	await expect(page.locator('[data-item-id]')).toHaveCount(68);
	// Taken away by the table page as it drew its own first screen, not by the shell's timer.
	const log = await keptScreenLog(page);
	expect(log.liveRowsWhenGone).toBeGreaterThan(0);
	expect(log.liveRowsWhenGone).toBeLessThan(68);
});

test('opening a table from the list shows its kept first screen until the live one is drawn', async ({
	page,
	baseUrl,
	tableId
}) => {
	await visit(page, baseUrl, tableId);
	await watchKeptScreen(page);
	// The installed app starts on the list: no kept screen there.
	await page.goto(baseUrl);
	await expect(page.locator(`a[data-table-id="${tableId}"]`)).toBeVisible();
	expect((await keptScreenLog(page)).shown).toBe(false);
	await page.locator(`a[data-table-id="${tableId}"]`).click();
	await allRows(page);
	const log = await keptScreenLog(page);
	expect(log.shown).toBe(true);
	expect(log.liveRowsWhenGone).toBeGreaterThan(0);
	expect(log.liveRowsWhenGone).toBeLessThan(68);
	await expect(box(page)).toHaveCount(0);
});

test('the kept first screen is shown only to its user and role, for the whole table, on a fresh start', async ({
	page,
	baseUrl,
	tableId
}) => {
	await visit(page, baseUrl, tableId);
	const url = `${baseUrl}/t/${tableId}`;
	// The device as the visit left it: the user and the table's first screen, both as the app wrote them.
	const device = await page.evaluate(
		(keys) => keys.map((k) => [k, localStorage.getItem(k)!] as const),
		['shinko:user', KEY(tableId)]
	);
	/**
	 * Whether the shell paints the kept screen, with the app's scripts held back, on the device as
	 * the visit left it but for one field of one of its values.
	 */
	async function shown(target: string, change?: [key: string, field: string, value: unknown]) {
		await page.goto(`${baseUrl}/healthz`);
		await page.evaluate(
			([entries, change]) => {
				for (const [key, value] of entries) localStorage.setItem(key, value);
				if (!change) return;
				const [key, field, value] = change;
				const stored = JSON.parse(localStorage.getItem(key)!) as Record<string, unknown>;
				if (value === undefined) return localStorage.removeItem(key);
				stored[field] = value;
				localStorage.setItem(key, JSON.stringify(stored));
			},
			[device, change] as const
		);
		const release = await holdScripts(page);
		await page.goto(target, { waitUntil: 'domcontentloaded' });
		const count = await box(page).count();
		await release();
		return count === 1;
	}

	expect(await shown(url)).toBe(true);
	expect(await shown(`${url}?q=地域`)).toBe(false);
	expect(await shown(`${url}#item-x`)).toBe(false);
	// Another user or role on this device, no user, or another build of the app: nothing.
	expect(await shown(url, ['shinko:user', 'role', 'viewer'])).toBe(false);
	expect(await shown(url, ['shinko:user', 'username', 'someone'])).toBe(false);
	expect(await shown(url, ['shinko:user', '', undefined])).toBe(false);
	expect(await shown(url, [KEY(tableId), 'shell', 'another build'])).toBe(false);
	expect(await shown(url)).toBe(true);

	// A reload comes back where it was scrolled to, which the kept screen cannot show.
	await page.goto(url);
	await allRows(page);
	await expect
		.poll(() => page.evaluate((key) => localStorage.getItem(key) !== null, KEY(tableId)))
		.toBe(true);
	const release = await holdScripts(page);
	await page.reload({ waitUntil: 'domcontentloaded' });
	expect(await box(page).count()).toBe(0);
	await release();
	await allRows(page);
});
