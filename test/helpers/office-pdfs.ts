// PDFs as offices publish them, printed by Chromium from HTML in the published A4 landscape
// layout: the title, each pillar and section as a line, a ruled table per section (header
// repeated on each page, each item over two rows: its plans, then 進行管理 and the marks), the
// KPI table and ※括弧は年度実績.
import { chromium } from '@playwright/test';
import { warekiLabel } from '../../src/lib/model/fiscal-year.ts';
import type { SheetJSON } from '../../src/lib/model/schema.ts';
import { chromiumLaunchOptions } from './chromium.ts';
import { kpiRows } from './office-workbooks.ts';

const escape = (text: string) =>
	text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
const cell = (text: string) => escape(text).replaceAll('\n', '<br>');

/** `css` is added after the layout's own style: a variant's borders, say. */
export function publishedHtml(sheet: SheetJSON, css = ''): string {
	const periods = sheet.periodLabels;
	const head = `<thead><tr><th class="t">取り組み項目</th><th class="c">具体的内容</th><th>担当課</th><th>${warekiLabel(sheet.fiscalYear)}</th>${periods.map((p) => `<th>${escape(p)}</th>`).join('')}<th class="n">達成状況及び今後の方針</th></tr></thead>`;
	const parts: string[] = [`<h1>${escape(sheet.title)}</h1>`, '<p>&lt;基本計画の取り組み&gt;</p>'];
	for (const pillar of sheet.pillars) {
		parts.push(`<h2>${escape(pillar.no)} ${escape(pillar.title)}</h2>`);
		for (const section of pillar.sections) {
			parts.push(`<h3>${escape(section.no)} ${escape(section.title)}</h3>`);
			const rows = section.items.map((item) => {
				const marks = item.marks.map((m) => `<td class="m">${Array.isArray(m) ? m[0] : m}</td>`);
				return (
					`<tbody><tr><td rowspan="2">${cell(item.no + item.title)}</td><td rowspan="2">${cell(item.content)}</td>` +
					`<td rowspan="2">${cell(item.departments.join(' '))}</td><td>${cell(item.yearPlan)}</td>` +
					item.plans.map((p) => `<td>${cell(p)}</td>`).join('') +
					`<td rowspan="2">${cell(item.note)}</td></tr>` +
					`<tr><td>進行管理</td>${marks.join('')}</tr></tbody>`
				);
			});
			parts.push(`<table>${head}${rows.join('')}</table>`);
		}
	}
	if (sheet.kpis.length > 0) {
		// The same rows as the workbooks' KPI part: 現状, 目標, each year's target (actual).
		const [head, ...rows] = kpiRows(sheet);
		const tr = (cells: string[], tag: 'th' | 'td') =>
			`<tr>${cells.map((c) => `<${tag}>${escape(c)}</${tag}>`).join('')}</tr>`;
		parts.push('<p>&lt;計画期間の目標&gt;</p>');
		parts.push(
			`<table class="kpi"><thead>${tr(head!, 'th')}</thead><tbody>${rows.map((r) => tr(r, 'td')).join('')}</tbody></table>`
		);
		parts.push('<p>※括弧は年度実績</p>');
	}
	return `<!doctype html><html lang="ja"><head><meta charset="utf-8"><style>
@page { size: A4 landscape; margin: 12mm; }
body { font-family: sans-serif; font-size: 8pt; }
h1 { font-size: 12pt; text-align: center; }
h2, h3 { font-size: 9pt; margin: 6pt 0 3pt; }
p { margin: 3pt 0; }
table { border-collapse: collapse; width: 100%; table-layout: fixed; margin-bottom: 6pt; }
th, td { border: 0.75pt solid #000; padding: 2pt 3pt; vertical-align: top; text-align: left; }
th { background: #eee; }
th.t { width: 16%; } th.c { width: 17%; } th.n { width: 22%; }
td.m { text-align: center; }
tbody { break-inside: avoid; }
${css}
</style></head><body>${parts.join('\n')}</body></html>`;
}

/** Prints HTML to PDF in Chromium, A4 landscape as its @page says; `footer`: page numbers and a date. */
export async function printPdf(
	html: string,
	options: { footer?: boolean } = {}
): Promise<Uint8Array> {
	const browser = await chromium.launch(chromiumLaunchOptions);
	try {
		const page = await browser.newPage();
		await page.setContent(html);
		const footer = options.footer
			? {
					displayHeaderFooter: true,
					headerTemplate:
						'<div style="font-size:7pt;width:100%;text-align:right;padding-right:12mm">印刷日 令和3年4月1日</div>',
					footerTemplate:
						'<div style="font-size:8pt;width:100%;text-align:center">- <span class="pageNumber"></span> -</div>'
				}
			: {};
		return new Uint8Array(
			await page.pdf({ preferCSSPageSize: true, printBackground: true, ...footer })
		);
	} finally {
		await browser.close();
	}
}

/** A PDF with no text: a picture of a table, as a scanner makes one. */
export async function scannedPdf(): Promise<Uint8Array> {
	return printPdf(
		'<!doctype html><html><body><svg width="600" height="300"><rect x="10" y="10" width="500" height="200" fill="none" stroke="black"/><line x1="10" y1="60" x2="510" y2="60" stroke="black"/></svg></body></html>'
	);
}
