// The shapes a new table can start from (model/shape.ts): presets of periods, of mark scales, and
// whole tables. Only the pages that create or set up a table load them.
import {
	QUARTER_PERIODS,
	REFERENCE_MARKS,
	REFERENCE_SHAPE,
	STANDARD_COLUMN_DEFS,
	type MarkDef,
	type PeriodDef,
	type TableShape,
	type Tone
} from './shape.ts';

export interface PeriodPreset {
	id: 'quarters' | 'halves' | 'year' | 'months';
	name: string;
	periods: PeriodDef[];
}

/** Period presets. The quarters keep the ids the reference table has always used (plan1 … plan4). */
export const PERIOD_PRESETS: PeriodPreset[] = [
	{ id: 'quarters', name: '四半期', periods: QUARTER_PERIODS },
	{
		id: 'halves',
		name: '上半期・下半期',
		periods: [
			{ id: 'h1', label: '上半期' },
			{ id: 'h2', label: '下半期' }
		]
	},
	{ id: 'year', name: '年度', periods: [{ id: 'y', label: '年度' }] },
	{
		id: 'months',
		name: '月',
		periods: [4, 5, 6, 7, 8, 9, 10, 11, 12, 1, 2, 3].map((m) => ({ id: `m${m}`, label: `${m}月` }))
	}
];

export interface MarkPreset {
	id: 'reference' | 'sabc' | 'abcd' | 'words' | 'achievement';
	name: string;
	marks: MarkDef[];
}

const scale = (prefix: string, rows: [string, string, Tone, string][]): MarkDef[] =>
	rows.map(([mark, label, tone, key], i) => ({ id: `${prefix}${i}`, mark, label, tone, key }));

/** Mark scale presets. The first is the reference table's, as it has always been. */
export const MARK_PRESETS: MarkPreset[] = [
	{ id: 'reference', name: '○ ◎ △ × —', marks: REFERENCE_MARKS },
	{
		id: 'sabc',
		name: 'S / A / B / C',
		marks: scale('s', [
			['S', '計画以上', 'good', 's'],
			['A', '計画どおり', 'good', 'a'],
			['B', 'やや遅れ', 'partly', 'b'],
			['C', '遅れ', 'behind', 'c']
		])
	},
	{
		id: 'abcd',
		name: 'A / B / C / D',
		marks: scale('a', [
			['A', '順調', 'good', 'a'],
			['B', '概ね順調', 'good', 'b'],
			['C', 'やや遅れ', 'partly', 'c'],
			['D', '遅れ', 'behind', 'd']
		])
	},
	{
		id: 'words',
		name: '順調 / 概ね順調 / やや遅れ / 遅れ',
		marks: scale('w', [
			['順調', '計画どおり進んでいる', 'good', '1'],
			['概ね順調', 'ほぼ計画どおり進んでいる', 'good', '2'],
			['やや遅れ', '計画よりやや遅れている', 'partly', '3'],
			['遅れ', '計画より遅れている', 'behind', '4']
		])
	},
	{
		id: 'achievement',
		name: '達成 / 一部達成 / 未達成',
		marks: scale('t', [
			['達成', '目標を達成した', 'good', '1'],
			['一部達成', '目標の一部を達成した', 'partly', '2'],
			['未達成', '目標を達成していない', 'behind', '3']
		])
	}
];

export interface TablePreset {
	id: 'reference' | 'half-year' | 'comprehensive';
	name: string;
	shape: TableShape;
}

/** The shapes a new table can start from. */
export const TABLE_PRESETS: TablePreset[] = [
	{ id: 'reference', name: '四半期・○◎△×—（基準の表）', shape: REFERENCE_SHAPE },
	{
		id: 'half-year',
		name: '上半期・下半期・S/A/B/C',
		shape: {
			levelLabels: ['基本目標', '施策'],
			periods: PERIOD_PRESETS[1]!.periods,
			marks: MARK_PRESETS[1]!.marks,
			departments: [],
			columns: STANDARD_COLUMN_DEFS
		}
	},
	{
		id: 'comprehensive',
		name: '総合計画・年度評価・A～D',
		shape: {
			levelLabels: ['分野', '施策'],
			periods: PERIOD_PRESETS[2]!.periods,
			marks: MARK_PRESETS[2]!.marks,
			departments: [],
			columns: [...STANDARD_COLUMN_DEFS, { key: 'xreason', label: '評価理由' }]
		}
	}
];
