// The strings of 表の設定 (TableSettings.svelte), in Japanese: apart from ja.ts, so the table page
// does not load them.
export const settingsJa = {
	tableSettingsAdminsOnly: '表の設定は管理者だけが変更できます。',
	shapePeriods: '期間',
	shapePeriodsNote:
		'進行管理をする期間とその見出しです。期間を削除しても、その期間の計画と評価は消えずに残り、元に戻せます。',
	shapePeriodLabel: (n: number) => `期間${n}の名前`,
	shapeDepartments: '担当課',
	shapeDepartmentsNote:
		'担当課の欄で選べる課の一覧です。一覧から削除しても、項目に入っている課はそのまま残ります。',
	shapeDepartmentName: (name: string) => `担当課「${name}」の名前`,
	shapeAddDepartment: '担当課を追加',
	shapeNewDepartment: '追加する担当課の名前',
	shapeRemove: '削除',
	shapeRemoveDepartment: (name: string) => `担当課「${name}」を一覧から削除`,
	shapeRemoveDepartmentConfirm: (name: string, items: number) =>
		items > 0
			? `担当課「${name}」を一覧から削除しますか？ この課が担当の ${items} 件の項目では、担当課の欄にそのまま残ります。`
			: `担当課「${name}」を一覧から削除しますか？`,
	shapeRemovedDepartments: '削除した担当課',
	shapeDepartmentRemoved: (name: string) =>
		`担当課「${name}」は削除した担当課にあります。下の「元に戻す」で戻してください。`,
	shapeRestore: '元に戻す',
	shapeRestoreDepartment: (name: string) => `担当課「${name}」を一覧に戻す`,
	shapeMarks: '評価の記号',
	shapeMarksNote:
		'進行管理の欄で使う記号と、その意味・色分け・入力キーです。記号を削除しても、その記号の評価は「記号にない評価」として残り、元に戻せます。',
	shapeMark: '記号',
	shapeMarkLabel: '意味',
	shapeMarkTone: '色分け',
	shapeMarkKey: 'キー',
	shapeTones: {
		good: '順調（緑）',
		partly: '一部遅れ（黄）',
		behind: '遅れ（赤）',
		na: '対象外（灰）'
	} as Record<string, string>,
	shapeBasics: '表の基本',
	shapeTitle: '表題',
	shapeOrganisation: '団体名',
	shapePlanName: '基本計画の名前',
	shapeFiscalYear: '年度（西暦）',
	shapeLevels: '見出しの階層',
	shapeLevelsNote: '項目の上にある見出しの名前です（外側から）。',
	shapeLevelLabel: (n: number) => `第${n}階層の名前`,
	shapeUseOneLevel: '見出しを1階層にする',
	shapeUseTwoLevels: '見出しを2階層にする',
	shapeUseThreeLevels: '見出しを3階層にする',
	shapeSecondLevel: '施策',
	shapeThirdLevel: '具体的施策',
	shapeTwoLevelsConfirm: (level: string) =>
		`見出しを2階層にしますか？ 「${level}」の見出しは1つ上の階層の見出しとして表示されます。3階層に戻すと元どおり表示されます。`,
	shapeOneLevelConfirm: (level: string) =>
		`見出しを1階層にしますか？ 「${level}」の見出しは表示しなくなり、項目はその上の見出しの下にまとめて並びます。2階層に戻すと元どおり表示されます。`,
	shapePresets: 'ひな形',
	shapeUsePreset: (name: string) => `「${name}」にする`,
	shapePeriodPresetConfirm: (name: string) =>
		`期間を「${name}」にしますか？ 今の期間のうち「${name}」にないものは削除した期間になり、計画と評価はそのまま残ります。`,
	shapeAddPeriod: '期間を追加',
	shapeNewPeriod: '追加する期間の名前',
	shapeRemovePeriod: (label: string) => `期間「${label}」を削除`,
	shapeRemovePeriodConfirm: (label: string, items: number) =>
		items > 0
			? `期間「${label}」を削除しますか？ ${items} 件の項目に入っているこの期間の計画と評価は消えずに残り、「元に戻す」で表示に戻せます。`
			: `期間「${label}」を削除しますか？`,
	shapeRemovedPeriods: '削除した期間',
	shapeRestorePeriod: (label: string) => `期間「${label}」を戻す`,
	shapeMarkPresetConfirm: (name: string, items: number) =>
		items > 0
			? `評価の記号を「${name}」にしますか？ 今の記号で評価した ${items} 件の項目の評価は「記号にない評価」として残ります。`
			: `評価の記号を「${name}」にしますか？`,
	shapeMarkField: (mark: string, field: string) => `記号「${mark}」の${field}`,
	shapeAddMark: '記号を追加',
	shapeNewMark: '追加する記号',
	shapeNewMarkLabel: 'その意味',
	shapeRemoveMark: (mark: string) => `記号「${mark}」を削除`,
	shapeRemoveMarkConfirm: (mark: string, items: number) =>
		items > 0
			? `記号「${mark}」を削除しますか？ この記号で評価した ${items} 件の項目の評価は「記号にない評価」として残り、「元に戻す」で戻せます。`
			: `記号「${mark}」を削除しますか？`,
	shapeRemovedMarks: '削除した記号',
	shapeRestoreMark: (mark: string) => `記号「${mark}」を戻す`,
	shapeColumns: '項目の列',
	shapeColumnsNote:
		'標準の列は見出しを変えられます（空欄で標準の見出し）。課題や評価理由などの列を加えることもできます。記入のある列は削除できません。',
	shapeColumnName: (name: string) => `列「${name}」の見出し`,
	shapeExtraColumn: '追加の列',
	shapeAddColumn: '列を追加',
	shapeNewColumn: '追加する列の見出し（例：課題）',
	shapeRemoveColumn: (label: string) => `列「${label}」を削除`,
	shapeRemoveColumnConfirm: (label: string) => `列「${label}」を削除しますか？`,
	shapeColumnNotEmpty: (label: string, items: number) =>
		`列「${label}」は ${items} 件の項目に記入があるため削除できません。先に記入を消してください。`,
	shapeKpis: '計画期間の目標',
	shapeKpisNote:
		'計画期間の目標（KPI）の名前・単位・現状の見出しと、目標と実績を入れる年度です。少ないほどよい目標（事故の件数など）は、達成率を目標÷実績で計算します。',
	shapeKpiName: '目標の名前',
	shapeKpiUnit: '単位',
	shapeKpiBaselineLabel: '現状の見出し（年度）',
	shapeKpiLowerIsBetter: '少ないほどよい',
	shapeKpiNewYear: (name: string) => `「${name}」に加える年度（西暦）`,
	shapeAddKpiYear: '年度を追加',
	shapeRemoveKpiYear: (name: string, year: string) => `「${name}」の${year}を削除`,
	shapeRemoveKpiYearConfirm: (name: string, year: string) =>
		`「${name}」の${year}を削除しますか？ その年度の目標と実績も消えます（履歴から戻せます）。`,
	shapeRemoveKpi: (name: string) => `目標「${name}」を削除`,
	shapeRemoveKpiConfirm: (name: string) =>
		`目標「${name}」を削除しますか？ 目標と実績も消えます（「元に戻す」や履歴から戻せます）。`,
	shapeNewKpi: '追加する目標の名前',
	shapeAddKpi: '目標を追加',
	shapeRefused: 'この変更はできません。'
};

export type SettingsMessages = typeof settingsJa;
