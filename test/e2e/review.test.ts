import { readFileSync } from 'node:fs';
import { expect, newWindow, REFERENCE, saved, test, twoWindowsOn } from './fixtures.ts';

const source = readFileSync(REFERENCE, 'utf8');
// Counted from the raw text, not from the app: item line + its 進行管理 line.
const lines = source.split('\n');
let pillar = '';
const raw: { pillar: string; fields: string[]; marks: string[] }[] = [];
lines.forEach((line, i) => {
	const heading = /^(\d+) \S/.exec(line);
	if (heading && !line.includes('\t')) pillar = heading[1]!;
	const next = lines[i + 1] ?? '';
	if (next.includes('\t進行管理\t') && !line.startsWith('取り組み項目')) {
		raw.push({ pillar, fields: line.split('\t'), marks: next.split('\t').slice(4, 8) });
	}
});

test('filters in the URL show the computed number of rows, alone and combined', async ({
	page,
	baseUrl,
	tableId
}) => {
	const crosses = raw.filter((r) => r.marks.includes('×')).length;
	await page.goto(`${baseUrl}/t/${tableId}?mark=×`);
	await expect(page.locator('[data-item-id]')).toHaveCount(crosses);
	await expect(page.locator('[data-shown]')).toHaveAttribute('data-shown', String(crosses));

	const combined = raw.filter(
		(r) =>
			r.fields[2]!.includes('総務') && r.marks[1] === '○' && r.fields.join('\t').includes('事務局')
	).length;
	expect(combined).toBeGreaterThan(0);
	await page.goto(`${baseUrl}/t/${tableId}?dept=総務&mark=○&quarter=2&search=事務局`);
	await expect(page.locator('[data-item-id]')).toHaveCount(combined);
	// Headings with no row left are out of the layout too.
	const visibleSections = await page.locator('tbody.section').count();
	expect(visibleSections).toBeLessThan(17);
	await page.reload();
	await expect(page.locator('[data-item-id]')).toHaveCount(combined);

	// The filter bar writes the URL.
	await page.getByRole('button', { name: '絞り込みを解除' }).click();
	await expect(page.locator('[data-item-id]')).toHaveCount(68);
	await page.locator('select[name="yearPlan"]').selectOption('検討');
	const study = raw.filter((r) => r.fields[3] === '検討').length;
	await expect(page.locator('[data-item-id]')).toHaveCount(study);
	await expect(page).toHaveURL(/yearPlan=%E6%A4%9C%E8%A8%8E/);
	await saved(page);
});

test('the summary counts equal counts from the data and link the × items', async ({
	page,
	baseUrl,
	tableId
}) => {
	await page.goto(`${baseUrl}/t/${tableId}/summary`);
	for (let q = 1; q <= 4; q++) {
		for (const mark of ['○', '×', '—']) {
			const expected = raw.filter((r) => r.marks[q - 1] === mark).length;
			await expect(page.locator(`[data-count="total:${q}:${mark}"]`)).toHaveAttribute(
				'data-value',
				String(expected)
			);
		}
	}
	for (const p of ['1', '2', '3', '4']) {
		const expected = raw.filter((r) => r.pillar === p && r.marks[0] === '×').length;
		await expect(page.locator(`[data-count="p${p}:1:×"]`)).toHaveAttribute(
			'data-value',
			String(expected)
		);
	}
	await expect(page.locator('[data-crosses] li')).toHaveCount(
		raw.filter((r) => r.marks.includes('×')).length
	);
	await expect(page.locator('svg[role="img"]')).toHaveCount(4 + 3);
	// A link to a row far down the table lands on it.
	const far = page.locator('[data-crosses] a').last();
	const target = (await far.getAttribute('href'))!.split('#')[1]!;
	expect(target).toMatch(/^item-p4/);
	await far.click();
	await expect(page).toHaveURL(new RegExp(`/t/${tableId}#${target}$`));
	await expect(page.locator(`#${target}`)).toBeInViewport();
});

test('a comment written offline appears in another window after reconnecting', async ({
	browser,
	baseUrl,
	tableId
}) => {
	const [a, b] = await twoWindowsOn(browser, baseUrl, tableId);
	await a.context().setOffline(true);
	await a.locator('[data-item-id="p2s1i2"] [data-comments-button]').click();
	const panel = a.locator('[data-comments-panel="p2s1i2"]');
	await panel.getByRole('textbox').fill('チラシの配架先を次回までに確認');
	await panel.getByRole('button', { name: '送信' }).click();
	await expect(panel.locator('[data-comment]')).toHaveCount(1);
	await expect(a.locator('[data-item-id="p2s1i2"] [data-comments-button]')).toHaveAttribute(
		'data-comments-button',
		'1'
	);
	await expect(b.locator('[data-item-id="p2s1i2"] [data-comments-button]')).toHaveAttribute(
		'data-comments-button',
		'0'
	);

	await a.context().setOffline(false);
	const button = b.locator('[data-item-id="p2s1i2"] [data-comments-button]');
	await expect(button).toHaveAttribute('data-comments-button', '1');
	await button.click();
	const thread = b.locator('[data-comments-panel="p2s1i2"] [data-comment]');
	await expect(thread).toContainText('チラシの配架先を次回までに確認');
	await b
		.locator('[data-comments-panel="p2s1i2"]')
		.getByRole('button', { name: '解決済みにする' })
		.click();
	await expect(a.locator('[data-item-id="p2s1i2"] [data-comments-button]')).toHaveAttribute(
		'data-comments-button',
		'0'
	);
	await a.context().close();
	await b.context().close();
});

test('a follower’s view moves when the presenter’s does, until they stop following', async ({
	browser,
	baseUrl,
	tableId
}) => {
	const presenter = await newWindow(browser);
	const follower = await newWindow(browser);
	for (const p of [presenter, follower]) {
		await p.setViewportSize({ width: 1280, height: 720 });
		await p.goto(`${baseUrl}/t/${tableId}`);
		await saved(p);
	}
	await presenter.locator('[data-present]').click();
	await follower.locator('[data-follow]').first().click();
	await expect(follower.locator('[data-following]')).toBeVisible();

	await presenter.locator('#item-p3s2i1').scrollIntoViewIfNeeded();
	await presenter.evaluate(() =>
		document.getElementById('item-p3s2i1')!.scrollIntoView({ block: 'start' })
	);
	await expect(follower.locator('#item-p3s2i1')).toBeInViewport();
	await expect(follower.locator('#item-p1s1i1')).not.toBeInViewport();

	await presenter.locator('[data-item-id="p4s3i2"] [data-field="note"]').click();
	await expect(follower.locator('#item-p4s3i2')).toBeInViewport();
	await expect(follower.locator('#item-p4s3i2')).toHaveClass(/presenter-focus/);

	await follower.locator('button', { hasText: 'ついていくのをやめる' }).click();
	await presenter.evaluate(() => window.scrollTo({ top: 0, behavior: 'instant' }));
	await presenter.waitForTimeout(500);
	await expect(follower.locator('#item-p1s1i1')).not.toBeInViewport();
	await presenter.context().close();
	await follower.context().close();
});

test('cells changed recently are highlighted with who changed them', async ({
	browser,
	baseUrl,
	tableId
}) => {
	const [a, b] = await twoWindowsOn(browser, baseUrl, tableId);
	await a.locator('[data-item-id="p4s2i4"] [data-field="note"]').dblclick();
	await a.keyboard.type('（追記）');
	await a.keyboard.press('Enter');
	await a.locator('[data-item-id="p4s2i4"] [data-mark="3"]').focus();
	await a.keyboard.press('x');
	await b.locator('select[name="highlight"]').selectOption('hour');
	await expect(
		b.locator('[data-item-id="p4s2i4"] [data-field="note"] [data-changed-by]')
	).toHaveAttribute('data-changed-by', '管理者');
	await expect(
		b.locator('[data-item-id="p4s2i4"] [data-mark="3"] [data-changed-by]')
	).toBeVisible();
	await expect(b.locator('[data-changed-by]')).toHaveCount(2);
	await b.locator('select[name="highlight"]').selectOption('off');
	await expect(b.locator('[data-changed-by]')).toHaveCount(0);
	await a.context().close();
	await b.context().close();
});
