// The page's word that the server answered: a sync connection synced, or it said who is
// logged in. Each connection that is waiting out its back-off tries again at once, and the top
// bar asks who is logged in: a server that restarted is back for all of them, not only for the
// one whose timer happened to fire first. (The back-off's jitter already spreads the devices: the
// first connection of each gets through at its own moment, and the others of the page follow it.)

const answers = new EventTarget();

export function serverAnswered(): void {
	answers.dispatchEvent(new Event('answered'));
}

/** Calls `listener` at each answer; returns what stops it. */
export function onServerAnswered(listener: () => void): () => void {
	answers.addEventListener('answered', listener);
	return () => answers.removeEventListener('answered', listener);
}
