// A table's shape: what differs between one body's 進行管理表 and another's — its heading levels,
// its periods, its mark scale, its departments and its text columns. Plain values and checks
// here; the doc keeps the shape in shape-doc.ts. The reference table's shape is REFERENCE_SHAPE.

/** What a mark says about progress; it drives the mark's colour and the summary's grouping. */
export const TONES = ['good', 'partly', 'behind', 'na'] as const;
export type Tone = (typeof TONES)[number];

export interface MarkDef {
	/** Stable id: item values name the mark itself (`mark`), the id names its entry in the shape. */
	id: string;
	/** What the cell shows and the doc stores, e.g. ○ or S or 順調. */
	mark: string;
	/** Its meaning, e.g. 計画以上. */
	label: string;
	tone: Tone;
	/** One character typed on a focused mark cell to set it ('' for none). */
	key: string;
}

export interface PeriodDef {
	/** Stable id: an item keeps the period's plan under `plan<id>` and its mark under `mark<id>`. */
	id: string;
	label: string;
}

/** The item's text columns that every table has (each renamable). */
export const STANDARD_COLUMNS = ['title', 'content', 'yearPlan', 'note'] as const;
export type StandardColumn = (typeof STANDARD_COLUMNS)[number];

export interface ColumnDef {
	/** A standard column's name, or `x` and an id for a column the table added (課題, 評価理由 …). */
	key: string;
	/** '' for a standard column: its usual heading (the year plan's is the fiscal year). */
	label: string;
}

export interface DepartmentDef {
	id: string;
	name: string;
}

export interface TableShape {
	/**
	 * The heading levels above an item, outermost first, each named: two (基本計画 › 施策: pillars
	 * and sections), one (its headings are the pillars; each holds its items in one section), or
	 * three (基本目標 › 施策 › 事業: a section marked level 3 sits under the level-2 section before
	 * it in its pillar; in a table of fewer levels it reads as a level-2 section).
	 */
	levelLabels: string[];
	periods: PeriodDef[];
	marks: MarkDef[];
	departments: DepartmentDef[];
	/** The item's text columns in order: the standard ones, then the table's own. */
	columns: ColumnDef[];
}

export const LIMITS = {
	levels: { min: 1, max: 3 },
	periods: { min: 1, max: 12 },
	marks: { min: 1, max: 12 },
	/** A SheetJSON's mark scale with the marks taken off it that cells still hold. */
	scaleWithRemoved: 64,
	departments: 64,
	extraColumns: 12,
	/** Characters of a label, a mark, a department's name. */
	label: 32,
	mark: 8
} as const;

/** Texts a mark cannot have: the summary and the filter name their own categories so. */
export const RESERVED_MARKS = ['none', 'outside', 'conflict'] as const;

/** Column keys a table adds: `x` and a short id, never a standard column's name. */
export const EXTRA_COLUMN_KEY = /^x[a-z0-9]{1,16}$/;
/** Ids of periods, marks and departments: short, and safe inside an item's keys. */
export const SHAPE_ID = /^[a-z0-9]{1,16}$/;

// ── The reference shape ──────────────────────────────────────────────────────────────────────
// The presets a new table starts from are in shape-presets.ts: the table page needs only this.

/** The reference table's quarters, with the ids it has always used (plan1 … plan4, mark1 … mark4). */
export const QUARTER_PERIODS: PeriodDef[] = [
	{ id: '1', label: '～6月' },
	{ id: '2', label: '～9月' },
	{ id: '3', label: '～12月' },
	{ id: '4', label: '～3月' }
];

/** The reference table's marks, as they have always been. */
export const REFERENCE_MARKS: MarkDef[] = [
	{ id: 'm0', mark: '○', label: '順調', tone: 'good', key: 'o' },
	{ id: 'm1', mark: '◎', label: '計画以上', tone: 'good', key: 'w' },
	{ id: 'm2', mark: '△', label: '一部実施', tone: 'partly', key: 't' },
	{ id: 'm3', mark: '×', label: '未実施', tone: 'behind', key: 'x' },
	{ id: 'm4', mark: '—', label: '該当なし', tone: 'na', key: '-' }
];

export const STANDARD_COLUMN_DEFS: ColumnDef[] = [
	{ key: 'title', label: '' },
	{ key: 'content', label: '' },
	{ key: 'yearPlan', label: '' },
	{ key: 'note', label: '' }
];

/** The reference table's shape: four quarters, ○ ◎ △ × —, 総務 and 事業, the standard columns. */
export const REFERENCE_SHAPE: TableShape = {
	levelLabels: ['基本計画', '施策'],
	periods: QUARTER_PERIODS,
	marks: REFERENCE_MARKS,
	departments: [
		{ id: 'd0', name: '総務' },
		{ id: 'd1', name: '事業' }
	],
	columns: STANDARD_COLUMN_DEFS
};

// ── Checks ───────────────────────────────────────────────────────────────────────────────────

/**
 * What makes a shape unusable, in Japanese, each naming the part; [] when it can be used. A shape
 * edit that would leave any of these is refused, and nothing is written.
 */
export function shapeProblems(shape: TableShape): string[] {
	const out: string[] = [];
	const { levels, periods, marks } = LIMITS;
	const label = (what: string, value: string) => {
		if (value.trim() === '') out.push(`${what}の名前が空です。`);
		else if ([...value].length > LIMITS.label)
			out.push(`${what}の名前「${value}」が長すぎます（${LIMITS.label}文字まで）。`);
	};
	const count = (what: string, n: number, min: number, max: number) => {
		if (n < min)
			out.push(`${what}が${min === 1 ? 'ありません' : `${min}つ未満です`}（${min}～${max}）。`);
		else if (n > max) out.push(`${what}が${n}個あります。${max}個までです。`);
	};
	const distinct = (what: string, values: string[]) => {
		const seen = new Set<string>();
		for (const v of values) {
			const k = v.trim();
			if (seen.has(k)) out.push(`${what}「${k}」が二つあります。`);
			seen.add(k);
		}
	};

	count('見出しの階層', shape.levelLabels.length, levels.min, levels.max);
	shape.levelLabels.forEach((l, i) => label(`見出しの第${i + 1}階層`, l));

	count('期間', shape.periods.length, periods.min, periods.max);
	shape.periods.forEach((p, i) => label(`期間${i + 1}`, p.label));
	distinct(
		'期間',
		shape.periods.map((p) => p.label)
	);

	count('評価の記号', shape.marks.length, marks.min, marks.max);
	shape.marks.forEach((m, i) => {
		if (m.mark.trim() === '') out.push(`評価の記号${i + 1}が空です。`);
		else if ([...m.mark].length > LIMITS.mark)
			out.push(`評価の記号「${m.mark}」が長すぎます（${LIMITS.mark}文字まで）。`);
		if (m.mark !== m.mark.trim()) out.push(`評価の記号「${m.mark}」の前後に空白があります。`);
		if ((RESERVED_MARKS as readonly string[]).includes(m.mark))
			out.push(`「${m.mark}」は評価の記号には使えません。`);
		label(`評価「${m.mark}」の意味`, m.label);
		if (!(TONES as readonly string[]).includes(m.tone))
			out.push(`評価「${m.mark}」の色分けが分かりません。`);
		if ([...m.key].length > 1)
			out.push(`評価「${m.mark}」のキー「${m.key}」は1文字にしてください。`);
	});
	distinct(
		'評価の記号',
		shape.marks.map((m) => m.mark)
	);
	// Keys are typed in either case (markForKey), so a and A are the same key.
	distinct(
		'評価のキー',
		shape.marks.map((m) => m.key.toLowerCase()).filter((k) => k !== '')
	);

	if (shape.departments.length > LIMITS.departments)
		out.push(`担当課が${shape.departments.length}個あります。${LIMITS.departments}個までです。`);
	shape.departments.forEach((d) => label('担当課', d.name));
	distinct(
		'担当課',
		shape.departments.map((d) => d.name)
	);

	const standard = new Set<string>(STANDARD_COLUMNS);
	for (const key of STANDARD_COLUMNS)
		if (!shape.columns.some((c) => c.key === key)) out.push(`標準の列「${key}」がありません。`);
	const extras = shape.columns.filter((c) => !standard.has(c.key));
	if (extras.length > LIMITS.extraColumns)
		out.push(`追加の列が${extras.length}個あります。${LIMITS.extraColumns}個までです。`);
	for (const c of extras) {
		if (!EXTRA_COLUMN_KEY.test(c.key)) out.push(`列のキー「${c.key}」は使えません。`);
		label('追加の列', c.label);
	}
	distinct(
		'列',
		shape.columns.map((c) => c.label).filter((l) => l.trim() !== '')
	);
	return out;
}

/** The mark of the scale a typed key sets on a focused mark cell (case-insensitive), if any. */
export function markForKey(shape: TableShape, key: string): MarkDef | undefined {
	if (key.length !== 1) return undefined;
	const lower = key.toLowerCase();
	return shape.marks.find((m) => m.key !== '' && m.key.toLowerCase() === lower);
}
