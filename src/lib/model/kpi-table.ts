// What the KPI table (計画期間の目標) shows besides the numbers, the same on screen and in the
// .xlsx: the baseline column's heading (現状 (H29)), the label of a KPI whose baseline differs,
// the decimals a KPI's values share, and the actual its plan-period rate is of.
import { commonDecimals } from './number-format.ts';
import type { KpiYearJSON } from './schema.ts';

/** The baseline column's heading when no KPI names its baseline. */
export const DEFAULT_BASELINE = '現状';

/**
 * The baseline column's heading: the first baseline label a KPI has (the published table's
 * 現状 (H29)), or null when none has one.
 */
export function baselineHeading(labels: readonly string[]): string | null {
	return labels.find((label) => label !== '') ?? null;
}

/**
 * The label a KPI shows beside its baseline value: its own, where that is not the column's
 * heading; '' where the heading says it (or the KPI has none).
 */
export function ownBaselineLabel(label: string, heading: string | null): string {
	return label === '' || label === heading ? '' : label;
}

/** The decimals every value of a KPI is shown with, so 95.5 and 93.0 line up. */
export function kpiDecimals(kpi: {
	baseline: { value: number | null };
	target: number | null;
	years: readonly Pick<KpiYearJSON, 'target' | 'actual'>[];
}): number {
	return commonDecimals([
		kpi.baseline.value,
		kpi.target,
		...kpi.years.flatMap((year) => [year.target, year.actual])
	]);
}

/** The latest year with an actual: the plan-period rate is of its actual. */
export function latestActual<T extends { fiscalYear: number; actual: number | null }>(
	years: readonly T[]
): (T & { actual: number }) | undefined {
	let latest: (T & { actual: number }) | undefined;
	for (const year of years)
		if (year.actual !== null && (!latest || year.fiscalYear >= latest.fiscalYear))
			latest = year as T & { actual: number };
	return latest;
}
