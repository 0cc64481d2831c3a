// "Start next year from this one": the plan carries on, the year's assessment starts afresh.
import { warekiLabel } from './fiscal-year.ts';
import type { ItemJSON, SheetJSON } from './schema.ts';

export interface NextYearOptions {
	keepMarks?: boolean;
	keepNotes?: boolean;
}

/** Replaces the year in a title (和暦 or 西暦); without one, puts the new year in front. */
export function nextYearTitle(title: string, fiscalYear: number): string {
	const from = warekiLabel(fiscalYear);
	const to = warekiLabel(fiscalYear + 1);
	if (title.includes(from)) return title.replace(from, to);
	const western = `${fiscalYear}年度`;
	if (title.includes(western)) return title.replace(western, `${fiscalYear + 1}年度`);
	return `${to} ${title}`.trim();
}

export function nextYearSheet(sheet: SheetJSON, options: NextYearOptions = {}): SheetJSON {
	const copy = structuredClone(sheet);
	copy.fiscalYear = sheet.fiscalYear + 1;
	copy.title = nextYearTitle(sheet.title, sheet.fiscalYear);
	for (const pillar of copy.pillars) {
		for (const section of pillar.sections) {
			for (const item of section.items) {
				if (!options.keepMarks) item.marks = ['', '', '', ''];
				if (!options.keepNotes) item.note = '';
			}
		}
	}
	return copy;
}

/** An item with nothing filled in yet. */
export function emptyItem(id: string, no = ''): ItemJSON {
	return {
		id,
		no,
		title: '',
		content: '',
		departments: [],
		yearPlan: '',
		plans: ['', '', '', ''],
		marks: ['', '', '', ''],
		note: ''
	};
}

/** A new table with one pillar, one section and one empty item to start from. */
export function emptySheet(title: string, fiscalYear: number, planName = ''): SheetJSON {
	return {
		schemaVersion: 1,
		title,
		planName,
		organisation: '',
		fiscalYear,
		quarterLabels: ['～6月', '～9月', '～12月', '～3月'],
		pillars: [
			{
				id: 'p1',
				no: '1',
				title: '',
				sections: [
					{
						id: 'p1s1',
						no: '(1)',
						title: '',
						items: [emptyItem('p1s1i1', '①')]
					}
				]
			}
		],
		kpis: []
	};
}
