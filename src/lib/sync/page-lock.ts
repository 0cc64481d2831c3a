// Which of the app's pages (tabs, windows) are open. Each page holds a Web Lock named for it for
// as long as it lives, so what a page left in localStorage can be told from what a page that is
// gone (closed or crashed) left there: the browser releases a page's locks when the page goes.

const LOCK_PREFIX = 'shinko:page:';

function randomId(): string {
	const bytes = new Uint8Array(8);
	globalThis.crypto.getRandomValues(bytes);
	return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** This page's id: new at every load, so a reloaded tab is another page. */
export const PAGE_ID = randomId();

let requested = false;

/** Takes this page's lock, once; it is held until the page goes. */
export function holdPageLock(): void {
	if (requested) return;
	requested = true;
	const locks = globalThis.navigator?.locks;
	if (!locks) return;
	locks.request(LOCK_PREFIX + PAGE_ID, () => new Promise<void>(() => {})).catch(() => {});
}

/**
 * The ids of the open pages (those whose lock is held or asked for), or null when this browser
 * cannot tell (no Web Locks: plain http on a LAN is not a secure context).
 */
export async function openPages(): Promise<ReadonlySet<string> | null> {
	const locks = globalThis.navigator?.locks;
	if (!locks?.query) return null;
	try {
		const { held = [], pending = [] } = await locks.query();
		const pages = new Set<string>();
		for (const lock of [...held, ...pending]) {
			if (lock.name?.startsWith(LOCK_PREFIX)) pages.add(lock.name.slice(LOCK_PREFIX.length));
		}
		return pages;
	} catch {
		return null;
	}
}
