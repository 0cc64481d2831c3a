// How many item rows of the table are in the DOM. A table opens with a screenful of rows, painted
// at once; the rest follow a chunk per task after that paint, so the first screen does not wait
// for hundreds of rows below it and the page stays responsive while they come in. Within a second
// every row is there, for find-in-page, printing and the `[data-item-id]` hooks; anything that
// needs a row before then (a link to it, following a presenter, printing) asks for all at once.

import { untrack } from 'svelte';
import { nextTurn } from '../idle.ts';

/** Rows added at a time until they fill the window, before the first paint. */
export const FIRST_ROWS = 10;
/**
 * Rows added in the first task after the first screen is painted, before any task has been timed:
 * about TASK_MS on this project's two-core test machine (a 1 KB note each), less on a faster one.
 */
export const ROWS_PER_TASK = 50;
/**
 * The script of a task of rows should take about this long; the rows per task follow what the
 * last task took, so a fast device brings in its rows in fewer tasks and frames, and a slow one
 * still answers a tap or a key within about this long while they come in. At 50 ms, what browsers
 * count as a long task (one that blocks input, in total blocking time): at 60 ms every task of rows
 * was a long one, and at 40 ms there were so many more tasks, each going over the rows drawn so
 * far, that the 2,000-item table took 10–40 % longer to bring in all its rows (bench/large-table.ts).
 */
export const TASK_MS = 50;
/** A task for the next rows even when no frame comes (a hidden tab paints nothing). */
const NO_FRAME_MS = 200;

export class RowBudget {
	/** Rows shown, in document order; Infinity once every row is in. */
	limit = $state(FIRST_ROWS);
	readonly complete = $derived(this.limit === Infinity);
	/** Set once the rows fill the window: from then on, rows come after each paint. */
	#filled = $state(false);
	/** The window is filled, or every row is in: the first screen is there to be painted. */
	readonly firstScreen = $derived(this.#filled || this.complete);
	/**
	 * Rows off screen may skip their rendering (TableView): once the first screen is painted, so
	 * that the rows which fill it are measured and painted as they are, or when all rows come at
	 * once, with no first screen to measure.
	 */
	skipping = $state(false);
	/** Rows in the next task after the first screen. */
	#perTask = ROWS_PER_TASK;
	/** When the last task of rows began, until its rows are drawn. */
	#taskStart: number | null = null;

	constructor(all = false) {
		if (all) this.showAll();
	}

	/** Shows the row at `index` (0-based, in document order) when it is within the budget. */
	shows(index: number): boolean {
		return index < this.limit;
	}

	/** Every row from now on, this one included. */
	showAll(): void {
		this.limit = Infinity;
		this.skipping = true;
	}

	/**
	 * Keeps adding rows until `total` are in: before the first paint until `filled()` says the
	 * rows reach past the window's bottom, then a chunk per task, the first after that paint, the
	 * others as soon as the browser has had its turn.
	 * Call from an effect that re-runs on `limit` and `total` (it runs after the DOM is updated);
	 * returns its cleanup.
	 */
	grow(total: number, filled: () => boolean): (() => void) | undefined {
		if (this.#taskStart !== null) {
			// Called once the task's rows are drawn: scale the next task to take about TASK_MS.
			const took = Math.max(1, performance.now() - this.#taskStart);
			const rows = Math.round((this.#perTask * TASK_MS) / took);
			this.#perTask = Math.min(this.#perTask * 4, Math.max(FIRST_ROWS, rows));
			this.#taskStart = null;
		}
		if (this.complete) return;
		// An empty table (or a filter matching nothing) is complete: what comes later comes whole.
		if (this.limit >= total) {
			this.limit = Infinity;
			return;
		}
		// Untracked: setting it below must not run the caller's effect again.
		if (!untrack(() => this.#filled) && !filled()) {
			this.limit += FIRST_ROWS;
			return;
		}
		this.#filled = true;
		const first = !untrack(() => this.skipping);
		const cancel = (first ? afterPaint : nextTurn)(() => {
			cancel();
			this.skipping = true;
			this.#taskStart = performance.now();
			this.limit += this.#perTask;
		});
		return cancel;
	}
}

/** Runs `fn` in a task of its own after the next frame is painted; returns its cancel. */
function afterPaint(fn: () => void): () => void {
	// A task posted from an animation frame runs after that frame is painted.
	let timer: ReturnType<typeof setTimeout> | undefined;
	const frame = requestAnimationFrame(() => {
		clearTimeout(fallback);
		timer = setTimeout(fn);
	});
	const fallback = setTimeout(fn, NO_FRAME_MS);
	return () => {
		cancelAnimationFrame(frame);
		clearTimeout(timer);
		clearTimeout(fallback);
	};
}
