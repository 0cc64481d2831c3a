// The strings of the import preview (ImportDialog.svelte), in Japanese.
import { ROLE_LABELS, type ColumnRole } from '../import/office/words.ts';
import { settingsJa } from './settings-ja.ts';

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
	/** The roles as the CLI names them too (words.ts). */
	importRoles: ROLE_LABELS as Record<ColumnRole, string>,
	/** The tones as 表の設定 names them. */
	importTones: settingsJa.shapeTones
};

export type ImportMessages = typeof importJa;
