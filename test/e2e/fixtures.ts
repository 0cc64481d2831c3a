// Playwright fixtures: the server's URL and a fresh copy of the reference table for each test.
import { test as base, expect } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from '../helpers/server.ts';

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

export const test = base.extend<{ baseUrl: string; tableId: string }>({
	baseUrl: async ({}, use) => {
		const url = process.env.SHINKO_URL;
		if (!url) throw new Error('SHINKO_URL is not set: run through playwright.config.ts');
		await use(url);
	},
	tableId: async ({}, use) => {
		await use(importReference());
	}
});

export { expect };
