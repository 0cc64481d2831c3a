import adapter from '@sveltejs/adapter-static';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
export default {
	preprocess: vitePreprocess(),
	kit: {
		// The data lives in the browser, so the app is a pure SPA served by server/, which sends the
		// brotli or gzip copies made here to browsers that take them.
		adapter: adapter({ fallback: 'index.html', precompress: true }),
		typescript: {
			// One type-check for everything: the server, the CLI and the tests share the domain code.
			config: (config) => {
				config.include.push(
					'../server/**/*.ts',
					'../test/**/*.ts',
					'../scripts/**/*.ts',
					'../playwright.config.ts'
				);
				return config;
			}
		}
	}
};
