// One open doc: the Y.Doc, its device copy (IndexedDB) and its server connection.
import * as Y from 'yjs';
import { openLocal, type LocalCopy } from './local.ts';
import { providerSends, quietReplays } from './quiet-replay.ts';
import { RemoteSync } from './remote.svelte.ts';

export class DocSession {
	readonly doc = new Y.Doc();
	readonly local: LocalCopy;
	readonly remote: RemoteSync;
	/** True once the device copy is loaded or the server has sent the doc. */
	loaded = $state(false);
	private destroyed = false;

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
		this.remote.provider.once('sync', () => (this.loaded = true));
	}

	destroy(): void {
		if (this.destroyed) return;
		this.destroyed = true;
		this.remote.destroy();
		this.local.destroy();
		this.doc.destroy();
	}
}
