// A small table for tests that do not need the whole reference file.
import * as Y from 'yjs';
import { sheetToDoc } from '../../src/lib/doc/sheet-doc.ts';
import type { ItemJSON, SheetJSON } from '../../src/lib/model/schema.ts';

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
		...overrides
	};
}

export function smallSheet(): SheetJSON {
	return {
		schemaVersion: 1,
		title: '令和2年度 テスト進行管理表',
		planName: '第3次基本計画',
		organisation: '',
		fiscalYear: 2020,
		quarterLabels: ['～6月', '～9月', '～12月', '～3月'],
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

/** A doc holding `sheet`, and a second replica that starts from the same state. */
export function replicas(sheet: SheetJSON = smallSheet()): [Y.Doc, Y.Doc] {
	const a = new Y.Doc();
	sheetToDoc(sheet, a);
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
