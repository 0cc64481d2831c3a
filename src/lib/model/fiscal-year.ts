// Japanese era (和暦) labels: fiscal years (April–March, 2019 → 令和元年度, 2018 → 平成30年度) and
// dates (令和8年12月6日). Dates go through Intl's Japanese calendar, which knows the eras and
// their first days (平成31年4月30日, 令和元年5月1日); a fiscal year is named by its April, which
// the arithmetic below does without a date.

export function warekiLabel(fiscalYear: number): string {
	if (fiscalYear >= 2019) {
		const n = fiscalYear - 2018;
		return `令和${n === 1 ? '元' : n}年度`;
	}
	if (fiscalYear >= 1989) {
		const n = fiscalYear - 1988;
		return `平成${n === 1 ? '元' : n}年度`;
	}
	return `${fiscalYear}年度`;
}

const DAY = { era: 'long', year: 'numeric', month: 'long', day: 'numeric' } as const;
// 2-digit and h23: 09:05 and 00:05, as Japanese offices write times (not 9:05 or 午前0:05).
const TIME = { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' } as const;
const STYLES = {
	date: DAY,
	dateTime: { ...DAY, ...TIME },
	monthDayTime: { month: 'long', day: 'numeric', ...TIME },
	time: TIME
} satisfies Record<string, Intl.DateTimeFormatOptions>;
type Style = keyof typeof STYLES;

const formats = new Map<string, Intl.DateTimeFormat>();

function format(style: Style, timeZone: string | undefined): Intl.DateTimeFormat {
	const key = `${style}|${timeZone ?? ''}`;
	let f = formats.get(key);
	if (!f) {
		f = new Intl.DateTimeFormat('ja-JP-u-ca-japanese', { ...STYLES[style], timeZone });
		formats.set(key, f);
	}
	return f;
}

/**
 * 「令和8年12月6日」: the day of `at` (ms or a Date) in `timeZone` (the device's own by default;
 * the server passes 'Asia/Tokyo').
 */
export function warekiDate(at: number | Date, timeZone?: string): string {
	return format('date', timeZone).format(at);
}

/** 「令和8年12月6日 14:05」. */
export function warekiDateTime(at: number | Date, timeZone?: string): string {
	return format('dateTime', timeZone).format(at);
}

/** The era and its year of `at` (令和 and 8), to tell whether two moments share a year. */
function eraYear(at: number | Date, timeZone: string | undefined): string {
	return format('date', timeZone)
		.formatToParts(at)
		.filter((part) => part.type === 'era' || part.type === 'year')
		.map((part) => part.value)
		.join('');
}

/**
 * `at` as briefly as it is still plain beside `now`, for a badge or a cell's marker: 「14:05」
 * today, 「12月6日 14:05」 earlier in the same era year, else 「令和7年12月6日 14:05」.
 */
export function warekiMoment(
	at: number | Date,
	now: number | Date = Date.now(),
	timeZone?: string
): string {
	if (warekiDate(at, timeZone) === warekiDate(now, timeZone))
		return format('time', timeZone).format(at);
	if (eraYear(at, timeZone) === eraYear(now, timeZone))
		return format('monthDayTime', timeZone).format(at);
	return warekiDateTime(at, timeZone);
}
