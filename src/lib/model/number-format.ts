// Numbers as the published table writes them: 2,431人, 11億2千万円; and KPI rates, always with
// one decimal (93.0% beside 95.5%), so a column of them reads evenly on screen and on paper.

/** Decimals a KPI's values are shown with, at most: toLocaleString's own default. */
export const MAX_DECIMALS = 3;
/** Decimals of every rate: 93.0%, never 93% beside 95.5%. */
export const RATE_DECIMALS = 1;

/**
 * `decimals`: how many to show, so the values of one KPI line up (95.5%, 93.0%); without it, as
 * many as the value has, up to three.
 */
export function formatAmount(value: number | null, unit: string, decimals?: number): string {
	if (value === null) return '';
	const digits = (n: number) =>
		decimals === undefined
			? n.toLocaleString('ja-JP')
			: n.toLocaleString('ja-JP', {
					minimumFractionDigits: decimals,
					maximumFractionDigits: decimals
				});
	if (unit === '円' && Math.abs(value) >= 1e8) {
		const oku = Math.trunc(value / 1e8);
		const rest = Math.abs(value - oku * 1e8);
		let tail = '';
		if (rest === 0) tail = '';
		else if (rest % 1e7 === 0) tail = `${rest / 1e7}千万`;
		else if (rest % 1e4 === 0) tail = `${(rest / 1e4).toLocaleString('ja-JP')}万`;
		else return `${digits(value)}${unit}`;
		return `${oku}億${tail}${unit}`;
	}
	return `${digits(value)}${unit}`;
}

/** The decimals a value needs (0.25 → 2), up to MAX_DECIMALS. */
export function decimalsOf(value: number): number {
	for (let decimals = 0; decimals < MAX_DECIMALS; decimals++)
		if (Number(value.toFixed(decimals)) === value) return decimals;
	return MAX_DECIMALS;
}

/** The decimals values shown together need: the most any of them has. */
export function commonDecimals(values: readonly (number | null)[]): number {
	return Math.max(0, ...values.map((value) => (value === null ? 0 : decimalsOf(value))));
}

/** 96.7% and 93.0%: a percentage with RATE_DECIMALS decimals. */
export function formatPercent(percent: number): string {
	const text = percent.toLocaleString('ja-JP', {
		minimumFractionDigits: RATE_DECIMALS,
		maximumFractionDigits: RATE_DECIMALS
	});
	return `${text}%`;
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
		return { kind: 'rate', percent: percentOf(target / actual) };
	}
	return { kind: 'rate', percent: percentOf(actual / target) };
}

/** 0.96666… → 96.7: a ratio as the percentage shown, rounded to RATE_DECIMALS. */
function percentOf(ratio: number): number {
	return Math.round(ratio * 10 ** (RATE_DECIMALS + 2)) / 10 ** RATE_DECIMALS;
}
