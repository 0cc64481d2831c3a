// Traffic between server processes on one store (cluster mode): each commit, and presence, go to
// the processes holding the same doc. A relay is only ever the fast path: what it loses, the
// store has (a room reads the rows after the seq it holds whenever it sees a gap, and every
// STORE_POLL_MS anyway), and presence times out.

/** A commit another process made: its rows of one doc, from `prev` (exclusive) to `seq`. */
export interface RelayedCommit {
	docId: string;
	seq: number;
	prev: number;
	/** The rows' updates in order, or null when they were too big to relay: read the store. */
	updates: Uint8Array[] | null;
}

export interface RelayListener {
	commit(commit: RelayedCommit): void;
	/** Another process's clients' update, as its room relayed it (before its commit). */
	update(docId: string, update: Uint8Array): void;
	/** A presence batch (y-protocols awareness update) of another process's clients. */
	presence(docId: string, update: Uint8Array): void;
}

export interface Relay {
	/** Whether the last attempt to reach the relay succeeded (for /healthz). */
	readonly reachable: boolean;
	listen(listener: RelayListener): void;
	/** Starts receiving a doc's commits and presence; resolves once nothing published after it is missed. */
	follow(docId: string): Promise<void>;
	unfollow(docId: string): void;
	/** Sends a commit of this process on (never throws: a relay that is down loses it). */
	publishCommit(commit: RelayedCommit): void;
	/**
	 * Sends this process's clients' updates on as they are relayed here, before their commit, so
	 * that other processes' clients get them as quickly as this one's (only small ones: the rest
	 * cross with their commit).
	 */
	publishUpdate(docId: string, update: Uint8Array): void;
	publishPresence(docId: string, update: Uint8Array): void;
	close(): Promise<void>;
}
