import { describe, it, expect } from 'vitest';
import {
	NumberFormatError,
	parseJapaneseNumber,
	parseValueWithActual
} from '../../src/lib/model/numbers.ts';

describe('parseJapaneseNumber', () => {
	it.each([
		['2, 4 3 1 人', 2431, '人'],
		['3, 0 0 0 人', 3000, '人'],
		['２，４３１　人', 2431, '人'],
		['２, ４ ３ １\u3000人', 2431, '人'],
		['1 1 億 2 千万円', 1_120_000_000, '円'],
		['1 1 億円', 1_100_000_000, '円'],
		['1 2 億円', 1_200_000_000, '円'],
		['9 億 7 千万円', 970_000_000, '円'],
		['1 0 億 7 千万円', 1_070_000_000, '円'],
		['1 件', 1, '件'],
		['0 件', 0, '件'],
		['1.5億円', 150_000_000, '円'],
		['1.1億円', 110_000_000, '円'],
		['9.7億円', 970_000_000, '円'],
		['2千5百万円', 25_000_000, '円'],
		['3十人', 30, '人'],
		['1万5人', 10_005, '人'],
		['1,234,567円', 1_234_567, '円'],
		['1200', 1200, ''],
		['50 %', 50, '%'],
		['５０％', 50, '%'],
		['1 2 0 ㎡', 120, '㎡']
	])('%s → %d %s', (text, value, unit) => {
		expect(parseJapaneseNumber(text)).toEqual({ value, unit });
	});

	it('reads 千万 as part of the number, not of the unit', () => {
		expect(parseJapaneseNumber('2 千万円').unit).toBe('円');
		expect(parseJapaneseNumber('2 千万円').value).toBe(20_000_000);
	});

	it.each([
		'',
		'   ',
		'abc人',
		'人',
		'1 2 3 億 億',
		'億円',
		'千万円',
		'1万2億円',
		'1千2千円',
		'5百3千円',
		'1,23人',
		'12,3456人',
		'1人2',
		'1.2.3人',
		'1 (2) 人',
		'-5人'
	])('rejects %j', (text) => {
		expect(() => parseJapaneseNumber(text)).toThrow(NumberFormatError);
	});

	it('says in Japanese what is wrong', () => {
		expect(() => parseJapaneseNumber('abc人')).toThrow(/「abc人」は数値として読めません/);
		expect(() => parseJapaneseNumber('1 億 億円')).toThrow(/「億」の前に数字がありません/);
	});
});

describe('parseValueWithActual', () => {
	it('reads a target with its actual in parentheses', () => {
		expect(parseValueWithActual('2, 6 0 0 人 (2, 2 5 2 人)')).toEqual({
			target: 2600,
			actual: 2252,
			unit: '人'
		});
	});

	it('reads full-width parentheses and money units', () => {
		expect(parseValueWithActual('1 1 億 2 千万円 （1 0 億 7 千万円）')).toEqual({
			target: 1_120_000_000,
			actual: 1_070_000_000,
			unit: '円'
		});
		expect(parseValueWithActual('0 件 (0 件)')).toEqual({ target: 0, actual: 0, unit: '件' });
	});

	it('gives a null actual when there is none yet', () => {
		expect(parseValueWithActual('2, 9 0 0 人')).toEqual({ target: 2900, actual: null, unit: '人' });
	});

	it.each([
		'',
		'(2, 2 5 2 人)',
		'2, 6 0 0 人 (2, 2 5 2 人',
		'2, 6 0 0 人 2, 2 5 2 人)',
		'2, 6 0 0 人 (2, 2 5 2 人) (1 人)',
		'2, 6 0 0 人 ()',
		'2, 6 0 0 人 (abc)',
		'2, 6 0 0 人 (2, 2 5 2 件)',
		'2, 6 0 0 人 (2, 2 5 2 人) 余り'
	])('rejects %j', (text) => {
		expect(() => parseValueWithActual(text)).toThrow(NumberFormatError);
	});
});
