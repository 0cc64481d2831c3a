// Opening a table replays its device copy into the doc, a slice of it per transaction (local.ts).
// Yjs then encodes each transaction once more for the doc's 'update' listeners: about 45 ms in
// all for 500 items before the first rows can be drawn. None of our listeners does anything with a
// replay while no socket is open (the device copy skips its own replays, and y-websocket sends only
// on an open socket; the unsaved-edits count listens to another event), so that encoding is
// skipped then.
//
// Yjs has no option for it: the doc's listeners are set aside for the replay's cleanup only, in
// 'afterTransactionCleanup', the one event Yjs emits just before it encodes, and put back at the
// next event of any transaction, before anything else can see the doc without them. While they
// are aside, `doc.off('update', …)` still removes a listener for good.
import type { WebsocketProvider } from 'y-websocket';
import type * as Y from 'yjs';

type UpdateListener = (update: Uint8Array, origin: unknown, doc: Y.Doc, tr: Y.Transaction) => void;

/**
 * The doc's 'update' listeners: lib0's Observable keeps them in `_observers`. Undefined, and so no
 * quieting, should a later lib0 keep them elsewhere.
 */
function updateListeners(doc: Y.Doc): Set<UpdateListener> | undefined {
	const observers: unknown = doc._observers;
	if (!(observers instanceof Map)) return undefined;
	const listeners: unknown = observers.get('update');
	return listeners instanceof Set ? (listeners as Set<UpdateListener>) : undefined;
}

/**
 * From now on, a transaction with `origin` is not encoded for the doc's 'update' listeners when
 * `unheard()` says, at its start, that none of them would do anything with it, and every listener
 * is one of `known()`. Returns a function that stops it.
 */
export function quietReplays(
	doc: Y.Doc,
	origin: unknown,
	unheard: () => boolean,
	known: () => readonly unknown[]
): () => void {
	// A set: observers may start transactions before the replay is cleaned up.
	const quiet = new WeakSet<Y.Transaction>();
	let aside: Set<UpdateListener> | undefined;

	const putBack = () => {
		if (!aside) return;
		const listeners = aside;
		aside = undefined;
		delete (doc as { off?: unknown }).off;
		for (const listener of listeners) doc.on('update', listener);
	};
	/** The doc's 'update' listeners, if every one of them is one of `known()`. */
	const knownListeners = (): Set<UpdateListener> | undefined => {
		const listeners = updateListeners(doc);
		const allowed = new Set(known());
		return listeners && [...listeners].every((l) => allowed.has(l)) ? listeners : undefined;
	};
	const onStart = (tr: Y.Transaction) => {
		putBack();
		if (tr.origin === origin && unheard() && knownListeners()) quiet.add(tr);
	};
	const onCleanup = (tr: Y.Transaction) => {
		putBack();
		if (!quiet.delete(tr)) return;
		// Checked again: the replay's observers may have added a listener.
		const listeners = knownListeners();
		if (!listeners) return;
		aside = listeners;
		doc._observers.delete('update');
		// Shadows the prototype's off until putBack, so that a listener removed meanwhile stays removed.
		const off = Object.getPrototypeOf(doc).off as Y.Doc['off'];
		doc.off = (name, f) => {
			if (name === 'update') listeners.delete(f as UpdateListener);
			off.call(doc, name, f);
		};
	};
	doc.on('beforeTransaction', onStart);
	doc.on('beforeObserverCalls', putBack);
	doc.on('afterTransactionCleanup', onCleanup);
	doc.on('afterAllTransactions', putBack);
	return () => {
		putBack();
		doc.off('beforeTransaction', onStart);
		doc.off('beforeObserverCalls', putBack);
		doc.off('afterTransactionCleanup', onCleanup);
		doc.off('afterAllTransactions', putBack);
	};
}

/** Whether the stock y-websocket provider would send an update now (it drops it otherwise). */
export function providerSends(provider: WebsocketProvider): boolean {
	return provider.wsconnected || provider.bcconnected;
}
