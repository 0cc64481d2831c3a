// Random ids for rows and tables, within the doc-id alphabet [A-Za-z0-9_-].

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

export function newId(length = 12): string {
	const bytes = new Uint8Array(length);
	globalThis.crypto.getRandomValues(bytes);
	let id = '';
	for (const b of bytes) id += ALPHABET[b % ALPHABET.length];
	return id;
}
