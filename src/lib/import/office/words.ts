// The words an office's 進行管理表 uses for its columns, periods, marks and headings: what a header
// cell names, whether a label is a period, whether a line is a mark legend, how a heading numbers.
import { squash } from './grid.ts';

export const COLUMN_ROLES = [
	'no',
	'heading',
	'title',
	'content',
	'department',
	'yearPlan',
	'plan',
	'mark',
	'note',
	'extra',
	'ignore'
] as const;
export type ColumnRole = (typeof COLUMN_ROLES)[number];

/** How the preview and the CLI name each role. */
export const ROLE_LABELS: Record<ColumnRole, string> = {
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
};

/** Headers longer than this are text, not a column's name. */
const HEADER_MAX = 60;

// Header words, compared squashed (NFKC, no spaces). Order matters: the first match wins.
const HEADER_WORDS: [
	Exclude<ColumnRole, 'plan' | 'mark' | 'extra' | 'ignore' | 'heading'>,
	RegExp
][] = [
	['no', /^(no\.?|番号|№|項番|通番|連番|#)$/i],
	[
		'department',
		/(担当課|担当部署|担当部局|担当部課|所管課|所管部署|主管課|主管部署|担当係|担当所属|^担当$|^所管$|^主管$|^所属$|^課名$)/
	],
	['content', /(具体的な?内容|取り?組み?の?内容|事業の?内容|事業概要|^内容$|^概要$|実施内容)/],
	[
		'note',
		/(達成状況|今後の方針|今後の方向|取り?組み?状況|実施状況|実績及び|取り?組み?実績|^実績$|^成果$)/
	],
	[
		'title',
		/(取り?組み?項目|取組事項|取り?組み?事項|事業名|施策名|取り?組み?名|項目名|主な取り?組み?|具体的な?取り?組み?$|^項目$|^事業$|^取り?組み?$|^施策$)/
	],
	['yearPlan', /(年度計画|年間計画|年度目標|年度の?取り?組み?|^年度$|^計画$)/]
];

const MARK_HEADER =
	/^(評価|進捗|進捗評価|進行管理|達成度|判定|自己評価|評価結果|総合評価|年度評価|年間評価|進捗度|進捗状況評価|評価\(.{1,12}\))$/;
const PLAN_WORD = /^(計画|予定|取り?組み?|実施予定|目標|計画内容|取組予定)$/;
const OTHER_SUB = /^(実績|取り?組み?状況|進捗状況|状況|結果|実施状況|取り?組み?実績|内容|備考)$/;
const YEAR_PREFIX = /^(?:(?:令和|平成|R|H)(?:元|\d{1,2})|\d{4})年度/i;

/** The role a header names by itself (periods aside), or null. */
export function headerRole(text: string): ColumnRole | null {
	const s = squash(text);
	if (s === '' || s.length > HEADER_MAX) return null;
	// 令和5年度計画 / 令和5年度実績 / 令和5年度評価: the year's plan, note, mark.
	const year = YEAR_PREFIX.exec(s);
	if (year) {
		const rest = s.slice(year[0].length);
		if (rest === '' || PLAN_WORD.test(rest)) return 'yearPlan';
		if (MARK_HEADER.test(rest)) return 'mark';
		if (OTHER_SUB.test(rest) || /達成状況|実績/.test(rest)) return 'note';
	}
	for (const [role, pattern] of HEADER_WORDS) if (pattern.test(s)) return role;
	if (MARK_HEADER.test(s)) return 'mark';
	return null;
}

/** A mark column of its own year (年度評価, 総合評価, 令和5年度評価), not a period's. */
export function isYearlyMark(text: string): boolean {
	return /年度|総合|年間/.test(squash(text));
}

/** A sub-header under a period: its plan (計画), its mark (評価), or another text (実績). */
export function subHeaderRole(text: string): 'plan' | 'mark' | 'extra' | null {
	const s = squash(text);
	if (s.length > HEADER_MAX) return null;
	if (MARK_HEADER.test(s)) return 'mark';
	if (PLAN_WORD.test(s)) return 'plan';
	if (OTHER_SUB.test(s)) return 'extra';
	return null;
}

// ～6月, 4～6月, 4月～6月, 6月末, 6月末時点, 第1四半期, 上半期, 上期, 前期, 中間, 年度末, 1Q …
// (squashed: ～ is ~ after NFKC). Not 年度: a header 年度 or 年度計画 is the year plan; a lone
// 評価 column makes a period 年度.
const PERIOD_PATTERNS = [
	/^[~〜]\d{1,2}月(末)?(時点|現在)?$/,
	/^\d{1,2}月?[~〜\-ー－]\d{1,2}月(末)?期?$/,
	/^\d{1,2}月(末)?(時点|現在)?$/,
	/^第?[1-4一二三四]四半期(末)?$/,
	/^[1-4]Q$|^Q[1-4]$/i,
	/^[上下]半?期(末)?$/,
	/^[前中後]期$/,
	/^(中間|年度末)$/
];

const isPeriod = (squashed: string) => {
	// 第1四半期(4～6月): the bracket explains the period.
	const bare = squashed.replace(/[(（][^)）]{1,12}[)）]$/, '');
	return PERIOD_PATTERNS.some((p) => p.test(bare) || p.test(squashed));
};

/** The period label a header holds (its own text, tidied), with what follows it (計画 / 評価). */
export function periodIn(text: string): { label: string; rest: string } | null {
	if (text.length > HEADER_MAX) return null;
	const lines = text
		.split(/\n/)
		.map((l) => l.trim())
		.filter(Boolean);
	for (const line of lines) {
		const words = line.split(/[\s\u3000]+/);
		for (let n = words.length; n >= 1; n--) {
			const head = words.slice(0, n).join('');
			if (isPeriod(squash(head))) {
				const rest = [...words.slice(n), ...lines.filter((l) => l !== line)].join(' ');
				return { label: words.slice(0, n).join(''), rest };
			}
		}
		// 上半期評価, ～6月計画: the period and its sub-header run together.
		const s = squash(line);
		for (const p of PERIOD_PATTERNS) {
			const loose = new RegExp(p.source.replace(/\$$/, ''), p.flags);
			const match = loose.exec(s);
			if (match && match[0].length < s.length && subHeaderRole(s.slice(match[0].length)))
				return { label: match[0], rest: s.slice(match[0].length) };
		}
	}
	return null;
}

/** A fiscal year written in a header (令和2年度, R2年度, 2020年度) names the year plan's column. */
export function isYearHeader(text: string): boolean {
	return /(令和|平成|R|H)(元|\d{1,2})年度|\d{4}年度/i.test(squash(text));
}

// ── Marks ─────────────────────────────────────────────────────────────────────────────────────

/** 'S：計画以上 A：計画どおり B：やや遅れ C：遅れ' → its entries; null when it is not a legend. */
export function parseLegend(text: string): { mark: string; label: string }[] | null {
	if (text.length > 400) return null;
	// 【評価】, 評価基準（…）, ※: wrappers around the entries, not part of them.
	const bare = text
		.replace(/^[※＊*]\s*/, '')
		.replace(/【[^】]{0,20}】/g, ' ')
		.replace(/[()（）［］[\]「」]/g, ' ');
	const entries: { mark: string; label: string }[] = [];
	const pattern = /([^\s:：=＝、,，…]{1,4})\s*[:：=＝]\s*([^\s:：=＝、,，]{1,20})/g;
	for (const match of bare.matchAll(pattern)) {
		entries.push({ mark: match[1]!.normalize('NFKC'), label: match[2]!.replace(/[)）]$/, '') });
	}
	const marks = new Set(entries.map((e) => e.mark));
	return entries.length >= 2 && marks.size === entries.length ? entries : null;
}

/** The tone a mark's label suggests, or null when its words say nothing of progress. */
export function toneOfLabel(label: string): 'good' | 'partly' | 'behind' | 'na' | null {
	const s = squash(label);
	if (/(該当なし|対象外|実施なし|なし$|^-$)/.test(s)) return 'na';
	if (/(未実施|未着手|未達|遅れ(て)?いる$|^遅れ$|大幅|着手していない|できなかった|不十分)/.test(s))
		return 'behind';
	if (/(一部|やや|概ね遅|おおむね遅|遅れ)/.test(s)) return 'partly';
	if (/(以上|どおり|通り|順調|達成|完了|実施済|済|概ね|おおむね|良好)/.test(s)) return 'good';
	return null;
}

// ── Headings ──────────────────────────────────────────────────────────────────────────────────

/**
 * How a heading numbers itself, as a key: the table's levels follow the order in which the keys
 * first appear. 1 and 1-1, 基本目標1 and 施策1, 第1章 and 第1節 are different keys.
 */
export type HeadingStyle = string;

/** A heading longer than this is text, not a heading. */
export const HEADING_MAX = 200;

const PAREN = /^[(（]\s*([0-9０-９]{1,3})\s*[)）]\s*(.*)$/s;
const KANA = /^[(（]?\s*([ア-ン])(?:\s*[)）.．、]|[\s\u3000])\s*(.*)$/s;
const LATIN = /^[(（]?\s*([a-zａ-ｚ])\s*[)）.．、]\s*(.*)$/s;
const BULLET = /^([■□◆◇●○▼▽◎★☆])\s*(.*)$/s;
const NUMBER =
	/^(基本目標|基本方針|基本施策|施策|分野|目標|政策|第)?\s*([0-9０-９一二三四五六七八九十]{1,3}(?:[-－.．][0-9０-９]{1,3}){0,3})\s*([章節項])?(?:[.．、:：]|(?=[\s\u3000]))?\s*(\D.*)$/s;

/** A heading's number and title, and the style of its number. */
export function splitHeading(text: string): { no: string; title: string; style: HeadingStyle } {
	const flat = text
		.split('\n')
		.map((line) => line.trim())
		.filter(Boolean)
		.join(' ');
	if (flat.length > HEADING_MAX) return { no: '', title: flat, style: 'plain' };
	const paren = PAREN.exec(flat);
	if (paren)
		return { no: `(${paren[1]!.normalize('NFKC')})`, title: paren[2]!.trim(), style: 'paren' };
	for (const [style, pattern] of [
		['kana', KANA],
		['latin', LATIN]
	] as const) {
		const match = pattern.exec(flat);
		if (match) return { no: match[1]!.normalize('NFKC'), title: match[2]!.trim(), style };
	}
	const bullet = BULLET.exec(flat);
	if (bullet) return { no: '', title: bullet[2]!.trim(), style: `bullet:${bullet[1]}` };
	const number = NUMBER.exec(flat);
	if (number) {
		const [, word = '', digits, suffix = '', title] = number;
		const no = `${word}${digits!.normalize('NFKC')}${suffix}`;
		const depth = digits!.split(/[-－.．]/).length;
		return { no, title: title!.trim(), style: `number:${word}${suffix}:${depth}` };
	}
	return { no: '', title: flat, style: 'plain' };
}

// ①–⑳, ㉑–㉟, ㊱–㊿, or (21): an item's number written before its title.
const ITEM_NO =
	/^(?:([\u2460-\u2473\u3251-\u325F\u32B1-\u32BF])|[(（]\s*([0-9０-９]{1,3})\s*[)）])\s*/;

export function splitItemTitle(text: string): { no: string; title: string } {
	const match = ITEM_NO.exec(text);
	if (!match) return { no: '', title: text };
	const no = match[1] ?? `(${match[2]!.normalize('NFKC')})`;
	return { no, title: text.slice(match[0].length) };
}

/** Text that marks the rows of marks under an item's plans in the published layout. */
export function isMarksLabel(text: string): boolean {
	const s = squash(text);
	return s.length <= 12 && /(進行管理|評価|進捗|達成度|判定)/.test(s);
}

/** Lines that open the KPI part of the published layout. */
export function isKpiMarker(text: string): boolean {
	return /^[<＜〈《【]?(計画期間の目標|成果指標|数値目標|目標指標|KPI)[>＞〉》】]?$/i.test(
		squash(text)
	);
}
