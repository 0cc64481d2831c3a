// Small migrations so later versions read docs written by older ones.
import * as Y from 'yjs';
import { SCHEMA_VERSION } from '../model/sheet-constants.ts';
import { ORIGIN } from './origins.ts';
import { roots } from './table-doc.ts';

type Migration = (doc: Y.Doc) => void;

/**
 * MIGRATIONS[n] upgrades a doc from version n to n + 1. Version 2 (the table's shape) reads a
 * version 1 doc as it is: its shape is the reference one, built from its meta (shape-doc.ts).
 */
const MIGRATIONS: Record<number, Migration> = {};

/** Returns false when the doc is from a newer Shinko than this one (then it is left untouched). */
export function migrate(doc: Y.Doc): boolean {
	const meta = roots(doc).meta;
	const raw = meta.get('schemaVersion');
	if (raw === undefined) return true; // empty doc, or not loaded yet
	const version = typeof raw === 'number' ? raw : SCHEMA_VERSION;
	if (version > SCHEMA_VERSION) return false;
	if (version === SCHEMA_VERSION) return true;
	doc.transact(() => {
		for (let v = version; v < SCHEMA_VERSION; v++) MIGRATIONS[v]?.(doc);
		meta.set('schemaVersion', SCHEMA_VERSION);
	}, ORIGIN.migrate);
	return true;
}
