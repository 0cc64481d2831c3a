// Work that can wait for the browser to be idle (at most `timeout` ms); Safari has no
// requestIdleCallback, so there it waits a second.

/** Runs `work` once the browser is idle; returns a function that cancels it. */
export function whenIdle(work: () => void, timeout = 5000): () => void {
	if (!('requestIdleCallback' in window)) {
		const timer = setTimeout(work, 1000);
		return () => clearTimeout(timer);
	}
	const idle = requestIdleCallback(work, { timeout });
	return () => cancelIdleCallback(idle);
}
