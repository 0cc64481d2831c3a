// Wire constants shared by the server and the client: the standard y-websocket message types plus
// Shinko's close codes. Pure data, no DOM and no Node.

export const PROTOCOL_VERSION = 1;

export const MESSAGE = {
	sync: 0,
	awareness: 1,
	auth: 2,
	queryAwareness: 3,
	/**
	 * Shinko's extension, sent only to clients that ask with `?acks=1`: "every sync update or step 2
	 * you sent on this connection, up to number N, is on disk". A state vector cannot say this,
	 * since a deletion does not advance it. Stock y-websocket clients never receive it.
	 */
	savedAck: 4
} as const;

export const ACKS_PARAM = 'acks';
export type MessageType = (typeof MESSAGE)[keyof typeof MESSAGE];

export const CLOSE = {
	/** Message above the size limit (the `ws` library closes with it by itself). */
	tooLarge: 1009,
	/** The server could not write to its store: nothing of it was relayed or acknowledged. */
	storeFailed: 1011,
	/**
	 * The connection let more than the server keeps for one reader pile up unread (a stalled or
	 * hostile reader), or asked for the doc or presence too often: reconnect later, with back-off.
	 */
	tryAgainLater: 1013,
	/** A message that failed to decode. */
	malformed: 4400,
	/** No session, or an expired one. */
	unauthorized: 4401,
	/**
	 * Logged in but not allowed: no access to this doc, or an update that says it was made by
	 * someone other than the session's user.
	 */
	forbidden: 4403,
	/** No such table: the doc is not in the list of tables (only admins create new ones). */
	notFound: 4404,
	/** The table reached its size limit (MAX_DOC_BYTES): the server takes no more changes to it. */
	docTooLarge: 4413
} as const;
export type CloseCode = (typeof CLOSE)[keyof typeof CLOSE];

export const SYNC_PATH = '/sync';
