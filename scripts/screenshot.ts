// Screenshots of the running app, for the README and for looking at what we build:
//   SHINKO_PASSWORD=… npx tsx scripts/screenshot.ts http://127.0.0.1:8787 docs/
import { chromium } from '@playwright/test';
import { chromiumLaunchOptions } from '../test/helpers/chromium.ts';

const base = process.argv[2] ?? 'http://127.0.0.1:8787';
const outDir = process.argv[3] ?? 'docs';

const browser = await chromium.launch(chromiumLaunchOptions);
try {
	for (const [name, viewport] of [
		['tablet', { width: 1024, height: 768 }],
		['laptop', { width: 1440, height: 900 }]
	] as const) {
		const page = await browser.newPage({ viewport, deviceScaleFactor: 1 });
		await page.request.post(`${base}/api/login`, {
			data: {
				username: process.env.SHINKO_USER ?? 'admin',
				password: process.env.SHINKO_PASSWORD ?? ''
			},
			headers: { origin: base }
		});
		await page.goto(base);
		const first = page.locator('a[data-table-id]').first();
		await first.waitFor();
		await first.click();
		await page.locator('[data-item-id]').first().waitFor();
		await page
			.locator('[data-sync-state="saved"]')
			.waitFor({ timeout: 10_000 })
			.catch(() => {});
		await page
			.locator('[data-storage-warning] button', { hasText: '閉じる' })
			.click()
			.catch(() => {});
		await page.screenshot({ path: `${outDir}/screenshot-${name}.png` });
		if (name === 'laptop') {
			await page.locator('#kpi-heading').scrollIntoViewIfNeeded();
			await page.screenshot({ path: `${outDir}/screenshot-kpi.png` });
			await page.locator('a', { hasText: '集計' }).click();
			await page.locator('[data-summary]').waitFor();
			await page.screenshot({ path: `${outDir}/screenshot-summary.png`, fullPage: false });
		}
		await page.close();
	}
} finally {
	await browser.close();
}
