// The headers every response carries: a Content-Security-Policy made for the built app, and the
// usual framing, sniffing and referrer protections.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const INLINE_SCRIPT = /<script\b([^>]*)>([\s\S]*?)<\/script\s*>/gi;

/**
 * sha256 sources of the inline scripts in every .html file under the build: the SPA shell's
 * first-screen script (src/app.html) and SvelteKit's start-up script. Read from the build the
 * server serves, so the policy matches it whatever the build put in; with no build, none.
 */
export function inlineScriptHashes(buildDir: string): string[] {
	if (!existsSync(buildDir)) return [];
	const hashes = new Set<string>();
	const files = readdirSync(buildDir, { recursive: true, encoding: 'utf8' });
	for (const file of files.filter((name) => name.endsWith('.html')).sort()) {
		const html = readFileSync(join(buildDir, file), 'utf8');
		for (const [, attributes, body] of html.matchAll(INLINE_SCRIPT)) {
			if (/\bsrc\s*=/i.test(attributes!)) continue;
			hashes.add(`'sha256-${createHash('sha256').update(body!, 'utf8').digest('base64')}'`);
		}
	}
	return [...hashes].sort();
}

export function contentSecurityPolicy(scriptHashes: readonly string[]): string {
	return [
		"default-src 'self'",
		['script-src', "'self'", ...scriptHashes].join(' '),
		// Svelte writes style="…" attributes (widths, colours of who is where, the kept first
		// screen's markup); a hash cannot name an attribute, so inline styles are allowed.
		"style-src 'self' 'unsafe-inline'",
		// data: because Vite inlines small images as data: URLs (none today, any in a later build),
		// blob: for images the page makes from Blobs; as images these can never run script.
		"img-src 'self' data: blob:",
		"connect-src 'self'",
		"worker-src 'self'",
		"manifest-src 'self'",
		"object-src 'none'",
		"base-uri 'self'",
		"form-action 'self'",
		"frame-ancestors 'none'"
	].join('; ');
}

/** The headers for every response, the built app's inline scripts hashed once, now. */
export function securityHeaders(buildDir: string): Readonly<Record<string, string>> {
	return {
		'content-security-policy': contentSecurityPolicy(inlineScriptHashes(buildDir)),
		'x-frame-options': 'DENY',
		'x-content-type-options': 'nosniff',
		'referrer-policy': 'same-origin'
	};
}
