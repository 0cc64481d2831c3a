// The strings of the import preview (ImportDialog.svelte), in Japanese.
import type { ColumnRole } from '../import/office/words.ts';

export const importJa = {
	importColumns: '列の対応',
	importColumnsNote:
		'見出しから推測した各列の役割です。違っていたら選び直してください。下の「取り込まれる行」にすぐ反映されます。',
	importColumn: '列',
	importHeader: '見出し',
	importRole: '役割',
	importPeriod: '期間',
	importPeriods: '期間',
	importLevels: '見出しの階層（外側から）',
	importLevel: (n: number) => `見出しの第${n}階層`,
	importAddPeriod: '期間を追加',
	importMarks: '評価の記号',
	importMark: '記号',
	importMarkLabel: '意味',
	importMarkTone: '色分け',
	importAddMark: '記号を追加',
	importRemove: '削除',
	importSheets: (names: string[]) => `読んだシート: ${names.map((n) => `「${n}」`).join('')}`,
	importCounts: (headings: number, items: number, kpis: number) =>
		`見出し ${headings}・取り組み項目 ${items}・目標 ${kpis}`,
	importWarnings: (n: number) => `確認してください（${n} 件）`,
	importMore: (n: number) => `ほか ${n} 件`,
	importRows: '取り込まれる行',
	importMoreRows: (n: number) => `ほか ${n} 項目`,
	importNotes: '注記',
	importSaveMap: '対応表を保存',
	importSaveMapHelp: '保存した対応表は shinko import ファイル --map 対応表.json でも使えます。',
	importMappingFailed: 'この対応では取り込めません',
	importRoles: {
		no: '番号',
		heading: '見出し（施策など）',
		title: '取り組み項目',
		content: '具体的内容',
		department: '担当課',
		yearPlan: '年度計画',
		plan: '期間の計画',
		mark: '期間の評価',
		note: '達成状況・方針',
		extra: '追加の列',
		ignore: '取り込まない'
	} as Record<ColumnRole, string>,
	importTones: {
		good: '順調（緑）',
		partly: '一部遅れ（黄）',
		behind: '遅れ（赤）',
		na: '対象外（灰）'
	} as Record<string, string>
};

export type ImportMessages = typeof importJa;
