// The server connection of one doc (stock y-websocket provider) and its honest sync state.
//
// "saved" means the server has every local change on disk. The client counts the sync updates it
// sends on a connection and the server acknowledges each once it is in SQLite (saved-acks.ts).
// Until the count matches, the badge does not say "saved". The local edits not yet confirmed are
// counted per tab and recorded on the device (unsent.ts), so a reload while offline still knows
// they wait, and a device copy that lost them says so instead of "saved".
import { WebsocketProvider } from 'y-websocket';
import type * as Y from 'yjs';
import { holdPageLock, openPages, PAGE_ID } from './page-lock.ts';
import { ACKS_PARAM, CLOSE, SYNC_PATH } from './protocol.ts';
import { Reconnector, refusalOf, type Refusal } from './reconnect.ts';
import { countingSocket, SavedAcks } from './saved-acks.ts';
import { onServerAnswered, serverAnswered } from './server-answered.ts';
import {
	addLost,
	forgetLost,
	LOST_PREFIX,
	lostCount,
	lostEdits,
	recheckLost,
	UnsentEdits,
	type KeyValueStore
} from './unsent.ts';

/**
 * `login`: the session ended (4401); `refused`: see RemoteSync.refused; `lost`: see
 * RemoteSync.lost.
 */
export type SyncState =
	'offline' | 'connecting' | 'unsaved' | 'saved' | 'login' | 'refused' | 'lost';

function deviceStorage(): KeyValueStore | null {
	try {
		return globalThis.localStorage ?? null;
	} catch {
		return null; // storage disabled: counts stay in memory
	}
}

export function syncUrl(): string {
	const { protocol, host } = window.location;
	return `${protocol === 'https:' ? 'wss:' : 'ws:'}//${host}${SYNC_PATH}`;
}

export class RemoteSync {
	readonly provider: WebsocketProvider;
	/**
	 * Local edits of this tab the server has not confirmed yet: made here, or left on the device by
	 * a tab that is gone (this one before a reload, a closed one) and found in the device copy.
	 */
	pending = $state(0);
	/**
	 * Unsent edits the device had recorded but its copy of the doc lacks (its IndexedDB was cleared
	 * or damaged): never on the server. Shown in every tab of the doc until the user has read it.
	 */
	lost = $state(0);
	connected = $state(false);
	synced = $state(false);
	failures = $state(0);
	online = $state(typeof navigator === 'undefined' ? true : navigator.onLine);
	lastSavedAt = $state<number | null>(null);
	/** The server ended our session (4401): edits stay on the device until the user logs in. */
	loginRequired = $state(false);
	/**
	 * The server refused this doc with a 44xx other than 4401 (malformed change, no access, no such
	 * table, table full). It would refuse every new attempt the same way, so the client stops
	 * trying and shows why; edits stay on the device. reconnect() tries once more.
	 */
	refused = $state.raw<{ code: number; reason: Refusal } | null>(null);
	/** Viewers cannot write: their badge only says whether they see the server's state. */
	readonly = $state(false);
	/** The server has confirmed on disk, on this connection, everything the doc holds. */
	private confirmed = $state(false);
	private readonly acks: SavedAcks;
	private readonly reconnector: Reconnector;
	private readonly localOrigin: unknown;
	private readonly unsent: UnsentEdits;
	private readonly storage = deviceStorage();
	private readonly stopListening: () => void;
	private destroyed = false;

	readonly state: SyncState = $derived.by(() => {
		// Before `offline`: back on the network, the server would still refuse, and the user should
		// know that now rather than read it as a network problem.
		if (this.refused) return 'refused';
		if (this.loginRequired) return 'login';
		if (!this.online) return 'offline';
		if (!this.connected) return this.failures > 0 ? 'offline' : 'connecting';
		if (!this.synced) return 'connecting';
		// Before `saved`: the user must know that edits counted here never reached the server.
		if (this.lost > 0) return 'lost';
		if (this.readonly) return 'saved';
		if (this.pending > 0) return 'unsaved';
		// Synced, with no edit of ours waiting: saved once the server confirms what we sent it.
		return this.confirmed ? 'saved' : 'connecting';
	});

	constructor(
		readonly docId: string,
		readonly doc: Y.Doc,
		options: { url?: string; localOrigin?: unknown } = {}
	) {
		this.localOrigin = options.localOrigin;
		holdPageLock();
		this.unsent = new UnsentEdits(docId, PAGE_ID, this.storage);
		this.lost = lostCount(lostEdits(docId, this.storage));
		this.provider = new WebsocketProvider(options.url ?? syncUrl(), docId, doc, {
			WebSocketPolyfill: countingSocket(WebSocket),
			disableBc: true,
			params: { [ACKS_PARAM]: '1' },
			// Reconnection is ours (jitter, immediate retry when back online): see reconnect.ts.
			shouldReconnect: () => false
		});
		this.reconnector = new Reconnector(() => {
			if (this.mayConnect) this.provider.connect();
		});
		this.acks = new SavedAcks(this.provider, () => this.checkSaved());
		this.provider.on('status', this.onStatus);
		this.provider.on('sync', this.onSync);
		this.provider.on('connection-close', this.onClose);
		this.provider.on('closed', this.onClosed);
		doc.on('afterTransaction', this.onTransaction);
		window.addEventListener('online', this.onOnline);
		window.addEventListener('offline', this.onOffline);
		window.addEventListener('pagehide', this.onPageHide);
		window.addEventListener('pageshow', this.onPageShow);
		window.addEventListener('storage', this.onStorage);
		document.addEventListener('visibilitychange', this.onVisible);
		// Another connection of the page got through (or the top bar's check): the server is back.
		this.stopListening = onServerAnswered(() => {
			if (this.online) this.reconnector.now();
		});
	}

	private readonly onStatus = ({ status }: { status: string }) => {
		this.connected = status === 'connected';
		// A new connection (or none): nothing is confirmed on it yet.
		this.confirmed = false;
		if (this.connected) {
			this.failures = 0;
		}
	};

	private readonly onSync = (isSynced: boolean) => {
		this.synced = isSynced;
		if (isSynced) {
			this.reconnector.succeeded();
			// The server took this connection and answered it (not only opened it, which it does
			// before closing one it refuses with 1013 or 1011): the others need not wait either.
			serverAnswered();
			// Edits the device lost may have reached the server before: then they are not lost.
			if (this.lost > 0) this.lost = lostCount(recheckLost(this.docId, this.doc, this.storage));
		} else {
			this.confirmed = false;
		}
		this.checkSaved();
	};

	private readonly onClose = (event: CloseEvent | null) => {
		this.connected = false;
		this.synced = false;
		this.failures++;
		// The provider does not retry 44xx closes; after a new login, reconnect() starts again.
		if (event?.code === CLOSE.unauthorized) this.loginRequired = true;
	};

	/** The provider gave up on this socket (every close, since shouldReconnect says no). */
	private readonly onClosed = ({ code }: { code: number }) => {
		// 44xx: the server refused us; retrying would only be refused again. 4401 is loginRequired.
		if (code >= 4400 && code < 4500) {
			const reason = refusalOf(code);
			if (reason) this.refused = { code, reason };
			return;
		}
		if (this.online) this.reconnector.schedule(code);
	};

	private get mayConnect(): boolean {
		return !this.destroyed && !this.loginRequired && !this.refused && !this.connected;
	}

	/** After logging in again, or when the user asks to try a refused doc again: connect now. */
	reconnect(): void {
		this.loginRequired = false;
		this.refused = null;
		this.reconnector.cancel();
		if (this.mayConnect) this.provider.connect();
	}

	/** Its listeners of the doc's 'update' event: the provider's (the count uses another event). */
	get updateListeners(): readonly unknown[] {
		return [this.provider._updateHandler];
	}

	private readonly onTransaction = (tr: Y.Transaction) => {
		// Updates from the server are on its disk already; IndexedDB replays are reviewed once
		// loaded (reviewDeviceCopy). A viewer's changes are never sent: the server takes none.
		const origin = tr.origin;
		if (origin === this.provider || (origin === this.localOrigin && origin !== undefined)) return;
		if (this.readonly || !this.unsent.note(tr)) return;
		this.confirmed = false;
		this.pending = this.unsent.count;
	};

	/**
	 * Once the device copy (IndexedDB) is in the doc: takes over the unsent edits of tabs that are
	 * gone (this tab before a reload, a closed tab) found in it, and notes those it lacks as lost.
	 */
	async reviewDeviceCopy(): Promise<void> {
		const open = await openPages();
		if (this.destroyed) return;
		const lost = this.unsent.review(this.doc, open, {
			confirmed: this.acks.allSaved,
			adopt: !this.readonly
		});
		addLost(this.docId, lost, this.storage);
		this.lost = lostCount(lostEdits(this.docId, this.storage));
		if (this.lost > 0 && this.synced) {
			this.lost = lostCount(recheckLost(this.docId, this.doc, this.storage));
		}
		this.pending = this.unsent.count;
	}

	/** The user has read the loss notice: the badge may say saved again. */
	acknowledgeLoss(): void {
		forgetLost(this.docId, this.storage);
		this.lost = 0;
	}

	private checkSaved(): void {
		if (!this.acks.allSaved) return;
		this.unsent.confirm();
		this.pending = this.unsent.count;
		this.confirmed = true;
		this.lastSavedAt = Date.now();
	}

	/** Another tab noted or dismissed a loss of this doc. */
	private readonly onStorage = (event: StorageEvent) => {
		if (event.key === LOST_PREFIX + this.docId || event.key === null) {
			this.lost = lostCount(lostEdits(this.docId, this.storage));
		}
	};

	private readonly onPageHide = () => this.unsent.close();

	private readonly onPageShow = (event: PageTransitionEvent) => {
		if (event.persisted) this.unsent.reopen();
	};

	private readonly onOnline = () => {
		this.online = true;
		// Do not wait for the back-off: the network is back now.
		this.reconnector.cancel();
		if (this.mayConnect) this.provider.connect();
	};

	private readonly onVisible = () => {
		if (document.visibilityState === 'visible' && this.online) this.reconnector.now();
	};

	private readonly onOffline = () => {
		this.online = false;
		// A lost network can leave a socket hanging until the next ping: close it now, so edits made
		// from here on wait in IndexedDB and are sent by the sync step on reconnection.
		this.provider.disconnect();
	};

	destroy(): void {
		if (this.destroyed) return;
		this.destroyed = true;
		window.removeEventListener('online', this.onOnline);
		window.removeEventListener('offline', this.onOffline);
		window.removeEventListener('pagehide', this.onPageHide);
		window.removeEventListener('pageshow', this.onPageShow);
		window.removeEventListener('storage', this.onStorage);
		document.removeEventListener('visibilitychange', this.onVisible);
		this.stopListening();
		this.reconnector.cancel();
		this.doc.off('afterTransaction', this.onTransaction);
		// What it counted is in IndexedDB: the next session of the doc takes it over.
		this.unsent.close();
		this.provider.destroy();
	}
}
