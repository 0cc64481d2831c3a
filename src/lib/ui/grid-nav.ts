// Arrow-key movement between the table's cells, by geometry, so rowspans need no bookkeeping.

export type Direction = 'up' | 'down' | 'left' | 'right';

export const ARROWS: Record<string, Direction> = {
	ArrowUp: 'up',
	ArrowDown: 'down',
	ArrowLeft: 'left',
	ArrowRight: 'right'
};

/**
 * The cells the nearest one in any direction is among: those of the cell's own row group (an
 * item's <tbody>) and of the nearest groups with cells above and below it, since every item has
 * the same columns. Measuring only these keeps a table of 2,000 items from being laid out whole
 * for one arrow key: items far off screen skip their layout until they are needed (TableView).
 */
function candidates(from: HTMLElement): Element[] {
	const root = from.closest('[data-grid]') ?? document;
	const group = from.closest('tbody');
	if (!group || !root.contains(group)) return Array.from(root.querySelectorAll('[data-cell]'));
	const groups: Element[] = [group];
	for (const step of ['previousElementSibling', 'nextElementSibling'] as const) {
		let next = group[step];
		while (next && !next.querySelector('[data-cell]')) next = next[step];
		if (next) groups.push(next);
	}
	return groups.flatMap((g) => Array.from(g.querySelectorAll('[data-cell]')));
}

/**
 * Where cells are in the table as laid out, not as shown: a cell that sticks to the side of a
 * scroller (the title column of a narrow window's sheet, TableView) is measured where it would be
 * without sticking, so the cells it covers are still to its right, and ArrowRight from it reaches
 * the next column rather than the first one out from under it.
 */
function laidOutRects(cells: HTMLElement[]): Map<HTMLElement, DOMRect> {
	const rects = new Map<HTMLElement, DOMRect>();
	const sticky: HTMLElement[] = [];
	for (const el of cells) {
		if (getComputedStyle(el).position === 'sticky') sticky.push(el);
		else rects.set(el, el.getBoundingClientRect());
	}
	if (sticky.length > 0) {
		const was = sticky.map((el) => el.style.position);
		// Relative, not static: what the cell holds stays placed as it was.
		for (const el of sticky) el.style.position = 'relative';
		for (const el of sticky) rects.set(el, el.getBoundingClientRect());
		sticky.forEach((el, i) => (el.style.position = was[i]!));
	}
	return rects;
}

/** Focuses the nearest `[data-cell]` in that direction; returns false at the table's edge. */
export function moveFocus(from: HTMLElement, direction: Direction): boolean {
	const cells = (candidates(from) as HTMLElement[]).filter(
		(el) => el === from || el.offsetParent !== null
	);
	const rects = laidOutRects(cells.includes(from) ? cells : [from, ...cells]);
	const a = rects.get(from)!;
	const ax = a.left + a.width / 2;
	const ay = a.top + a.height / 2;
	let best: HTMLElement | null = null;
	let bestScore = Infinity;
	for (const el of cells) {
		if (el === from) continue;
		const b = rects.get(el)!;
		let along: number;
		let across: number;
		switch (direction) {
			case 'up':
				if (b.bottom > a.top + 1) continue;
				along = a.top - b.bottom;
				across = overlap(a.left, a.right, b.left, b.right)
					? 0
					: Math.abs(b.left + b.width / 2 - ax);
				break;
			case 'down':
				if (b.top < a.bottom - 1) continue;
				along = b.top - a.bottom;
				across = overlap(a.left, a.right, b.left, b.right)
					? 0
					: Math.abs(b.left + b.width / 2 - ax);
				break;
			case 'left':
				if (b.right > a.left + 1) continue;
				along = a.left - b.right;
				across = overlap(a.top, a.bottom, b.top, b.bottom)
					? 0
					: Math.abs(b.top + b.height / 2 - ay);
				break;
			case 'right':
				if (b.left < a.right - 1) continue;
				along = b.left - a.right;
				across = overlap(a.top, a.bottom, b.top, b.bottom)
					? 0
					: Math.abs(b.top + b.height / 2 - ay);
				break;
		}
		// Staying in the same column or row matters far more than distance.
		const score = across * 1000 + along;
		if (score < bestScore) {
			bestScore = score;
			best = el;
		}
	}
	if (!best) return false;
	best.focus();
	best.scrollIntoView({ block: 'nearest', inline: 'nearest' });
	revealUnderHeader(best);
	return true;
}

/** The nearest ancestor that scrolls `el` vertically, or null for the window. */
export function scrollerOf(el: HTMLElement): HTMLElement | null {
	for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
		if (/(auto|scroll)/.test(getComputedStyle(up).overflowY)) return up;
	}
	return null;
}

/**
 * Scrolls a cell the sticky parts of the table cover out from under them: the header row (scrolled
 * to going up, a cell is at the top, under the app bar and the table's header) and, in a narrow
 * window's sheet, the title column that sticks at the left (a cell scrolled to going left).
 */
function revealUnderHeader(cell: HTMLElement): void {
	const header = cell.closest('table')?.querySelector('thead th');
	const scroller = scrollerOf(cell);
	const box = cell.getBoundingClientRect();
	if (header && !header.contains(cell)) {
		const covered = header.getBoundingClientRect().bottom - box.top;
		if (covered > 0) (scroller ?? window).scrollBy({ top: -(covered + 4) });
	}
	// The cells of its row that stick at the left, if it is not one of them.
	const group = cell.closest('tbody');
	if (!group || getComputedStyle(cell).position === 'sticky') return;
	let right = -Infinity;
	for (const other of Array.from(group.querySelectorAll<HTMLElement>('[data-cell]'))) {
		if (other === cell || getComputedStyle(other).position !== 'sticky') continue;
		const r = other.getBoundingClientRect();
		if (r.bottom > box.top && r.top < box.bottom) right = Math.max(right, r.right);
	}
	const covered = right - box.left;
	if (covered > 0) (scroller ?? window).scrollBy({ left: -(covered + 4) });
}

function overlap(a1: number, a2: number, b1: number, b2: number): boolean {
	return Math.min(a2, b2) - Math.max(a1, b1) > 1;
}
