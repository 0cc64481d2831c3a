// Plain Japanese for the first thing a schema check rejected, shared by the importers. zod's own
// Japanese locale reads like a compiler ("無効な入力"); an office worker needs to know what to type.
import type { z } from 'zod';
import { QUARTER_LABELS, V1_MARKS } from '../model/schema.ts';

type Issue = z.core.$ZodIssue;

/** What the sheet being read says of itself, so a message can name its marks and periods. */
export interface IssueContext {
	/** The marks its scale allows. */
	marks?: readonly string[];
	/** How many periods it has. */
	periods?: number;
}

/** The context of a sheet that failed its schema, read loosely from whatever it holds. */
export function issueContext(value: unknown): IssueContext {
	if (value === null || typeof value !== 'object') return {};
	const sheet = value as Record<string, unknown>;
	if (sheet.schemaVersion === 1) return { marks: V1_MARKS, periods: QUARTER_LABELS.length };
	const marks = Array.isArray(sheet.markScale)
		? sheet.markScale
				.map((entry: unknown) =>
					entry !== null && typeof entry === 'object' ? (entry as { mark?: unknown }).mark : null
				)
				.filter((mark): mark is string => typeof mark === 'string' && mark !== '')
		: [];
	return {
		...(marks.length > 0 ? { marks } : {}),
		...(Array.isArray(sheet.periodLabels) ? { periods: sheet.periodLabels.length } : {})
	};
}

/** pillars[0].sections[2].items[1].marks[3], the way a JavaScript reader writes a path. */
export function issuePath(path: readonly PropertyKey[]): string {
	return path
		.map((key, index) => {
			if (typeof key === 'number') return `[${key}]`;
			const name = String(key);
			return index === 0 ? name : `.${name}`;
		})
		.join('');
}

const FIELD_LABELS: Record<string, string> = {
	schemaVersion: '形式の版',
	title: '名前',
	planName: '基本計画の名前',
	organisation: '団体名',
	fiscalYear: '年度',
	quarterLabels: '四半期の見出し',
	periodLabels: '期間の見出し',
	markScale: '評価の記号',
	levelLabels: '見出しの階層',
	columnLabels: '列の見出し',
	extraColumns: '追加の列',
	extra: '追加の列の値',
	id: 'ID',
	no: '番号',
	content: '具体的内容',
	departments: '担当課',
	yearPlan: '年度計画',
	plans: '期間ごとの計画',
	marks: '期間ごとの評価',
	note: '達成状況及び今後の方針',
	name: '目標の名前',
	unit: '単位',
	baseline: '現状',
	label: '見出し',
	target: '目標',
	actual: '実績',
	value: '値',
	years: '年度ごとの目標'
};

/** Fields of a mark scale's entry and of an added column, which share their names. */
const ENTRY_LABELS: Record<string, Record<string, string>> = {
	markScale: { mark: '評価の記号', label: '評価の意味', tone: '評価の色分け', key: '評価のキー' },
	extraColumns: { key: '追加の列のキー', label: '追加の列の見出し' }
};

/** What an office worker calls the value at `path`: the last named key, e.g. 担当課. */
export function fieldLabel(path: readonly PropertyKey[]): string {
	const [top] = path;
	const key = [...path].reverse().find((part) => typeof part === 'string');
	// The table's lists of departments and column names, not an item's departments or title.
	if (top === 'departments') return '担当課の一覧';
	if (top === 'columnLabels') return FIELD_LABELS.columnLabels!;
	const entry = typeof top === 'string' ? ENTRY_LABELS[top] : undefined;
	if (entry && key !== undefined && entry[key]) return entry[key];
	// An added column's text sits under its key (x…), which is not a field's name.
	const extra = path.lastIndexOf('extra');
	if (extra >= 0 && extra >= path.length - 2) return FIELD_LABELS.extra!;
	if (path.length === 1 && key === 'title') return '表題';
	if (path.includes('items') && key === 'title') return '取り組み項目';
	return (key !== undefined && FIELD_LABELS[key]) || '表';
}

const TYPE_NAMES: Record<string, string> = {
	string: '文字列',
	number: '数値',
	int: '整数',
	boolean: '真偽値（true / false）',
	array: '配列（[ ]）',
	object: 'オブジェクト（{ }）',
	tuple: '配列（[ ]）',
	record: 'オブジェクト（{ }）',
	null: 'null'
};

function typeName(value: unknown): string {
	if (value === undefined) return '何もありません';
	if (value === null) return 'null があります';
	if (Array.isArray(value)) return '配列があります';
	return `${TYPE_NAMES[typeof value] ?? typeof value}があります`;
}

/**
 * The issue in plain Japanese. `context` names the sheet's own marks and number of periods; a
 * message never assumes the reference table's ○ ◎ △ × — or its four quarters.
 */
export function describeIssue(issue: Issue, context: IssueContext = {}): string {
	const last = issue.path.at(-1);
	// The list of an item's marks, or one of its cells (a mark, or competing marks in conflict).
	const isMarkList = last === 'marks';
	const isMarks = issue.path.includes('marks');
	const perPeriod =
		context.periods === undefined
			? '期間ごとに1つずつ'
			: `期間ごとに1つずつ（${context.periods}つ）`;
	switch (issue.code) {
		case 'invalid_type': {
			const expected = TYPE_NAMES[issue.expected] ?? issue.expected;
			if (isMarkList) return `期間ごとの評価は配列（[ ]）にして、${perPeriod}並べてください`;
			return `${expected}が必要ですが、${typeName(issue.input)}`;
		}
		case 'invalid_value':
			if (issue.values.length === 1) return `${String(issue.values[0])} でなければなりません`;
			return `次のどれかでなければなりません: ${issue.values.map(String).join('、')}`;
		case 'too_big': {
			const max = String(issue.maximum);
			if (issue.origin === 'string') return `長すぎます（${max}文字まで）`;
			if (issue.origin === 'array') {
				if (isMarkList || last === 'plans') return `多すぎます（${perPeriod}です）`;
				return `多すぎます（${max}個まで）`;
			}
			return `大きすぎます（${max}以下にしてください）`;
		}
		case 'too_small': {
			const min = String(issue.minimum);
			if (issue.origin === 'string')
				return min === '1' ? '空欄にはできません' : `${min}文字以上必要です`;
			if (issue.origin === 'array') {
				if (isMarkList || last === 'plans') return `足りません（${perPeriod}です）`;
				if (isMarks) return '競合中の評価は2つ以上並べてください';
				return `${min}個以上必要です`;
			}
			return `小さすぎます（${min}以上にしてください）`;
		}
		case 'invalid_union':
			if (isMarks) {
				const marks =
					context.marks && context.marks.length > 0
						? context.marks.join(' ')
						: '評価の記号（markScale）にある記号';
				return `評価は ${marks} または空欄（競合中は2つ以上の評価の配列）です`;
			}
			return '値の形が合いません';
		case 'invalid_key':
			if (issue.path.includes('extra'))
				return `キー「${String(last)}」は使えません（追加の列のキーは x に英小文字か数字を続けたものです）`;
			return `キー「${String(last)}」は使えません`;
		case 'invalid_format':
			return '書き方が合いません';
		case 'unrecognized_keys':
			return `知らない項目があります: ${issue.keys.join('、')}`;
		default:
			return '値の形が合いません';
	}
}
