// Screenshots of the running app, for the README and for looking at what we build:
//   SHINKO_PASSWORD=… npx tsx scripts/screenshot.ts http://127.0.0.1:8787 docs/
import { chromium, type Page } from '@playwright/test';
import { blankItem } from '../src/lib/model/item-fields.ts';
import { emptySheet } from '../src/lib/model/next-year.ts';
import type { ItemJSON, SheetJSON } from '../src/lib/model/schema.ts';
import { TABLE_PRESETS } from '../src/lib/model/shape-presets.ts';
import { chromiumLaunchOptions } from '../test/helpers/chromium.ts';

const base = process.argv[2] ?? 'http://127.0.0.1:8787';
const outDir = process.argv[3] ?? 'docs';

/** A table of another shape: half-years, S/A/B/C, its own departments and a 課題 column. */
function halfYearSheet(): SheetJSON {
	const preset = TABLE_PRESETS.find((p) => p.id === 'half-year')!.shape;
	const shape = {
		...preset,
		departments: [
			{ id: 'd0', name: '企画課' },
			{ id: 'd1', name: '福祉課' },
			{ id: 'd2', name: '地域振興課' }
		],
		columns: [...preset.columns, { key: 'xkadai', label: '課題' }]
	};
	const sheet = emptySheet(
		'令和7年度 第2期まちづくり計画 進行管理表',
		2025,
		'第2期まちづくり計画',
		shape
	);
	const rows: [string, string, string, [string, string], [string, string], string, string][] = [
		[
			'広報紙の充実',
			'毎月の広報紙で施策の進み具合を伝える',
			'企画課',
			['特集号を発行', '読者アンケート'],
			['S', 'A'],
			'発行部数は前年並み。',
			'ウェブ版の閲覧が少ない'
		],
		[
			'地域の見守り活動',
			'民生委員と連携した見守り訪問',
			'福祉課',
			['訪問計画の作成', '訪問の実施'],
			['A', 'B'],
			'訪問件数は計画の8割。',
			'担い手の高齢化'
		],
		[
			'移住相談の窓口',
			'オンライン相談会の定期開催',
			'地域振興課',
			['相談会を4回', '相談会を4回'],
			['B', 'C'],
			'参加者が伸びず下期は2回。',
			'周知の方法を見直す'
		],
		[
			'子育て支援アプリ',
			'健診・予防接種の通知',
			'福祉課',
			['機能の検討', '試行運用'],
			['A', ''],
			'',
			''
		]
	];
	const items: ItemJSON[] = rows.map(([title, content, dept, plans, marks, note, kadai], i) => ({
		...blankItem(`i${i}`, shape, '①②③④'[i]!),
		title,
		content,
		departments: [dept],
		yearPlan: '実施',
		plans,
		marks,
		note,
		extra: (kadai ? { xkadai: kadai } : {}) as Record<string, string>
	}));
	sheet.pillars = [
		{
			id: 'p1',
			no: '1',
			title: '情報の発信と共有',
			sections: [{ id: 's1', no: '(1)', title: '広報の充実', items: items.slice(0, 1) }]
		},
		{
			id: 'p2',
			no: '2',
			title: '安心して暮らせるまち',
			sections: [
				{ id: 's2', no: '(1)', title: '見守りと支え合い', items: items.slice(1, 2) },
				{ id: 's3', no: '(2)', title: '移住と子育て', items: items.slice(2) }
			]
		}
	];
	return sheet;
}

async function logIn(page: Page): Promise<void> {
	await page.request.post(`${base}/api/login`, {
		data: {
			username: process.env.SHINKO_USER ?? 'admin',
			password: process.env.SHINKO_PASSWORD ?? ''
		},
		headers: { origin: base }
	});
}

async function settle(page: Page): Promise<void> {
	await page.locator('[data-item-id]').first().waitFor();
	await page
		.locator('[data-sync-state="saved"]')
		.waitFor({ timeout: 10_000 })
		.catch(() => {});
	await page
		.locator('[data-storage-warning] button', { hasText: '閉じる' })
		.click()
		.catch(() => {});
}

const browser = await chromium.launch(chromiumLaunchOptions);
try {
	for (const [name, viewport] of [
		['tablet', { width: 1024, height: 768 }],
		['laptop', { width: 1440, height: 900 }]
	] as const) {
		const page = await browser.newPage({ viewport, deviceScaleFactor: 1 });
		await logIn(page);
		await page.goto(base);
		const first = page.locator('a[data-table-id]').first();
		await first.waitFor();
		await first.click();
		await settle(page);
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

	// The half-year table, imported once, at both sizes, and its 表の設定.
	let halfYearUrl = '';
	for (const [name, viewport] of [
		['tablet', { width: 1024, height: 768 }],
		['laptop', { width: 1440, height: 900 }]
	] as const) {
		const page = await browser.newPage({ viewport, deviceScaleFactor: 1 });
		await logIn(page);
		if (!halfYearUrl) {
			await page.goto(base);
			await page.getByRole('button', { name: 'ファイルから取り込む' }).click();
			await page.locator('[data-import-dialog] input[type="file"]').setInputFiles({
				name: 'half-year.json',
				mimeType: 'application/json',
				buffer: Buffer.from(JSON.stringify(halfYearSheet()))
			});
			await page.getByRole('button', { name: 'この内容で表を作成' }).click();
			await settle(page);
			halfYearUrl = page.url();
		} else await page.goto(halfYearUrl);
		await settle(page);
		await page.screenshot({ path: `${outDir}/screenshot-half-year-${name}.png` });
		if (name === 'laptop') {
			await page.getByRole('link', { name: '表の設定' }).click();
			await page.locator('[data-table-settings]').waitFor();
			await page.locator('[data-shape-marks]').scrollIntoViewIfNeeded();
			await page.screenshot({ path: `${outDir}/screenshot-settings.png` });
		}
		await page.close();
	}
} finally {
	await browser.close();
}
