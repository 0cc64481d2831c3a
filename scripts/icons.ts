// Renders the app icons (PNG) from SVG with the project's Chromium: `npx tsx scripts/icons.ts`.
// The PNGs are committed; run this again only when the icon changes.
import { chromium } from '@playwright/test';

function svg(size: number, maskable: boolean): string {
	// A maskable icon keeps its mark inside the central 80 % "safe zone" and fills the square.
	const radius = maskable ? 0 : size * 0.18;
	const font = maskable ? size * 0.42 : size * 0.56;
	return `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 ${size} ${size}">
		<rect width="${size}" height="${size}" rx="${radius}" fill="#1f4e79"/>
		<text x="50%" y="52%" dominant-baseline="middle" text-anchor="middle" fill="#ffffff"
			font-family="Noto Sans CJK JP, Noto Sans JP, sans-serif" font-weight="700" font-size="${font}">進</text>
	</svg>`;
}

const browser = await chromium.launch({
	executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
	args: ['--no-sandbox', '--disable-gpu']
});
try {
	for (const [name, size, maskable] of [
		['icon-192.png', 192, false],
		['icon-512.png', 512, false],
		['maskable-512.png', 512, true],
		['apple-touch-icon.png', 180, true]
	] as const) {
		const page = await browser.newPage({ viewport: { width: size, height: size } });
		await page.setContent(`<style>body{margin:0}</style>${svg(size, maskable)}`);
		await page.screenshot({ path: `static/icons/${name}`, omitBackground: !maskable });
		await page.close();
	}
} finally {
	await browser.close();
}
