// The device copy of a doc: y-indexeddb, so every change is in IndexedDB and survives offline.
import { IndexeddbPersistence } from 'y-indexeddb';
import type * as Y from 'yjs';

export const LOCAL_DB_PREFIX = 'shinko:';

export interface LocalCopy {
	/** Resolves once the stored state is loaded into the doc. */
	whenLoaded: Promise<void>;
	/** The transaction origin of updates replayed from IndexedDB. */
	origin: unknown;
	destroy(): void;
}

export function openLocal(docId: string, doc: Y.Doc): LocalCopy {
	const persistence = new IndexeddbPersistence(LOCAL_DB_PREFIX + docId, doc);
	let destroyed = false;
	return {
		whenLoaded: persistence.whenSynced.then(() => undefined),
		origin: persistence,
		destroy() {
			if (destroyed) return;
			destroyed = true;
			void persistence.destroy();
		}
	};
}
