// Cheap checks before a client's bytes reach Yjs: a crafted update can make the decoder or the
// integration run for a very long time (yjs issue 687), and presence can be flooded with fake ids.
import * as decoding from 'lib0/decoding';
import * as Y from 'yjs';

/** No honest client reaches 2^31 operations; crafted updates use huge clocks to stall the server. */
const MAX_CLOCK = 2 ** 31;
const MAX_CLIENTS_PER_UPDATE = 10_000;
const MAX_AWARENESS_ENTRIES = 16;
const MAX_AWARENESS_STATE_BYTES = 64 * 1024;
/**
 * The largest single value (a run of text, a map value, a binary) a client may write. A cell of a
 * 進行管理表 holds a paragraph; a 10 MB string is an attack or a bug, and every replica would carry
 * it forever. An update smaller than this cannot hold a larger value, so only big ones are decoded.
 */
export const MAX_VALUE_BYTES = 1024 * 1024;

export class UpdateGuardError extends Error {
	override name = 'UpdateGuardError';
}

/**
 * Throws UpdateGuardError unless the update's structure is plausible. Linear in its size.
 * Returns the clock each client's structs in it reach (for telling when it is integrated).
 */
export function checkUpdate(update: Uint8Array): Map<number, number> {
	let meta: { from: Map<number, number>; to: Map<number, number> };
	try {
		meta = Y.parseUpdateMeta(update);
	} catch (err) {
		throw new UpdateGuardError(`undecodable update: ${err instanceof Error ? err.message : err}`);
	}
	if (meta.to.size > MAX_CLIENTS_PER_UPDATE) {
		throw new UpdateGuardError(`update names ${meta.to.size} clients`);
	}
	for (const [client, clock] of meta.to) {
		if (!Number.isSafeInteger(clock) || clock > MAX_CLOCK || client > 2 ** 53) {
			throw new UpdateGuardError(`implausible clock ${clock} for client ${client}`);
		}
	}
	if (update.length > MAX_VALUE_BYTES) checkValueSizes(update);
	return meta.to;
}

function valueSize(content: unknown): number {
	if (content instanceof Y.ContentString) return content.str.length;
	if (content instanceof Y.ContentBinary) return content.content.length;
	if (content instanceof Y.ContentAny || content instanceof Y.ContentJSON) {
		let largest = 0;
		for (const v of content.arr) largest = Math.max(largest, JSON.stringify(v ?? null).length);
		return largest;
	}
	if (content instanceof Y.ContentEmbed) return JSON.stringify(content.embed).length;
	if (content instanceof Y.ContentFormat) return JSON.stringify(content.value ?? null).length;
	return 0;
}

function checkValueSizes(update: Uint8Array): void {
	let structs: ReturnType<typeof Y.decodeUpdate>['structs'];
	try {
		structs = Y.decodeUpdate(update).structs;
	} catch (err) {
		throw new UpdateGuardError(`undecodable update: ${err instanceof Error ? err.message : err}`);
	}
	for (const struct of structs) {
		if (!(struct instanceof Y.Item)) continue;
		const size = valueSize(struct.content);
		if (size > MAX_VALUE_BYTES) throw new UpdateGuardError(`a value of ${size} bytes`);
	}
}

/** The client ids an awareness update speaks for; throws on a malformed or oversized one. */
export function checkAwarenessUpdate(update: Uint8Array): number[] {
	try {
		const decoder = decoding.createDecoder(update);
		const count = decoding.readVarUint(decoder);
		if (count > MAX_AWARENESS_ENTRIES) throw new UpdateGuardError(`presence for ${count} clients`);
		const ids: number[] = [];
		for (let i = 0; i < count; i++) {
			ids.push(decoding.readVarUint(decoder));
			decoding.readVarUint(decoder); // clock
			const state = decoding.readVarString(decoder);
			if (state.length > MAX_AWARENESS_STATE_BYTES)
				throw new UpdateGuardError('presence state too large');
		}
		return ids;
	} catch (err) {
		if (err instanceof UpdateGuardError) throw err;
		throw new UpdateGuardError('undecodable presence update');
	}
}
