// A room's presence (y-protocols awareness): who owns which state, and the batches it is sent in.
//
// Real changes are gathered for PRESENCE_TICK_MS and sent in one message; renewals (a client
// re-sends its unchanged state every 15 s so that it does not time out after 30 s) go out once
// every renewMs, in one message.
import * as awarenessProtocol from 'y-protocols/awareness';
import type * as Y from 'yjs';
import { readAwarenessUpdate, readPresenceState, type AwarenessEntry } from '../update-guard.ts';
import type { Logger } from '../log.ts';
import type { Connection } from './connection.ts';
import { MAX_PRESENCE_IDS } from './limits.ts';
import { encodePresence, presenceMessage } from './messages.ts';
import { clientOf, FROM_RELAY } from './origins.ts';

/** Presence changes are gathered for this long, then sent in one message. */
const PRESENCE_TICK_MS = 50;
/**
 * How often renewed presence states are sent on, by default. Clients renew every 15 to 18 s and
 * drop a state not renewed for 30 s: a peer hears of renewals at most 23 s apart.
 */
export const PRESENCE_RENEW_MS = 5_000;
/**
 * A removed state's clock is kept until this many renewal periods after its last update (30 s by
 * default, as long as a client keeps a state nobody renewed), then forgotten: y-protocols keeps
 * every id it ever saw, and a connection that claims four ids and removes them again, twenty
 * times a second, grew a loaded room by 40 entries a second for as long as it stayed loaded.
 */
const FORGET_AFTER_RENEWALS = 6;
/** Colour of a presence state that gave none (the app's second colour). */
const DEFAULT_COLOUR = '#2e86ab';

interface AwarenessChanges {
	added: number[];
	updated: number[];
	removed: number[];
}

export interface PresenceContext {
	roomId: string;
	log: Logger;
	/** The room's connections, to send batches to. */
	connections(): Iterable<Connection>;
	/** Wraps a timer's callback so that a throw closes the room, not the process. */
	guarded<A extends unknown[]>(fn: (...args: A) => void): (...args: A) => void;
	renewMs: number;
	/** Sends a batch of this process's clients' presence to the other processes (cluster mode). */
	publish?: (update: Uint8Array) => void;
}

export class Presence {
	readonly awareness: awarenessProtocol.Awareness;
	/** Presence ids changed since the last tick, and renewed since the last renewal message. */
	private readonly changed = new Set<number>();
	private readonly renewed = new Set<number>();
	private tick: ReturnType<typeof setTimeout> | null = null;
	private readonly renewTimer: ReturnType<typeof setInterval>;
	/**
	 * Which connection controls each presence id, or another process (FROM_RELAY): nobody else
	 * may set or remove it.
	 */
	private readonly owners = new Map<number, Connection | typeof FROM_RELAY>();
	/** Ids of this process's clients changed or renewed since their batch: what is published. */
	private readonly localChanged = new Set<number>();
	private readonly localRenewed = new Set<number>();

	constructor(
		doc: Y.Doc,
		private readonly context: PresenceContext
	) {
		this.guardedChanges = context.guarded(this.sendChanges);
		this.awareness = new awarenessProtocol.Awareness(doc);
		this.awareness.setLocalState(null);
		this.awareness.on('update', this.onUpdate);
		this.awareness.on('change', this.onChange);
		this.renewTimer = setInterval(context.guarded(this.sendRenewals), context.renewMs);
		this.renewTimer.unref();
	}

	/** Every state, for a connection that joins or asks. */
	all(): Uint8Array | undefined {
		const ids = Array.from(this.awareness.getStates().keys());
		return ids.length > 0 ? presenceMessage(this.awareness, ids) : undefined;
	}

	/**
	 * A presence message carries the sender's own states and, from the stock client, every change
	 * it heard of from others. Only states the connection owns (or claims, up to MAX_PRESENCE_IDS)
	 * are applied; the rest is dropped without closing anyone. The user in each state is the
	 * session's, whatever the client wrote.
	 */
	receive(conn: Connection, update: Uint8Array): void {
		const warn = (key: string, message: string) =>
			conn.warnOnce(this.context.log, this.context.roomId, key, message);
		const entries = readAwarenessUpdate(update);
		if (!entries) {
			warn('presence-entries', 'presence message naming too many clients dropped');
			return;
		}
		const accepted: AwarenessEntry[] = [];
		let claimed = this.idsOf(conn).length;
		for (const entry of entries) {
			const owner = this.owners.get(entry.id);
			if (owner && owner !== conn) continue; // someone else's state, echoed or forged
			if (!owner) {
				if (entry.state === 'null') continue; // nothing to remove
				if (claimed >= MAX_PRESENCE_IDS) {
					warn('awareness-ids', 'too many presence ids on one connection');
					continue;
				}
				claimed++;
			}
			const state = stamp(conn, entry.state);
			if (state === undefined) {
				warn('presence-state', 'malformed presence state dropped');
				continue;
			}
			accepted.push({ ...entry, state });
		}
		if (accepted.length === 0) return;
		if (!conn.presenceTokens.take()) {
			warn('awareness-rate', 'presence messages over the rate limit dropped');
			return;
		}
		awarenessProtocol.applyAwarenessUpdate(this.awareness, encodePresence(accepted), conn);
	}

	/**
	 * A batch of another process's clients' presence: applied, sent on to this process's clients
	 * in the next batch, never published again. A process that dies stops renewing its states,
	 * and they time out here as a client's do.
	 */
	receiveRemote(update: Uint8Array): void {
		const entries = readAwarenessUpdate(update);
		if (!entries) return;
		const accepted: AwarenessEntry[] = [];
		for (const entry of entries) {
			const owner = this.owners.get(entry.id);
			if (owner && owner !== FROM_RELAY) continue; // a client of this process has it
			if (entry.state !== 'null') this.owners.set(entry.id, FROM_RELAY);
			accepted.push(entry);
		}
		if (accepted.length > 0)
			awarenessProtocol.applyAwarenessUpdate(this.awareness, encodePresence(accepted), FROM_RELAY);
	}

	/** Removes the states of a connection that left. */
	leave(conn: Connection): void {
		const ids = this.idsOf(conn);
		if (ids.length > 0) awarenessProtocol.removeAwarenessStates(this.awareness, ids, null);
	}

	/** The presence ids a connection controls (removed when it closes). */
	private idsOf(conn: Connection): number[] {
		const ids: number[] = [];
		for (const [id, owner] of this.owners) if (owner === conn) ids.push(id);
		return ids;
	}

	/** Every presence message, renewals included: who controls which id, and who renewed. */
	private readonly onUpdate = ({ added, updated, removed }: AwarenessChanges, origin: unknown) => {
		const conn = clientOf(origin);
		if (conn) {
			// A state set again after its removal comes as `updated` (y-protocols keeps its clock).
			for (const id of added.concat(updated)) this.owners.set(id, conn);
		}
		// Removed by its owner, by its owner leaving, or timed out: anyone may claim the id again.
		for (const id of removed) this.owners.delete(id);
		for (const id of updated) this.renewed.add(id);
		if (conn) for (const id of updated) this.localRenewed.add(id);
	};

	/** Real changes (a state added, changed or removed): sent at the next tick. */
	private readonly onChange = ({ added, updated, removed }: AwarenessChanges, origin: unknown) => {
		for (const id of added.concat(updated, removed)) this.changed.add(id);
		// A client's own change, or its states removed as it left (origin null); not a timeout.
		if (clientOf(origin) || origin === null)
			for (const id of added.concat(updated, removed)) this.localChanged.add(id);
		this.tick ??= setTimeout(this.guardedChanges, PRESENCE_TICK_MS);
	};

	/** One message for every change of the last tick (a client ignores its own state). */
	private readonly guardedChanges: () => void;

	private readonly sendChanges = (): void => {
		this.tick = null;
		const ids = Array.from(this.changed);
		this.changed.clear();
		for (const id of ids) this.renewed.delete(id);
		if (ids.length > 0) this.broadcast(ids);
		const local = Array.from(this.localChanged);
		this.localChanged.clear();
		for (const id of local) this.localRenewed.delete(id);
		this.publish(local);
	};

	/** The clocks of all states renewed since the last renewal message, in one message. */
	private readonly sendRenewals = (): void => {
		this.forgetRemoved();
		const states = this.awareness.getStates();
		const ids = Array.from(this.renewed).filter((id) => states.has(id));
		this.renewed.clear();
		if (ids.length > 0) this.broadcast(ids);
		const local = Array.from(this.localRenewed).filter((id) => states.has(id));
		this.localRenewed.clear();
		this.publish(local);
	};

	/** Forgets the clocks of ids removed long enough ago that no message of theirs is late. */
	private forgetRemoved(): void {
		const states = this.awareness.getStates();
		const before = Date.now() - FORGET_AFTER_RENEWALS * this.context.renewMs;
		for (const [id, meta] of this.awareness.meta) {
			const gone = !states.has(id) && !this.owners.has(id) && id !== this.awareness.clientID;
			if (gone && meta.lastUpdated < before) this.awareness.meta.delete(id);
		}
	}

	/** This process's clients' states of `ids`, to the other processes. */
	private publish(ids: number[]): void {
		if (ids.length === 0 || !this.context.publish) return;
		this.context.publish(awarenessProtocol.encodeAwarenessUpdate(this.awareness, ids));
	}

	/**
	 * Sends the states of `ids` to every connection but those whose own states are all it has and
	 * which know them already. A removal goes to its owner too: the server timed the state out,
	 * and y-protocols answers its own removal by sending its state again.
	 */
	private broadcast(ids: number[]): void {
		const message = presenceMessage(this.awareness, ids);
		const states = this.awareness.getStates();
		const removal = ids.some((id) => !states.has(id));
		for (const conn of this.context.connections()) {
			if (removal || !ids.every((id) => this.owners.get(id) === conn)) conn.send(message);
		}
	}

	destroy(): void {
		// The other processes hear at once that this one's clients are gone (shutdown, a failed
		// room), rather than seeing them until they time out.
		const local = Array.from(this.owners)
			.filter(([, owner]) => owner !== FROM_RELAY)
			.map(([id]) => id);
		if (this.context.publish && local.length > 0) {
			awarenessProtocol.removeAwarenessStates(this.awareness, local, null);
			this.publish(local);
		}
		// Listeners off first: destroying the awareness emits the removal of its own state.
		this.awareness.off('update', this.onUpdate);
		this.awareness.off('change', this.onChange);
		clearInterval(this.renewTimer);
		if (this.tick) clearTimeout(this.tick);
		this.awareness.destroy();
	}
}

/** The state with the session's user in it, or undefined when it is not a bounded JSON object. */
function stamp(conn: Connection, json: string): string | undefined {
	const state = readPresenceState(json);
	if (state === null) return json; // a removal
	if (state === undefined) return undefined;
	const claimed = state.user as { colour?: unknown } | undefined;
	const colour =
		typeof claimed?.colour === 'string' && /^#[0-9a-fA-F]{6}$/.test(claimed.colour)
			? claimed.colour
			: DEFAULT_COLOUR;
	const { displayName, role } = conn.user;
	return JSON.stringify({ ...state, user: { name: displayName, colour, role } });
}
