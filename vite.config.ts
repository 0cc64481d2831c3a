import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';

export default defineConfig({
	plugins: [sveltekit()],
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
		include: ['test/unit/**/*.test.ts', 'test/server/**/*.test.ts'],
		environment: 'node',
		expect: { requireAssertions: true },
		testTimeout: 30_000,
		hookTimeout: 30_000
	}
});
