// The update guard counts an update's structs from their headers before Yjs builds them: the count
// must be Yjs' own for every kind of content, and a flood of tiny structs is refused unbuilt.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
	checkUpdate,
	countUpdate,
	MAX_STRUCTS_PER_UPDATE,
	UpdateGuardError
} from '../../server/update-guard.ts';
import { sheetToDoc } from '../../src/lib/doc/sheet-to-doc.ts';
import { parseTextTable } from '../../src/lib/import/text-table.ts';
import { structFlood } from '../helpers/hostile.ts';

/** Yjs' own count of an update's structs and deleted ranges, and ours. */
function yjsCount(update: Uint8Array): [number, number] {
	const { structs, ds } = Y.decodeUpdate(update);
	let ranges = 0;
	for (const list of ds.clients.values()) ranges += list.length;
	return [structs.length, ranges];
}
function ourCount(update: Uint8Array): [number, number] | undefined {
	const counts = countUpdate(update, Infinity);
	return counts && [counts.structs, counts.deleteRanges];
}

/** One edit of a doc, each kind of content Yjs has among them. */
type Edit = (doc: Y.Doc, n: number) => void;
const edits: Edit[] = [
	(doc, n) => doc.getText('t').insert(0, `文字${n}`),
	(doc, n) => doc.getText('t').insert(0, `b${n}`, { bold: true }),
	(doc, n) => doc.getText('t').insertEmbed(0, { image: `p${n}.png` }),
	(doc) => doc.getText('t').format(0, 2, { italic: true }),
	(doc) => doc.getText('t').length > 1 && doc.getText('t').delete(0, 2),
	(doc, n) => doc.getMap('m').set(`k${n % 5}`, { n, nested: [n, 'x', null, true, { d: 1.5 }] }),
	(doc, n) => doc.getMap('m').set(`b${n % 3}`, new Uint8Array([n % 256, 1, 2])),
	(doc, n) => doc.getMap('m').set(`y${n % 4}`, new Y.Map([['v', n]])),
	(doc) => doc.getMap('m').delete('k1'),
	(doc, n) => doc.getArray('a').insert(0, [n, `s${n}`, null, new Y.Text(`t${n}`)]),
	(doc) => doc.getArray('a').length > 0 && doc.getArray('a').delete(0, 1),
	(doc, n) => doc.getXmlFragment('x').insert(0, [new Y.XmlElement(`p${n % 3}`)]),
	(doc, n) => doc.getXmlFragment('x').insert(0, [new Y.XmlText(`xml ${n}`)]),
	// A hook is an XML element to Yjs' encoder, with a name of its own (typeRef 5).
	(doc, n) =>
		doc.getXmlFragment('x').insert(0, [new Y.XmlHook(`hook${n % 2}`) as unknown as Y.XmlElement]),
	(doc, n) => doc.getMap('m').set(`d${n % 2}`, new Y.Doc({ guid: `sub-${n}` }))
];

describe('countUpdate', () => {
	it('counts what Yjs decodes, for every kind of content, in states, updates and merges', () => {
		fc.assert(
			fc.property(
				fc.array(fc.tuple(fc.nat(edits.length - 1), fc.nat(1000), fc.boolean()), {
					maxLength: 60
				}),
				fc.boolean(),
				(steps, gc) => {
					const doc = new Y.Doc({ gc });
					const updates: Uint8Array[] = [];
					doc.on('update', (u: Uint8Array) => updates.push(u));
					for (const [which, n, newClient] of steps) {
						// Another session (client id) now and then, as devices bring theirs.
						if (newClient) doc.clientID = (doc.clientID + 1) % 2 ** 31;
						edits[which]!(doc, n);
					}
					const cases = [
						Y.encodeStateAsUpdate(doc),
						...updates,
						// A merge of every other update has gaps: Skip structs.
						Y.mergeUpdates(updates.filter((_, i) => i % 2 === 0))
					];
					for (const update of cases) expect(ourCount(update)).toEqual(yjsCount(update));
				}
			),
			{ numRuns: 200 }
		);
	});

	it('counts the reference table as Yjs does', () => {
		const doc = new Y.Doc();
		sheetToDoc(
			parseTextTable(
				readFileSync(new URL('../../server/seed/r2-progress-table.txt', import.meta.url), 'utf8')
			),
			doc
		);
		const update = Y.encodeStateAsUpdate(doc);
		expect(ourCount(update)).toEqual(yjsCount(update));
	});

	it('says nothing of bytes it cannot read: Yjs then decides, as before', () => {
		expect(countUpdate(new Uint8Array([5, 200]), Infinity)).toBeUndefined();
		expect(countUpdate(new Uint8Array([]), Infinity)).toBeUndefined();
	});
});

describe('checkUpdate and a flood of tiny structs', () => {
	it('refuses one past MAX_STRUCTS_PER_UPDATE, in one client or spread over many, unbuilt', () => {
		const one = structFlood(1, MAX_STRUCTS_PER_UPDATE + 1);
		const spread = structFlood(2000, Math.ceil((MAX_STRUCTS_PER_UPDATE + 1) / 2000));
		// Without the count, Yjs built every struct and the update passed every other check.
		for (const update of [one, spread])
			expect(() => checkUpdate(update)).toThrow(
				new UpdateGuardError(
					`update of more than ${MAX_STRUCTS_PER_UPDATE} structs and deleted ranges`
				)
			);
	});

	it('refuses clients by the thousand in empty blocks or in the delete set, and ranges by the million', () => {
		// Each costs Yjs an entry and a sort though it holds nothing: 2,000,000 empty blocks took 4 s
		// to apply, a delete set of 1,500,000 clients 13 s to decode and apply.
		expect(() => checkUpdate(structFlood(20_000, 0))).toThrow(
			new UpdateGuardError('update names 20000 clients')
		);
		expect(() => checkUpdate(structFlood(0, 0, 20_000))).toThrow(
			new UpdateGuardError('update names 20000 clients')
		);
		expect(() => checkUpdate(structFlood(0, 0, 1, MAX_STRUCTS_PER_UPDATE + 1))).toThrow(
			new UpdateGuardError(
				`update of more than ${MAX_STRUCTS_PER_UPDATE} structs and deleted ranges`
			)
		);
	});

	it('holds an admin to no struct count: a restore gives the server back all it lacks at once', () => {
		const update = structFlood(1, 2000);
		expect(() => checkUpdate(update, { doc: new Y.Doc(), maxStructs: 1000 })).toThrow(
			UpdateGuardError
		);
		expect(() => checkUpdate(update, { doc: new Y.Doc(), maxStructs: Infinity })).not.toThrow();
	});

	it('takes many tiny structs below the limit', () => {
		const update = structFlood(1, 1000);
		expect(countUpdate(update, MAX_STRUCTS_PER_UPDATE)?.structs).toBe(1000);
		expect(() => checkUpdate(update)).not.toThrow();
	});
});
