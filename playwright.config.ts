import { defineConfig } from '@playwright/test';
import { chromiumLaunchOptions } from './test/helpers/chromium.ts';

// Debian's Chromium, never a downloaded browser (see README).
export default defineConfig({
	testDir: 'test/e2e',
	globalSetup: './test/e2e/global-setup.ts',
	fullyParallel: false,
	workers: 1,
	retries: 0,
	timeout: 60_000,
	expect: { timeout: 10_000 },
	reporter: process.env.CI ? 'list' : 'line',
	use: {
		viewport: { width: 1280, height: 800 },
		locale: 'ja-JP',
		launchOptions: chromiumLaunchOptions
	}
});
