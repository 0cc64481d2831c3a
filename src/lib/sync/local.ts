// The device copy of a doc, in IndexedDB, so every change survives offline and a reload.
//
// The format is y-indexeddb's (database `shinko:<docId>`, an `updates` store of Yjs updates under
// auto-increment keys, and a `custom` store), so devices keep the copies y-indexeddb wrote. The
// loader is ours: y-indexeddb applies every stored row in one Yjs transaction, one task of
// 300–450 ms for a copy of 10,000 rows, and has no option to do otherwise. Here the rows are
// applied in slices of about SLICE_MS, one transaction and one task each, and merged into one row
// only once all of them are in the doc (see `merge`).
import * as Y from 'yjs';
import { nextTurn, whenIdle } from '../idle.ts';

export const LOCAL_DB_PREFIX = 'shinko:';
/** The last known user, in localStorage: the device's tables open with it before the server answers. */
export const USER_KEY = 'shinko:user';

const UPDATES = 'updates';
const CUSTOM = 'custom';
/** Stored rows from which they are merged into one (y-indexeddb's PREFERRED_TRIM_SIZE). */
export const MERGE_AT = 500;
/** The pause in storing updates after which they are merged, once there are MERGE_AT. */
const MERGE_DELAY_MS = 1000;
/** Time spent applying stored rows in one task; one row (the merged state) may take longer. */
const SLICE_MS = 20;

export interface LocalCopy {
	/** Resolves once the stored state is loaded into the doc; rejects when IndexedDB fails. */
	whenLoaded: Promise<void>;
	/** The transaction origin of updates replayed from IndexedDB. */
	origin: unknown;
	/** Its listener of the doc's 'update' event. */
	updateListener: unknown;
	destroy(): void;
}

class DeviceCopy implements LocalCopy {
	readonly whenLoaded: Promise<void>;
	private db: IDBDatabase | null = null;
	/** Rows with a key below this one are in the doc. */
	private inDoc = 0;
	/** Rows in the store, as far as this copy knows (other tabs add theirs). */
	private rows = 0;
	private mergeTimer: ReturnType<typeof setTimeout> | undefined;
	private cancelSlice: (() => void) | undefined;
	private cancelIdle: (() => void) | undefined;
	private loaded = false;
	private destroyed = false;
	private readonly opened: Promise<IDBDatabase>;

	constructor(
		readonly name: string,
		private readonly doc: Y.Doc
	) {
		this.opened = openDatabase(name);
		this.whenLoaded = this.opened.then((db) => this.load(db));
		// Not an unhandled rejection: whoever waits for the load is told.
		this.whenLoaded.catch(() => {});
		doc.on('update', this.storeUpdate);
		doc.on('destroy', this.destroy);
	}

	get origin(): unknown {
		return this;
	}

	get updateListener(): unknown {
		return this.storeUpdate;
	}

	private async load(db: IDBDatabase): Promise<void> {
		if (this.destroyed) return never();
		// Another tab deletes the database (a shared tablet's logout): let it, and store no more.
		db.onversionchange = () => {
			db.close();
			this.db = null;
		};
		db.onclose = () => (this.db = null);
		const store = updatesOf(db);
		// From here on every update is stored as a row of its own; what the doc held before (an
		// edit or the server's state, come before the database opened) is stored as one row now.
		this.db = db;
		const stored = (await done(store.getAll())) as Uint8Array[];
		this.rows += stored.length;
		try {
			const own = await done(store.add(Y.encodeStateAsUpdate(this.doc)));
			// Keys only grow, so every row read is below the one just added. Not above it: should the
			// transaction abort as it commits, its key is given again, to another tab's row maybe.
			this.inDoc = Number(own);
			this.rows++;
		} catch (error) {
			// The stored rows are applied all the same; a merge reads them again (inDoc is 0).
			storageFailed(error);
		}
		await this.apply(stored);
		this.loaded = true;
		// Merged once idle, not before the table is drawn.
		this.cancelIdle = whenIdle(() => {
			if (this.rows >= MERGE_AT) this.merge().catch(storageFailed);
		});
	}

	/** Applies the rows in slices, a transaction and a task each. */
	private apply(rows: Uint8Array[]): Promise<void> {
		return new Promise((resolve) => {
			let next = 0;
			const slice = () => {
				this.cancelSlice = undefined;
				if (this.destroyed) return;
				const start = performance.now();
				try {
					Y.transact(
						this.doc,
						() => {
							do {
								const row = rows[next++];
								if (row) applyRow(this.doc, row);
							} while (next < rows.length && performance.now() - start < SLICE_MS);
						},
						this,
						false
					);
				} catch (error) {
					// An observer of the doc failed: the rows are in, and so shall the rest be.
					console.error('Shinko: loading the device copy', error);
				}
				if (next < rows.length) this.cancelSlice = nextTurn(slice);
				else resolve();
			};
			if (rows.length === 0) resolve();
			else slice();
		});
	}

	/**
	 * Merges the stored rows into one, as y-indexeddb does: in one IndexedDB transaction, the rows
	 * added since the load (this tab's, already in the doc, and other tabs') are applied, the doc's
	 * whole state is added, and the rows it holds are deleted. Only after the load: before it, rows
	 * read but not yet applied would be deleted with the rest.
	 */
	private async merge(): Promise<void> {
		const db = this.db;
		if (!db || this.destroyed) return;
		const store = updatesOf(db);
		const later = await done(store.getAll(IDBKeyRange.lowerBound(this.inDoc)));
		if (later.length > 0) {
			Y.transact(
				this.doc,
				() => {
					for (const row of later) applyRow(this.doc, row as Uint8Array);
				},
				this,
				false
			);
		}
		const last = await lastKey(store);
		await done(store.add(Y.encodeStateAsUpdate(this.doc)));
		this.inDoc = Number(last) + 1;
		await done(store.delete(IDBKeyRange.upperBound(this.inDoc, true)));
		this.rows = await done(store.count());
	}

	private readonly storeUpdate = (update: Uint8Array, origin: unknown) => {
		if (!this.db || origin === this || this.destroyed) return;
		// Never a throw from here: Yjs would stop calling the doc's observers and listeners.
		try {
			done(updatesOf(this.db).add(update)).catch(storageFailed);
		} catch (error) {
			// The connection was closed under us (the browser's, or a deleted database).
			storageFailed(error);
			this.db = null;
			return;
		}
		if (++this.rows < MERGE_AT) return;
		clearTimeout(this.mergeTimer);
		this.mergeTimer = setTimeout(() => {
			// Not while loading: the load merges once it is done.
			if (this.loaded) this.merge().catch(storageFailed);
		}, MERGE_DELAY_MS);
	};

	readonly destroy = (): void => {
		if (this.destroyed) return;
		this.destroyed = true;
		clearTimeout(this.mergeTimer);
		this.cancelSlice?.();
		this.cancelIdle?.();
		this.doc.off('update', this.storeUpdate);
		this.doc.off('destroy', this.destroy);
		// Closes once its transactions are done (a merge under way completes or is not begun).
		this.opened.then(
			(db) => db.close(),
			() => {}
		);
	};
}

// IndexedDB's requests as promises. A promise's reactions run while the request's transaction is
// still active, so a chain of awaits stays in one transaction. (lib0/indexeddb, which y-indexeddb
// uses, does the same but types its values too narrowly for Uint8Array rows.)

/** An IndexedDB request's result, once it succeeds. */
export function done<T>(request: IDBRequest<T>): Promise<T> {
	return new Promise((resolve, reject) => {
		request.onsuccess = () => resolve(request.result);
		request.onerror = () => reject(request.error ?? new Error('IndexedDB request failed'));
	});
}

/** Opens (and on the first use creates) a doc's database, with y-indexeddb's stores. */
function openDatabase(name: string): Promise<IDBDatabase> {
	try {
		const request = indexedDB.open(name);
		request.onupgradeneeded = () => {
			request.result.createObjectStore(UPDATES, { autoIncrement: true });
			request.result.createObjectStore(CUSTOM);
		};
		return done(request);
	} catch (error) {
		// Storage blocked (no indexedDB, or a SecurityError): the table works from the server.
		return Promise.reject(error instanceof Error ? error : new Error(String(error)));
	}
}

/** The highest key in the store (0 when it is empty). */
async function lastKey(store: IDBObjectStore): Promise<number> {
	const cursor = await done(store.openKeyCursor(null, 'prev'));
	return cursor ? Number(cursor.key) : 0;
}

/** The store of updates, in a transaction of its own. */
function updatesOf(db: IDBDatabase): IDBObjectStore {
	return db.transaction(UPDATES, 'readwrite').objectStore(UPDATES);
}

/** A promise that never settles: the copy was closed while loading, and nobody needs the load. */
function never(): Promise<never> {
	return new Promise(() => {});
}

/** Applies a stored row; one that cannot be read is left in the store and the rest applied. */
function applyRow(doc: Y.Doc, row: Uint8Array): void {
	try {
		Y.applyUpdate(doc, row);
	} catch (error) {
		console.error('Shinko: a stored update could not be applied', error);
	}
}

function storageFailed(error: unknown): void {
	// The edit is in the doc and goes to the server; only the device's copy lacks it.
	console.error('Shinko: IndexedDB refused a write', error);
}

export function openLocal(docId: string, doc: Y.Doc): LocalCopy {
	return new DeviceCopy(LOCAL_DB_PREFIX + docId, doc);
}
