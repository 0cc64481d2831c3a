// Who made a change to a room's doc: the transaction origins the room tells apart.
import type { Connection } from './connection.ts';

/** Updates read back from the store (written by another process or the CLI): not stored again. */
export const FROM_STORE = { origin: 'store' } as const;
/** The server's own time stamps on what clients wrote (see Room.stampAccepted). */
export const SERVER_STAMP = { origin: 'stamp' } as const;
/** Presence of another process's clients (cluster mode's relay): never published again. */
export const FROM_RELAY = { origin: 'relay' } as const;
/** What the server writes for a user through its HTTP API (a viewer's comment, Room.applyOwn). */
export const FROM_API = { origin: 'api' } as const;

export type Origin =
	Connection | typeof FROM_STORE | typeof SERVER_STAMP | typeof FROM_RELAY | typeof FROM_API;

/** The connection a transaction came from, if a client's. */
export function clientOf(origin: unknown): Connection | undefined {
	return (origin as Partial<Origin> | null)?.origin === 'client'
		? (origin as Connection)
		: undefined;
}
