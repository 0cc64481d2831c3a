// The benchmark table: 500 items (6 short text cells, 4 marks, a 1 KB note each), built as a
// SheetJSON and written with sheetToDoc, so every server and client starts from the same state.
// The client's large-table workload uses the same items, 2,000 of them.
import * as Y from 'yjs';
import { sheetToDoc } from '../src/lib/doc/sheet-to-doc.ts';
import type { ItemJSON, SheetJSON } from '../src/lib/model/schema.ts';
import { SCHEMA_VERSION } from '../src/lib/model/sheet-constants.ts';
import { sheetShapeFields } from '../src/lib/model/sheet-shape.ts';
import { REFERENCE_SHAPE } from '../src/lib/model/shape.ts';
import { USER_DISPLAY_NAME } from './servers.ts';

const MARKS = ['○', '×', '—', ''] as const;
const NOTE_UNIT = '新型コロナウイルス感染症の影響により会員募集の説明会を縮小した。';

function note(i: number): string {
	// About 1 KB of UTF-8 (Japanese text is 3 bytes a character).
	let s = `${i}: `;
	while (Buffer.byteLength(s) < 1024) s += NOTE_UNIT;
	return s;
}

function item(id: string, i: number): ItemJSON {
	return {
		id,
		no: `(${i + 1})`,
		title: `取り組み項目 ${i + 1}`,
		content: `具体的内容 ${i + 1}`,
		departments: [i % 2 ? '総務' : '事業'],
		yearPlan: '実施',
		plans: [`計画 ${i}-1`, `計画 ${i}-2`, `計画 ${i}-3`, `計画 ${i}-4`],
		marks: [MARKS[i % 4]!, MARKS[(i + 1) % 4]!, MARKS[(i + 2) % 4]!, MARKS[(i + 3) % 4]!],
		note: note(i),
		extra: {}
	};
}

export const ITEM_COUNT = 500;
/** The large table of the client workload (bench/large-table.ts): the same items, four times as many. */
export const LARGE_ITEM_COUNT = 2000;

export function benchSheet(items = ITEM_COUNT): SheetJSON {
	const pillars: SheetJSON['pillars'] = [];
	const perSection = 25;
	for (let n = 0; n < items; n += perSection) {
		const s = n / perSection;
		const p = Math.floor(s / 5);
		if (!pillars[p])
			pillars[p] = { id: `p${p}`, no: String(p + 1), title: `柱 ${p + 1}`, sections: [] };
		pillars[p]!.sections.push({
			id: `s${s}`,
			no: `(${s + 1})`,
			title: `施策 ${s + 1}`,
			items: Array.from({ length: Math.min(perSection, items - n) }, (_, k) =>
				item(`i${n + k}`, n + k)
			)
		});
	}
	return {
		schemaVersion: SCHEMA_VERSION,
		title: '令和2年度 ベンチマーク進行管理表',
		planName: '第3次基本計画',
		organisation: 'bench',
		fiscalYear: 2020,
		...sheetShapeFields(REFERENCE_SHAPE),
		pillars,
		kpis: []
	};
}

export interface Seed {
	/** The whole table as one update (what the seeding client sends). */
	update: Uint8Array;
	stateVector: Uint8Array;
	itemIds: string[];
}

const cached = new Map<number, Seed>();

export function seed(items = ITEM_COUNT): Seed {
	let s = cached.get(items);
	if (s) return s;
	const doc = new Y.Doc();
	// The marks name who set them: the user the benchmarks log in as, since ours refuses (4403) an
	// update that names anyone else.
	sheetToDoc(benchSheet(items), doc, USER_DISPLAY_NAME);
	const update = Y.encodeStateAsUpdate(doc);
	const itemIds = Array.from(doc.getMap('items').keys());
	s = { update, stateVector: Y.encodeStateVector(doc), itemIds };
	cached.set(items, s);
	doc.destroy();
	return s;
}

/** A replica of the seeded table (a client that has loaded it before). */
export function seededDoc(items = ITEM_COUNT): Y.Doc {
	const doc = new Y.Doc();
	Y.applyUpdate(doc, seed(items).update);
	return doc;
}

/** One small edit (typing a few characters into a random item's note), carrying a marker. */
export function typeInto(doc: Y.Doc, rand: () => number, marker: string): void {
	const ids = seed().itemIds;
	const row = doc.getMap('items').get(ids[Math.floor(rand() * ids.length)]!) as Y.Map<unknown>;
	const note = row.get('note') as Y.Text;
	note.insert(Math.floor(rand() * (note.length + 1)), marker);
}

/** A small seeded PRNG, so runs are repeatable. */
export function prng(seedValue: number): () => number {
	let s = seedValue >>> 0 || 1;
	return () => {
		s ^= s << 13;
		s ^= s >>> 17;
		s ^= s << 5;
		return (s >>> 0) / 2 ** 32;
	};
}
