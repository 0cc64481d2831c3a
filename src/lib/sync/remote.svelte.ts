// The server connection of one doc (stock y-websocket provider) and its honest sync state.
//
// "saved" means the server has every local change on disk. The client counts the sync updates it
// sends on a connection and the server acknowledges each once it is in SQLite (saved-acks.ts).
// Until the count matches, the badge says
// "unsaved"; the number of local edits not yet confirmed is kept in localStorage, so a reload while
// offline still knows they wait.
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { ACKS_PARAM, CLOSE, SYNC_PATH } from './protocol.ts';
import { Reconnector, refusalOf, type Refusal } from './reconnect.ts';
import { countingSocket, SavedAcks } from './saved-acks.ts';

/** `login`: the session ended (4401); `refused`: see RemoteSync.refused. */
export type SyncState = 'offline' | 'connecting' | 'unsaved' | 'saved' | 'login' | 'refused';

function pendingKey(docId: string): string {
	return `shinko:pending:${docId}`;
}

function readPending(docId: string): number {
	const n = Number(globalThis.localStorage?.getItem(pendingKey(docId)) ?? 0);
	return Number.isFinite(n) && n > 0 ? n : 0;
}

function writePending(docId: string, n: number): void {
	try {
		if (n > 0) localStorage.setItem(pendingKey(docId), String(n));
		else localStorage.removeItem(pendingKey(docId));
	} catch {
		// Private mode or quota: the count is a nicety, the edits themselves are in IndexedDB.
	}
}

export function syncUrl(): string {
	const { protocol, host } = window.location;
	return `${protocol === 'https:' ? 'wss:' : 'ws:'}//${host}${SYNC_PATH}`;
}

export class RemoteSync {
	readonly provider: WebsocketProvider;
	/** Local edits the server has not confirmed yet (this session and earlier ones). */
	pending = $state(0);
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
	private readonly acks: SavedAcks;
	private readonly reconnector: Reconnector;
	private readonly localOrigin: unknown;
	private destroyed = false;

	readonly state: SyncState = $derived.by(() => {
		// Before `offline`: back on the network, the server would still refuse, and the user should
		// know that now rather than read it as a network problem.
		if (this.refused) return 'refused';
		if (this.loginRequired) return 'login';
		if (!this.online) return 'offline';
		if (!this.connected) return this.failures > 0 ? 'offline' : 'connecting';
		if (!this.synced) return 'connecting';
		if (this.readonly) return 'saved';
		return this.pending > 0 ? 'unsaved' : 'saved';
	});

	constructor(
		readonly docId: string,
		readonly doc: Y.Doc,
		options: { url?: string; localOrigin?: unknown } = {}
	) {
		this.localOrigin = options.localOrigin;
		this.pending = readPending(docId);
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
		doc.on('update', this.onUpdate);
		window.addEventListener('online', this.onOnline);
		window.addEventListener('offline', this.onOffline);
		document.addEventListener('visibilitychange', this.onVisible);
	}

	private readonly onStatus = ({ status }: { status: string }) => {
		this.connected = status === 'connected';
		if (this.connected) {
			this.failures = 0;
		}
	};

	private readonly onSync = (isSynced: boolean) => {
		this.synced = isSynced;
		if (isSynced) this.reconnector.succeeded();
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

	/** Its listeners of the doc's 'update' event: the provider's, and the unsaved-edits count. */
	get updateListeners(): readonly unknown[] {
		return [this.provider._updateHandler, this.onUpdate];
	}

	private readonly onUpdate = (_update: Uint8Array, origin: unknown) => {
		// Updates from the server are on its disk already; IndexedDB replays were counted before.
		if (origin === this.provider || (origin === this.localOrigin && origin !== undefined)) return;
		this.pending++;
		writePending(this.docId, this.pending);
	};

	private checkSaved(): void {
		if (!this.acks.allSaved) return;
		if (this.pending > 0) {
			this.pending = 0;
			writePending(this.docId, 0);
		}
		this.lastSavedAt = Date.now();
	}

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
		document.removeEventListener('visibilitychange', this.onVisible);
		this.reconnector.cancel();
		this.doc.off('update', this.onUpdate);
		this.provider.destroy();
	}
}
