// One client's connection to a room: its socket, what it may send (limits), and which of its
// updates are stored, for its saved-acks.
import type { WebSocket } from 'ws';
import { CLOSE } from '../../src/lib/sync/protocol.ts';
import type { Logger } from '../log.ts';
import type { Role } from '../users.ts';
import {
	AWARENESS_PER_SECOND,
	INBOUND_BURST,
	INBOUND_PER_SECOND,
	MAX_BUFFERED_BYTES,
	QUERY_BURST,
	QUERY_PER_SECOND,
	STEP1_BUDGET,
	STEP1_REFILL,
	TokenBucket
} from './limits.ts';
import { savedAckMessage } from './messages.ts';

export interface ConnectOptions {
	acks: boolean;
	role: Role;
	sessionId: string;
	username: string;
	/** How the app names the user in presence and in marks, comments and changes. */
	displayName: string;
}

/**
 * An update of this connection not yet acknowledged: the room's commit that stores what it
 * brought, or, while parts of it wait for history the room lacks (in memory only), the clock it
 * reaches per client and the end of its deletions per client.
 */
export interface Unsaved {
	/** Its number among the connection's updates (what a saved-ack counts). */
	index: number;
	commit: number | undefined;
	waiting?: Reach;
}

/** What an update reaches: per client, the clock of its structs and the end of its deletions. */
export interface Reach {
	to: Map<number, number>;
	deletes: Map<number, number>;
}

export class Connection {
	/** Transaction origin of what this connection sends (see origins.ts). */
	readonly origin = 'client' as const;
	alive = true;
	/**
	 * Whether the client has sent its sync step 1. Updates are relayed to it from then on; until
	 * then, the answer to that step 1 will carry them.
	 */
	askedForState = false;
	/** Updates (sync update and step 2 messages) received, and the count last acknowledged. */
	updatesReceived = 0;
	savedSent = 0;
	readonly unsaved: Unsaved[] = [];
	readonly readonly: boolean;
	/** Token buckets for what it sends, presence messages, sync step 1 and presence queries. */
	readonly inbound = new TokenBucket(INBOUND_BURST, INBOUND_PER_SECOND);
	readonly presenceTokens = new TokenBucket(AWARENESS_PER_SECOND * 2, AWARENESS_PER_SECOND);
	readonly askStateTokens = new TokenBucket(STEP1_BUDGET, STEP1_REFILL);
	readonly queryTokens = new TokenBucket(QUERY_BURST, QUERY_PER_SECOND);
	/** The largest message sent to it (what it may have buffered beyond MAX_BUFFERED_BYTES). */
	private largestSent = 0;
	private readonly warned = new Set<string>();

	constructor(
		readonly ws: WebSocket,
		readonly user: ConnectOptions,
		/** Whether it may write: viewers may not, nor may non-admins write the list of tables. */
		writable: boolean
	) {
		this.readonly = !writable;
	}

	get open(): boolean {
		return this.ws.readyState === this.ws.OPEN;
	}

	/**
	 * Sends unless the connection has let too much pile up unread: then it is closed (1013, try
	 * again later) and its buffer let go, so a reader that stalls, or never reads, holds a bounded
	 * amount.
	 */
	send(message: Uint8Array): void {
		const ws = this.ws;
		if (ws.readyState !== ws.OPEN) return;
		if (ws.bufferedAmount > MAX_BUFFERED_BYTES + this.largestSent) {
			ws.close(CLOSE.tryAgainLater, 'too much unread');
			// A reader that does not read will not read the close frame either.
			setTimeout(() => ws.terminate(), 1000).unref();
			return;
		}
		if (message.length > this.largestSent) this.largestSent = message.length;
		ws.send(message, (err) => {
			if (err) ws.terminate();
		});
	}

	/** Says how many of its updates are stored, if it asked for saved-acks and that is news. */
	sendSaved(count: number): void {
		if (!this.user.acks || count <= this.savedSent) return;
		this.savedSent = count;
		this.send(savedAckMessage(count));
	}

	/** Stops reading a connection that sent past its budget until it is paid (INBOUND_*). */
	throttle(size: number): void {
		const waitMs = this.inbound.charge(size);
		if (waitMs === 0 || this.ws.isPaused) return;
		this.ws.pause();
		setTimeout(() => this.ws.resume(), waitMs).unref();
	}

	close(code: number, reason: string): void {
		this.ws.close(code, reason);
	}

	warnOnce(log: Logger, room: string, key: string, message: string): void {
		if (this.warned.has(key)) return;
		this.warned.add(key);
		log.warn(message, { room, user: this.user.username });
	}
}
