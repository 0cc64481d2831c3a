// The table's shape (model/shape.ts) in its Y.Doc, so that it syncs and merges like everything
// else.
//
// The root map `shape` holds one flat key per field of an entry: `period:<id>:label`,
// `mark:<id>:tone`, `dept:<id>:name`, `column:<key>:label`, each with `:order` (a fractional
// key) and `:removed`; and `levels`, the heading levels' names. Two admins who change the shape
// offline change different keys unless they change the same field of the same entry, so both keep
// their changes (one field written twice keeps one of the two, as any cell). An entry is never
// deleted: removing a period or a mark sets `removed`, the items keep their values under it, and
// restoring it brings them back.
//
// A table made before shapes existed has nothing under `shape` but `meta.quarterLabels` and
// `meta.departments`: its shape is the reference one built from those, with ids fixed in code
// (quarters 1 to 4, whose plans and marks the items hold as plan1 … mark4), and only what is
// changed is written. A table made from a preset is `explicit`: every entry is written.
import * as Y from 'yjs';
import { QUARTER_LABELS } from '../model/sheet-constants.ts';
import {
	EXTRA_COLUMN_KEY,
	LIMITS,
	QUARTER_PERIODS,
	REFERENCE_MARKS,
	REFERENCE_SHAPE,
	RESERVED_MARKS,
	SHAPE_ID,
	STANDARD_COLUMN_DEFS,
	STANDARD_COLUMNS,
	TONES,
	shapeProblems,
	type ColumnDef,
	type DepartmentDef,
	type MarkDef,
	type PeriodDef,
	type TableShape,
	type Tone
} from '../model/shape.ts';
import { ORIGIN, type Origin } from './origins.ts';
import { keyBetween, keysAfter, compareOrdered } from './order.ts';
import { roots, stringList } from './table-doc.ts';

export const SHAPE_ROOT = 'shape';
const KINDS = ['period', 'mark', 'dept', 'column'] as const;
type Kind = (typeof KINDS)[number];

/** The fields each kind of entry keeps, and what each must be. */
const FIELDS: Record<Kind, Record<string, 'string' | 'tone'>> = {
	period: { label: 'string' },
	mark: { mark: 'string', label: 'string', tone: 'tone', key: 'string' },
	dept: { name: 'string' },
	column: { label: 'string' }
};

/** The field an entry cannot be read without (a column's label may be empty: its usual heading). */
const REQUIRED: Record<Kind, string | null> = {
	period: 'label',
	mark: 'mark',
	dept: 'name',
	column: null
};

/** What a shape lists: periods, marks, departments or columns. */
type ShapeEntryDef = PeriodDef | MarkDef | DepartmentDef | ColumnDef;

export function shapeMap(doc: Y.Doc): Y.Map<unknown> {
	return doc.getMap<unknown>(SHAPE_ROOT);
}

/** How many heading levels the table has (1 to 3), read alone: the outline needs no more. */
export function levelCount(doc: Y.Doc): number {
	const stored = shapeMap(doc).get('levels');
	return Array.isArray(stored) && stored.length > 0
		? Math.min(stored.length, LIMITS.levels.max)
		: REFERENCE_SHAPE.levelLabels.length;
}

/** A shape as stored, with what was removed from it (still readable, and restorable). */
export interface ShapeReading {
	shape: TableShape;
	removed: {
		periods: PeriodDef[];
		marks: MarkDef[];
		departments: DepartmentDef[];
		columns: ColumnDef[];
	};
}

interface Entry {
	id: string;
	order: string;
	removed: boolean;
	fields: Record<string, string>;
}

/** A department's id in a table made before shapes: from its name, the same on every replica. */
export function legacyDepartmentId(name: string): string {
	let hash = 0x811c9dc5;
	for (const c of name) hash = Math.imul(hash ^ (c.codePointAt(0) ?? 0), 0x01000193) >>> 0;
	return 'n' + hash.toString(36);
}

/** Entries of `list`, in its order: a table's base, or a whole shape written at once. */
function entriesOf(kind: Kind, list: ShapeEntryDef[]): Entry[] {
	const orders = keysAfter(null, list.length);
	return list.map((x, i) => ({
		id: idOf(kind, x),
		order: orders[i]!,
		removed: false,
		fields: fieldsOf(kind, x)
	}));
}

/** Where the first change of a table made before shapes keeps a copy of its meta's base. */
const FROZEN = { quarterLabels: 'base:quarterLabels', departments: 'base:departments' } as const;

/** The entries of a table made before shapes, from its meta (or the copy of it, once changed). */
function legacyBase(doc: Y.Doc): Record<Kind, Entry[]> {
	const meta = roots(doc).meta;
	const map = shapeMap(doc);
	const frozen = map.get(FROZEN.quarterLabels) !== undefined;
	const from = (key: keyof typeof FROZEN) =>
		stringList(frozen ? map.get(FROZEN[key]) : meta.get(key));
	const labels = from('quarterLabels');
	const quarterLabels = labels.length === 4 ? labels : [...QUARTER_LABELS];
	const names = [...new Set(from('departments').filter((n) => n.trim() !== ''))];
	return {
		period: entriesOf(
			'period',
			quarterLabels.map((label, i) => ({ id: String(i + 1), label }))
		),
		mark: entriesOf('mark', REFERENCE_SHAPE.marks),
		dept: entriesOf(
			'dept',
			names.map((name) => ({ id: legacyDepartmentId(name), name }))
		),
		column: entriesOf('column', STANDARD_COLUMN_DEFS)
	};
}

function parseKey(key: string): { kind: Kind; id: string; field: string } | null {
	const first = key.indexOf(':');
	const last = key.lastIndexOf(':');
	if (first <= 0 || last <= first) return null;
	const kind = key.slice(0, first) as Kind;
	if (!KINDS.includes(kind)) return null;
	const id = key.slice(first + 1, last);
	const field = key.slice(last + 1);
	if (id === '' || id.length > 64) return null;
	return { kind, id, field };
}

/** The entries of each kind as stored, base and changes together, in order. Never throws. */
function readEntries(doc: Y.Doc): { entries: Record<Kind, Entry[]>; levels: string[] } {
	const map = shapeMap(doc);
	const explicit = map.get('explicit') === true;
	const base = explicit ? { period: [], mark: [], dept: [], column: [] } : legacyBase(doc);
	const byKind = new Map<Kind, Map<string, Entry>>();
	for (const kind of KINDS)
		byKind.set(kind, new Map(base[kind].map((e) => [e.id, { ...e, fields: { ...e.fields } }])));
	for (const [key, value] of map.entries()) {
		const parsed = parseKey(key);
		if (!parsed) continue;
		const entries = byKind.get(parsed.kind)!;
		let entry = entries.get(parsed.id);
		if (!entry)
			entries.set(parsed.id, (entry = { id: parsed.id, order: '', removed: false, fields: {} }));
		if (parsed.field === 'order') {
			if (typeof value === 'string') entry.order = value;
		} else if (parsed.field === 'removed') {
			entry.removed = value === true;
		} else {
			const type = FIELDS[parsed.kind][parsed.field];
			if (type === 'string' && typeof value === 'string') entry.fields[parsed.field] = value;
			if (
				type === 'tone' &&
				typeof value === 'string' &&
				(TONES as readonly string[]).includes(value)
			)
				entry.fields[parsed.field] = value;
		}
	}
	const entries = {} as Record<Kind, Entry[]>;
	for (const kind of KINDS) {
		const required = REQUIRED[kind];
		entries[kind] = [...byKind.get(kind)!.values()]
			.filter((e) => required === null || typeof e.fields[required] === 'string')
			// Ids go into item keys and the page's markup: only the safe alphabet is read.
			.filter((e) =>
				kind === 'column'
					? STANDARD_COLUMNS.includes(e.id as never) || EXTRA_COLUMN_KEY.test(e.id)
					: SHAPE_ID.test(e.id)
			)
			.sort(compareOrdered);
	}
	// Two marks of one text (two admins each adding S offline), or a text the summary uses for
	// its own categories: the first in order is the mark, the others are not read.
	// A mark on the scale wins over a removed one of the same text.
	const seen = new Set<string>(RESERVED_MARKS);
	const kept = new Set<Entry>();
	for (const removed of [false, true])
		for (const e of entries.mark)
			if (e.removed === removed && !seen.has(e.fields.mark!)) {
				seen.add(e.fields.mark!);
				kept.add(e);
			}
	entries.mark = entries.mark.filter((e) => kept.has(e));
	const stored = map.get('levels');
	const levels =
		Array.isArray(stored) && stored.every((l) => typeof l === 'string') && stored.length > 0
			? (stored as string[]).slice(0, LIMITS.levels.max)
			: [...REFERENCE_SHAPE.levelLabels];
	return { entries, levels };
}

const toPeriod = (e: Entry): PeriodDef => ({ id: e.id, label: e.fields.label ?? '' });
const toMark = (e: Entry): MarkDef => ({
	id: e.id,
	mark: e.fields.mark ?? '',
	label: e.fields.label ?? '',
	tone: (e.fields.tone as Tone | undefined) ?? 'good',
	key: e.fields.key ?? ''
});
const toDept = (e: Entry): DepartmentDef => ({ id: e.id, name: e.fields.name ?? '' });
const toColumn = (e: Entry): ColumnDef => ({ key: e.id, label: e.fields.label ?? '' });

/**
 * The table's shape. Never throws: a malformed field reads as absent. A merge can leave a table
 * with every period removed (two admins each removing one of two, offline): then the removed
 * ones are shown, as nothing can be read otherwise; the same for the mark scale.
 */
export function readShape(doc: Y.Doc): ShapeReading {
	return readingOf(readEntries(doc));
}

function readingOf({ entries, levels }: ReturnType<typeof readEntries>): ShapeReading {
	const live = (kind: Kind, keepAll = false) => {
		const kept = entries[kind].filter((e) => !e.removed);
		return kept.length > 0 || !keepAll ? kept : entries[kind];
	};
	const gone = (kind: Kind) => entries[kind].filter((e) => e.removed);
	// A shape with no period or no mark at all (written by a faulty client) reads as the
	// reference one's, so the table can still be shown.
	const periods = live('period', true).map(toPeriod);
	if (periods.length === 0) periods.push(...QUARTER_PERIODS);
	const marks = live('mark', true).map(toMark);
	if (marks.length === 0) marks.push(...REFERENCE_MARKS);
	const columns = live('column').map(toColumn);
	// The standard columns cannot be removed: a removal written by a faulty client is ignored.
	for (const key of STANDARD_COLUMNS)
		if (!columns.some((c) => c.key === key)) {
			const e = entries.column.find((x) => x.id === key);
			columns.push(e ? toColumn(e) : { key, label: '' });
		}
	return {
		shape: {
			levelLabels: levels,
			periods,
			marks,
			departments: live('dept').map(toDept),
			columns: sortColumns(columns, entries.column)
		},
		removed: {
			periods: periods.length === entries.period.length ? [] : gone('period').map(toPeriod),
			marks: marks.length === entries.mark.length ? [] : gone('mark').map(toMark),
			departments: gone('dept').map(toDept),
			columns: gone('column')
				.map(toColumn)
				.filter((c) => !STANDARD_COLUMNS.includes(c.key as never))
		}
	};
}

function sortColumns(columns: ColumnDef[], entries: Entry[]): ColumnDef[] {
	const order = new Map(entries.map((e, i) => [e.id, i]));
	return [...columns].sort((a, b) => (order.get(a.key) ?? 0) - (order.get(b.key) ?? 0));
}

export type ShapeEditResult = { ok: true; changed: boolean } | { ok: false; problems: string[] };

function idOf(kind: Kind, x: ShapeEntryDef): string {
	return kind === 'column' ? (x as ColumnDef).key : (x as PeriodDef).id;
}

function fieldsOf(kind: Kind, x: ShapeEntryDef): Record<string, string> {
	switch (kind) {
		case 'period':
			return { label: (x as PeriodDef).label };
		case 'mark': {
			const m = x as MarkDef;
			return { mark: m.mark, label: m.label, tone: m.tone, key: m.key };
		}
		case 'dept':
			return { name: (x as DepartmentDef).name };
		case 'column':
			return { label: (x as ColumnDef).label };
	}
}

/**
 * Changes the table's shape to `next` (the shape as read, edited), writing only what differs, in
 * one transaction. A shape with problems (shapeProblems) is refused and nothing is written. Ids
 * decide what an entry is: a new id adds an entry, a missing one removes it (its values stay), a
 * removed one's id brings it back.
 */
export function writeShape(
	doc: Y.Doc,
	next: TableShape,
	origin: Origin = ORIGIN.local
): ShapeEditResult {
	// Only what this edit would add is refused: a shape that a merge (or an older client) left
	// with a problem can still be edited, and the problem fixed.
	const stored = readEntries(doc);
	const before = readingOf(stored);
	const existing = new Set(shapeProblems(before.shape));
	const problems = shapeProblems(next).filter((p) => !existing.has(p));
	const known = new Set(
		[
			...before.shape.periods,
			...before.shape.marks,
			...before.shape.departments,
			...before.removed.periods,
			...before.removed.marks,
			...before.removed.departments
		].map((x) => x.id)
	);
	// A mark given the text of a removed one would take its cells, and the removed one could not
	// come back: bring that one back instead.
	for (const m of next.marks) {
		const gone = before.removed.marks.find((r) => r.mark === m.mark && r.id !== m.id);
		if (gone)
			problems.push(
				`評価の記号「${m.mark}」は削除した記号にあります。「元に戻す」で戻してください。`
			);
	}
	const ids = (kind: Kind, list: { id?: string; key?: string }[]) => {
		for (const x of list) {
			const id = idOf(kind, x as never);
			if (known.has(id) || (kind === 'column' && before.shape.columns.some((c) => c.key === id)))
				continue; // already in the table, whatever it looks like
			if (
				kind === 'column'
					? !STANDARD_COLUMNS.includes(id as never) && !EXTRA_COLUMN_KEY.test(id)
					: !SHAPE_ID.test(id)
			)
				problems.push(`内部の識別子「${id}」は使えません。`);
		}
		const seen = new Set<string>();
		for (const x of list) {
			const id = idOf(kind, x as never);
			if (seen.has(id)) problems.push(`内部の識別子「${id}」が二つあります。`);
			seen.add(id);
		}
	};
	ids('period', next.periods);
	ids('mark', next.marks);
	ids('dept', next.departments);
	ids('column', next.columns);
	if (problems.length > 0) return { ok: false, problems: [...new Set(problems)] };

	const map = shapeMap(doc);
	const { entries, levels } = stored;
	const writes: [string, unknown][] = [];
	const plan = (kind: Kind, list: ShapeEntryDef[]) => {
		const current = new Map(entries[kind].map((e) => [e.id, e]));
		const wanted = list.map((x) => idOf(kind, x));
		const wantedSet = new Set(wanted);
		for (const e of entries[kind])
			if (!wantedSet.has(e.id) && !e.removed) writes.push([`${kind}:${e.id}:removed`, true]);
		// Orders: kept when the entries that stay keep their order; else all written anew.
		const kept = wanted.filter((id) => current.has(id));
		const keptOrders = kept.map((id) => current.get(id)!);
		const inOrder = keptOrders.every(
			(e, i) => i === 0 || compareOrdered(keptOrders[i - 1]!, e) < 0
		);
		const orders = inOrder ? null : keysAfter(null, list.length);
		let prev: string | null = null;
		list.forEach((x, i) => {
			const id = wanted[i]!;
			const e = current.get(id);
			let order: string;
			if (orders) order = orders[i]!;
			else if (e && e.order !== '') order = e.order;
			else {
				const nextKept = wanted
					.slice(i + 1)
					.map((w) => current.get(w))
					.find((n) => n && n.order !== '');
				order = keyBetween(prev, nextKept?.order ?? null);
			}
			if (!e || e.order !== order) writes.push([`${kind}:${id}:order`, order]);
			prev = order;
			if (e?.removed) writes.push([`${kind}:${id}:removed`, false]);
			for (const [field, value] of Object.entries(fieldsOf(kind, x)))
				if (e?.fields[field] !== value) writes.push([`${kind}:${id}:${field}`, value]);
		});
	};
	plan('period', next.periods);
	plan('mark', next.marks);
	plan('dept', next.departments);
	plan('column', next.columns);
	if (levels.length !== next.levelLabels.length || levels.some((l, i) => l !== next.levelLabels[i]))
		writes.push(['levels', [...next.levelLabels]]);
	if (writes.length === 0) return { ok: true, changed: false };
	// A table made before shapes keeps its base in its meta, which editors may write: the first
	// change copies it here, so only admins decide it from then on. (Not the base's entries
	// themselves: another admin's offline change to one of them would then lose to the copy.)
	if (map.get('explicit') !== true && map.get(FROZEN.quarterLabels) === undefined) {
		const meta = roots(doc).meta;
		writes.unshift(
			[FROZEN.quarterLabels, stringList(meta.get('quarterLabels'))],
			[FROZEN.departments, stringList(meta.get('departments'))]
		);
	}
	doc.transact(() => {
		for (const [key, value] of writes) map.set(key, value);
	}, origin);
	return { ok: true, changed: true };
}

/**
 * Writes a whole shape into a new table's doc (a preset, another table's shape, the next year's
 * table): every entry, and `explicit`, so no base is read under it.
 */
export function initShape(
	doc: Y.Doc,
	shape: TableShape,
	origin: Origin = ORIGIN.import,
	/** Marks off the scale that the table's cells still hold (a backup keeps them). */
	removedMarks: MarkDef[] = []
): ShapeEditResult {
	const problems = shapeProblems(shape);
	if (problems.length > 0) return { ok: false, problems };
	const map = shapeMap(doc);
	if (map.size > 0) return { ok: false, problems: ['この表にはすでに形があります。'] };
	doc.transact(() => {
		map.set('explicit', true);
		const put = (kind: Kind, list: ShapeEntryDef[]) => {
			for (const e of entriesOf(kind, list)) {
				map.set(`${kind}:${e.id}:order`, e.order);
				for (const [field, value] of Object.entries(e.fields))
					map.set(`${kind}:${e.id}:${field}`, value);
			}
		};
		put('period', shape.periods);
		put('mark', [...shape.marks, ...removedMarks]);
		for (const m of removedMarks) map.set(`mark:${m.id}:removed`, true);
		put('dept', shape.departments);
		put('column', shape.columns);
		map.set('levels', [...shape.levelLabels]);
	}, origin);
	return { ok: true, changed: true };
}
