// axe-core's check of WCAG 2.2 AA, as the end-to-end tests run it (accessibility.test.ts on every
// page and state, layout.test.ts on what a narrow window shows).
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';

const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/**
 * The violations axe finds on the page as it is now (or in the parts `include` selects), one line
 * each, with where. A table of 68 items takes axe some 20 s on two cores: check a part of it where
 * a part is what changed.
 */
export async function violations(page: Page, include: string | string[] = []): Promise<string[]> {
	const builder = new AxeBuilder({ page }).withTags(TAGS);
	for (const part of typeof include === 'string' ? [include] : include) builder.include(part);
	const result = await builder.analyze();
	return result.violations.flatMap((v) =>
		v.nodes.map((n) => `${v.id} (${v.impact}): ${n.target.join(' ')} — ${n.failureSummary ?? ''}`)
	);
}
