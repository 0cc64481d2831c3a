// The y-websocket protocol's messages, as the server reads and writes them: what a client sends
// is decoded once into a tagged union, and each kind of message the server sends has its encoder.
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { MESSAGE } from '../../src/lib/sync/protocol.ts';
import { UpdateGuardError, type AwarenessEntry } from '../update-guard.ts';

/** A message from a client. Sync step 2 and update both carry an update to apply. */
export type ClientMessage =
	| { kind: 'askState'; stateVector: Uint8Array }
	| { kind: 'update'; update: Uint8Array; step2: boolean }
	| { kind: 'presence'; update: Uint8Array }
	| { kind: 'queryPresence' }
	| { kind: 'auth' };

/** Decodes a client's message; throws an UpdateGuardError for what is not the protocol. */
export function decodeClientMessage(bytes: Uint8Array): ClientMessage {
	const decoder = decoding.createDecoder(bytes);
	const type = decoding.readVarUint(decoder);
	switch (type) {
		case MESSAGE.sync: {
			const subtype = decoding.readVarUint(decoder);
			const payload = decoding.readVarUint8Array(decoder);
			if (subtype === syncProtocol.messageYjsSyncStep1)
				return { kind: 'askState', stateVector: payload };
			if (subtype === syncProtocol.messageYjsSyncStep2 || subtype === syncProtocol.messageYjsUpdate)
				return {
					kind: 'update',
					update: payload,
					step2: subtype === syncProtocol.messageYjsSyncStep2
				};
			throw new UpdateGuardError(`unknown sync message type ${subtype}`);
		}
		case MESSAGE.awareness:
			return { kind: 'presence', update: decoding.readVarUint8Array(decoder) };
		case MESSAGE.queryAwareness:
			return { kind: 'queryPresence' };
		case MESSAGE.auth:
			return { kind: 'auth' };
		default:
			throw new UpdateGuardError(`unknown message type ${type}`);
	}
}

/** How many clients a state vector names (its first number), read without reading the rest. */
export function stateVectorClients(stateVector: Uint8Array): number {
	try {
		return decoding.readVarUint(decoding.createDecoder(stateVector));
	} catch {
		throw new UpdateGuardError('empty state vector');
	}
}

/** A sync update message carrying `update`. */
export function updateMessage(update: Uint8Array): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, MESSAGE.sync);
	syncProtocol.writeUpdate(encoder, update);
	return encoding.toUint8Array(encoder);
}

/** The server's sync step 1: its state vector, asking the client for what it lacks. */
export function askStateMessage(doc: Y.Doc): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, MESSAGE.sync);
	syncProtocol.writeSyncStep1(encoder, doc);
	return encoding.toUint8Array(encoder);
}

/** The answer to a client's sync step 1: what the doc holds beyond its state vector. */
export function answerMessage(doc: Y.Doc, stateVector: Uint8Array): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, MESSAGE.sync);
	syncProtocol.writeSyncStep2(encoder, doc, stateVector);
	return encoding.toUint8Array(encoder);
}

/** "The first `count` updates you sent on this connection are stored" (MESSAGE.savedAck). */
export function savedAckMessage(count: number): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, MESSAGE.savedAck);
	encoding.writeVarUint(encoder, count);
	return encoding.toUint8Array(encoder);
}

export function presenceMessage(awareness: awarenessProtocol.Awareness, ids: number[]): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, MESSAGE.awareness);
	encoding.writeVarUint8Array(encoder, awarenessProtocol.encodeAwarenessUpdate(awareness, ids));
	return encoding.toUint8Array(encoder);
}

/** A presence update (y-protocols' encoding) of the given entries. */
export function encodePresence(entries: AwarenessEntry[]): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, entries.length);
	for (const { id, clock, state } of entries) {
		encoding.writeVarUint(encoder, id);
		encoding.writeVarUint(encoder, clock);
		encoding.writeVarString(encoder, state);
	}
	return encoding.toUint8Array(encoder);
}
