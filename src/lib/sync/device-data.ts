// This device's copies of the tables (IndexedDB) and the bookkeeping kept beside them.
import { done, LOCAL_DB_PREFIX } from './local.ts';
import { unsentOnDevice } from './unsent.ts';

/** Local edits the server has not confirmed, summed over every table and tab on this device. */
export function pendingEdits(): number {
	try {
		return unsentOnDevice(localStorage);
	} catch {
		return 0;
	}
}

export async function deviceDatabases(): Promise<string[]> {
	if (!indexedDB.databases) return [];
	const all = await indexedDB.databases();
	return all.map((d) => d.name ?? '').filter((name) => name.startsWith(LOCAL_DB_PREFIX));
}

/** Deletes every table copy and Shinko key on this device (shared tablets). */
export async function eraseDeviceData(): Promise<void> {
	// A deletion "blocked" by an open copy only waits: open copies close when asked (local.ts).
	for (const name of await deviceDatabases()) await done(indexedDB.deleteDatabase(name));
	const keys: string[] = [];
	for (let i = 0; i < localStorage.length; i++) {
		const key = localStorage.key(i);
		if (key?.startsWith('shinko:') && key !== 'shinko:locale') keys.push(key);
	}
	for (const key of keys) localStorage.removeItem(key);
}

export interface StorageUse {
	usage: number;
	quota: number;
}

export async function storageUse(): Promise<StorageUse | null> {
	if (!navigator.storage?.estimate) return null;
	const { usage = 0, quota = 0 } = await navigator.storage.estimate();
	return { usage, quota };
}
