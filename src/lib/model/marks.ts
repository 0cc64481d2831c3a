// The progress marks (進行管理) a quarter can carry, and what each means.

export const MARKS = ['○', '◎', '△', '×', '—'] as const;
export type Mark = (typeof MARKS)[number];

export const MARK_MEANINGS: Record<Mark, string> = {
	'○': '順調',
	'◎': '計画以上',
	'△': '一部実施',
	'×': '未実施',
	'—': '該当なし'
};

export function isMark(value: unknown): value is Mark {
	return typeof value === 'string' && (MARKS as readonly string[]).includes(value);
}

/** Keys a focused mark cell accepts, as in the issue: o ○, x ×, - —, t △ (and a few look-alikes). */
export const MARK_KEYS: Record<string, Mark> = {
	o: '○',
	O: '○',
	w: '◎',
	x: '×',
	X: '×',
	'-': '—',
	t: '△',
	T: '△'
};
