import { appendFileSync, cpSync, readFileSync, rmSync } from 'node:fs';
import { get, type IncomingHttpHeaders } from 'node:http';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { ADMIN_PASSWORD, exited, ROOT, spawnServer, tempDataDir } from '../helpers/server.ts';
import {
	badge,
	controlled,
	deviceDatabases,
	expect,
	newWindow,
	openTable,
	test
} from './fixtures.ts';

function pngSize(bytes: Buffer): { width: number; height: number } {
	expect(bytes.subarray(0, 8)).toEqual(Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]));
	return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

test('after one visit the app starts, navigates and opens a table with no network', async ({
	browser,
	baseUrl,
	tableId
}) => {
	const page = await newWindow(browser);
	await page.goto(baseUrl);
	await expect(page.locator(`a[data-table-id="${tableId}"]`)).toBeVisible();
	await openTable(page, baseUrl, tableId);
	await controlled(page);
	await page.context().setOffline(true);
	await page.reload();
	await expect(page.locator('[data-item-id]')).toHaveCount(68);
	await expect(badge(page)).toHaveAttribute('data-sync-state', 'offline');
	await expect(page.locator('[data-user]')).toContainText('オフライン');
	await page.locator('a.brand').click();
	await page.locator(`a[data-table-id="${tableId}"]`).click();
	await expect(page.locator('[data-item-id]')).toHaveCount(68);
	// Back online, the top bar stops saying offline without a reload.
	await page.context().setOffline(false);
	await expect(badge(page)).toHaveAttribute('data-sync-state', 'saved');
	await expect(page.locator('[data-user]')).not.toContainText('オフライン');
	await page.context().close();
});

test('an edit followed by closing the tab within 50 ms is there when reopened offline', async ({
	browser,
	baseUrl,
	tableId
}) => {
	const page = await newWindow(browser);
	const context = page.context();
	await openTable(page, baseUrl, tableId);
	await controlled(page);
	await context.setOffline(true);
	const note = page.locator('[data-item-id="p2s2i1"] [data-field="note"]');
	await note.dblclick();
	await page.keyboard.type('閉じる直前');
	await page.waitForTimeout(50);
	await page.close();

	const again = await context.newPage();
	await again.goto(`${baseUrl}/t/${tableId}`);
	await expect(again.locator('[data-item-id="p2s2i1"] [data-field="note"]')).toContainText(
		'閉じる直前'
	);
	await expect(badge(again)).toHaveAttribute('data-sync-state', 'offline');
	await expect(again.locator('[data-pending]')).toBeVisible();
	await context.setOffline(false);
	await expect(badge(again)).toHaveAttribute('data-sync-state', 'saved');
	await context.close();
});

test('two devices offline for a while merge a note character by character and keep both marks', async ({
	browser,
	baseUrl,
	tableId
}) => {
	const a = await newWindow(browser);
	const b = await newWindow(browser);
	await openTable(a, baseUrl, tableId);
	await openTable(b, baseUrl, tableId);
	const item = 'p2s3i1';
	// Its text, not innerText: a row far below the window is not rendered (content-visibility in
	// TableView) until it comes near, and innerText is the rendered text.
	const original = (
		(await a.locator(`[data-item-id="${item}"] [data-field="note"]`).textContent()) ?? ''
	).trim();
	await a.context().setOffline(true);
	await b.context().setOffline(true);

	await a.locator(`[data-item-id="${item}"] [data-field="note"]`).dblclick();
	await a.keyboard.press('Control+Home');
	await a.keyboard.type('【A】');
	await a.keyboard.press('Enter');
	await a.locator(`[data-item-id="${item}"] [data-mark="1"]`).focus();
	await a.keyboard.press('t');
	await b.locator(`[data-item-id="${item}"] [data-field="note"]`).dblclick();
	await b.keyboard.type('【B】');
	await b.keyboard.press('Enter');
	await b.locator(`[data-item-id="${item}"] [data-mark="4"]`).focus();
	await b.keyboard.press('x');
	await expect(badge(a)).toContainText('未送信');

	await a.context().setOffline(false);
	await b.context().setOffline(false);
	for (const p of [a, b]) {
		await expect(p.locator(`[data-item-id="${item}"] [data-field="note"]`)).toHaveText(
			'【A】' + original + '【B】'
		);
		await expect(p.locator(`[data-item-id="${item}"] [data-mark="1"]`)).toHaveText('△');
		await expect(p.locator(`[data-item-id="${item}"] [data-mark="4"]`)).toHaveText('×');
		await expect(badge(p)).toHaveAttribute('data-sync-state', 'saved');
	}
	await a.context().close();
	await b.context().close();
});

test('a server that comes back is seen by the table as soon as by the top bar, not after its own back-off', async ({
	browser
}) => {
	// Its own server, to stop and start again on the same port and data.
	const data = tempDataDir();
	let server = await spawnServer(join(data.dir, 'data'));
	const port = server.port;
	try {
		const page = await newWindow(browser, 'admin', ADMIN_PASSWORD, server.url);
		await page.goto(server.url);
		await page.locator('a[data-table-id]').first().click();
		await expect(badge(page)).toHaveAttribute('data-sync-state', 'saved');
		await controlled(page);
		const tableId = new URL(page.url()).pathname.split('/').at(-1)!;

		// The server goes down, and the app is started again from the device while it is.
		server.child.kill('SIGTERM');
		await exited(server.child);
		const tries: number[] = [];
		page.on('websocket', (socket) => {
			if (socket.url().includes(tableId)) tries.push(Date.now());
		});
		await page.reload();
		await expect(page.locator('[data-item-id]').first()).toBeVisible();
		await expect(badge(page)).toHaveAttribute('data-sync-state', 'offline');
		await expect(page.locator('[data-user]')).toContainText('オフライン');
		// The table's connection has failed seven times: its next try waits 15 to 30 s (back-off
		// from 500 ms, doubled each time, half to all of it, at most 30 s: reconnect.ts).
		await expect.poll(() => tries.length, { timeout: 60_000 }).toBeGreaterThanOrEqual(7);
		const lastFailed = tries.at(-1)!;

		server = await spawnServer(join(data.dir, 'data'), port);
		// The top bar asks every few seconds; once it has its answer the table follows at once.
		await expect(page.locator('[data-user]')).not.toContainText('オフライン', { timeout: 15_000 });
		await expect(badge(page)).toHaveAttribute('data-sync-state', 'saved', { timeout: 35_000 });
		expect(tries.length).toBeGreaterThan(7);
		expect(tries.at(-1)! - lastFailed).toBeLessThan(12_000);
		await page.context().close();
	} finally {
		server.child.kill('SIGTERM');
		data.remove();
	}
});

test('the web app manifest and its icons are served and valid', async ({ page, baseUrl }) => {
	const res = await page.request.get(`${baseUrl}/manifest.webmanifest`);
	expect(res.status()).toBe(200);
	const manifest = await res.json();
	expect(manifest).toMatchObject({
		name: 'Shinko 進行管理表',
		short_name: 'Shinko',
		start_url: '/',
		display: 'standalone',
		theme_color: '#1f4e79',
		background_color: '#f3f5f7'
	});
	expect(manifest.description).toMatch(/[ぁ-んァ-ン一-龥]/);
	const icons = manifest.icons as { src: string; sizes: string; purpose?: string }[];
	const want = [
		{ sizes: '192x192', purpose: 'any' },
		{ sizes: '512x512', purpose: 'any' },
		{ sizes: '512x512', purpose: 'maskable' }
	];
	for (const w of want) {
		const icon = icons.find((i) => i.sizes === w.sizes && (i.purpose ?? 'any').includes(w.purpose));
		expect(icon, `${w.sizes} ${w.purpose}`).toBeTruthy();
		const png = await page.request.get(`${baseUrl}${icon!.src}`);
		expect(png.headers()['content-type']).toContain('image/png');
		const [width, height] = w.sizes.split('x').map(Number);
		expect(pngSize(await png.body())).toEqual({ width, height });
	}
	await page.goto(baseUrl);
	await expect(page.locator('link[rel="manifest"]')).toHaveAttribute(
		'href',
		/manifest\.webmanifest$/
	);
});

test('a waiting new version is announced and applied on reload without losing edits', async ({
	browser
}) => {
	// Its own server on a copy of the build, so that a "deployment" can change the service worker.
	const data = tempDataDir();
	const buildDir = join(data.dir, 'build');
	cpSync(join(ROOT, 'build'), buildDir, { recursive: true });
	let server = await spawnServer(join(data.dir, 'data'), 0, { BUILD_DIR: buildDir });
	const port = server.port;
	try {
		const page = await newWindow(browser, 'admin', ADMIN_PASSWORD, server.url);
		await page.goto(server.url);
		await page.locator('a[data-table-id]').first().click();
		await expect(page.locator('[data-sync-state="saved"]')).toBeVisible();
		await controlled(page);
		const note = page.locator('[data-item-id="p3s2i1"] [data-field="note"]');
		await note.dblclick();
		await page.keyboard.type('更新前の編集');
		await page.keyboard.press('Enter');
		await expect(badge(page)).toHaveAttribute('data-sync-state', 'saved');

		// The next deployment: a new service worker script, and the server restarted on it.
		appendFileSync(join(buildDir, 'sw.js'), `\n// next version ${Date.now()}\n`);
		// Its precompressed copies, which the server prefers, are of the old one.
		rmSync(join(buildDir, 'sw.js.br'));
		rmSync(join(buildDir, 'sw.js.gz'));
		server.child.kill('SIGTERM');
		await new Promise((r) => server.child.once('exit', r));
		server = await spawnServer(join(data.dir, 'data'), port, { BUILD_DIR: buildDir });
		await page.evaluate(async () => {
			const registration = await navigator.serviceWorker.getRegistration();
			await registration?.update();
		});
		const banner = page.locator('[data-update-available]');
		await expect(banner).toContainText('新しいバージョンがあります');
		await banner.getByRole('button').click();
		await expect(page.locator('[data-update-available]')).toHaveCount(0);
		await expect(page.locator('[data-item-id="p3s2i1"] [data-field="note"]')).toContainText(
			'更新前の編集'
		);
		await expect(badge(page)).toHaveAttribute('data-sync-state', 'saved');
		const active = await page.evaluate(async () => {
			const registration = await navigator.serviceWorker.getRegistration();
			return { waiting: !!registration?.waiting, active: !!registration?.active };
		});
		expect(active).toEqual({ waiting: false, active: true });
		await page.context().close();
	} finally {
		server.child.kill('SIGTERM');
		data.remove();
	}
});

test('logout can delete the local copies, but refuses while edits wait for the server', async ({
	browser,
	baseUrl,
	tableId
}) => {
	const page = await newWindow(browser);
	const context = page.context();
	await page.goto(baseUrl);
	await openTable(page, baseUrl, tableId);
	await context.setOffline(true);
	await page.locator('[data-item-id="p4s1i1"] [data-mark="1"]').focus();
	await page.keyboard.press('o');
	await expect(page.locator('[data-pending]')).toBeVisible();

	await page.getByRole('button', { name: 'ログアウト' }).click();
	const dialog = page.locator('[data-logout-dialog]');
	await dialog.locator('[data-erase]').click();
	await expect(dialog.getByRole('alert')).toContainText('まだサーバーに送られていない編集が 1 件');
	await dialog.getByRole('button', { name: 'キャンセル' }).click();
	await expect(dialog).toHaveCount(0);

	await context.setOffline(false);
	await expect(badge(page)).toHaveAttribute('data-sync-state', 'saved');
	await page.goto(`${baseUrl}/settings`);
	await expect(page.locator('[data-storage-used]')).toContainText('上限');
	await page.getByRole('button', { name: 'ログアウト' }).click();
	await page.locator('[data-logout-dialog] [data-erase]').click();
	await expect(page).toHaveURL(/\/login/);
	await expect.poll(() => deviceDatabases(page)).toBe(0);
	await context.close();
});

/** One GET with no decoding: status, headers and the bytes as sent. */
function rawGet(
	url: string,
	acceptEncoding: string | null
): Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }> {
	return new Promise((resolve, reject) => {
		const headers = acceptEncoding === null ? {} : { 'accept-encoding': acceptEncoding };
		get(url, { headers }, (res) => {
			const chunks: Buffer[] = [];
			res.on('data', (c: Buffer) => chunks.push(c));
			res.on('end', () =>
				resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) })
			);
		}).on('error', reject);
	});
}

test('the shell and the scripts go out precompressed, the shell with its table-route preloads', async ({
	baseUrl,
	tableId
}) => {
	const shell = readFileSync(join(ROOT, 'build/index.html'));
	expect(shell.toString()).toContain('rel="modulepreload"');
	// The largest script the shell preloads.
	const [script, scriptBytes] = [
		...shell
			.toString()
			.matchAll(/<link href="(\/_app\/immutable\/[^"]+\.js)" rel="modulepreload">/g)
	]
		.map((m) => [m[1]!, readFileSync(join(ROOT, 'build', m[1]!))] as const)
		.sort((a, b) => b[1].length - a[1].length)[0]!;
	const decoders = { br: brotliDecompressSync, gzip: gunzipSync };
	for (const [encoding, decode] of Object.entries(decoders)) {
		for (const [path, original] of [
			[`/t/${tableId}`, shell],
			[script, scriptBytes]
		] as const) {
			const res = await rawGet(baseUrl + path, `${encoding}, deflate`);
			expect(res.status, path).toBe(200);
			expect(res.headers['content-encoding'], path).toBe(encoding);
			expect(res.headers.vary, path).toContain('Accept-Encoding');
			expect(res.body.length, path).toBeLessThan(original.length / 2);
			expect(decode(res.body).equals(original), `${path} (${encoding}) is the built file`).toBe(
				true
			);
		}
	}
	const plain = await rawGet(baseUrl + script, null);
	expect(plain.headers['content-encoding']).toBeUndefined();
	expect(plain.body.equals(scriptBytes)).toBe(true);
});
