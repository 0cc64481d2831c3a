// Plain Japanese for the first thing a schema check rejected, shared by the importers. zod's own
// Japanese locale reads like a compiler ("無効な入力"); an office worker needs to know what to type.
import type { z } from 'zod';
import { MARKS } from '../model/marks.ts';

type Issue = z.core.$ZodIssue;

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
	id: 'ID',
	no: '番号',
	content: '具体的内容',
	departments: '担当課',
	yearPlan: '年度計画',
	plans: '四半期の計画',
	marks: '進行管理のマーク',
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

/** What an office worker calls the value at `path`: the last named key, e.g. 担当課. */
export function fieldLabel(path: readonly PropertyKey[]): string {
	const key = [...path].reverse().find((part) => typeof part === 'string');
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
	null: 'null'
};

function typeName(value: unknown): string {
	if (value === undefined) return '何もありません';
	if (value === null) return 'null があります';
	if (Array.isArray(value)) return '配列があります';
	return `${TYPE_NAMES[typeof value] ?? typeof value}があります`;
}

export function describeIssue(issue: Issue): string {
	const isMarks = issue.path.includes('marks');
	switch (issue.code) {
		case 'invalid_type': {
			const expected = TYPE_NAMES[issue.expected] ?? issue.expected;
			if (isMarks && issue.path.at(-1) === 'marks') return '進行管理のマークは4つ並べてください';
			return `${expected}が必要ですが、${typeName(issue.input)}`;
		}
		case 'invalid_value':
			if (issue.values.length === 1) return `${String(issue.values[0])} でなければなりません`;
			return `次のどれかでなければなりません: ${issue.values.map(String).join('、')}`;
		case 'too_big': {
			const max = String(issue.maximum);
			if (issue.origin === 'string') return `長すぎます（${max}文字まで）`;
			if (issue.origin === 'array') return `多すぎます（${max}個まで）`;
			return `大きすぎます（${max}以下にしてください）`;
		}
		case 'too_small': {
			const min = String(issue.minimum);
			if (issue.origin === 'string')
				return min === '1' ? '空欄にはできません' : `${min}文字以上必要です`;
			if (issue.origin === 'array') {
				if (isMarks) return '競合中のマークは2つ以上並べてください';
				return `${min}個以上必要です`;
			}
			return `小さすぎます（${min}以上にしてください）`;
		}
		case 'invalid_union':
			if (isMarks) {
				return `進行管理のマークは ${MARKS.join(' ')} または空欄（競合中は2つ以上のマークの配列）です`;
			}
			return '値の形が合いません';
		case 'invalid_format':
			return '書き方が合いません';
		case 'unrecognized_keys':
			return `知らない項目があります: ${issue.keys.join('、')}`;
		default:
			return '値の形が合いません';
	}
}
