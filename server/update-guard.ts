// Cheap checks before a client's bytes reach Yjs. A crafted update can make the decoder or the
// integration run for a very long time (yjs issue 687), nest types so deep that Yjs' own recursion
// (observer calls walk to the root, deleting a type deletes its children) overflows the stack or
// turns quadratic, or claim to be somebody else's edit. Every check here is linear in the update's
// size (plus a walk of at most MAX_TYPE_DEPTH steps per type it names) and runs before anything
// is applied, so a refused update leaves nothing behind.
import * as decoding from 'lib0/decoding';
import * as Y from 'yjs';

/** No honest client reaches 2^31 operations; crafted updates use huge clocks to stall the server. */
export const MAX_CLOCK = 2 ** 31;
const MAX_CLIENTS_PER_UPDATE = 10_000;
/**
 * Nesting of shared types below a root. A table nests three deep (items → row → cell or mark
 * register); 16 leaves room for any later shape while keeping Yjs' walks to the root short.
 */
export const MAX_TYPE_DEPTH = 16;
/**
 * Distinct shared types one update may write into. Creating a table of the importers' item cap
 * (5,000 items of about 15 types each) in the browser is one update of some 75,000; each type
 * touched costs Yjs a walk of at most MAX_TYPE_DEPTH steps when it calls observers.
 */
export const MAX_TYPES_TOUCHED = 200_000;
/**
 * Structs (runs of inserted content) and deleted ranges one update may hold. Creating a table of
 * the importers' item cap in the browser is about 200,000; Yjs builds an object for each before
 * any check can run, so one update of 4,000,000 one-clock structs (8 MB) cost 7 s and 1 GB, and a
 * delete set naming 1,500,000 clients 13 s. Admins are not held to it: after a restore their
 * device gives the server back all it lacks, in one message.
 */
export const MAX_STRUCTS_PER_UPDATE = 1_000_000;
/** Nesting of a JSON value (a mark entry, a change record, a presence state). */
export const MAX_JSON_DEPTH = 32;
/**
 * The largest single value (a run of text, a map value, a binary) a client may write. A cell of a
 * 進行管理表 holds a paragraph; a 10 MB string is an attack or a bug, and every replica would carry
 * it forever.
 */
export const MAX_VALUE_BYTES = 1024 * 1024;
/**
 * Presence states one message may carry. The stock client re-sends every change it hears of, other
 * people's included, in one message, so this must exceed any meeting: the limit on what one
 * connection may own is MAX_PRESENCE_IDS (server/sync.ts), not this.
 */
export const MAX_AWARENESS_ENTRIES = 512;
/** A presence state is a name, a colour, a cursor and a scroll position: well under 1 KB. */
export const MAX_AWARENESS_STATE_BYTES = 4 * 1024;

export class UpdateGuardError extends Error {
	override name = 'UpdateGuardError';
}

/** The update claims to be somebody else's edit (a mark, comment or change by another user). */
export class AuthorshipError extends UpdateGuardError {
	override name = 'AuthorshipError';
}

/** The update changes a part of the table only admins may change (the table's shape). */
export class AdminOnlyError extends UpdateGuardError {
	override name = 'AdminOnlyError';
}

export interface UpdateContext {
	/** The doc the update is for: where the parents of its items are looked up. */
	doc: Y.Doc;
	/**
	 * Root types the sender may not write into or delete from (for a non-admin: the table's shape,
	 * `shape`). Omitted: any.
	 */
	adminOnlyRoots?: ReadonlySet<string>;
	/**
	 * The session's user as the app writes it into marks, comments and changes (its display
	 * name). Omitted: authorship is not checked.
	 */
	author?: string;
	/** Structs and deleted ranges the update may hold (default MAX_STRUCTS_PER_UPDATE). */
	maxStructs?: number;
}

/** Map keys that name a person in a comment (a row of the root map `comments`). */
const COMMENT_AUTHOR_KEYS = new Set(['author', 'resolvedBy']);

/** What checkUpdate found out about an update it let through. */
export interface UpdateCheck {
	/** The clock each client's structs in it reach (for telling when it is integrated). */
	reaches: Map<number, number>;
	/** The end of each client's deleted ranges in it (likewise). */
	deleteEnds: Map<number, number>;
	/**
	 * About how much of it the doc does not have yet, in bytes: a client replaying its device copy
	 * re-sends a whole table the server has, which must not count against the table's size limit.
	 */
	freshBytes: number;
	/** How many structs it holds: what building and applying it costs, beyond its bytes. */
	structs: number;
}

/** Per item, beyond its content: ids, origins and info in the update's encoding. */
const ITEM_OVERHEAD_BYTES = 8;

/**
 * Throws UpdateGuardError unless the update's structure is plausible, or AuthorshipError when it
 * writes another user's name where the app records who did something.
 */
export function checkUpdate(update: Uint8Array, context?: UpdateContext): UpdateCheck {
	// Yjs builds an object per client, struct and deleted range before anything can be checked:
	// their numbers first, from the headers.
	const maxStructs = context?.maxStructs ?? MAX_STRUCTS_PER_UPDATE;
	const counts = countUpdate(update, maxStructs);
	if (counts) {
		const clients = Math.max(counts.clients, counts.deleteClients);
		if (clients > MAX_CLIENTS_PER_UPDATE)
			throw new UpdateGuardError(`update names ${clients} clients`);
		if (counts.structs + counts.deleteRanges > maxStructs)
			throw new UpdateGuardError(`update of more than ${maxStructs} structs and deleted ranges`);
	}
	// One decoding for every other check (Yjs' parseUpdateMeta would decode it all again for the
	// clocks): creating the structs is cheap even for absurd lengths (yjs issue 687 is in
	// integrating them), once their number is bounded.
	const { structs, ds } = decode(update);
	const reaches = new Map<number, number>();
	for (const s of structs) reaches.set(s.id.client, s.id.clock + s.length);
	if (reaches.size > MAX_CLIENTS_PER_UPDATE) {
		throw new UpdateGuardError(`update names ${reaches.size} clients`);
	}
	for (const [client, clock] of reaches) {
		if (!Number.isSafeInteger(clock) || clock > MAX_CLOCK || client > 2 ** 53) {
			throw new UpdateGuardError(`implausible clock ${clock} for client ${client}`);
		}
	}
	// Yjs writes each client's deleted ranges sorted and merged, and applies them one by one, each
	// walking the structs it covers: one range repeated 100,000 times would walk the table 100,000
	// times (2 s for 5,000 entries). Anything else is a crafted delete set.
	const deleteEnds = new Map<number, number>();
	for (const [client, ranges] of ds.clients) {
		let end = -1;
		for (const { clock, len } of ranges) {
			if (clock < end || len < 0)
				throw new UpdateGuardError(
					`a delete set with unsorted or overlapping ranges (client ${client})`
				);
			end = clock + len;
		}
		if (end >= 0) deleteEnds.set(client, end);
	}
	const freshBytes = new Inspection(items(structs), context).run();
	if (context?.adminOnlyRoots?.size) checkDeletions(ds, context.doc, context.adminOnlyRoots);
	return { reaches, deleteEnds, freshBytes, structs: structs.length };
}

/** What an update holds, counted from its headers (countUpdate). */
export interface UpdateCounts {
	/** Clients its structs are in (blocks, as Yjs writes one per client). */
	clients: number;
	structs: number;
	/** Clients and ranges of its delete set. */
	deleteClients: number;
	deleteRanges: number;
}

/**
 * What an update (Yjs' v1 encoding, as y-websocket sends) holds: its structs read from the counts
 * each client's block declares, skipping them with Yjs' own decoder without building them, then
 * its delete set's clients and ranges. It stops reading once the clients of either part pass
 * MAX_CLIENTS_PER_UPDATE or structs and ranges together pass `stopAt`. Undefined when the bytes
 * cannot be read so: Y.decodeUpdate then decides, as before.
 */
export function countUpdate(update: Uint8Array, stopAt: number): UpdateCounts | undefined {
	try {
		const decoder = new Y.UpdateDecoderV1(decoding.createDecoder(update));
		const rest = decoder.restDecoder;
		const counts = { clients: 0, structs: 0, deleteClients: 0, deleteRanges: 0 };
		counts.clients = decoding.readVarUint(rest);
		if (counts.clients > MAX_CLIENTS_PER_UPDATE) return counts;
		for (let b = 0; b < counts.clients; b++) {
			const inBlock = decoding.readVarUint(rest);
			counts.structs += inBlock;
			if (counts.structs > stopAt) return counts;
			decoder.readClient();
			decoding.readVarUint(rest); // the block's first clock
			for (let i = 0; i < inBlock; i++) skipStruct(decoder);
		}
		// The delete set, as Yjs reads it (utils/DeleteSet.js, readDeleteSet).
		counts.deleteClients = decoding.readVarUint(rest);
		if (counts.deleteClients > MAX_CLIENTS_PER_UPDATE) return counts;
		for (let c = 0; c < counts.deleteClients; c++) {
			decoder.resetDsCurVal();
			decoding.readVarUint(rest); // client
			const ranges = decoding.readVarUint(rest);
			counts.deleteRanges += ranges;
			if (counts.structs + counts.deleteRanges > stopAt) return counts;
			for (let r = 0; r < ranges; r++) {
				decoder.readDsClock();
				decoder.readDsLen();
			}
		}
		return counts;
	} catch {
		return undefined;
	}
}

/** Reads past one struct, in the order Yjs reads it (utils/encoding.js, readClientsStructRefs). */
function skipStruct(decoder: Y.UpdateDecoderV1): void {
	const rest = decoder.restDecoder;
	const info = decoder.readInfo();
	const ref = info & 0b11111;
	if (ref === 0 || ref === 10) {
		decoding.readVarUint(rest); // a GC's or a Skip's length
		return;
	}
	const origin = (info & 0b1000_0000) !== 0;
	const rightOrigin = (info & 0b0100_0000) !== 0;
	if (origin) decoder.readLeftID();
	if (rightOrigin) decoder.readRightID();
	if (!origin && !rightOrigin) {
		if (decoder.readParentInfo()) skipString(rest);
		else decoder.readLeftID();
		if ((info & 0b0010_0000) !== 0) skipString(rest); // parentSub
	}
	skipContent(decoder, ref);
}

/** Reads past a string (its length in bytes, then its UTF-8), without decoding it. */
function skipString(rest: decoding.Decoder): void {
	decoding.readVarUint8Array(rest);
}

/** Reads past an item's content of type `ref` (Yjs' contentRefs), parsing no JSON. */
function skipContent(decoder: Y.UpdateDecoderV1, ref: number): void {
	const rest = decoder.restDecoder;
	switch (ref) {
		case 1: // deleted
			decoding.readVarUint(rest);
			return;
		case 2: // JSON, one string per value
			for (let n = decoding.readVarUint(rest); n > 0; n--) skipString(rest);
			return;
		case 3: // binary
			decoding.readVarUint8Array(rest);
			return;
		case 4: // string
		case 5: // embed (JSON)
			skipString(rest);
			return;
		case 6: // format: key and JSON value
			skipString(rest);
			skipString(rest);
			return;
		case 7: {
			// a shared type; an XML element (3) or hook (5) has a name
			const typeRef = decoding.readVarUint(rest);
			if (typeRef === 3 || typeRef === 5) skipString(rest);
			return;
		}
		case 8: // any values
			for (let n = decoding.readVarUint(rest); n > 0; n--) decoding.readAny(rest);
			return;
		case 9: // a subdoc: its guid and options
			skipString(rest);
			decoding.readAny(rest);
			return;
		default:
			throw new UpdateGuardError(`unknown content ${ref}`);
	}
}

function describe(err: unknown): string {
	return err instanceof Error ? err.message : String(err);
}

type Struct = ReturnType<typeof Y.decodeUpdate>['structs'][number];

function decode(update: Uint8Array): ReturnType<typeof Y.decodeUpdate> {
	try {
		// Decoding a deeply nested JSON value recurses in lib0: a RangeError lands here, unapplied.
		return Y.decodeUpdate(update);
	} catch (err) {
		throw new UpdateGuardError(`undecodable update: ${describe(err)}`);
	}
}

function items(structs: Struct[]): Y.Item[] {
	return structs.filter((s): s is Y.Item => s instanceof Y.Item);
}

/** Where an item sits: the depth of the type it is in (0 for a root), its root and its key. */
interface Place {
	depth: number;
	/** The root type's name, when known. */
	root: string | null;
	/** The map key the item is under (null in a list or text). */
	key: string | null;
}

/** Items of an update by client, in clock order, for finding the struct an ID points into. */
class StructIndex {
	private readonly byClient = new Map<number, Y.Item[]>();

	constructor(items: Y.Item[]) {
		for (const item of items) {
			const list = this.byClient.get(item.id.client);
			if (list) list.push(item);
			else this.byClient.set(item.id.client, [item]);
		}
		for (const list of this.byClient.values()) list.sort((a, b) => a.id.clock - b.id.clock);
	}

	find(id: Y.ID): Y.Item | undefined {
		const list = this.byClient.get(id.client);
		if (!list) return undefined;
		let lo = 0;
		let hi = list.length - 1;
		while (lo <= hi) {
			const mid = (lo + hi) >> 1;
			const item = list[mid]!;
			if (id.clock < item.id.clock) hi = mid - 1;
			else if (id.clock >= item.id.clock + item.length) lo = mid + 1;
			else return item;
		}
		return undefined;
	}
}

const UNKNOWN: Place = { depth: 0, root: null, key: null };

/** Decoded updates waiting for history, by the bytes Yjs keeps (replaced when they change). */
const pendingIndexes = new WeakMap<Uint8Array, StructIndex | null>();

class Inspection {
	private readonly index: StructIndex;
	private readonly places = new Map<Y.Item, Place>();
	private readonly typeDepths = new Map<Y.AbstractType<unknown>, number>();

	constructor(
		private readonly items: Y.Item[],
		private readonly context: UpdateContext | undefined
	) {
		this.index = new StructIndex(items);
	}

	/**
	 * Updates waiting for history are looked in too (a chain can be sent in pieces), only when an
	 * ID is found neither in the update nor in the doc, and decoded once per waiting update.
	 */
	private pending(): StructIndex | null {
		const waiting = this.context?.doc.store.pendingStructs?.update;
		if (!waiting) return null;
		let index = pendingIndexes.get(waiting);
		if (index === undefined) {
			try {
				index = new StructIndex(items(decode(waiting).structs));
			} catch {
				index = null;
			}
			pendingIndexes.set(waiting, index);
		}
		return index;
	}

	/** Checks every item the doc does not have yet; returns about how many bytes those are. */
	run(): number {
		let freshBytes = 0;
		const touched = new Set<unknown>();
		const author = this.context?.author;
		const store = this.context?.doc.store;
		for (const item of this.items) {
			// Already in the doc (a client replaying its device copy re-sends what the server has,
			// other people's records included): applying it changes nothing, so it is not judged.
			if (store && Y.getState(store, item.id.client) >= item.id.clock + item.length) continue;
			freshBytes += checkContent(item.content) + ITEM_OVERHEAD_BYTES;
			const place = this.place(item);
			const depth = place.depth + (item.content instanceof Y.ContentType ? 1 : 0);
			if (depth > MAX_TYPE_DEPTH) {
				throw new UpdateGuardError(`shared types nested ${depth} deep (at most ${MAX_TYPE_DEPTH})`);
			}
			touched.add(this.parentKey(item));
			if (touched.size > MAX_TYPES_TOUCHED) {
				throw new UpdateGuardError(`an update writing into over ${MAX_TYPES_TOUCHED} types`);
			}
			if (author !== undefined) checkAuthor(item, place, author);
			if (place.root !== null && this.context?.adminOnlyRoots?.has(place.root))
				throw new AdminOnlyError(`a change of ${place.root}, which only admins may change`);
		}
		return freshBytes;
	}

	/** What identifies the type an item is in, for counting the types an update touches. */
	private parentKey(item: Y.Item): unknown {
		const parent = item.parent as unknown;
		if (typeof parent === 'string') return parent;
		if (parent instanceof Y.ID) return `${parent.client}:${parent.clock}`;
		const origin = item.origin ?? item.rightOrigin;
		// Same parent as its neighbour: counted once per neighbour at most, which over-counts safely.
		return origin ? `~${origin.client}:${origin.clock}` : null;
	}

	/** An item of the update, of updates waiting for history, or of the doc, by an ID inside it. */
	private find(id: Y.ID): Y.Item | Y.AbstractStruct | undefined {
		const own = this.index.find(id);
		if (own) return own;
		const doc = this.context?.doc;
		if (doc && Y.getState(doc.store, id.client) > id.clock) return Y.getItem(doc.store, id);
		return this.pending()?.find(id);
	}

	/**
	 * An update's item names its parent, or only a neighbour (origin) whose parent it shares:
	 * follow neighbours (iteratively, so a long run of characters costs no stack) to an item that
	 * names its parent or is already in the doc.
	 */
	private place(item: Y.Item): Place {
		const known = this.places.get(item);
		if (known) return known;
		const chain: Y.Item[] = [];
		const seen = new Set<Y.Item>();
		let current: Y.Item | Y.AbstractStruct | undefined = item;
		let place: Place = UNKNOWN;
		for (;;) {
			if (!(current instanceof Y.Item) || seen.has(current)) break; // GC'd, or a crafted loop
			const memo = this.places.get(current);
			if (memo) {
				place = memo;
				break;
			}
			if (this.integrated(current)) {
				place = this.docPlace(current);
				break;
			}
			seen.add(current);
			chain.push(current);
			const parent = current.parent as unknown;
			if (typeof parent === 'string') {
				place = { depth: 0, root: parent, key: current.parentSub };
				break;
			}
			if (parent instanceof Y.ID) {
				place = this.childPlace(parent, current.parentSub);
				break;
			}
			const next = current.origin ?? current.rightOrigin;
			if (!next) break;
			current = this.find(next);
		}
		for (const c of chain) this.places.set(c, place);
		return place;
	}

	/** Whether an item comes from the doc (integrated: its parent is a type, not an ID). */
	private integrated(item: Y.Item): boolean {
		return item.parent instanceof Y.AbstractType;
	}

	/** The place of an item inside the type that item `typeId` holds. */
	private childPlace(typeId: Y.ID, key: string | null): Place {
		const holder = this.find(typeId);
		if (!(holder instanceof Y.Item) || !(holder.content instanceof Y.ContentType)) {
			return { ...UNKNOWN, key };
		}
		if (this.integrated(holder)) {
			const type = holder.content.type;
			return { depth: this.typeDepth(type), root: rootName(type), key };
		}
		// Recursion over the update's own nesting, cut off past the limit by the depth check: a
		// chain deeper than MAX_TYPE_DEPTH is refused before the stack matters.
		const outer = this.placeBounded(holder);
		return { depth: outer.depth + 1, root: outer.root, key };
	}

	private nesting = 0;

	private placeBounded(item: Y.Item): Place {
		if (++this.nesting > MAX_TYPE_DEPTH + 1) {
			throw new UpdateGuardError(`shared types nested over ${MAX_TYPE_DEPTH} deep`);
		}
		try {
			return this.place(item);
		} finally {
			this.nesting--;
		}
	}

	private docPlace(item: Y.Item): Place {
		const type = item.parent as Y.AbstractType<unknown>;
		return { depth: this.typeDepth(type), root: rootName(type), key: item.parentSub };
	}

	/** A doc type's depth below its root, walking up at most MAX_TYPE_DEPTH + 1 steps. */
	private typeDepth(type: Y.AbstractType<unknown>): number {
		const memo = this.typeDepths.get(type);
		if (memo !== undefined) return memo;
		let depth = 0;
		let current: Y.AbstractType<unknown> | null = type;
		while (current?._item && depth <= MAX_TYPE_DEPTH) {
			depth++;
			current = current._item.parent as Y.AbstractType<unknown> | null;
		}
		this.typeDepths.set(type, depth);
		return depth;
	}
}

/** The name of the root a doc type is under, walking up at most MAX_TYPE_DEPTH + 1 steps. */
function rootName(type: Y.AbstractType<unknown>): string | null {
	let current: Y.AbstractType<unknown> = type;
	for (let steps = 0; current._item && steps <= MAX_TYPE_DEPTH; steps++) {
		const parent = current._item.parent;
		if (!(parent instanceof Y.AbstractType)) return null;
		current = parent;
	}
	if (current._item) return null;
	return Y.findRootTypeKey(current);
}

/**
 * Deletions of what the doc holds under an admin-only root. The ranges are sorted and apart
 * (checkUpdate refuses others), so each struct of the doc is looked at once at most; the root of
 * each parent type is found once. Nothing to check while none of the roots holds anything. What
 * the doc does not hold yet deletes nothing now and is not checked later (docs/design.md, "The
 * table's shape").
 */
function checkDeletions(
	ds: ReturnType<typeof Y.decodeUpdate>['ds'],
	doc: Y.Doc,
	roots: ReadonlySet<string>
): void {
	if (![...roots].some((name) => hasEntries(doc, name))) return;
	const rootOfType = new Map<Y.AbstractType<unknown>, string | null>();
	for (const [client, ranges] of ds.clients) {
		const structs = doc.store.clients.get(client);
		if (!structs) continue;
		const state = Y.getState(doc.store, client);
		for (const { clock, len } of ranges) {
			const end = Math.min(clock + len, state);
			if (clock >= end) continue;
			for (let i = Y.findIndexSS(structs, clock); i < structs.length; i++) {
				const struct = structs[i]!;
				if (struct.id.clock >= end) break;
				if (!(struct instanceof Y.Item) || struct.deleted) continue;
				const parent = struct.parent;
				if (!(parent instanceof Y.AbstractType)) continue;
				let root = rootOfType.get(parent);
				if (root === undefined) rootOfType.set(parent, (root = rootName(parent)));
				if (root !== null && roots.has(root))
					throw new AdminOnlyError(`a deletion in ${root}, which only admins may change`);
			}
		}
	}
}

/** Whether root map `name` of the doc has ever held a key. */
function hasEntries(doc: Y.Doc, name: string): boolean {
	const type = doc.share.get(name);
	return type instanceof Y.AbstractType && type._map.size > 0;
}

/** Value sizes, JSON nesting and content kinds the app never writes. */
/** Returns about how many bytes the content is. */
function checkContent(content: Y.Item['content']): number {
	if (content instanceof Y.ContentString) {
		if (content.str.length > MAX_VALUE_BYTES) throw tooLarge(content.str.length);
		return Buffer.byteLength(content.str);
	}
	if (content instanceof Y.ContentBinary) {
		if (content.content.length > MAX_VALUE_BYTES) throw tooLarge(content.content.length);
		return content.content.length;
	}
	if (content instanceof Y.ContentAny || content instanceof Y.ContentJSON) {
		let size = 0;
		for (const value of content.arr) size += checkJsonValue(value);
		return size;
	}
	if (content instanceof Y.ContentEmbed) return checkJsonValue(content.embed);
	if (content instanceof Y.ContentFormat) return checkJsonValue(content.value);
	if (content instanceof Y.ContentDoc) {
		throw new UpdateGuardError('subdocuments are not used by Shinko');
	}
	return 0;
}

function tooLarge(size: number): UpdateGuardError {
	return new UpdateGuardError(`a value of ${size} bytes (at most ${MAX_VALUE_BYTES})`);
}

/**
 * A JSON value's nesting and size, without recursion past MAX_JSON_DEPTH (so a hostile value
 * cannot overflow the stack here, in JSON.stringify later, or in a reader). Returns its size.
 */
function checkJsonValue(value: unknown): number {
	let size = 0;
	const stack: { value: unknown; depth: number }[] = [{ value, depth: 0 }];
	while (stack.length > 0) {
		const { value: v, depth } = stack.pop()!;
		if (depth > MAX_JSON_DEPTH) {
			throw new UpdateGuardError(`a value nested over ${MAX_JSON_DEPTH} deep`);
		}
		if (typeof v === 'string') size += v.length;
		else if (v instanceof Uint8Array) size += v.length;
		else if (Array.isArray(v)) {
			size += v.length;
			for (const x of v) stack.push({ value: x, depth: depth + 1 });
		} else if (v !== null && typeof v === 'object') {
			for (const [k, x] of Object.entries(v)) {
				size += k.length;
				stack.push({ value: x, depth: depth + 1 });
			}
		} else size += 8;
		if (size > MAX_VALUE_BYTES) throw tooLarge(size);
	}
	return size;
}

/**
 * The app records who did something in mark entries and change records (`{ by, … }` values) and
 * in a comment's `author` and `resolvedBy`: each must be the session's user.
 */
function checkAuthor(item: Y.Item, place: Place, author: string): void {
	if (!(item.content instanceof Y.ContentAny) && !(item.content instanceof Y.ContentJSON)) return;
	for (const value of item.content.arr) {
		if (value !== null && typeof value === 'object' && !Array.isArray(value) && 'by' in value) {
			const by = (value as { by: unknown }).by;
			if (by !== author) throw new AuthorshipError(`a record by ${JSON.stringify(by)}`);
		}
		// A comment's author fields; where the place is unknown (history the server lacks), any
		// string under those keys is checked, since it may be one.
		const commentField =
			place.key !== null &&
			COMMENT_AUTHOR_KEYS.has(place.key) &&
			((place.root === 'comments' && place.depth === 1) || place.root === null);
		if (commentField && typeof value === 'string' && value !== author) {
			throw new AuthorshipError(`a comment by ${JSON.stringify(value)}`);
		}
	}
}

/** One entry of a presence message. */
export interface AwarenessEntry {
	id: number;
	clock: number;
	/** The state as the client encoded it (JSON), "null" for a removal. */
	state: string;
}

/**
 * The entries of a presence message, or null when it names more than MAX_AWARENESS_ENTRIES clients
 * (dropped, not refused: the stock client echoes everyone's changes). Throws on a malformed one.
 * Each state's size and nesting are checked where it is applied, for the states that are.
 */
export function readAwarenessUpdate(update: Uint8Array): AwarenessEntry[] | null {
	try {
		const decoder = decoding.createDecoder(update);
		const count = decoding.readVarUint(decoder);
		if (count > MAX_AWARENESS_ENTRIES) return null;
		const entries: AwarenessEntry[] = [];
		for (let i = 0; i < count; i++) {
			const id = decoding.readVarUint(decoder);
			const clock = decoding.readVarUint(decoder);
			const state = decoding.readVarString(decoder);
			if (!Number.isSafeInteger(clock) || clock > MAX_CLOCK || !Number.isSafeInteger(id))
				throw new UpdateGuardError(`implausible presence clock ${clock} for ${id}`);
			entries.push({ id, clock, state });
		}
		return entries;
	} catch (err) {
		if (err instanceof UpdateGuardError) throw err;
		throw new UpdateGuardError('undecodable presence update');
	}
}

/**
 * A presence state's JSON: null for a removal, the object when it is one of at most
 * MAX_AWARENESS_STATE_BYTES and MAX_JSON_DEPTH levels (measured before parsing, so the server never
 * holds what it could not encode again), undefined for anything else.
 */
export function readPresenceState(json: string): Record<string, unknown> | null | undefined {
	if (json === 'null') return null;
	if (json.length > MAX_AWARENESS_STATE_BYTES || jsonTextDepth(json) > MAX_JSON_DEPTH)
		return undefined;
	let state: unknown;
	try {
		state = JSON.parse(json);
	} catch {
		return undefined;
	}
	if (state === null || typeof state !== 'object' || Array.isArray(state)) return undefined;
	return state as Record<string, unknown>;
}

/** The nesting depth of JSON text, by counting brackets outside strings (no parsing, no stack). */
function jsonTextDepth(text: string): number {
	let depth = 0;
	let deepest = 0;
	let inString = false;
	for (let i = 0; i < text.length; i++) {
		const c = text.charCodeAt(i);
		if (inString) {
			if (c === 0x5c)
				i++; // backslash: skip the escaped character
			else if (c === 0x22) inString = false;
		} else if (c === 0x22) inString = true;
		else if (c === 0x5b || c === 0x7b) deepest = Math.max(deepest, ++depth);
		else if (c === 0x5d || c === 0x7d) depth--;
	}
	return deepest;
}
