// A Svelte file that does not compile must fail `vite build` with its own error, not with the PWA
// plugin's ENOENT for `version.json` (vite-pwa/sveltekit#43; see keepBuildErrors in vite.config.ts).
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'vite';
import { expect, test } from 'vitest';

const configFile = fileURLToPath(new URL('../../vite.config.ts', import.meta.url));

/**
 * Serves the root layout with a syntax error, leaving the file on disk as it is. The build stops
 * while compiling, before it writes `build/`; SvelteKit empties `.svelte-kit/output` at its start.
 */
const brokenLayout: Plugin = {
	name: 'test:broken-layout',
	enforce: 'pre',
	load(id) {
		if (id.endsWith('/src/routes/+layout.svelte')) {
			return '<script>\n\tlet { children } = $props();\n\tlet x = ;\n</script>\n\n{@render children()}\n';
		}
	}
};

test(
	'a build that fails reports the file that does not compile',
	{ timeout: 120_000 },
	async () => {
		const failure = await build({ configFile, logLevel: 'silent', plugins: [brokenLayout] }).then(
			() => null,
			(err: unknown) => err
		);
		expect(failure).toBeInstanceOf(Error);
		const message = (failure as Error).message;
		expect(message).toContain('+layout.svelte');
		expect(message).not.toContain('version.json');
	}
);
