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

/** Focuses the nearest `[data-cell]` in that direction; returns false at the table's edge. */
export function moveFocus(from: HTMLElement, direction: Direction): boolean {
	const a = from.getBoundingClientRect();
	const ax = a.left + a.width / 2;
	const ay = a.top + a.height / 2;
	let best: HTMLElement | null = null;
	let bestScore = Infinity;
	for (const el of candidates(from) as HTMLElement[]) {
		if (el === from || el.offsetParent === null) continue;
		const b = el.getBoundingClientRect();
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

/**
 * Scrolls a cell the sticky header row covers (scrolled to, going up, it is at the window's top,
 * under the app bar and the table's header) down to just below it.
 */
function revealUnderHeader(cell: HTMLElement): void {
	const header = cell.closest('table')?.querySelector('thead th');
	if (!header || header.contains(cell)) return;
	const covered = header.getBoundingClientRect().bottom - cell.getBoundingClientRect().top;
	if (covered > 0) window.scrollBy({ top: -(covered + 4) });
}

function overlap(a1: number, a2: number, b1: number, b2: number): boolean {
	return Math.min(a2, b2) - Math.max(a1, b1) > 1;
}
