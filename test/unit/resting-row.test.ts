// An item's rows at rest are markup built from what anyone may have typed: it must stay text.
// (That the markup draws exactly what the editable cells draw is checked in test/e2e/table.test.ts.)
import { describe, expect, it } from 'vitest';
import type { ItemCells } from '../../src/lib/doc/table-doc.ts';
import { ja } from '../../src/lib/i18n/ja.ts';
import { REFERENCE_SHAPE } from '../../src/lib/model/shape.ts';
import { escapeHtml, restingRowHtml } from '../../src/lib/ui/resting-row.ts';

const hostile = `</td></tr><script>alert("x")</script><img src=x onerror='alert(1)'> & more\r\nline`;

function item(text: string): ItemCells {
	return {
		no: text,
		texts: {
			title: text,
			content: text,
			yearPlan: text,
			plan1: text,
			plan2: text,
			plan3: text,
			plan4: text,
			note: text
		},
		departments: [text],
		marks: [
			{ cell: '○', entries: [{ value: '○', by: text, at: 1 }], invalid: false, outside: false },
			{ cell: '', entries: [], invalid: false, outside: false },
			{ cell: '', entries: [], invalid: false, outside: false },
			{ cell: '', entries: [], invalid: false, outside: false }
		],
		unusual: false
	};
}

describe('an item at rest, as markup', () => {
	it('escapes every value, in text and in attributes', () => {
		const html = restingRowHtml({
			item: item(hostile),
			name: hostile,
			t: ja,
			shape: {
				...REFERENCE_SHAPE,
				periods: REFERENCE_SHAPE.periods.map((p) => ({ ...p, label: hostile }))
			},
			readonly: false,
			comments: { open: 0, total: 0 }
		});
		expect(html).not.toContain('<script');
		expect(html).not.toContain('<img');
		expect(html).not.toContain('"x"');
		expect(html).not.toContain("'alert");
		expect(html).not.toContain('\r');
		expect(html).toContain(escapeHtml(hostile));
		// Its own elements only: two rows, the nine cells of the first, the heading and four marks.
		expect(html.match(/<tr /g)).toHaveLength(2);
		expect(html.match(/<td /g)).toHaveLength(13);
		expect(html.match(/<th /g)).toHaveLength(1);
	});

	it('keeps a carriage return a carriage return', () => {
		expect(escapeHtml('a\r\nb')).toBe('a&#13;\nb');
		expect(escapeHtml(`<&>"'`)).toBe('&lt;&amp;&gt;&quot;&#39;');
	});

	it('marks a read-only table: its mark buttons disabled, its text cells read-only', () => {
		const html = restingRowHtml({
			item: item('a'),
			name: 'a',
			t: ja,
			shape: REFERENCE_SHAPE,
			readonly: true,
			comments: { open: 2, total: 3 }
		});
		expect(html.match(/ disabled=""/g)).toHaveLength(4);
		expect(html.match(/class="text-cell [a-z-]+ readonly"/g)).toHaveLength(8);
		expect(html).toContain('class="comments has-open" data-comments-button="2"');
		expect(html).toContain('<span class="n">2</span>');
	});
});
