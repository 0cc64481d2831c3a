// One open doc: the Y.Doc, its device copy (IndexedDB) and its server connection.
import * as Y from 'yjs';
import { openLocal, type LocalCopy } from './local.ts';
import { providerSends, quietReplays } from './quiet-replay.ts';
import { RemoteSync } from './remote.svelte.ts';

/** How long a doc the server has sent waits for the device copy before it is shown without it. */
const LOCAL_WAIT_MS = 2000;

export class DocSession {
	readonly doc = new Y.Doc();
	readonly local: LocalCopy;
	readonly remote: RemoteSync;
	/**
	 * True once the device copy is all in the doc (or IndexedDB failed), or 2 s after the server
	 * sent the doc if the copy is not in by then.
	 */
	loaded = $state(false);
	private destroyed = false;
	private serverWait: ReturnType<typeof setTimeout> | undefined;

	constructor(readonly docId: string) {
		this.local = openLocal(docId, this.doc);
		this.remote = new RemoteSync(docId, this.doc, { localOrigin: this.local.origin });
		// The device copy's replay is not encoded again for listeners that would drop it.
		quietReplays(
			this.doc,
			this.local.origin,
			() => !providerSends(this.remote.provider),
			() => [this.local.updateListener, ...this.remote.updateListeners]
		);
		this.local.whenLoaded.then(
			() => {
				this.loaded = true;
				// What the device recorded as unsent must be in its copy: count it, or say it is lost.
				void this.remote.reviewDeviceCopy();
			},
			() => (this.loaded = true)
		);
		// The server's state alone, if the device copy is not in within a moment of it (an IndexedDB
		// that hangs). Not at once: the copy comes in slices, and a table drawn between them would
		// be read and drawn again after each.
		this.remote.provider.once('sync', () => {
			this.serverWait = setTimeout(() => (this.loaded = true), LOCAL_WAIT_MS);
		});
	}

	destroy(): void {
		if (this.destroyed) return;
		this.destroyed = true;
		clearTimeout(this.serverWait);
		this.remote.destroy();
		this.local.destroy();
		this.doc.destroy();
	}
}
