// Issue 18, 5 and 6: automatic snapshots follow a retention rule, identical ones are not stored
// twice, and one dated in the future (the server's clock was once ahead) does not stop them.
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { RETENTION, Snapshots } from '../../server/snapshots.ts';
import { SqliteStore } from '../../server/store.ts';
import { tempDataDir } from '../helpers/server.ts';

const DAY = 86_400_000;
/** An instant given as Japan time. */
const jst = (local: string) => new Date(`${local}+09:00`);

const cleanups: (() => void)[] = [];
afterEach(() => {
	while (cleanups.length) cleanups.pop()!();
});

function open() {
	const temp = tempDataDir();
	const store = new SqliteStore(temp.dir);
	cleanups.push(() => {
		store.closeNow();
		temp.remove();
	});
	return new Snapshots(store.snapshots());
}

/** A table whose content changes when `edit` is called. */
function table() {
	const doc = new Y.Doc();
	const text = doc.getText('t');
	let n = 0;
	return {
		doc,
		state: () => Y.encodeStateAsUpdate(doc),
		edit: () => text.insert(text.length, `<${n++}>`)
	};
}

describe('automatic snapshots', () => {
	it('keep quarter ends and named ones forever, daily ones for 30 days', async () => {
		const snapshots = open();
		const t = table();
		const start = jst('2020-07-01T09:00:00').getTime();
		await snapshots.create('r2', t.state(), { name: '会議前', kind: 'manual', author: '佐藤' });
		// 120 days of daily edits, checked every day at 09:00 as the server's timer would.
		for (let day = 0; day < 120; day++) {
			t.edit();
			const now = new Date(start + day * DAY);
			await snapshots.takeAutomatic('r2', t.state, now, now.getTime() - 60_000);
		}
		const list = await snapshots.list('r2');
		const end = start + 119 * DAY;
		const daily = list.filter((s) => s.kind === 'daily');
		expect(daily.length).toBe(RETENTION.dailyDays);
		expect(Math.min(...daily.map((s) => s.createdAt))).toBeGreaterThanOrEqual(
			end - RETENTION.dailyDays * DAY
		);
		// Quarter ends passed: June 30 (at the first check) and September 30.
		expect(list.filter((s) => s.kind === 'quarter').map((s) => s.name)).toEqual([
			'第2四半期末 (令和2年9月30日)',
			'第1四半期末 (令和2年6月30日)'
		]);
		expect(list.filter((s) => s.kind === 'manual').map((s) => s.name)).toEqual(['会議前']);
	});

	it('do not store a state twice: an unchanged day is skipped, a quarter end relabels the day', async () => {
		const snapshots = open();
		const t = table();
		t.edit();
		await snapshots.takeAutomatic('r2', t.state, jst('2020-08-01T09:00:00'), null);
		t.edit();
		const edited = jst('2020-09-29T08:00:00').getTime();
		await snapshots.takeAutomatic('r2', t.state, jst('2020-09-29T09:00:00'), edited);
		const before = await snapshots.list('r2');
		expect(before.map((s) => s.kind)).toEqual(['daily', 'quarter']);
		// Said to have changed (an update that brought nothing new), the same by content.
		const lastChange = jst('2020-09-30T10:00:00').getTime();
		expect(
			await snapshots.takeAutomatic('r2', t.state, jst('2020-09-30T11:00:00'), lastChange)
		).toEqual([]);
		// The quarter end passes with nothing new: the last daily copy becomes the quarter's.
		const quarter = await snapshots.takeAutomatic(
			'r2',
			t.state,
			jst('2020-10-01T09:00:00'),
			lastChange
		);
		expect(quarter.map((s) => s.name)).toEqual(['第2四半期末 (令和2年9月30日)']);
		const after = await snapshots.list('r2');
		expect(after.length).toBe(before.length);
		expect(after[0]!.id).toBe(before[0]!.id);
		expect(after[0]!.kind).toBe('quarter');
		// Checked once and found the same: not compared again at the next check.
		let encoded = 0;
		const counted = () => (encoded++, t.state());
		await snapshots.takeAutomatic('r2', counted, jst('2020-10-01T09:10:00'), lastChange);
		expect(encoded).toBe(0);
	});

	it('go on after a snapshot was dated in the future by a clock that was ahead', async () => {
		const snapshots = open();
		const t = table();
		t.edit();
		// The server's clock was a year ahead when these were taken.
		await snapshots.takeAutomatic('r2', t.state, jst('2021-10-02T09:00:00'), null);
		expect((await snapshots.list('r2')).length).toBe(1);
		// The clock is right again; the table changes; the next days' snapshots are taken.
		t.edit();
		const now = jst('2020-10-02T09:00:00');
		const taken = await snapshots.takeAutomatic('r2', t.state, now, now.getTime() - 60_000);
		expect(taken.map((s) => s.kind)).toEqual(['quarter']);
		t.edit();
		const next = new Date(now.getTime() + DAY);
		expect(
			(await snapshots.takeAutomatic('r2', t.state, next, next.getTime() - 60_000)).map(
				(s) => s.kind
			)
		).toEqual(['daily']);
		// Two idle months: the latest real snapshot is kept (not the one dated in the future), and
		// no copy of it is taken again.
		for (let day = 2; day < 62; day++) {
			await snapshots.takeAutomatic('r2', t.state, new Date(now.getTime() + day * DAY), null);
		}
		const kept = (await snapshots.list('r2')).map((s) => s.kind);
		expect(kept.filter((k) => k === 'daily')).toHaveLength(1);
		expect(kept).toHaveLength(3);
	});
});
