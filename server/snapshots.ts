// Named snapshots of a table doc (manual, at each quarter end, daily): the SnapshotStore interface,
// its SQLite adapter (in the same file as the docs), and Snapshots, what is taken and kept.
//
// A snapshot is the doc's full state (Y.encodeStateAsUpdate) at a moment, kept as a read-only
// copy to look at, compare and restore from. Restoring never writes these bytes back into the
// doc's log: it is a new forward change (src/lib/doc/restore.ts), so peers merge with it.
import type Database from 'better-sqlite3';
import * as Y from 'yjs';
import { docToSheet } from '../src/lib/doc/sheet-doc.ts';
import { roots } from '../src/lib/doc/table-doc.ts';
import { warekiDate, warekiLabel } from '../src/lib/model/fiscal-year.ts';
import { DOC_ID, sheetSchema, type SheetJSON } from '../src/lib/model/schema.ts';

export const SNAPSHOT_KINDS = ['manual', 'quarter', 'daily'] as const;
export type SnapshotKind = (typeof SNAPSHOT_KINDS)[number];
export type AutomaticKind = Exclude<SnapshotKind, 'manual'>;

export const NAME_MAX = 100;

export interface SnapshotInfo {
	id: number;
	docId: string;
	name: string;
	kind: SnapshotKind;
	author: string;
	createdAt: number;
	/** Bytes of the stored state, for the list. */
	size: number;
}

export interface NewSnapshot {
	name: string;
	kind: SnapshotKind;
	author: string;
	/** Defaults to now; automatic snapshots pass the moment they are due for. */
	createdAt?: number;
}

export class SnapshotError extends Error {
	override name = 'SnapshotError';
}

/** A snapshots row without its state (PostgreSQL hands BIGINT columns over as strings). */
export interface SnapshotRow {
	id: number | string;
	doc_id: string;
	name: string;
	kind: SnapshotKind;
	author: string;
	created_at: number | string;
	size: number;
}

const INFO = 'id, doc_id, name, kind, author, created_at, length(state) AS size';

export function toInfo(row: SnapshotRow): SnapshotInfo {
	return {
		id: Number(row.id),
		docId: row.doc_id,
		name: row.name,
		kind: row.kind,
		author: row.author,
		createdAt: Number(row.created_at),
		size: row.size
	};
}

/** The trimmed name, or a SnapshotError saying what is wrong (in Japanese, for the UI). */
export function validSnapshotName(name: unknown): string {
	const trimmed = typeof name === 'string' ? name.trim() : '';
	// Code points, not UTF-16 units: a rare kanji counts as one character, as the user sees it.
	const length = Array.from(trimmed).length;
	if (length < 1 || length > NAME_MAX)
		throw new SnapshotError(`スナップショット名は 1〜${NAME_MAX} 文字で入力してください`);
	return trimmed;
}

/**
 * Where snapshots are kept: the adapter of the store of record (SQLite here). Asynchronous, so
 * that a networked store is an adapter too; what is due and what is kept is `Snapshots`' to say.
 */
export interface SnapshotStore {
	insert(
		docId: string,
		info: { name: string; kind: SnapshotKind; author: string; createdAt: number },
		state: Uint8Array
	): Promise<SnapshotInfo>;
	/** A doc's snapshots, newest first, without their contents. */
	list(docId: string): Promise<SnapshotInfo[]>;
	get(id: number): Promise<{ info: SnapshotInfo; state: Uint8Array } | undefined>;
	/** The doc's latest snapshot (of a kind) created at or before `at`. */
	latestAt(docId: string, at: number, kind?: SnapshotKind): Promise<SnapshotInfo | undefined>;
	relabel(id: number, kind: SnapshotKind, name: string, createdAt: number): Promise<void>;
	remove(id: number): Promise<boolean>;
	/** Deletes daily ones created before `before`, never the doc's latest at or before `now`. */
	expireDaily(docId: string, before: number, now: number): Promise<number>;
}

/** The SQLite adapter: better-sqlite3 does each method's work before its promise resolves. */
export class SqliteSnapshotStore implements SnapshotStore {
	private readonly stmts;

	constructor(private readonly db: Database.Database) {
		db.exec(`
			CREATE TABLE IF NOT EXISTS snapshots (
				id INTEGER PRIMARY KEY AUTOINCREMENT,
				doc_id TEXT NOT NULL,
				name TEXT NOT NULL,
				kind TEXT NOT NULL CHECK (kind IN ('manual', 'quarter', 'daily')),
				author TEXT NOT NULL,
				created_at INTEGER NOT NULL,
				state BLOB NOT NULL
			);
			CREATE INDEX IF NOT EXISTS snapshots_doc ON snapshots (doc_id, created_at);
		`);
		this.stmts = {
			insert: db.prepare(
				'INSERT INTO snapshots (doc_id, name, kind, author, created_at, state) VALUES (?, ?, ?, ?, ?, ?)'
			),
			info: db.prepare(`SELECT ${INFO} FROM snapshots WHERE id = ?`),
			state: db.prepare('SELECT state FROM snapshots WHERE id = ?'),
			list: db.prepare(
				`SELECT ${INFO} FROM snapshots WHERE doc_id = ? ORDER BY created_at DESC, id DESC`
			),
			remove: db.prepare('DELETE FROM snapshots WHERE id = ?'),
			// The latest at or before a moment: one dated in the future (a clock ahead) is skipped.
			latestAt: db.prepare(
				`SELECT ${INFO} FROM snapshots WHERE doc_id = ? AND created_at <= ?
				 ORDER BY created_at DESC, id DESC LIMIT 1`
			),
			latestOfKindAt: db.prepare(
				`SELECT ${INFO} FROM snapshots WHERE doc_id = ? AND kind = ? AND created_at <= ?
				 ORDER BY created_at DESC, id DESC LIMIT 1`
			),
			relabel: db.prepare('UPDATE snapshots SET kind = ?, name = ?, created_at = ? WHERE id = ?'),
			// Daily ones past their time, never the doc's latest (what identical ones compare with).
			expire: db.prepare(
				`DELETE FROM snapshots WHERE doc_id = @docId AND kind = 'daily' AND created_at < @before
				 AND id != (SELECT id FROM snapshots WHERE doc_id = @docId AND created_at <= @now
				            ORDER BY created_at DESC, id DESC LIMIT 1)`
			)
		};
	}

	async insert(
		docId: string,
		info: { name: string; kind: SnapshotKind; author: string; createdAt: number },
		state: Uint8Array
	): Promise<SnapshotInfo> {
		const { name, kind, author, createdAt } = info;
		const { lastInsertRowid } = this.stmts.insert.run(
			docId,
			name,
			kind,
			author,
			createdAt,
			Buffer.from(state)
		);
		return {
			id: Number(lastInsertRowid),
			docId,
			name,
			kind,
			author,
			createdAt,
			size: state.length
		};
	}

	async list(docId: string): Promise<SnapshotInfo[]> {
		return (this.stmts.list.all(docId) as SnapshotRow[]).map(toInfo);
	}

	async get(id: number): Promise<{ info: SnapshotInfo; state: Uint8Array } | undefined> {
		return this.db.transaction(() => {
			const row = this.stmts.info.get(id) as SnapshotRow | undefined;
			if (!row) return undefined;
			const { state } = this.stmts.state.get(id) as { state: Buffer };
			return { info: toInfo(row), state: new Uint8Array(state) };
		})();
	}

	async latestAt(
		docId: string,
		at: number,
		kind?: SnapshotKind
	): Promise<SnapshotInfo | undefined> {
		const row = (
			kind === undefined
				? this.stmts.latestAt.get(docId, at)
				: this.stmts.latestOfKindAt.get(docId, kind, at)
		) as SnapshotRow | undefined;
		return row && toInfo(row);
	}

	async relabel(id: number, kind: SnapshotKind, name: string, createdAt: number): Promise<void> {
		this.stmts.relabel.run(kind, name, createdAt, id);
	}

	async remove(id: number): Promise<boolean> {
		return this.stmts.remove.run(id).changes > 0;
	}

	async expireDaily(docId: string, before: number, now: number): Promise<number> {
		return this.stmts.expire.run({ docId, now, before }).changes;
	}
}

/** Taking, listing and keeping snapshots, on any SnapshotStore. */
export class Snapshots {
	constructor(private readonly store: SnapshotStore) {}

	/** Stores a snapshot; rejects with a SnapshotError (in Japanese, for the UI) when it is wrong. */
	async create(docId: string, state: Uint8Array, snapshot: NewSnapshot): Promise<SnapshotInfo> {
		if (!DOC_ID.test(docId)) throw new SnapshotError(`表の ID「${docId}」が正しくありません`);
		const name = validSnapshotName(snapshot.name);
		if (!(SNAPSHOT_KINDS as readonly string[]).includes(snapshot.kind))
			throw new SnapshotError(`スナップショットの種類「${snapshot.kind}」は使えません`);
		const author = snapshot.author.trim();
		if (author.length === 0) throw new SnapshotError('作成者が必要です');
		if (!(state instanceof Uint8Array) || state.length === 0)
			throw new SnapshotError('スナップショットの内容が空です');
		const createdAt = snapshot.createdAt ?? Date.now();
		return this.store.insert(docId, { name, kind: snapshot.kind, author, createdAt }, state);
	}

	/** A doc's snapshots, newest first, without their contents. */
	list(docId: string): Promise<SnapshotInfo[]> {
		return this.store.list(docId);
	}

	get(id: number): Promise<{ info: SnapshotInfo; state: Uint8Array } | undefined> {
		return this.store.get(id);
	}

	/** The doc's latest snapshot (of a kind). */
	latest(docId: string, kind?: SnapshotKind): Promise<SnapshotInfo | undefined> {
		return this.store.latestAt(docId, Number.MAX_SAFE_INTEGER, kind);
	}

	remove(id: number): Promise<boolean> {
		return this.store.remove(id);
	}

	/**
	 * Takes the automatic snapshots due at `now` (see automaticSnapshotsDue), then applies the
	 * retention rule (RETENTION). `state` is called only when one is due, so a periodic check costs
	 * no encoding. A state the same as the doc's latest snapshot is not stored twice: a daily one is
	 * skipped, and a quarter end relabels an identical daily one (or is skipped after a named or
	 * quarter one). Returns what was stored or relabelled.
	 */
	async takeAutomatic(
		docId: string,
		state: () => Uint8Array | Promise<Uint8Array>,
		now: Date,
		lastChangeAt: number | null
	): Promise<SnapshotInfo[]> {
		const checked = this.checked.get(docId);
		const t = now.getTime();
		const latestAt = async (kind: SnapshotKind) =>
			(await this.store.latestAt(docId, t, kind))?.createdAt;
		const last = {
			quarter: latestOf(await latestAt('quarter'), checked?.quarter),
			// A quarter-end snapshot is that day's copy too.
			daily: latestOf(await latestAt('daily'), await latestAt('quarter'), checked?.daily)
		};
		const due = automaticSnapshotsDue(now, last, lastChangeAt);
		const kind: AutomaticKind | undefined = due.includes('quarter') ? 'quarter' : due[0];
		const taken: SnapshotInfo[] = [];
		if (kind !== undefined) {
			const bytes = await state();
			const latest = await this.store.latestAt(docId, t);
			const fiscalYear = stateFiscalYear(bytes);
			const name =
				kind === 'quarter'
					? quarterSnapshotName(now, fiscalYear)
					: dailySnapshotName(now, fiscalYear);
			if (latest && sameContent(bytes, (await this.store.get(latest.id))!.state)) {
				if (kind === 'quarter' && latest.kind === 'daily') {
					await this.store.relabel(latest.id, kind, name, t);
					taken.push({ ...latest, kind, name, createdAt: t });
				} else {
					// Nothing to store: remembered, so the check is not made again every ten minutes.
					this.checked.set(docId, { ...checked, [kind]: t });
				}
			} else {
				taken.push(await this.create(docId, bytes, { name, kind, author: 'system', createdAt: t }));
			}
		}
		await this.store.expireDaily(docId, t - RETENTION.dailyDays * DAY_MS, t);
		return taken;
	}

	/** Automatic snapshots found identical to the latest and not stored, per doc: when. */
	private readonly checked = new Map<string, { quarter?: number; daily?: number }>();
}

/**
 * What is kept: every named (manual) snapshot and every quarter end, forever; daily ones for 30
 * days (the doc's latest snapshot always, whatever its age).
 */
export const RETENTION = { dailyDays: 30 } as const;

function latestOf(...times: (number | undefined)[]): number | undefined {
	const known = times.filter((t): t is number => t !== undefined);
	return known.length > 0 ? Math.max(...known) : undefined;
}

/** Whether two states hold the same content: the same items and the same deletions. */
function sameContent(a: Uint8Array, b: Uint8Array): boolean {
	const key = (state: Uint8Array) => {
		const doc = new Y.Doc({ gc: false });
		try {
			Y.applyUpdate(doc, state);
			return Y.encodeSnapshot(Y.snapshot(doc));
		} finally {
			doc.destroy();
		}
	};
	const ka = key(a);
	const kb = key(b);
	return ka.length === kb.length && ka.every((byte, i) => byte === kb[i]);
}

/**
 * The table's own fiscal year in a doc state, or null when it has none (or one no table could
 * have): only the meta map is read, not the whole table as snapshotSheet would.
 */
export function stateFiscalYear(state: Uint8Array): number | null {
	const doc = new Y.Doc();
	try {
		Y.applyUpdate(doc, state);
		const parsed = sheetSchema.shape.fiscalYear.safeParse(roots(doc).meta.get('fiscalYear'));
		return parsed.success ? parsed.data : null;
	} finally {
		doc.destroy();
	}
}

/** A snapshot's contents as plain JSON, to show or diff against the live table. */
export function snapshotSheet(state: Uint8Array): SheetJSON {
	const doc = new Y.Doc();
	try {
		Y.applyUpdate(doc, state);
		return docToSheet(doc);
	} finally {
		doc.destroy();
	}
}

// Japan has no daylight saving time, so Japan time is UTC+9 all year round.
const JAPAN = 'Asia/Tokyo';
const JST_OFFSET_MS = 9 * 3_600_000;
const DAY_MS = 86_400_000;

function jstDate(ms: number): { year: number; month: number; day: number } {
	const d = new Date(ms + JST_OFFSET_MS);
	return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

function jstDayNumber(ms: number): number {
	return Math.floor((ms + JST_OFFSET_MS) / DAY_MS);
}

/**
 * The latest end of a fiscal quarter (Jun 30, Sep 30, Dec 31, Mar 31) that has passed at `now`:
 * which quarter, its last day, and the instant it passed (the next day's 00:00 JST).
 */
export function lastQuarterEnd(now: Date): {
	quarter: 1 | 2 | 3 | 4;
	year: number;
	month: number;
	day: number;
	passedAt: number;
} {
	const { year, month } = jstDate(now.getTime());
	// Quarters start in Jan, Apr, Jul, Oct; the latest start at or before now ends the quarter before.
	const startMonth = month - ((month - 1) % 3);
	const passedAt = Date.UTC(year, startMonth - 1, 1) - JST_OFFSET_MS;
	const end = jstDate(passedAt - 1);
	const quarter = ({ 7: 1, 10: 2, 1: 3, 4: 4 } as const)[startMonth as 1 | 4 | 7 | 10];
	return { quarter, ...end, passedAt };
}

/** 「令和2年度 」: what starts a name for a table of `fiscalYear`; nothing when it is unknown. */
function fiscalYearPrefix(fiscalYear: number | null): string {
	return fiscalYear === null ? '' : `${warekiLabel(fiscalYear)} `;
}

/**
 * The name of the quarter-end snapshot taken at `now` of a table of `fiscalYear` (null: unknown),
 * dated in 和暦, Japan time. 「令和2年度 第2四半期末 (令和2年9月30日)」 only when it is that: a
 * quarter of the table's own fiscal year, taken on the day after its end (so it holds what the
 * quarter end held). Otherwise the name claims no quarter of the table: 「令和2年度 四半期ごとの保存
 * (令和8年9月30日)」 for a past year's table still kept, and the day it was taken when that was
 * later (a table made mid-quarter, a server down over the quarter end): 「… (令和2年12月5日)」.
 */
export function quarterSnapshotName(now: Date, fiscalYear: number | null): string {
	const q = lastQuarterEnd(now);
	const prefix = fiscalYearPrefix(fiscalYear);
	if (jstDayNumber(now.getTime()) !== jstDayNumber(q.passedAt))
		return `${prefix}四半期ごとの保存 (${warekiDate(now, JAPAN)})`;
	const lastDay = warekiDate(q.passedAt - 1, JAPAN);
	// The fourth quarter (January–March) ends the fiscal year that began the April before.
	const quarterFiscalYear = q.quarter === 4 ? q.year - 1 : q.year;
	return fiscalYear === null || fiscalYear === quarterFiscalYear
		? `${prefix}第${q.quarter}四半期末 (${lastDay})`
		: `${prefix}四半期ごとの保存 (${lastDay})`;
}

/** 「令和2年度 自動保存 (令和8年12月5日)」: a table of `fiscalYear`, on the Japan day of `now`. */
export function dailySnapshotName(now: Date, fiscalYear: number | null): string {
	return `${fiscalYearPrefix(fiscalYear)}自動保存 (${warekiDate(now, JAPAN)})`;
}

/**
 * Which automatic snapshots to take now, given when the last ones were taken (ms) and when the doc
 * last changed (ms, null = unknown/never):
 * - 'quarter' once a quarter end (end of day JST) has passed since the last one, or if none yet;
 * - 'daily' on a new Japan calendar day after the last one, if the doc changed since (or none yet),
 *   so an idle table does not pile up identical copies.
 */
export function automaticSnapshotsDue(
	now: Date,
	last: { quarter?: number; daily?: number },
	lastChangeAt: number | null
): AutomaticKind[] {
	const due: AutomaticKind[] = [];
	// One taken while the server's clock was ahead is not a reason to wait for that time again.
	const past = (t: number | undefined) => (t !== undefined && t <= now.getTime() ? t : undefined);
	const quarter = past(last.quarter);
	if (quarter === undefined || quarter < lastQuarterEnd(now).passedAt) due.push('quarter');
	const daily = past(last.daily);
	if (
		daily === undefined ||
		(lastChangeAt !== null &&
			lastChangeAt > daily &&
			jstDayNumber(daily) < jstDayNumber(now.getTime()))
	)
		due.push('daily');
	return due;
}
