// A small table for tests that do not need the whole reference file.
import * as Y from 'yjs';
import { shapeMap } from '../../src/lib/doc/shape-doc.ts';
import { sheetToDoc } from '../../src/lib/doc/sheet-to-doc.ts';
import { roots } from '../../src/lib/doc/table-doc.ts';
import type { ItemJSON, SheetJSON } from '../../src/lib/model/schema.ts';
import { sheetShapeFields } from '../../src/lib/model/sheet-shape.ts';
import { REFERENCE_SHAPE } from '../../src/lib/model/shape.ts';

export function item(id: string, overrides: Partial<ItemJSON> = {}): ItemJSON {
	return {
		id,
		no: '①',
		title: `項目 ${id}`,
		content: '内容',
		departments: ['総務'],
		yearPlan: '実施',
		plans: ['計画1', '計画2', '計画3', '計画4'],
		marks: ['', '', '', ''],
		note: '達成状況',
		extra: {},
		...overrides
	};
}

export function smallSheet(): SheetJSON {
	return {
		schemaVersion: 2,
		title: '令和2年度 テスト進行管理表',
		planName: '第3次基本計画',
		organisation: '',
		fiscalYear: 2020,
		...sheetShapeFields(REFERENCE_SHAPE),
		pillars: [
			{
				id: 'p1',
				no: '1',
				title: '会員の増強',
				sections: [
					{ id: 's1', no: '(1)', title: '入会の促進', items: [item('a'), item('b', { no: '②' })] }
				]
			}
		],
		kpis: [
			{
				id: 'k1',
				name: '会員数',
				unit: '人',
				baseline: { label: '現状 (H29)', value: 2431 },
				target: 3000,
				years: [{ label: '令和2年度', fiscalYear: 2020, target: 2800, actual: 2034 }]
			}
		]
	};
}

/** The fields of a sheet that describe its shape (periods, marks, departments, …), and no others. */
export function shapeFieldsOf(sheet: SheetJSON) {
	const { levelLabels, periodLabels, markScale, departments, columnLabels, extraColumns } = sheet;
	return { levelLabels, periodLabels, markScale, departments, columnLabels, extraColumns };
}

/** A doc holding `sheet`, and a second replica that starts from the same state. */
export function replicas(sheet: SheetJSON = smallSheet()): [Y.Doc, Y.Doc] {
	const a = new Y.Doc();
	sheetToDoc(sheet, a);
	const b = new Y.Doc();
	Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
	return [a, b];
}

/**
 * A doc as Shinko wrote it before tables had a shape (SheetJSON version 1): nothing under `shape`,
 * the quarter labels and departments in its meta, schemaVersion 1; and a second replica.
 */
export function legacyReplicas(
	sheet: SheetJSON = smallSheet(),
	quarterLabels: string[] = sheet.periodLabels
): [Y.Doc, Y.Doc] {
	const a = new Y.Doc();
	sheetToDoc(sheet, a);
	a.transact(() => {
		const shape = shapeMap(a);
		for (const key of Array.from(shape.keys())) shape.delete(key);
		const meta = roots(a).meta;
		meta.set('schemaVersion', 1);
		meta.set('quarterLabels', [...quarterLabels]);
		meta.set('departments', [...sheet.departments]);
	});
	const b = new Y.Doc();
	Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
	return [a, b];
}

/** Exchanges everything two replicas lack, both ways (a network partition healing). */
export function exchange(a: Y.Doc, b: Y.Doc): void {
	const toB = Y.encodeStateAsUpdate(a, Y.encodeStateVector(b));
	const toA = Y.encodeStateAsUpdate(b, Y.encodeStateVector(a));
	Y.applyUpdate(b, toB);
	Y.applyUpdate(a, toA);
}
