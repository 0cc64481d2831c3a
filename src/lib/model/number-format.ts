// Numbers as the published table writes them: 2,431人, 11億2千万円.

export function formatAmount(value: number | null, unit: string): string {
	if (value === null) return '';
	if (unit === '円' && Math.abs(value) >= 1e8) {
		const oku = Math.trunc(value / 1e8);
		const rest = Math.abs(value - oku * 1e8);
		let tail = '';
		if (rest === 0) tail = '';
		else if (rest % 1e7 === 0) tail = `${rest / 1e7}千万`;
		else if (rest % 1e4 === 0) tail = `${(rest / 1e4).toLocaleString('ja-JP')}万`;
		else return `${value.toLocaleString('ja-JP')}${unit}`;
		return `${oku}億${tail}${unit}`;
	}
	return `${value.toLocaleString('ja-JP')}${unit}`;
}

export type Achievement =
	{ kind: 'rate'; percent: number } | { kind: 'met' } | { kind: 'notMet' } | { kind: 'unknown' };

/**
 * How far an actual reached its target. A target of 0 (重篤事故 0件) has no meaningful ratio: it is
 * met when the actual is 0 or less. A target to stay under (`lowerIsBetter`: 事故 5件以下) is
 * reached in proportion target ÷ actual, and met outright by an actual of 0.
 */
export function achievement(
	target: number | null,
	actual: number | null,
	lowerIsBetter = false
): Achievement {
	if (target === null || actual === null) return { kind: 'unknown' };
	if (target === 0) return actual <= 0 ? { kind: 'met' } : { kind: 'notMet' };
	if (lowerIsBetter) {
		if (actual <= 0) return { kind: 'met' };
		return { kind: 'rate', percent: Math.round((target / actual) * 1000) / 10 };
	}
	return { kind: 'rate', percent: Math.round((actual / target) * 1000) / 10 };
}
