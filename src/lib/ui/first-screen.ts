// The table's first screen, kept on the device so that the next start paints it before the app's
// scripts have even run. The app keeps a copy of the page's top, down to a screenful of rows, in
// localStorage; a small script in the shell (src/app.html) shows it at once, inert, over the page
// while the app starts, and the app takes it away as soon as the live table has painted its own
// first screen. A picture of the table, not the table: nothing in it can be clicked or typed into,
// it carries none of the `data-*` hooks, ids or roles of the live one, and it is shown only to the
// user (and role) it was kept for, for the unfiltered table, on a fresh start (a reload restores
// its scroll position, which the copy cannot show). Keep the names below in step with app.html.

/** localStorage key of a table's first screen, followed by the table's id. */
export const FIRST_SCREEN_PREFIX = 'shinko:first-screen:';
/** The element the shell puts the copy in. */
export const FIRST_SCREEN_ID = 'shinko-first-screen';
/**
 * The attribute of `<html>` in which the shell's script leaves a fingerprint of the shell's
 * links (the build's scripts and styles). A copy is shown only under the shell it was kept under,
 * with that shell's styles.
 */
export const SHELL_ATTR = 'data-shell-build';
/** A copy larger than this is not kept (localStorage holds about 5 MB for the whole app). */
export const MAX_FIRST_SCREEN_CHARS = 400_000;
/** First screens kept at most; the oldest goes first. */
export const MAX_FIRST_SCREENS = 8;

export interface FirstScreen {
	user: string;
	role: string;
	title: string;
	/** The app shell it was kept under (SHELL_ATTR): another build may draw it otherwise. */
	shell: string;
	html: string;
	/** When it was kept (ms since the epoch). */
	at: number;
}

/**
 * Parts of the page that say what is happening now: not kept. (The storage warning is kept: the
 * browser that refused to keep the data once says so again at the next start.)
 */
const TRANSIENT = [
	'dialog',
	'[data-update-available]',
	'[data-login-required]',
	'[data-comments-panel]',
	'[data-peers]',
	'[data-peer-ring]',
	'[data-changed-by]',
	'[role=alert]'
].join(',');
/** Parts kept for their place in the layout, shown empty: who is here, whether it is saved. */
const BLANK = '[data-sync-state], [data-presence]';
/** The only `data-*` attribute the styles read (the colour of a mark). */
const STYLED_DATA = new Set(['data-value']);

/** Removes the copy, once the live table is painted or the page is not the table's. */
export function dismissFirstScreen(): void {
	document.getElementById(FIRST_SCREEN_ID)?.remove();
}

/** The part of the page above `bottom` (px from the document's top): `node`'s top, down to the sheet's rows. */
function cloneTop(node: Element, sheet: HTMLTableElement, bottom: number): Element {
	if (node === sheet) {
		const table = sheet.cloneNode(false) as Element;
		for (const part of Array.from(sheet.children)) {
			if (part.tagName === 'TBODY' && part.getBoundingClientRect().top + scrollY >= bottom) break;
			table.append(part.cloneNode(true));
		}
		return table;
	}
	const copy = node.cloneNode(false) as Element;
	for (const child of Array.from(node.childNodes)) {
		if (child instanceof Element && child.contains(sheet)) {
			copy.append(cloneTop(child, sheet, bottom));
			break; // what follows the sheet is below it
		}
		copy.append(child.cloneNode(true));
	}
	return copy;
}

/** Strips a copy of everything that belongs to the live page: state, hooks, ids, focus. */
function sanitize(root: Element): void {
	for (const el of Array.from(root.querySelectorAll(TRANSIENT))) el.remove();
	for (const el of Array.from(root.querySelectorAll<HTMLElement>(BLANK)))
		el.style.visibility = 'hidden';
	for (const area of Array.from(root.querySelectorAll('textarea')))
		area.textContent = (area as HTMLTextAreaElement).value;
	for (const el of [root, ...Array.from(root.querySelectorAll('*'))]) {
		for (const { name } of Array.from(el.attributes)) {
			const hook = name.startsWith('data-') && !STYLED_DATA.has(name);
			if (hook || name === 'id' || name === 'aria-busy' || name === 'autofocus')
				el.removeAttribute(name);
		}
	}
	root.querySelector('.sheet-wrap')?.classList.remove('large');
}

function keys(): string[] {
	const out: string[] = [];
	for (let i = 0; i < localStorage.length; i++) {
		const key = localStorage.key(i);
		if (key?.startsWith(FIRST_SCREEN_PREFIX)) out.push(key);
	}
	return out;
}

function keptAt(key: string): number {
	try {
		return (JSON.parse(localStorage.getItem(key) ?? 'null') as FirstScreen | null)?.at ?? 0;
	} catch {
		return 0;
	}
}

/** Stores `value` under `key`, making room by dropping the oldest first screens. */
function store(key: string, value: string): void {
	const others = keys()
		.filter((k) => k !== key)
		.sort((a, b) => keptAt(a) - keptAt(b));
	while (others.length >= MAX_FIRST_SCREENS) localStorage.removeItem(others.shift()!);
	for (;;) {
		try {
			localStorage.setItem(key, value);
			return;
		} catch {
			const oldest = others.shift();
			if (!oldest) return; // no room at all: the next start paints the table itself
			localStorage.removeItem(oldest);
		}
	}
}

/**
 * Keeps the top of the page, down to a screenful of the sheet's rows, as the first screen of
 * table `docId` for `user`. Called at quiet moments (the table complete, the page hidden, leaving
 * it); costs a few milliseconds. Does nothing if the page shows anything but the whole table.
 */
export function keepFirstScreen(
	docId: string,
	user: { username: string; role: string },
	sheet: HTMLTableElement
): void {
	try {
		const root = sheet.closest('body > *');
		const shell = document.documentElement.getAttribute(SHELL_ATTR);
		if (!root || !shell || location.search || location.hash) return;
		// The rows of the tallest screen this device is likely to open on, from the page's top.
		const bottom = Math.max(innerHeight, screen.availHeight || 0, 800) * 1.25;
		const copy = cloneTop(root, sheet, bottom);
		sanitize(copy);
		const html = copy.innerHTML;
		if (html.length > MAX_FIRST_SCREEN_CHARS) return;
		const kept: FirstScreen = {
			user: user.username,
			role: user.role,
			title: document.title,
			shell,
			html,
			at: Date.now()
		};
		store(FIRST_SCREEN_PREFIX + docId, JSON.stringify(kept));
	} catch {
		// No storage, or a page mid-change: the next start paints the table itself.
	}
}

/** Forgets the first screen of one table (it left the device). */
export function forgetFirstScreen(docId: string): void {
	try {
		localStorage.removeItem(FIRST_SCREEN_PREFIX + docId);
	} catch {
		// no storage: nothing kept either
	}
}
