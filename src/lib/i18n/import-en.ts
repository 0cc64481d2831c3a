// The strings of the import preview (ImportDialog.svelte), in English.
import type { ImportMessages } from './import-ja.ts';
import { settingsEn } from './settings-en.ts';

export const importEn: ImportMessages = {
	importColumns: 'Columns',
	importColumnsNote:
		'The role of each column, guessed from its header. Choose another where it is wrong; the rows below follow at once.',
	importColumn: 'Column',
	importHeader: 'Header',
	importRole: 'Role',
	importPeriod: 'Period',
	importPeriods: 'Periods',
	importLevels: 'Heading levels (outermost first)',
	importLevel: (n: number) => `Heading level ${n}`,
	importAddPeriod: 'Add a period',
	importMarks: 'Marks',
	importMark: 'Mark',
	importMarkLabel: 'Meaning',
	importMarkTone: 'Colour',
	importAddMark: 'Add a mark',
	importRemove: 'Remove',
	importSheets: (names: string[]) => `Sheets read: ${names.join(', ')}`,
	importCounts: (headings: number, items: number, kpis: number) =>
		`${headings} headings · ${items} items · ${kpis} targets`,
	importWarnings: (n: number) => `Please check (${n})`,
	importMore: (n: number) => `${n} more`,
	importRows: 'Rows to import',
	importMoreRows: (n: number) => `${n} more items`,
	importNotes: 'Notes',
	importSaveMap: 'Save the mapping',
	importSaveMapHelp: 'A saved mapping also works with shinko import FILE --map MAPPING.json.',
	importMappingFailed: 'Cannot import with this mapping',
	importRoles: {
		no: 'Number',
		heading: 'Heading (policy…)',
		title: 'Item',
		content: 'Content',
		department: 'Department',
		yearPlan: 'Year plan',
		plan: 'Plan of a period',
		mark: 'Mark of a period',
		note: 'Achievement and policy',
		extra: 'Added column',
		ignore: 'Do not import'
	},
	importTones: settingsEn.shapeTones
};
