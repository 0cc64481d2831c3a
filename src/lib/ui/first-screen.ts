// The table's first screen, kept on the device: the shell (src/app.html) shows it, inert, before
// the app has started, and the table page removes it once its own first screen is drawn.
// docs/design.md, "Opening a table", says when it is kept and shown. Names shared with app.html.
import { USER_KEY } from '../sync/local.ts';

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
/**
 * A copy larger than this is not kept: localStorage holds about 5 MB for the whole app, and the
 * count of unsaved edits lives there too. A first screen is about 30,000 characters.
 */
export const MAX_FIRST_SCREEN_CHARS = 100_000;
/** First screens kept at most; the oldest goes first. */
export const MAX_FIRST_SCREENS = 6;

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
	'[data-follow]',
	'[data-following]',
	'[data-changed-by]',
	'[role=alert]'
].join(',');
/** Parts kept for their place in the layout, shown empty: who is here, whether it is saved. */
const BLANK = '[data-sync-state], [data-presence], [data-present][aria-pressed="true"]';
/** What the keyboard could reach where `inert` is not supported. */
const FOCUSABLE = 'a[href], button, input, select, textarea, [tabindex]';
/** The only `data-*` attribute the styles read (the colour of a mark). */
const STYLED_DATA = new Set(['data-value']);

/** Removes the copy, once the live table is painted or the page is not the table's. */
export function dismissFirstScreen(): void {
	document.getElementById(FIRST_SCREEN_ID)?.remove();
}

/** Shows table `docId`'s kept first screen while the app opens it (the shell's own function). */
export function showFirstScreen(docId: string): void {
	window.shinkoShowFirstScreen?.(docId);
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

/** Strips a copy of everything that belongs to the live page: state, hooks, ids, scripts. */
function sanitize(root: Element): void {
	for (const el of Array.from(root.querySelectorAll(`script, ${TRANSIENT}`))) el.remove();
	for (const el of Array.from(root.querySelectorAll<HTMLElement>(BLANK)))
		el.style.visibility = 'hidden';
	// What is typed in a field is a property, which markup does not carry: make it the markup.
	// (Check boxes are left as the markup has them: what they set, large type, is not kept.)
	for (const area of Array.from(root.querySelectorAll('textarea'))) area.textContent = area.value;
	for (const input of Array.from(root.querySelectorAll('input:not([type=checkbox])')))
		input.setAttribute('value', (input as HTMLInputElement).value);
	for (const el of Array.from(root.querySelectorAll(FOCUSABLE))) el.setAttribute('tabindex', '-1');
	for (const el of [root, ...Array.from(root.querySelectorAll('*'))]) {
		for (const { name } of Array.from(el.attributes)) {
			const hook = name.startsWith('data-') && !STYLED_DATA.has(name);
			if (hook || name.startsWith('on') || name === 'id' || name === 'aria-busy')
				el.removeAttribute(name);
		}
	}
	root.querySelector('.sheet-wrap')?.classList.remove('large');
	// A picture of the top: nothing in it waits to be rendered (TableView's `skipping`).
	root.querySelector('.sheet')?.classList.remove('skipping');
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
		// The device's user, not only this page's: another tab may have logged out meanwhile.
		const stored = JSON.parse(localStorage.getItem(USER_KEY) ?? 'null') as typeof user | null;
		if (stored?.username !== user.username || stored.role !== user.role) return;
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
