// Convergence under partitions (issue #8, 2): random table operations on several replicas, with
// updates delivered in random subsets and orders (arbitrary partitions, delays and reordering,
// missing dependencies included), then everything delivered.
//
// Checked at the end: all replicas are equal (docToSheet and state vectors, nothing pending); every
// typed token is in its cell unless its item was deleted; and every mark cell shows exactly the
// assignments nobody overwrote: a set or clear on a cell supersedes the assignments its replica had
// integrated at that moment, so two concurrent different marks that nobody resolved afterwards
// are both visible, as a conflict.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
	deleteItem,
	insertItem,
	moveItem,
	setItemMark,
	spliceText
} from '../../src/lib/doc/ops.ts';
import { docToSheet } from '../../src/lib/doc/sheet-doc.ts';
import { sheetToDoc } from '../../src/lib/doc/sheet-to-doc.ts';
import { readItemMark, readOutline, roots, textOf } from '../../src/lib/doc/table-doc.ts';
import { scaleOf } from '../../src/lib/doc/table-doc.ts';
import { REFERENCE_SHAPE } from '../../src/lib/model/shape.ts';

const REF_SCALE = scaleOf(REFERENCE_SHAPE);
const MARKS = REF_SCALE;
import { item, smallSheet } from '../helpers/sheet.ts';

const REMOTE = Symbol('remote');
const FIELDS = ['note', 'title'] as const;

type Op =
	| { t: 'insert'; r: number; section: number; after: number }
	| { t: 'move'; r: number; item: number; section: number; at: number }
	| { t: 'delete'; r: number; item: number }
	| { t: 'type'; r: number; item: number; field: number; at: number }
	| { t: 'mark'; r: number; item: number; q: number; value: number }
	| { t: 'deliver'; from: number; to: number; picks: number[] };

const opArb = (replicas: number): fc.Arbitrary<Op> => {
	const r = fc.nat(replicas - 1);
	return fc.oneof(
		{
			weight: 2,
			arbitrary: fc.record({
				t: fc.constant('insert' as const),
				r,
				section: fc.nat(),
				after: fc.nat()
			})
		},
		{
			weight: 2,
			arbitrary: fc.record({
				t: fc.constant('move' as const),
				r,
				item: fc.nat(),
				section: fc.nat(),
				at: fc.nat()
			})
		},
		{ weight: 1, arbitrary: fc.record({ t: fc.constant('delete' as const), r, item: fc.nat() }) },
		{
			weight: 4,
			arbitrary: fc.record({
				t: fc.constant('type' as const),
				r,
				item: fc.nat(),
				field: fc.nat(),
				at: fc.nat()
			})
		},
		{
			weight: 4,
			arbitrary: fc.record({
				t: fc.constant('mark' as const),
				r,
				item: fc.nat(),
				q: fc.nat(3),
				value: fc.nat(MARKS.length)
			})
		},
		{
			weight: 4,
			arbitrary: fc.record({
				t: fc.constant('deliver' as const),
				from: r,
				to: r,
				picks: fc.array(fc.nat(), { maxLength: 8 })
			})
		}
	);
};

interface Assignment {
	itemId: string;
	q: string;
	value: string;
	client: number;
	clockAfter: number;
	superseded: boolean;
}

class World {
	readonly docs: Y.Doc[];
	/** Each replica's own updates, and which of them each replica has received. */
	readonly outbox: Uint8Array[][];
	readonly received: Set<string>[];
	readonly tokens: { itemId: string; field: (typeof FIELDS)[number]; token: string }[] = [];
	readonly deleted = new Set<string>();
	readonly assignments: Assignment[] = [];
	private counter = 0;

	constructor(n: number) {
		const sheet = smallSheet();
		sheet.pillars[0]!.sections.push({ id: 's2', no: '(2)', title: '就業機会', items: [item('c')] });
		const base = new Y.Doc();
		sheetToDoc(sheet, base);
		const initial = Y.encodeStateAsUpdate(base);
		this.docs = Array.from({ length: n }, () => {
			const doc = new Y.Doc();
			Y.applyUpdate(doc, initial, REMOTE);
			return doc;
		});
		this.outbox = this.docs.map(() => []);
		this.received = this.docs.map(() => new Set());
		this.docs.forEach((doc, i) =>
			doc.on('update', (u: Uint8Array, origin: unknown) => {
				if (origin !== REMOTE) this.outbox[i]!.push(u);
			})
		);
	}

	private itemIds(r: number): string[] {
		return Array.from(roots(this.docs[r]!).items.keys()).sort();
	}

	apply(op: Op): void {
		if (op.t === 'deliver') return this.deliver(op.from, op.to, op.picks);
		const doc = this.docs[op.r]!;
		const sections = readOutline(doc).pillars.flatMap((p) => p.sections);
		const ids = this.itemIds(op.r);
		const itemId = 'item' in op ? ids[op.item % Math.max(1, ids.length)] : undefined;
		switch (op.t) {
			case 'insert': {
				const s = sections[op.section % sections.length]!;
				const after = op.after % (s.items.length + 1);
				insertItem(doc, s.id, after === 0 ? null : s.items[after - 1]!.id, `r${op.r}`);
				break;
			}
			case 'move': {
				if (!itemId) return;
				const s = sections[op.section % sections.length]!;
				const others = s.items.filter((i) => i.id !== itemId);
				const at = op.at % (others.length + 1);
				moveItem(doc, itemId, s.id, others[at - 1]?.id ?? null, others[at]?.id ?? null);
				break;
			}
			case 'delete':
				if (!itemId) return;
				deleteItem(doc, itemId);
				this.deleted.add(itemId);
				break;
			case 'type': {
				const row = itemId ? roots(doc).items.get(itemId) : undefined;
				const field = FIELDS[op.field % FIELDS.length]!;
				const text = row ? textOf(row, field) : null;
				if (!itemId || !text) return;
				// Tokens go in only at token boundaries, so one never splits another.
				const prev = text.toString();
				const bounds = [0, prev.length, ...[...prev.matchAll(/\]/g)].map((m) => m.index + 1)];
				const at = bounds[op.at % bounds.length]!;
				const token = `[${op.r}.${this.counter++}]`;
				spliceText(text, prev.slice(0, at) + token + prev.slice(at), undefined, at + token.length);
				this.tokens.push({ itemId, field, token });
				break;
			}
			case 'mark': {
				if (!itemId) return;
				const q = String(op.q + 1);
				const value = op.value < MARKS.length ? MARKS[op.value]! : '';
				// Whatever this replica has integrated on the cell, it now overwrites.
				const sv = Y.decodeStateVector(Y.encodeStateVector(doc));
				for (const a of this.assignments) {
					if (a.itemId === itemId && a.q === q && (sv.get(a.client) ?? 0) >= a.clockAfter)
						a.superseded = true;
				}
				setItemMark(doc, itemId, q, value, `r${op.r}`);
				if (value !== '') {
					const clockAfter = Y.decodeStateVector(Y.encodeStateVector(doc)).get(doc.clientID)!;
					this.assignments.push({
						itemId,
						q,
						value,
						client: doc.clientID,
						clockAfter,
						superseded: false
					});
				}
				break;
			}
		}
	}

	/** Delivers some of `from`'s updates that `to` lacks, in a shuffled order. */
	private deliver(from: number, to: number, picks: number[]): void {
		if (from === to) return;
		const pending = this.outbox[from]!.map((_, k) => k).filter(
			(k) => !this.received[to]!.has(`${from}:${k}`)
		);
		for (const pick of picks) {
			if (pending.length === 0) return;
			const [k] = pending.splice(pick % pending.length, 1);
			this.received[to]!.add(`${from}:${k}`);
			Y.applyUpdate(this.docs[to]!, this.outbox[from]![k!]!, REMOTE);
		}
	}

	/** The partition heals: everyone gets everything, in a shuffled order. */
	healAll(random: () => number): void {
		for (let to = 0; to < this.docs.length; to++) {
			const all = this.docs.flatMap((_, from) =>
				this.outbox[from]!.map((u, k) => ({ from, k, u }))
			);
			const missing = all.filter(
				({ from, k }) => from !== to && !this.received[to]!.has(`${from}:${k}`)
			);
			for (let i = missing.length - 1; i > 0; i--) {
				const j = Math.floor(random() * (i + 1));
				[missing[i], missing[j]] = [missing[j]!, missing[i]!];
			}
			for (const { from, k, u } of missing) {
				this.received[to]!.add(`${from}:${k}`);
				Y.applyUpdate(this.docs[to]!, u, REMOTE);
			}
		}
	}
}

function check(world: World): void {
	const [first, ...rest] = world.docs;
	const sheet = docToSheet(first!);
	const sv = Y.encodeStateVector(first!);
	for (const doc of world.docs) {
		expect(doc.store.pendingStructs).toBeNull();
		expect(doc.store.pendingDs).toBeNull();
	}
	for (const doc of rest) {
		expect(docToSheet(doc)).toEqual(sheet);
		expect(Y.encodeStateVector(doc)).toEqual(sv);
	}
	const items = roots(first!).items;
	for (const { itemId, field, token } of world.tokens) {
		if (world.deleted.has(itemId)) continue;
		const text = textOf(items.get(itemId)!, field)!.toString();
		expect(text, `token ${token} in ${itemId}.${field}`).toContain(token);
	}
	const cells = new Map<string, Set<string>>();
	for (const a of world.assignments) {
		const key = `${a.itemId}:${a.q}`;
		if (!cells.has(key)) cells.set(key, new Set());
		if (!a.superseded) cells.get(key)!.add(a.value);
	}
	for (const [key, expected] of cells) {
		const [itemId, q] = key.split(':') as [string, string];
		if (world.deleted.has(itemId)) continue;
		const reading = readItemMark(items.get(itemId)!, String(q), REF_SCALE);
		expect(new Set(reading.entries.map((e) => e.value)), key).toEqual(expected);
		if (expected.size > 1) expect(Array.isArray(reading.cell), `${key} in conflict`).toBe(true);
	}
}

describe('convergence under partitions', () => {
	for (const replicas of [3, 4]) {
		it(`${replicas} replicas converge, keep every typed token and show every unresolved conflict`, () => {
			fc.assert(
				fc.property(
					fc.array(opArb(replicas), { minLength: 1, maxLength: 80 }),
					fc.integer(),
					(ops, seed) => {
						const world = new World(replicas);
						for (const op of ops) world.apply(op);
						let s = seed >>> 0;
						world.healAll(() => (s = (s * 1103515245 + 12345) >>> 0) / 2 ** 32);
						check(world);
					}
				),
				{ numRuns: 1000 }
			);
		}, 60_000);
	}

	it('shows two concurrent different marks as a conflict until someone picks one', () => {
		const world = new World(2);
		world.apply({ t: 'mark', r: 0, item: 0, q: 0, value: 0 });
		world.apply({ t: 'mark', r: 1, item: 0, q: 0, value: 1 });
		world.healAll(Math.random);
		const id = Array.from(roots(world.docs[0]!).items.keys()).sort()[0]!;
		expect(readItemMark(roots(world.docs[1]!).items.get(id)!, '1', REF_SCALE).cell).toEqual([
			MARKS[0],
			MARKS[1]
		]);
		check(world);
		world.apply({ t: 'mark', r: 1, item: 0, q: 0, value: 1 });
		world.healAll(Math.random);
		expect(readItemMark(roots(world.docs[0]!).items.get(id)!, '1', REF_SCALE).cell).toBe(MARKS[1]);
		check(world);
	});
});
