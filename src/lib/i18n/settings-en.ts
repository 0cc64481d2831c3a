// The strings of 表の設定 (TableSettings.svelte), in English.
import type { SettingsMessages } from './settings-ja.ts';

export const settingsEn: SettingsMessages = {
	tableSettingsAdminsOnly: 'Only admins can change the table settings.',
	shapePeriods: 'Periods',
	shapePeriodsNote:
		'The periods progress is tracked in, and their headings. A removed period keeps its plans and marks, and can be restored.',
	shapePeriodLabel: (n: number) => `Name of period ${n}`,
	shapeDepartments: 'Departments',
	shapeDepartmentsNote:
		'The departments the department column offers. Removing one from the list leaves it on the items that have it.',
	shapeDepartmentName: (name: string) => `Name of the department “${name}”`,
	shapeAddDepartment: 'Add department',
	shapeNewDepartment: 'Name of the department to add',
	shapeRemove: 'Remove',
	shapeRemoveDepartment: (name: string) => `Remove the department “${name}” from the list`,
	shapeRemoveDepartmentConfirm: (name: string, items: number) =>
		items > 0
			? `Remove the department “${name}” from the list? The ${items} items it is in charge of keep it.`
			: `Remove the department “${name}” from the list?`,
	shapeRemovedDepartments: 'Removed departments',
	shapeDepartmentRemoved: (name: string) =>
		`“${name}” is a removed department: put it back with Restore below.`,
	shapeRestore: 'Restore',
	shapeRestoreDepartment: (name: string) => `Put the department “${name}” back in the list`,
	shapeMarks: 'Marks',
	shapeMarksNote:
		'The marks of the progress rows, with their meaning, colour group and key. A removed mark stays in the cells that have it, shown as not in the scale, and can be restored.',
	shapeMark: 'Mark',
	shapeMarkLabel: 'Meaning',
	shapeMarkTone: 'Colour group',
	shapeMarkKey: 'Key',
	shapeTones: {
		good: 'On track (green)',
		partly: 'Partly behind (yellow)',
		behind: 'Behind (red)',
		na: 'Not applicable (grey)'
	} as Record<string, string>,
	shapeBasics: 'The table',
	shapeTitle: 'Title',
	shapeOrganisation: 'Organisation',
	shapePlanName: 'Plan name',
	shapeFiscalYear: 'Fiscal year',
	shapeLevels: 'Heading levels',
	shapeLevelsNote: 'The names of the headings above an item, outermost first.',
	shapeLevelLabel: (n: number) => `Name of level ${n}`,
	shapeUseOneLevel: 'Use one heading level',
	shapeUseTwoLevels: 'Use two heading levels',
	shapeUseThreeLevels: 'Use three heading levels',
	shapeSecondLevel: '施策',
	shapeThirdLevel: '具体的施策',
	shapeTwoLevelsConfirm: (level: string) =>
		`Use two heading levels? The “${level}” headings are shown as headings of the level above. Three levels show them as before.`,
	shapeOneLevelConfirm: (level: string) =>
		`Use one heading level? The “${level}” headings are no longer shown; their items are listed under the heading above. Two levels show them again.`,
	shapePresets: 'Presets',
	shapeUsePreset: (name: string) => `Use “${name}”`,
	shapePeriodPresetConfirm: (name: string) =>
		`Use the periods “${name}”? Periods not in it are removed; their plans and marks stay.`,
	shapeAddPeriod: 'Add period',
	shapeNewPeriod: 'Name of the period to add',
	shapeRemovePeriod: (label: string) => `Remove the period “${label}”`,
	shapeRemovePeriodConfirm: (label: string, items: number) =>
		items > 0
			? `Remove the period “${label}”? The plans and marks of ${items} items in it stay and come back with Restore.`
			: `Remove the period “${label}”?`,
	shapeRemovedPeriods: 'Removed periods',
	shapeRestorePeriod: (label: string) => `Restore the period “${label}”`,
	shapeMarkPresetConfirm: (name: string, items: number) =>
		items > 0
			? `Use the marks “${name}”? The marks of ${items} items stay, shown as not in the scale.`
			: `Use the marks “${name}”?`,
	shapeMarkField: (mark: string, field: string) => `${field} of the mark “${mark}”`,
	shapeAddMark: 'Add mark',
	shapeNewMark: 'Mark to add',
	shapeNewMarkLabel: 'Its meaning',
	shapeRemoveMark: (mark: string) => `Remove the mark “${mark}”`,
	shapeRemoveMarkConfirm: (mark: string, items: number) =>
		items > 0
			? `Remove the mark “${mark}”? ${items} items marked with it keep it, shown as not in the scale, until it is restored.`
			: `Remove the mark “${mark}”?`,
	shapeRemovedMarks: 'Removed marks',
	shapeRestoreMark: (mark: string) => `Restore the mark “${mark}”`,
	shapeColumns: 'Item columns',
	shapeColumnsNote:
		'The standard columns can be renamed (empty: their usual heading). Columns such as issues or reasons can be added. A column with text in it cannot be removed.',
	shapeColumnName: (name: string) => `Heading of the column “${name}”`,
	shapeExtraColumn: 'Added column',
	shapeAddColumn: 'Add column',
	shapeNewColumn: 'Heading of the column to add (e.g. Issues)',
	shapeRemoveColumn: (label: string) => `Remove the column “${label}”`,
	shapeRemoveColumnConfirm: (label: string) => `Remove the column “${label}”?`,
	shapeColumnNotEmpty: (label: string, items: number) =>
		`The column “${label}” has text in ${items} items and cannot be removed. Clear it first.`,
	shapeKpis: 'Plan-period targets',
	shapeKpisNote:
		'The plan-period targets (KPIs): name, unit, baseline heading, and the years that have a target and an actual. For a target to stay under (accidents), the rate is target ÷ actual.',
	shapeKpiName: 'Name',
	shapeKpiUnit: 'Unit',
	shapeKpiBaselineLabel: 'Baseline heading (year)',
	shapeKpiLowerIsBetter: 'Lower is better',
	shapeKpiNewYear: (name: string) => `Fiscal year to add to “${name}”`,
	shapeAddKpiYear: 'Add year',
	shapeRemoveKpiYear: (name: string, year: string) => `Remove ${year} from “${name}”`,
	shapeRemoveKpiYearConfirm: (name: string, year: string) =>
		`Remove ${year} from “${name}”? Its target and actual go too (history can bring them back).`,
	shapeRemoveKpi: (name: string) => `Remove the target “${name}”`,
	shapeRemoveKpiConfirm: (name: string) =>
		`Remove the target “${name}”? Its values go too (Undo or history can bring them back).`,
	shapeNewKpi: 'Name of the target to add',
	shapeAddKpi: 'Add target',
	shapeRefused: 'This change cannot be made.'
};
