// 和暦: fiscal years and dates as a Japanese office writes them, and the messages that show them
// (English keeps Gregorian dates and FY2020).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { en } from '../../src/lib/i18n/en.ts';
import { ja } from '../../src/lib/i18n/ja.ts';
import {
	warekiDate,
	warekiDateTime,
	warekiLabel,
	warekiMoment
} from '../../src/lib/model/fiscal-year.ts';

const JAPAN = 'Asia/Tokyo';
/** An instant given as Japan time. */
const jst = (local: string) => new Date(`${local}+09:00`);

describe('wareki dates', () => {
	it('name fiscal years by their April', () => {
		expect(warekiLabel(2018)).toBe('平成30年度');
		expect(warekiLabel(2019)).toBe('令和元年度');
		expect(warekiLabel(2020)).toBe('令和2年度');
	});

	it('cross from 平成31年4月30日 to 令和元年5月1日 at midnight, Japan time', () => {
		expect(warekiDate(jst('2019-04-30T23:59:59'), JAPAN)).toBe('平成31年4月30日');
		expect(warekiDate(jst('2019-05-01T00:00:00'), JAPAN)).toBe('令和元年5月1日');
		expect(warekiDate(jst('2020-01-01T00:00:00'), JAPAN)).toBe('令和2年1月1日');
		// 2019-04-30T15:00Z is already May 1 in Japan.
		expect(warekiDate(new Date('2019-04-30T15:00:00Z'), JAPAN)).toBe('令和元年5月1日');
		expect(warekiDateTime(jst('2019-04-30T23:59:00'), JAPAN)).toBe('平成31年4月30日 23:59');
		expect(warekiDateTime(jst('2026-12-05T09:05:00').getTime(), JAPAN)).toBe(
			'令和8年12月5日 09:05'
		);
	});

	it('say a moment as briefly as is plain beside now', () => {
		const now = jst('2026-12-06T15:00:00');
		const moment = (local: string) => warekiMoment(jst(local), now, JAPAN);
		expect(moment('2026-12-06T00:05:00')).toBe('00:05');
		expect(moment('2026-12-05T14:05:00')).toBe('12月5日 14:05');
		expect(moment('2026-01-01T09:00:00')).toBe('1月1日 09:00');
		expect(moment('2025-12-31T23:59:00')).toBe('令和7年12月31日 23:59');
		// Same Gregorian year, another era year: the era says which.
		expect(warekiMoment(jst('2019-04-30T10:00:00'), jst('2019-05-01T10:00:00'), JAPAN)).toBe(
			'平成31年4月30日 10:00'
		);
	});
});

describe('dates in the messages', () => {
	afterEach(() => {
		vi.useRealTimers();
	});

	it('show fiscal years in 和暦 in Japanese, as FY2020 in English', () => {
		expect(ja.fiscalYearLabel(2020)).toBe('令和2年度');
		expect(ja.fiscalYearLabel(2019)).toBe('令和元年度');
		expect(en.fiscalYearLabel(2020)).toBe('FY2020');
	});

	it('show moments in 和暦 in Japanese, Gregorian in English', () => {
		// Local times: the messages use the device's time zone, whatever the test machine's is.
		vi.useFakeTimers({ now: new Date(2026, 11, 6, 15, 0) });
		const today = new Date(2026, 11, 6, 14, 5).getTime();
		const earlier = new Date(2026, 11, 5, 9, 30).getTime();
		const lastYear = new Date(2025, 2, 31, 17, 0).getTime();
		expect(ja.dateTime(earlier)).toBe('令和8年12月5日 09:30');
		expect(en.dateTime(earlier)).toBe('05/12/2026, 09:30');
		expect(ja.dateTimeShort(today)).toBe('14:05');
		expect(ja.dateTimeShort(earlier)).toBe('12月5日 09:30');
		expect(ja.dateTimeShort(lastYear)).toBe('令和7年3月31日 17:00');
		expect(en.dateTimeShort(earlier)).toBe('05/12, 09:30');
		expect(ja.syncSavedAt(today)).toBe('14:05 に保存');
		expect(ja.syncSavedAt(earlier)).toBe('12月5日 09:30 に保存');
		expect(en.syncSavedAt(today)).toBe('saved at 14:05');
	});
});
