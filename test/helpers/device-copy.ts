// A device copy's rows (src/lib/sync/local.ts: y-indexeddb's database, stores and values), read
// and written from a page of the app's origin, as another tab of the device would. For the e2e
// tests and the benchmarks, which put a copy on a device before the app opens it.
import type { Page } from '@playwright/test';

/** The rows of database `name`'s `updates` store, in base64. */
export function storedRows(page: Page, name: string): Promise<string[]> {
	return page.evaluate(
		(name) =>
			new Promise<string[]>((resolve, reject) => {
				const open = indexedDB.open(name);
				open.onerror = () => reject(open.error);
				open.onsuccess = () => {
					const db = open.result;
					const all = db.transaction('updates').objectStore('updates').getAll();
					all.onerror = () => reject(all.error);
					all.onsuccess = () => {
						db.close();
						const base64 = (u: Uint8Array) => {
							let text = '';
							for (const byte of u) text += String.fromCharCode(byte);
							return btoa(text);
						};
						resolve((all.result as Uint8Array[]).map(base64));
					};
				};
			}),
		name
	);
}

/** Adds `rows` (base64) to database `name`, one update each, creating it as the app does. */
export async function storeRows(page: Page, name: string, rows: string[]): Promise<void> {
	await page.evaluate(
		async ({ name, rows }) => {
			const db = await new Promise<IDBDatabase>((resolve, reject) => {
				const req = indexedDB.open(name);
				req.onupgradeneeded = () => {
					req.result.createObjectStore('updates', { autoIncrement: true });
					req.result.createObjectStore('custom');
				};
				req.onsuccess = () => resolve(req.result);
				req.onerror = () => reject(req.error);
			});
			await new Promise<void>((resolve, reject) => {
				const tx = db.transaction('updates', 'readwrite');
				const store = tx.objectStore('updates');
				for (const row of rows) store.add(Uint8Array.from(atob(row), (c) => c.charCodeAt(0)));
				tx.oncomplete = () => resolve();
				tx.onerror = () => reject(tx.error);
			});
			db.close();
		},
		{ name, rows }
	);
}
