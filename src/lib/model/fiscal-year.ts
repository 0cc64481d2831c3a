// Japanese era labels for fiscal years (April–March): 2019 → 令和元年度, 2018 → 平成30年度.

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
