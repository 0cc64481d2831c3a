import { describe, expect, it } from 'vitest';
import {
	dismissStorageNotice,
	forgetStorageNoticeDismissal,
	STORAGE_NOTICE_KEY,
	STORAGE_NOTICE_QUIET_MS,
	storageNoticeDismissed
} from '../../src/lib/ui/storage-notice.ts';

function deviceStorage() {
	const map = new Map<string, string>();
	return {
		map,
		getItem: (k: string) => map.get(k) ?? null,
		setItem: (k: string, v: string) => void map.set(k, v),
		removeItem: (k: string) => void map.delete(k)
	};
}

describe('the storage notice’s dismissal', () => {
	const now = Date.UTC(2026, 11, 6, 9);

	it('holds on the device for a month, then the notice comes back', () => {
		const storage = deviceStorage();
		expect(storageNoticeDismissed(now, storage)).toBe(false);
		dismissStorageNotice(now, storage);
		expect(storageNoticeDismissed(now + 1000, storage)).toBe(true);
		expect(storageNoticeDismissed(now + STORAGE_NOTICE_QUIET_MS - 1, storage)).toBe(true);
		expect(storageNoticeDismissed(now + STORAGE_NOTICE_QUIET_MS, storage)).toBe(false);
	});

	it('is forgotten once the browser keeps the data, and ignores what it cannot read', () => {
		const storage = deviceStorage();
		dismissStorageNotice(now, storage);
		forgetStorageNoticeDismissal(storage);
		expect(storageNoticeDismissed(now, storage)).toBe(false);
		storage.setItem(STORAGE_NOTICE_KEY, 'yesterday');
		expect(storageNoticeDismissed(now, storage)).toBe(false);
		// Dismissed "next year": the clock was set back since; a month would not be a month.
		dismissStorageNotice(now + STORAGE_NOTICE_QUIET_MS * 12, storage);
		expect(storageNoticeDismissed(now, storage)).toBe(false);
		expect(storageNoticeDismissed(now, null)).toBe(false);
	});
});
