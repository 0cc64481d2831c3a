// The device copy of a doc: y-indexeddb, so every change is in IndexedDB and survives offline.
import { IndexeddbPersistence, PREFERRED_TRIM_SIZE, storeState } from 'y-indexeddb';
import type * as Y from 'yjs';
import { whenIdle } from '../idle.ts';

export const LOCAL_DB_PREFIX = 'shinko:';
/** The last known user, in localStorage: the device's tables open with it before the server answers. */
export const USER_KEY = 'shinko:user';

export interface LocalCopy {
	/** Resolves once the stored state is loaded into the doc. */
	whenLoaded: Promise<void>;
	/** The transaction origin of updates replayed from IndexedDB. */
	origin: unknown;
	/** Its listener of the doc's 'update' event. */
	updateListener: unknown;
	destroy(): void;
}

export function openLocal(docId: string, doc: Y.Doc): LocalCopy {
	const persistence = new IndexeddbPersistence(LOCAL_DB_PREFIX + docId, doc);
	let destroyed = false;
	const whenLoaded = persistence.whenSynced.then(() => undefined);
	// y-indexeddb merges its stored updates into one only when it next stores an update, so a device
	// that only reads would replay thousands of them at every start: merge them once loaded.
	void whenLoaded.then(() => {
		const compact = () => {
			// The rows are counted just after the load, so the count is known by now.
			if (destroyed || persistence._dbsize < PREFERRED_TRIM_SIZE) return;
			try {
				storeState(persistence, false).catch(() => {});
			} catch {
				// closed meanwhile: the next start merges them
			}
		};
		whenIdle(compact);
	});
	return {
		whenLoaded,
		origin: persistence,
		updateListener: persistence._storeUpdate,
		destroy() {
			if (destroyed) return;
			destroyed = true;
			void persistence.destroy();
		}
	};
}
