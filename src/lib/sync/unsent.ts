// The edits of this device that the server has not confirmed, counted from what is stored.
//
// Each open doc session keeps one record in localStorage of its own local edits since the server
// last confirmed them: how many, the state vector they reach and the ranges they deleted (a state
// vector does not show deletions). The edits themselves are in IndexedDB; the record only says
// what must be there. When a session opens a doc it looks at the records left by sessions that
// are gone (a closed tab, the same tab before a reload): if the doc read from IndexedDB holds
// their edits, it counts them as its own until the server confirms them; if it does not, they
// were lost from the device (the browser's data cleared or damaged) and are kept as lost until the
// user has been told. Records of sessions still open are theirs alone, so each tab counts only
// what it wrote or took over. What is counted is the cells changed (edited-cells.ts), not the
// transactions: ten keystrokes in one note are one edit to the user. Plain TypeScript: the unit
// tests run it in Node.
import * as Y from 'yjs';
import { z } from 'zod/mini';
import { changedCells } from './edited-cells.ts';

export const UNSENT_PREFIX = 'shinko:unsent:';
export const LOST_PREFIX = 'shinko:lost:';
/** The count of earlier versions: one number per doc, shared by every tab. */
export const LEGACY_PENDING_PREFIX = 'shinko:pending:';
/** Deleted ranges listed per record at most; past it deletions are not checked. */
export const MAX_DELETE_RANGES = 1000;
/** Changed cells listed per record at most; past it each new one is only counted. */
export const MAX_CELLS = 1000;

export type KeyValueStore = Pick<Storage, 'getItem' | 'setItem' | 'removeItem' | 'key' | 'length'>;

const recordSchema = z.object({
	/** The page (page-lock.ts) whose session owns the record. */
	page: z.string(),
	/** The session was closed (its page left or its doc was closed): it adds nothing more. */
	closed: z.optional(z.boolean()),
	/** Local transactions that changed something. */
	n: z.number(),
	/** client → clock: the doc holds the edits' new structs once its state reaches this. */
	sv: z.record(z.string(), z.number()),
	/** client → [clock, length, clock, length, …]: ranges the edits deleted, sorted and merged. */
	del: z.record(z.string(), z.array(z.number())),
	/** There were more than MAX_DELETE_RANGES: the deletions are not listed. */
	delOmitted: z.optional(z.boolean()),
	/** The cells the edits changed (edited-cells.ts); absent in records of earlier versions. */
	cells: z.optional(z.array(z.string())),
	/** Cells changed past MAX_CELLS, counted but not listed. */
	more: z.optional(z.number())
});
export type EditRecord = z.infer<typeof recordSchema>;

function emptyRecord(page: string): EditRecord {
	return { page, n: 0, sv: {}, del: {}, cells: [] };
}

/**
 * What a user calls the edits of these records: the distinct cells they changed. A record of an
 * earlier version lists no cells: its transactions are counted. Never 0 while one holds an edit.
 */
export function editCount(records: Iterable<EditRecord>): number {
	const cells = new Set<string>();
	let unlisted = 0;
	let any = false;
	for (const record of records) {
		if (record.n === 0) continue;
		any = true;
		if (!record.cells) {
			unlisted += record.n;
			continue;
		}
		for (const cell of record.cells) cells.add(cell);
		unlisted += record.more ?? 0;
	}
	return any ? Math.max(1, cells.size + unlisted) : 0;
}

/** Adds the transaction's cells to the record's list (only counted past MAX_CELLS). */
function noteCells(record: EditRecord, tr: Y.Transaction): void {
	const cells = (record.cells ??= []);
	for (const cell of changedCells(tr)) {
		if (cells.includes(cell)) continue;
		if (cells.length < MAX_CELLS) cells.push(cell);
		else record.more = (record.more ?? 0) + 1;
	}
}

function parseRecord(json: string | null): EditRecord | null {
	if (json === null) return null;
	try {
		const result = recordSchema.safeParse(JSON.parse(json));
		return result.success ? result.data : null;
	} catch {
		return null;
	}
}

function write(storage: KeyValueStore | null, key: string, value: unknown): void {
	try {
		storage?.setItem(key, JSON.stringify(value));
	} catch {
		// Quota or private mode: the count stays right in memory; only a later loss goes unnoticed.
	}
}

function remove(storage: KeyValueStore | null, key: string): void {
	try {
		storage?.removeItem(key);
	} catch {
		// as above
	}
}

function keysWith(storage: KeyValueStore | null, prefix: string): string[] {
	const keys: string[] = [];
	try {
		if (!storage) return keys;
		for (let i = 0; i < storage.length; i++) {
			const key = storage.key(i);
			if (key?.startsWith(prefix)) keys.push(key);
		}
	} catch {
		// unreadable storage: nothing known
	}
	return keys;
}

/** Whether every clock of `[clock, clock + len)` of `client` is a deleted struct of the doc. */
function deletedIn(doc: Y.Doc, client: number, clock: number, len: number): boolean {
	const structs = doc.store.clients.get(client);
	if (!structs || Y.getState(doc.store, client) < clock + len) return false;
	let i = Y.findIndexSS(structs, clock);
	for (let at = clock; at < clock + len;) {
		const struct = structs[i++];
		if (!struct?.deleted) return false;
		at = struct.id.clock + struct.length;
	}
	return true;
}

/** Whether the doc holds every edit of the record: its new structs and its deletions. */
export function holds(doc: Y.Doc, record: EditRecord): boolean {
	for (const [client, clock] of Object.entries(record.sv)) {
		if (Y.getState(doc.store, Number(client)) < clock) return false;
	}
	if (record.delOmitted) return true;
	for (const [client, ranges] of Object.entries(record.del)) {
		for (let i = 0; i + 1 < ranges.length; i += 2) {
			if (!deletedIn(doc, Number(client), ranges[i]!, ranges[i + 1]!)) return false;
		}
	}
	return true;
}

/** Adds the ranges to a sorted, merged flat list [clock, length, …]. */
function mergeRanges(list: number[], added: readonly { clock: number; len: number }[]): number[] {
	const pairs: [number, number][] = [];
	for (let i = 0; i + 1 < list.length; i += 2) pairs.push([list[i]!, list[i + 1]!]);
	for (const { clock, len } of added) pairs.push([clock, len]);
	pairs.sort((a, b) => a[0] - b[0]);
	const merged: number[] = [];
	for (const [clock, len] of pairs) {
		const last = merged.length - 2;
		if (last >= 0 && clock <= merged[last]! + merged[last + 1]!) {
			merged[last + 1] = Math.max(merged[last + 1]!, clock + len - merged[last]!);
		} else {
			merged.push(clock, len);
		}
	}
	return merged;
}

function rangeCount(record: EditRecord): number {
	let count = 0;
	for (const ranges of Object.values(record.del)) count += ranges.length / 2;
	return count;
}

/**
 * Local edits of one doc session that the server has not confirmed, with the records of sessions
 * that are gone which it took over.
 */
export class UnsentEdits {
	private own: EditRecord;
	private readonly ownKey: string;
	/** Records of closed sessions whose edits this doc holds: counted here until confirmed. */
	private readonly adopted = new Map<string, EditRecord>();
	/** The count of an earlier version of the app, taken over once. */
	private legacy = 0;

	constructor(
		readonly docId: string,
		readonly page: string,
		private readonly storage: KeyValueStore | null = globalThis.localStorage ?? null
	) {
		this.own = emptyRecord(page);
		this.ownKey = `${UNSENT_PREFIX}${docId}:${page}:${Math.random().toString(36).slice(2, 10)}`;
	}

	/** Local edits waiting for the server's confirmation: this session's and those it took over. */
	get count(): number {
		return editCount([this.own, ...this.adopted.values()]) + this.legacy;
	}

	/** A local transaction: counted if it changed something (then true). */
	note(tr: Y.Transaction): boolean {
		let changed = false;
		for (const [client, clock] of tr.afterState) {
			if (clock > (tr.beforeState.get(client) ?? 0)) {
				this.own.sv[client] = Math.max(this.own.sv[client] ?? 0, clock);
				changed = true;
			}
		}
		for (const [client, items] of tr.deleteSet.clients) {
			if (items.length === 0) continue;
			changed = true;
			if (this.own.delOmitted) continue;
			this.own.del[client] = mergeRanges(this.own.del[client] ?? [], items);
		}
		if (!changed) return false;
		if (!this.own.delOmitted && rangeCount(this.own) > MAX_DELETE_RANGES) {
			this.own.del = {};
			this.own.delOmitted = true;
		}
		noteCells(this.own, tr);
		this.own.n++;
		this.own.closed = undefined;
		write(this.storage, this.ownKey, this.own);
		return true;
	}

	/** The server has everything the doc holds on disk: nothing this session counted waits. */
	confirm(): void {
		if (this.own.n > 0) {
			this.own = emptyRecord(this.page);
			remove(this.storage, this.ownKey);
		}
		for (const key of this.adopted.keys()) remove(this.storage, key);
		this.adopted.clear();
		if (this.legacy > 0) {
			this.legacy = 0;
			remove(this.storage, LEGACY_PENDING_PREFIX + this.docId);
		}
	}

	/**
	 * Once the device copy is loaded into the doc: takes over the records of sessions that are gone
	 * whose edits the doc holds (or forgets them, when `confirmed` says the server has the whole doc
	 * already; or leaves them for another session, unless `adopt`: a viewer sends nothing) and
	 * returns those whose edits it lacks: lost from this device. `open` is the set of open pages,
	 * or null when unknown (then only records marked closed are looked at).
	 */
	review(
		doc: Y.Doc,
		open: ReadonlySet<string> | null,
		{ confirmed, adopt }: { confirmed: boolean; adopt: boolean }
	): EditRecord[] {
		const lost: EditRecord[] = [];
		for (const key of keysWith(this.storage, `${UNSENT_PREFIX}${this.docId}:`)) {
			if (key === this.ownKey || this.adopted.has(key)) continue;
			const record = parseRecord(this.storage?.getItem(key) ?? null);
			if (!record) {
				remove(this.storage, key);
				continue;
			}
			const gone = record.closed === true || (open !== null && !open.has(record.page));
			if (!gone) continue;
			if (!holds(doc, record)) {
				lost.push(record);
				remove(this.storage, key);
			} else if (confirmed) {
				remove(this.storage, key);
			} else if (adopt) {
				// Taken over: another tab opening the doc now leaves it to this one.
				const mine = { ...record, page: this.page, closed: undefined };
				this.adopted.set(key, mine);
				write(this.storage, key, mine);
			}
		}
		const legacy = Number(this.storage?.getItem(LEGACY_PENDING_PREFIX + this.docId) ?? 0);
		if (Number.isFinite(legacy) && legacy > 0) {
			if (confirmed) remove(this.storage, LEGACY_PENDING_PREFIX + this.docId);
			else if (adopt) this.legacy = legacy;
		}
		return lost;
	}

	/** The session ends (or its page goes): its records are left for the next session to review. */
	close(): void {
		this.mark(true);
	}

	/** The page came back (from the back-forward cache): its records are its own again. */
	reopen(): void {
		this.mark(false);
	}

	private mark(closed: boolean): void {
		const records: [string, EditRecord][] = [[this.ownKey, this.own], ...this.adopted];
		for (const [key, record] of records) {
			if (record.n === 0) continue;
			// Another tab may have taken an adopted record over meanwhile: leave it to that one.
			const stored = parseRecord(this.storage?.getItem(key) ?? null);
			if (stored && stored.page !== this.page) continue;
			record.closed = closed || undefined;
			write(this.storage, key, record);
		}
	}
}

/** Edits of a doc lost from this device, kept until the user has been told (any tab). */
export function lostEdits(docId: string, storage: KeyValueStore | null): EditRecord[] {
	try {
		const parsed: unknown = JSON.parse(storage?.getItem(LOST_PREFIX + docId) ?? '[]');
		if (!Array.isArray(parsed)) return [];
		return parsed.flatMap((r) => {
			const result = recordSchema.safeParse(r);
			return result.success ? [result.data] : [];
		});
	} catch {
		return [];
	}
}

export function lostCount(records: readonly EditRecord[]): number {
	return editCount(records);
}

/** Adds records to the doc's lost edits. */
export function addLost(
	docId: string,
	records: readonly EditRecord[],
	storage: KeyValueStore | null
): void {
	if (records.length === 0) return;
	write(storage, LOST_PREFIX + docId, [...lostEdits(docId, storage), ...records]);
}

/**
 * Drops the lost edits the doc holds after syncing with the server: the server had them (sent
 * before the device lost them), so they are not lost. Returns what is still lost.
 */
export function recheckLost(
	docId: string,
	doc: Y.Doc,
	storage: KeyValueStore | null
): EditRecord[] {
	const records = lostEdits(docId, storage);
	const still = records.filter((r) => !holds(doc, r));
	if (still.length === records.length) return records;
	if (still.length === 0) remove(storage, LOST_PREFIX + docId);
	else write(storage, LOST_PREFIX + docId, still);
	return still;
}

/** The user has read the notice: the lost edits are forgotten. */
export function forgetLost(docId: string, storage: KeyValueStore | null): void {
	remove(storage, LOST_PREFIX + docId);
}

/** The doc of a record's key: `shinko:unsent:<doc>:<page>:<session>`. */
function docOfKey(key: string): string {
	const rest = key.slice(UNSENT_PREFIX.length);
	const session = rest.lastIndexOf(':');
	return rest.slice(0, Math.max(0, rest.lastIndexOf(':', session - 1)));
}

/** Local edits the server has not confirmed, summed over every doc and tab on this device. */
export function unsentOnDevice(storage: KeyValueStore | null): number {
	// Two tabs that changed the same cell changed one cell: records are counted per doc.
	const byDoc = new Map<string, EditRecord[]>();
	for (const key of keysWith(storage, UNSENT_PREFIX)) {
		const record = parseRecord(storage?.getItem(key) ?? null);
		if (!record) continue;
		const doc = docOfKey(key);
		byDoc.set(doc, [...(byDoc.get(doc) ?? []), record]);
	}
	let total = 0;
	for (const records of byDoc.values()) total += editCount(records);
	for (const key of keysWith(storage, LEGACY_PENDING_PREFIX)) {
		const n = Number(storage?.getItem(key));
		if (Number.isFinite(n) && n > 0) total += n;
	}
	return total;
}
