import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { sheetToCsv } from '../../src/lib/export/csv.ts';
import { parseTextTable } from '../../src/lib/import/text-table.ts';
import type { ItemJSON, SheetJSON } from '../../src/lib/model/schema.ts';

const reference = parseTextTable(
	readFileSync(new URL('../../server/seed/r2-progress-table.txt', import.meta.url), 'utf8')
);

/** A small RFC 4180 reader: records end in CRLF, quoted fields may hold "", commas and breaks. */
function parseCsv(text: string): string[][] {
	const rows: string[][] = [];
	let row: string[] = [];
	let field = '';
	let quoted = false;
	for (let i = 0; i < text.length; i++) {
		const char = text[i];
		if (quoted) {
			if (char === '"' && text[i + 1] === '"') {
				field += '"';
				i++;
			} else if (char === '"') quoted = false;
			else field += char;
		} else if (char === '"' && field === '') quoted = true;
		else if (char === ',') {
			row.push(field);
			field = '';
		} else if (char === '\r' && text[i + 1] === '\n') {
			row.push(field);
			rows.push(row);
			row = [];
			field = '';
			i++;
		} else if (char === '\n' || char === '\r' || char === '"') {
			throw new Error(`bare ${JSON.stringify(char)} outside quotes at ${i}`);
		} else field += char;
	}
	if (field !== '' || row.length > 0) throw new Error('last record does not end in CRLF');
	return rows;
}

function withItem(overrides: Partial<ItemJSON>): SheetJSON {
	const sheet = structuredClone(reference);
	const first = sheet.pillars[0]!.sections[0]!.items[0]!;
	Object.assign(first, overrides);
	return sheet;
}

const HEADER = [
	'基本計画',
	'施策',
	'番号',
	'取り組み項目',
	'具体的内容',
	'担当課',
	'年度計画',
	'～6月 計画',
	'～6月 進行管理',
	'～9月 計画',
	'～9月 進行管理',
	'～12月 計画',
	'～12月 進行管理',
	'～3月 計画',
	'～3月 進行管理',
	'達成状況及び今後の方針'
];

describe('sheetToCsv', () => {
	it('starts with a BOM and a Japanese header, one CRLF row per item', () => {
		const csv = sheetToCsv(reference);
		expect(csv.startsWith('\uFEFF')).toBe(true);
		expect(csv.replaceAll('\r\n', '').includes('\n')).toBe(false);
		const rows = parseCsv(csv.slice(1));
		expect(rows[0]).toEqual(HEADER);
		expect(rows).toHaveLength(1 + 68);
		expect(rows.every((row) => row.length === HEADER.length)).toBe(true);
		expect(rows[1]!.slice(0, 9)).toEqual([
			'1 会員の増強',
			'(1) 入会の促進',
			'①',
			'ホームページからの入会説明会参加予約',
			'HP から、入会説明会の参加予約ができるよう整備する。',
			'総務',
			'実施',
			'委託業者との調整',
			'×'
		]);
	});

	it('joins departments with ・ and conflicting marks with /', () => {
		const sheet = withItem({ departments: ['総務', '事業'], marks: [['○', '×'], '—', '', '◎'] });
		const row = parseCsv(sheetToCsv(sheet).slice(1))[1]!;
		expect(row[5]).toBe('総務・事業');
		expect([row[8], row[10], row[12], row[14]]).toEqual(['○/×', '—', '', '◎']);
	});

	it('escapes every cell a spreadsheet would run as a formula, but not the mark —', () => {
		const sheet = withItem({
			title: '=1+1',
			content: '+x',
			yearPlan: '-x',
			plans: ['@x', '\tx', '\rx', '-'],
			marks: ['—', '', '', ''],
			note: '=HYPERLINK("http://evil")'
		});
		const row = parseCsv(sheetToCsv(sheet).slice(1))[1]!;
		expect(row[3]).toBe("'=1+1");
		expect(row[4]).toBe("'+x");
		expect(row[6]).toBe("'-x");
		expect([row[7], row[9], row[11], row[13]]).toEqual(["'@x", "'\tx", "'\rx", "'-"]);
		expect(row[8]).toBe('—');
		expect(row[15]).toBe('\'=HYPERLINK("http://evil")');
	});

	it('escapes full-width formula signs, and signs after leading spaces or a line break', () => {
		const sheet = withItem({
			title: '＝1+1',
			content: '＋x',
			yearPlan: '－x',
			plans: ['＠x', ' =1+1', '\u3000＝1+1', '\n=1+1'],
			note: '\u3000実施'
		});
		const row = parseCsv(sheetToCsv(sheet).slice(1))[1]!;
		expect([row[3], row[4], row[6]]).toEqual(["'＝1+1", "'＋x", "'－x"]);
		expect([row[7], row[9], row[11], row[13]]).toEqual([
			"'＠x",
			"' =1+1",
			"'\u3000＝1+1",
			"'\n=1+1"
		]);
		expect(row[15]).toBe('\u3000実施');
	});

	it('quotes commas, quotes and line breaks in notes', () => {
		const note = '一行目, "引用"\n二行目\r\n三行目';
		const csv = sheetToCsv(withItem({ note, content: 'a,b' }));
		expect(csv).toContain('"一行目, ""引用""\n二行目\r\n三行目"');
		const rows = parseCsv(csv.slice(1));
		expect(rows).toHaveLength(1 + 68);
		expect(rows[1]![15]).toBe(note);
		expect(rows[1]![4]).toBe('a,b');
	});
});
