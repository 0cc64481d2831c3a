// Work that can wait: for the browser to be idle (at most `timeout` ms; Safari has no
// requestIdleCallback, so there it waits a second), or for its next turn.

/** Runs `work` once the browser is idle; returns a function that cancels it. */
export function whenIdle(work: () => void, timeout = 5000): () => void {
	if (!('requestIdleCallback' in window)) {
		const timer = setTimeout(work, 1000);
		return () => clearTimeout(timer);
	}
	const idle = requestIdleCallback(work, { timeout });
	return () => cancelIdleCallback(idle);
}

/** The browser's task scheduler (Chromium 94+, Firefox 142+), not yet in TypeScript's types. */
type PostTask = (
	task: () => void,
	options: { priority: 'user-visible'; signal: AbortSignal }
) => Promise<void>;
const scheduler = (globalThis as { scheduler?: { postTask?: PostTask } }).scheduler;

/**
 * Runs `fn` in a task of its own once what the browser has waiting has run: a key or a tap, and a
 * frame that has come due (its task was queued first), which keeps the page answering between
 * tasks of work. Not waiting for a frame that is not due: work off-screen needs no paint, and a
 * wait for the next frame at every task left the main thread idle for up to 16 ms each time (the
 * rows of row-budget.svelte.ts). Returns its cancel.
 */
export function nextTurn(fn: () => void): () => void {
	if (scheduler?.postTask) {
		const abort = new AbortController();
		scheduler.postTask(fn, { priority: 'user-visible', signal: abort.signal }).catch(() => {
			// cancelled: the work is no longer wanted
		});
		return () => abort.abort();
	}
	const timer = setTimeout(fn);
	return () => clearTimeout(timer);
}
