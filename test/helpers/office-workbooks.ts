// Workbooks as offices make them by hand, built with ExcelJS from a SheetJSON: the published
// layout (marks on a row under the plans), marks in their own columns, a sheet per pillar, and
// a half-year table with S/A/B/C and a legend. Each holds the same table as the sheet it is from.
import ExcelJS from 'exceljs';
import type { KpiJSON, SheetJSON } from '../../src/lib/model/schema.ts';
import { warekiLabel } from '../../src/lib/model/fiscal-year.ts';
import { formatAmount } from '../../src/lib/model/number-format.ts';

export async function save(workbook: ExcelJS.Workbook): Promise<Uint8Array> {
	return new Uint8Array(await workbook.xlsx.writeBuffer());
}

const eraYear = warekiLabel;
const kpiValue = (kpi: KpiJSON, value: number | null) => formatAmount(value, kpi.unit);

/** Rows of a KPI table in the published form: 現状, 目標, then each year's target (actual). */
export function kpiRows(sheet: SheetJSON): string[][] {
	const years = sheet.kpis[0]?.years ?? [];
	return [
		['取り組み項目', sheet.kpis[0]?.baseline.label ?? '現状', '目標', ...years.map((y) => y.label)],
		...sheet.kpis.map((kpi, i) => [
			`${i + 1} ${kpi.name}`,
			kpiValue(kpi, kpi.baseline.value),
			kpiValue(kpi, kpi.target),
			...kpi.years.map(
				(y) => kpiValue(kpi, y.target) + (y.actual === null ? '' : ` (${kpiValue(kpi, y.actual)})`)
			)
		])
	];
}

/**
 * The published layout: title, <基本計画の取り組み>, pillar and section rows, the header repeated
 * under each section, each item over two rows (its cells merged), 進行管理 and the marks below,
 * then <計画期間の目標> and the KPIs with ※括弧は年度実績. Starts at `origin` (blank margins).
 */
export function publishedLayout(
	sheet: SheetJSON,
	origin = { row: 1, column: 1 }
): ExcelJS.Workbook {
	const workbook = new ExcelJS.Workbook();
	const ws = workbook.addWorksheet('進行管理表');
	let r = origin.row;
	const c0 = origin.column;
	const put = (values: string[]) => {
		values.forEach((v, i) => {
			if (v !== '') ws.getCell(r, c0 + i).value = v;
		});
		r++;
	};
	const n = sheet.periodLabels.length;
	const header = [
		'取り組み項目',
		'具体的内容',
		'担当課',
		eraYear(sheet.fiscalYear),
		...sheet.periodLabels,
		'達成状況及び今後の方針'
	];
	put([sheet.title]);
	put([]);
	put(['<基本計画の取り組み>']);
	for (const pillar of sheet.pillars) {
		put([`${pillar.no} ${pillar.title}`]);
		for (const section of pillar.sections) {
			put([`${section.no} ${section.title}`]);
			put(header);
			for (const item of section.items) {
				put([
					`${item.no}${item.title}`,
					item.content,
					item.departments.join(' '),
					item.yearPlan,
					...item.plans,
					item.note
				]);
				put(['', '', '', '進行管理', ...item.marks.map((m) => (Array.isArray(m) ? m[0]! : m))]);
				for (const c of [0, 1, 2, 4 + n]) ws.mergeCells(r - 2, c0 + c, r - 1, c0 + c);
			}
			put([]);
		}
	}
	put(['<計画期間の目標>']);
	for (const row of kpiRows(sheet)) put(row);
	put([]);
	put(['※括弧は年度実績']);
	return workbook;
}

/**
 * Marks in their own column after each period's plan (評価), a 番号 column, headings as merged
 * rows inside the table, the header once, look-alike marks, and the KPIs on a sheet of their own
 * with numbers typed as numbers (a unit column) and 9億7千万円-style texts.
 */
export function markColumnsLayout(sheet: SheetJSON): ExcelJS.Workbook {
	const workbook = new ExcelJS.Workbook();
	const ws = workbook.addWorksheet('R2');
	const width = 5 + sheet.periodLabels.length * 2 + 1;
	ws.getCell('B2').value =
		`${sheet.title.replace(/\d/g, (d) => String.fromCharCode(d.charCodeAt(0) + 0xfee0))}`;
	const header = ['番号', '事業名', '内容', '担当', `${eraYear(sheet.fiscalYear)}計画`];
	for (const label of sheet.periodLabels) header.push(label, '評価');
	header.push('取組状況');
	header.forEach((h, i) => (ws.getCell(4, 2 + i).value = h));
	const lookAlike: Record<string, string> = { '○': '〇', '—': '－', '×': '✕' };
	let r = 5;
	for (const pillar of sheet.pillars) {
		ws.getCell(r, 2).value = `${pillar.no}\u3000${pillar.title}`;
		ws.mergeCells(r, 2, r, 1 + width);
		r++;
		for (const section of pillar.sections) {
			ws.getCell(r, 2).value = `（${section.no.replace(/[()]/g, '')}）${section.title}`;
			ws.mergeCells(r, 2, r, 1 + width);
			r++;
			for (const item of section.items) {
				const values = [
					item.no,
					item.title,
					item.content,
					item.departments.join('・'),
					item.yearPlan
				];
				item.plans.forEach((plan, p) => {
					const m = item.marks[p]!;
					const mark = Array.isArray(m) ? m[0]! : m;
					values.push(plan, lookAlike[mark] ?? mark);
				});
				values.push(item.note);
				values.forEach((v, i) => {
					if (v !== '') ws.getCell(r, 2 + i).value = v;
				});
				r++;
			}
		}
	}
	const kpis = workbook.addWorksheet('成果指標');
	const years = sheet.kpis[0]?.years ?? [];
	kpis.getCell('A1').value = '計画期間の目標';
	const kh = [
		'指標',
		'単位',
		sheet.kpis[0]?.baseline.label ?? '現状',
		'目標',
		...years.map((y) => y.label)
	];
	kh.forEach((h, i) => (kpis.getCell(3, 1 + i).value = h));
	sheet.kpis.forEach((kpi, k) => {
		const row = 4 + k;
		kpis.getCell(row, 1).value = kpi.name;
		kpis.getCell(row, 2).value = kpi.unit;
		const number = (col: number, v: number | null) => {
			if (v === null) return;
			const cell = kpis.getCell(row, col);
			if (v >= 1e8) cell.value = formatAmount(v, kpi.unit);
			else {
				cell.value = v;
				cell.numFmt = '#,##0';
			}
		};
		number(3, kpi.baseline.value);
		number(4, kpi.target);
		kpi.years.forEach((y, i) => {
			if (y.target === null) return;
			kpis.getCell(row, 5 + i).value =
				kpiValue(kpi, y.target) + (y.actual === null ? '' : `\n(${kpiValue(kpi, y.actual)})`);
		});
	});
	kpis.getCell(4 + sheet.kpis.length + 1, 1).value = '※括弧は年度実績';
	return workbook;
}

/** A sheet per pillar, its heading above the header; sections as rows inside the table. */
export function sheetPerPillar(sheet: SheetJSON): ExcelJS.Workbook {
	const workbook = new ExcelJS.Workbook();
	workbook.addWorksheet('表紙').getCell('A1').value = sheet.title;
	for (const pillar of sheet.pillars) {
		const ws = workbook.addWorksheet(`基本計画${pillar.no}`);
		ws.getCell('A1').value = sheet.title;
		ws.getCell('A3').value = `${pillar.no} ${pillar.title}`;
		const header = [
			'取り組み項目',
			'具体的内容',
			'担当課',
			eraYear(sheet.fiscalYear),
			...sheet.periodLabels.map((l) => `${l}\n計画`),
			'達成状況及び今後の方針'
		];
		header.forEach((h, i) => (ws.getCell(5, 1 + i).value = h));
		let r = 6;
		for (const section of pillar.sections) {
			ws.getCell(r++, 1).value = `${section.no} ${section.title}`;
			for (const item of section.items) {
				[
					`${item.no}${item.title}`,
					item.content,
					item.departments.join('\n'),
					item.yearPlan,
					...item.plans,
					item.note
				].forEach((v, i) => {
					if (v !== '') ws.getCell(r, 1 + i).value = v;
				});
				r++;
				ws.getCell(r, 4).value = '進行管理';
				item.marks.forEach((m, i) => {
					const mark = Array.isArray(m) ? m[0]! : m;
					if (mark !== '') ws.getCell(r, 5 + i).value = mark;
				});
				r++;
			}
		}
	}
	return workbook;
}

/**
 * A half-year table as a city might keep it: three heading levels, a two-row header (上半期 over
 * 計画 and 評価), S/A/B/C with a legend above the header, an added 課題 column, line breaks in
 * cells, full-width digits, a note under an item, KPIs under the table.
 */
export function halfYearWorkbook(): ExcelJS.Workbook {
	const workbook = new ExcelJS.Workbook();
	const ws = workbook.addWorksheet('令和元年度');
	const rows: (string | null)[][] = [
		['令和元年度　〇〇市総合計画　進行管理表'],
		['評価　Ｓ：計画以上　Ａ：計画どおり　Ｂ：やや遅れ　Ｃ：遅れ'],
		[],
		['事業名', '事業内容', '担当課', '年度計画', '上半期', null, '下半期', null, '課題', '備考'],
		[null, null, null, null, '計画', '評価', '計画', '評価'],
		['基本目標１　安心して暮らせるまち'],
		['（１）防災の推進'],
		['ア　地域防災'],
		[
			'防災訓練',
			'年2回の訓練を行う。\n自主防災組織と連携する。',
			'危機管理課',
			'実施',
			'訓練1回',
			'Ａ',
			'訓練1回',
			'S',
			'参加者の固定化',
			''
		],
		[
			'防災マップ',
			'マップを改訂する',
			'危機管理課・都市計画課',
			'改訂',
			'原案',
			'B',
			'改訂・配布',
			'ｃ',
			'',
			'9月補正'
		],
		['※防災マップは令和2年度に配布'],
		['イ　備蓄'],
		['備蓄品の更新', '', '危機管理課', '実施', '', '', '更新', 'A', '', ''],
		['（２）交通安全'],
		['交通安全教室', '小学校で開く', '市民課', '実施', '5校', 'A', '5校', 'A', '', ''],
		[],
		['基本目標２　活力あるまち'],
		['（１）産業の振興'],
		['創業支援', '相談窓口', '商工課', '実施', '相談', 'A', '相談', 'B', '', ''],
		[],
		['<成果指標>'],
		['指標', '現状（H30）', '目標', '令和元年度', '令和2年度'],
		['1 創業件数', '12件', '20件', '14件 (13件)', '16件'],
		['2 事業費', '10億3千5百万円', '12億円', '11億円', '']
	];
	rows.forEach((values, r) =>
		values.forEach((v, c) => {
			if (v !== null && v !== '') ws.getCell(r + 1, c + 1).value = v;
		})
	);
	ws.mergeCells('E4:F4');
	ws.mergeCells('G4:H4');
	ws.mergeCells('A6:J6');
	return workbook;
}
