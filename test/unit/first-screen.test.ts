// The shell's script (src/app.html) cannot import: it spells the names first-screen.ts exports.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { USER_KEY } from '../../src/lib/sync/local.ts';
import { FIRST_SCREEN_ID, FIRST_SCREEN_PREFIX, SHELL_ATTR } from '../../src/lib/ui/first-screen.ts';

const shell = readFileSync(new URL('../../src/app.html', import.meta.url), 'utf8');

describe('the kept first screen', () => {
	it('is read and shown by the shell under the names the app keeps it by', () => {
		expect(shell).toContain(`'${FIRST_SCREEN_PREFIX}' + docId`);
		expect(shell).toContain(`localStorage.getItem(key)`);
		expect(shell).toContain(`get('${USER_KEY}')`);
		expect(shell).toContain(`box.id = '${FIRST_SCREEN_ID}'`);
		expect(shell).toContain(`#${FIRST_SCREEN_ID} {`);
		expect(shell.match(new RegExp(`'${SHELL_ATTR}'`, 'g'))).toHaveLength(2);
	});
});
