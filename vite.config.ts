import { sveltekit } from '@sveltejs/kit/vite';
import { SvelteKitPWA } from '@vite-pwa/sveltekit';
import type { Plugin } from 'vite';
import { defineConfig } from 'vitest/config';

/**
 * @vite-pwa/sveltekit writes the service worker in `closeBundle` even after a failed build, and its
 * ENOENT (`…/_app/version.json`) then takes the place of the real error, such as a Svelte file
 * that does not compile (vite-pwa/sveltekit#43, open). vite-plugin-pwa's own build plugin skips
 * its `closeBundle` when the bundler hands it the build's error; this does the same for the kit's.
 * Vite calls `closeBundle` a second time, without the error, so the failure is remembered until
 * the next build starts.
 */
function keepBuildErrors(plugins: Plugin[]): Plugin[] {
	return plugins.map((p) => {
		const close = p.closeBundle;
		if (p.name !== 'vite-plugin-pwa:sveltekit:build' || !close || !('handler' in close)) return p;
		let failed = false;
		return {
			...p,
			buildStart() {
				failed = false;
			},
			closeBundle: {
				...close,
				handler(error) {
					if (error) failed = true;
					if (failed) return; // let the build's own error be reported
					return close.handler.call(this, error);
				}
			}
		};
	});
}

/** The suites that run on both stores: the store contract, sync, durability, history. */
const POSTGRES_SUITES = [
	'test/server/sync.test.ts',
	'test/reliability/update-log.test.ts',
	'test/server/durability.test.ts',
	'test/server/group-commit.test.ts',
	'test/reliability/relay-before-commit.test.ts',
	'test/reliability/crash.test.ts',
	'test/server/presence.test.ts',
	'test/server/history-api.test.ts'
];

export default defineConfig({
	plugins: [
		sveltekit(),
		// Workbox precaches the whole app shell, so after one visit the app starts with no network.
		keepBuildErrors(
			SvelteKitPWA({
				registerType: 'prompt',
				injectRegister: false,
				// Absolute: a first visit straight to /t/<id> must register /sw.js, not /t/sw.js.
				base: '/',
				scope: '/',
				kit: { adapterFallback: '/', spa: true },
				manifest: {
					name: 'Shinko 進行管理表',
					short_name: 'Shinko',
					description:
						'基本計画の取り組みの進行管理表を、複数人で同時に、オフラインでも編集できるアプリです。',
					lang: 'ja',
					start_url: '/',
					scope: '/',
					display: 'standalone',
					orientation: 'any',
					theme_color: '#1f4e79',
					background_color: '#f3f5f7',
					icons: [
						{ src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
						{ src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
						{
							src: '/icons/maskable-512.png',
							sizes: '512x512',
							type: 'image/png',
							purpose: 'maskable'
						}
					]
				},
				workbox: {
					globPatterns: ['client/**/*.{js,mjs,css,ico,png,svg,webp,woff,woff2,webmanifest}'],
					navigateFallback: '/',
					// Data never comes from the cache: it lives in IndexedDB and syncs over the socket.
					navigateFallbackDenylist: [/^\/api\//, /^\/sync\//, /^\/healthz/],
					clientsClaim: true,
					cleanupOutdatedCaches: true
				}
			})
		)
	],
	build: process.env.SHINKO_NO_MINIFY ? { minify: false } : {},
	// The import worker (src/lib/ui/import-worker.ts) is a module worker: it may share chunks.
	worker: { format: 'es' },
	server: {
		port: 5173,
		// `npm run dev` beside `npm start`: sync and API go to the real server.
		proxy: {
			'/sync': { target: 'ws://127.0.0.1:8787', ws: true },
			'/api': 'http://127.0.0.1:8787',
			'/healthz': 'http://127.0.0.1:8787'
		}
	},
	test: {
		environment: 'node',
		expect: { requireAssertions: true },
		testTimeout: 30_000,
		hookTimeout: 30_000,
		projects: [
			{
				extends: true,
				test: {
					name: 'default',
					include: [
						'test/unit/**/*.test.ts',
						'test/server/**/*.test.ts',
						'test/reliability/**/*.test.ts',
						'test/cluster/**/*.test.ts'
					]
				}
			},
			{
				// The store and sync suites again, on PostgreSQL (cluster mode's store of record).
				extends: true,
				test: {
					name: 'postgres',
					include: POSTGRES_SUITES,
					env: { SHINKO_TEST_STORE: 'postgres' },
					globalSetup: ['test/helpers/postgres-setup.ts']
				}
			}
		]
	}
});
