// Conversion between the plain SheetJSON and a table Y.Doc.
import * as Y from 'yjs';
import { MARKS, MARK_MEANINGS, type Mark } from '../model/marks.ts';
import type { ItemJSON, KpiJSON, MarkCell, SheetJSON } from '../model/schema.ts';
import { DEPARTMENTS, QUARTER_LABELS, SCHEMA_VERSION } from '../model/sheet-constants.ts';
import { markEntrySchema } from './mark-register.ts';
import { ORIGIN } from './origins.ts';
import { readShape } from './shape-doc.ts';
import { keysAfter } from './order.ts';
import {
	numOrNull,
	PLAN_FIELDS,
	QUARTERS,
	markKey,
	readItemMark,
	readKpiYears,
	readKpis,
	readOutline,
	roots,
	str,
	stringList,
	textValue,
	type YRow
} from './table-doc.ts';

function text(value: string): Y.Text {
	return new Y.Text(value);
}

/** A mark register holding what the cell says, conflicts included. */
function markRegister(cell: MarkCell, by: string, at: number): Y.Map<unknown> {
	const register = new Y.Map<unknown>();
	const values: Mark[] = cell === '' ? [] : Array.isArray(cell) ? cell : [cell];
	values.forEach((value, i) =>
		register.set(`import-${i}`, markEntrySchema.parse({ value, by, at }))
	);
	return register;
}

export function itemRow(item: ItemJSON, sectionId: string, order: string, by: string): YRow {
	const row = new Y.Map<unknown>();
	const at = Date.now();
	row.set('sectionId', sectionId);
	row.set('order', order);
	row.set('no', item.no);
	row.set('title', text(item.title));
	row.set('content', text(item.content));
	row.set('departments', [...item.departments]);
	row.set('yearPlan', text(item.yearPlan));
	PLAN_FIELDS.forEach((f, i) => row.set(f, text(item.plans[i] ?? '')));
	QUARTERS.forEach((q, i) => row.set(markKey(q), markRegister(item.marks[i] ?? '', by, at)));
	row.set('note', text(item.note));
	return row;
}

export function kpiRow(kpi: KpiJSON, order: string): YRow {
	const row = new Y.Map<unknown>();
	row.set('order', order);
	row.set('name', kpi.name);
	row.set('unit', kpi.unit);
	row.set('baselineLabel', kpi.baseline.label);
	row.set('baseline', kpi.baseline.value);
	row.set('target', kpi.target);
	const years = new Y.Map<unknown>();
	for (const y of kpi.years) {
		const year = new Y.Map<unknown>();
		year.set('label', y.label);
		year.set('fiscalYear', y.fiscalYear);
		year.set('target', y.target);
		year.set('actual', y.actual);
		years.set(String(y.fiscalYear), year);
	}
	row.set('years', years);
	return row;
}

/** Writes a whole table into an empty doc, in one transaction. */
export function sheetToDoc(sheet: SheetJSON, doc: Y.Doc, by = 'import'): void {
	doc.transact(() => {
		const r = roots(doc);
		r.meta.set('schemaVersion', SCHEMA_VERSION);
		r.meta.set('title', sheet.title);
		r.meta.set('planName', sheet.planName);
		r.meta.set('organisation', sheet.organisation);
		r.meta.set('fiscalYear', sheet.fiscalYear);
		r.meta.set('quarterLabels', [...sheet.quarterLabels]);
		r.meta.set(
			'marks',
			MARKS.map((mark) => ({ mark, meaning: MARK_MEANINGS[mark] }))
		);
		const departments = new Set<string>(DEPARTMENTS);
		const pillarKeys = keysAfter(null, sheet.pillars.length);
		sheet.pillars.forEach((pillar, pi) => {
			const p = new Y.Map<unknown>();
			p.set('order', pillarKeys[pi]);
			p.set('no', pillar.no);
			p.set('title', text(pillar.title));
			r.pillars.set(pillar.id, p);
			const sectionKeys = keysAfter(null, pillar.sections.length);
			pillar.sections.forEach((section, si) => {
				const s = new Y.Map<unknown>();
				s.set('pillarId', pillar.id);
				s.set('order', sectionKeys[si]);
				s.set('no', section.no);
				s.set('title', text(section.title));
				r.sections.set(section.id, s);
				const itemKeys = keysAfter(null, section.items.length);
				section.items.forEach((item, ii) => {
					item.departments.forEach((d) => departments.add(d));
					r.items.set(item.id, itemRow(item, section.id, itemKeys[ii] as string, by));
				});
			});
		});
		r.meta.set('departments', [...departments]);
		const kpiKeys = keysAfter(null, sheet.kpis.length);
		sheet.kpis.forEach((kpi, i) => r.kpis.set(kpi.id, kpiRow(kpi, kpiKeys[i] as string)));
	}, ORIGIN.import);
}

/**
 * The four quarters' labels: the shape's (表の設定 renames them there), while the shape's periods
 * are the four quarters; else the meta's, as written before shapes.
 */
export function quarterLabelsOf(
	doc: Y.Doc,
	{ periods } = readShape(doc).shape
): SheetJSON['quarterLabels'] {
	const labels =
		periods.length === 4 && periods.every((p, i) => p.id === String(i + 1))
			? periods.map((p) => p.label)
			: stringList(roots(doc).meta.get('quarterLabels'));
	return labels.length === 4
		? [labels[0]!, labels[1]!, labels[2]!, labels[3]!]
		: [...QUARTER_LABELS];
}

function readMeta(doc: Y.Doc) {
	const meta = roots(doc).meta;
	const quarterLabels = quarterLabelsOf(doc);
	const fy = numOrNull(meta.get('fiscalYear'));
	return {
		title: typeof meta.get('title') === 'string' ? (meta.get('title') as string) : '',
		planName: typeof meta.get('planName') === 'string' ? (meta.get('planName') as string) : '',
		organisation:
			typeof meta.get('organisation') === 'string' ? (meta.get('organisation') as string) : '',
		fiscalYear: fy !== null && Number.isInteger(fy) ? fy : new Date().getFullYear(),
		quarterLabels
	};
}

export function itemToJSON(id: string, row: YRow): ItemJSON {
	return {
		id,
		no: str(row, 'no'),
		title: textValue(row, 'title'),
		content: textValue(row, 'content'),
		departments: stringList(row.get('departments')),
		yearPlan: textValue(row, 'yearPlan'),
		plans: [
			textValue(row, 'plan1'),
			textValue(row, 'plan2'),
			textValue(row, 'plan3'),
			textValue(row, 'plan4')
		],
		marks: [
			readItemMark(row, 1).cell,
			readItemMark(row, 2).cell,
			readItemMark(row, 3).cell,
			readItemMark(row, 4).cell
		],
		note: textValue(row, 'note')
	};
}

/** The doc as plain JSON. Never throws: bad values read as empty. Orphan rows are left out. */
export function docToSheet(doc: Y.Doc): SheetJSON {
	const outline = readOutline(doc);
	return {
		schemaVersion: SCHEMA_VERSION,
		...readMeta(doc),
		pillars: outline.pillars.map((p) => ({
			id: p.id,
			no: str(p.row, 'no'),
			title: textValue(p.row, 'title'),
			sections: p.sections.map((s) => ({
				id: s.id,
				no: str(s.row, 'no'),
				title: textValue(s.row, 'title'),
				items: s.items.map((i) => itemToJSON(i.id, i.row))
			}))
		})),
		kpis: readKpis(doc).map(({ id, row }) => ({
			id,
			name: str(row, 'name'),
			unit: str(row, 'unit'),
			baseline: { label: str(row, 'baselineLabel'), value: numOrNull(row.get('baseline')) },
			target: numOrNull(row.get('target')),
			years: readKpiYears(row).map(({ label, fiscalYear, target, actual }) => ({
				label,
				fiscalYear,
				target,
				actual
			}))
		}))
	};
}
