// Writing a whole table (SheetJSON) into a new, empty doc: imports, new tables, the seed. Apart
// from sheet-doc.ts, so the table page does not load it (it only reads its doc as SheetJSON).
import * as Y from 'yjs';
import type { SheetJSON } from '../model/schema.ts';
import { SCHEMA_VERSION } from '../model/sheet-constants.ts';
import { parentIn, shapeOfSheet, withItemDepartments } from '../model/sheet-shape.ts';
import { keysAfter } from './order.ts';
import { ORIGIN } from './origins.ts';
import { initShape } from './shape-doc.ts';
import { itemRow, kpiRow } from './sheet-doc.ts';
import { roots } from './table-doc.ts';

/** Writes a whole table into an empty doc, its shape included, in one transaction. */
export function sheetToDoc(sheet: SheetJSON, doc: Y.Doc, by = 'import'): void {
	const { shape, removedMarks } = shapeOfSheet(sheet);
	doc.transact(() => {
		const r = roots(doc);
		r.meta.set('schemaVersion', SCHEMA_VERSION);
		r.meta.set('title', sheet.title);
		r.meta.set('planName', sheet.planName);
		r.meta.set('organisation', sheet.organisation);
		r.meta.set('fiscalYear', sheet.fiscalYear);
		// An item's departments join the table's list (an older backup had no list).
		const names = withItemDepartments(
			shape.departments.map((d) => d.name),
			sheet
		);
		for (const name of names.slice(shape.departments.length))
			shape.departments.push({ id: `d${shape.departments.length}`, name });
		const written = initShape(doc, shape, ORIGIN.import, removedMarks);
		if (!written.ok) throw new Error(written.problems.join(' '));
		const pillarKeys = keysAfter(null, sheet.pillars.length);
		sheet.pillars.forEach((pillar, pi) => {
			const p = new Y.Map<unknown>();
			p.set('order', pillarKeys[pi]);
			p.set('no', pillar.no);
			p.set('title', new Y.Text(pillar.title));
			r.pillars.set(pillar.id, p);
			const sectionKeys = keysAfter(null, pillar.sections.length);
			pillar.sections.forEach((section, si) => {
				const s = new Y.Map<unknown>();
				s.set('pillarId', pillar.id);
				s.set('order', sectionKeys[si]);
				s.set('no', section.no);
				s.set('title', new Y.Text(section.title));
				if (section.level === 3) {
					s.set('level', 3);
					const parent = parentIn(pillar.sections, si);
					if (parent) s.set('parent', parent);
				}
				r.sections.set(section.id, s);
				const itemKeys = keysAfter(null, section.items.length);
				section.items.forEach((item, ii) =>
					r.items.set(item.id, itemRow(item, section.id, itemKeys[ii] as string, by, shape))
				);
			});
		});
		const kpiKeys = keysAfter(null, sheet.kpis.length);
		sheet.kpis.forEach((kpi, i) => r.kpis.set(kpi.id, kpiRow(kpi, kpiKeys[i] as string)));
	}, ORIGIN.import);
}
