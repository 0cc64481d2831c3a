// "Start next year from this one": the plan carries on, the year's assessment starts afresh.
import { warekiLabel } from './fiscal-year.ts';
import { blankItem } from './item-fields.ts';
import type { SheetJSON } from './schema.ts';
import { SCHEMA_VERSION } from './sheet-constants.ts';
import { sheetShapeFields } from './sheet-shape.ts';
import { REFERENCE_SHAPE, type TableShape } from './shape.ts';

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
				if (!options.keepMarks) item.marks = item.marks.map(() => '');
				if (!options.keepNotes) item.note = '';
			}
		}
	}
	return copy;
}

/** A new table of the given shape with one pillar, one section and one empty item to start from. */
export function emptySheet(
	title: string,
	fiscalYear: number,
	planName = '',
	shape: TableShape = REFERENCE_SHAPE
): SheetJSON {
	return {
		schemaVersion: SCHEMA_VERSION,
		title,
		planName,
		organisation: '',
		fiscalYear,
		...sheetShapeFields(shape),
		pillars: [
			{
				id: 'p1',
				no: '1',
				title: '',
				sections: [{ id: 'p1s1', no: '(1)', title: '', items: [blankItem('p1s1i1', shape, '①')] }]
			}
		],
		kpis: []
	};
}
