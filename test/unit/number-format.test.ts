// KPI numbers as the screen and the exports show them: a KPI's values with the decimals any of
// them has, every rate with one decimal, and the baseline column's heading with its year.
import { describe, expect, it } from 'vitest';
import {
	baselineHeading,
	kpiDecimals,
	latestActual,
	ownBaselineLabel
} from '../../src/lib/model/kpi-table.ts';
import {
	achievement,
	commonDecimals,
	decimalsOf,
	formatAmount,
	formatPercent
} from '../../src/lib/model/number-format.ts';

describe('formatAmount', () => {
	it('writes numbers as the published table does', () => {
		expect(formatAmount(2431, '人')).toBe('2,431人');
		expect(formatAmount(1_120_000_000, '円')).toBe('11億2千万円');
		expect(formatAmount(null, '人')).toBe('');
	});

	it('shows the decimals asked for, so the values of one KPI line up', () => {
		expect(formatAmount(93, '%', 1)).toBe('93.0%');
		expect(formatAmount(95.5, '%', 1)).toBe('95.5%');
		expect(formatAmount(2431, '人', 0)).toBe('2,431人');
		expect(formatAmount(1234.5, '㎡', 2)).toBe('1,234.50㎡');
	});
});

describe('decimals', () => {
	it('counts the decimals a value has, up to three', () => {
		expect([2431, 95.5, 0.25, 0.1, 1 / 3, -3].map(decimalsOf)).toEqual([0, 1, 2, 1, 3, 0]);
		expect(commonDecimals([93, 95.5, null])).toBe(1);
		expect(commonDecimals([null])).toBe(0);
	});

	it('gives every value of a KPI the decimals any of them has', () => {
		const year = (target: number | null, actual: number | null) => ({ target, actual });
		const kpi = { baseline: { value: 90 }, target: 95.5, years: [year(95, 93), year(96, null)] };
		expect(kpiDecimals(kpi)).toBe(1);
		expect(kpiDecimals({ ...kpi, target: 96, years: [year(95, 93.25)] })).toBe(2);
		expect(kpiDecimals({ baseline: { value: null }, target: null, years: [] })).toBe(0);
	});
});

describe('rates', () => {
	it('always shows one decimal: 93.0% beside 95.5%', () => {
		expect(formatPercent(93)).toBe('93.0%');
		expect(formatPercent(95.5)).toBe('95.5%');
		expect(formatPercent(100)).toBe('100.0%');
		expect(formatPercent(1234.5)).toBe('1,234.5%');
	});

	it('rounds a rate to the decimal shown', () => {
		expect(achievement(3000, 2034)).toEqual({ kind: 'rate', percent: 67.8 });
		expect(achievement(3000, 2900)).toEqual({ kind: 'rate', percent: 96.7 });
		expect(achievement(95.5, 93)).toEqual({ kind: 'rate', percent: 97.4 });
	});

	it('is of the latest year with an actual, whatever the order of the years', () => {
		const years = [
			{ fiscalYear: 2021, actual: null },
			{ fiscalYear: 2020, actual: 5 },
			{ fiscalYear: 2019, actual: 7 }
		];
		expect(latestActual(years)).toEqual({ fiscalYear: 2020, actual: 5 });
		expect(latestActual([{ fiscalYear: 2020, actual: null }])).toBeUndefined();
	});
});

describe('the baseline heading', () => {
	it('is the KPIs’ own label, with its year (現状 (H29))', () => {
		expect(baselineHeading(['', '現状 (H29)', '現状 (H29)'])).toBe('現状 (H29)');
		expect(baselineHeading(['', ''])).toBeNull();
	});

	it('leaves a KPI to show its label only where the heading does not say it', () => {
		expect(ownBaselineLabel('現状 (H29)', '現状 (H29)')).toBe('');
		expect(ownBaselineLabel('', '現状 (H29)')).toBe('');
		expect(ownBaselineLabel('基準 (R1)', '現状 (H29)')).toBe('基準 (R1)');
	});
});
