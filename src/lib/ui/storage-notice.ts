// The storage notice's 閉じる, remembered on the device. The notice says the same thing at every
// load, and someone who has read it should not have to close it every morning. The risk it names
// stays, so it comes back after a month; and a browser that promised to keep the data forgets the
// dismissal, so that a later refusal is shown again at once.

export const STORAGE_NOTICE_KEY = 'shinko:storage-notice-dismissed';
/** How long a dismissal holds. */
export const STORAGE_NOTICE_QUIET_MS = 30 * 24 * 60 * 60 * 1000;

type Store = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

function deviceStorage(): Store | null {
	try {
		return globalThis.localStorage ?? null;
	} catch {
		return null; // storage disabled: the dismissal lasts as long as the page
	}
}

/** Whether the notice was closed on this device less than a month before `now`. */
export function storageNoticeDismissed(now = Date.now(), storage = deviceStorage()): boolean {
	try {
		const at = Number(storage?.getItem(STORAGE_NOTICE_KEY) ?? NaN);
		// A time ahead of now (the clock set back since) would hold for longer than a month.
		return Number.isFinite(at) && now - at < STORAGE_NOTICE_QUIET_MS && at <= now + 60_000;
	} catch {
		return false;
	}
}

export function dismissStorageNotice(now = Date.now(), storage = deviceStorage()): void {
	try {
		storage?.setItem(STORAGE_NOTICE_KEY, String(now));
	} catch {
		// not remembered: it comes back at the next load, as before
	}
}

/** The browser keeps the data now: a later refusal is news again. */
export function forgetStorageNoticeDismissal(storage = deviceStorage()): void {
	try {
		storage?.removeItem(STORAGE_NOTICE_KEY);
	} catch {
		// nothing to forget
	}
}
