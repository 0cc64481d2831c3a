import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { spliceText } from '../../src/lib/doc/ops.ts';
import { restoreSheet } from '../../src/lib/doc/restore.ts';
import { docToSheet } from '../../src/lib/doc/sheet-doc.ts';
import { sheetToDoc } from '../../src/lib/doc/sheet-to-doc.ts';
import { roots, textOf } from '../../src/lib/doc/table-doc.ts';
import { parseTextTable } from '../../src/lib/import/text-table.ts';
import {
	automaticSnapshotsDue,
	dailySnapshotName,
	lastQuarterEnd,
	quarterSnapshotName,
	SnapshotError,
	snapshotSheet,
	Snapshots,
	stateFiscalYear
} from '../../server/snapshots.ts';
import { SqliteStore } from '../../server/store.ts';
import { tempDataDir } from '../helpers/server.ts';

const reference = () =>
	parseTextTable(
		readFileSync(new URL('../../server/seed/r2-progress-table.txt', import.meta.url), 'utf8')
	);

/** An instant given as Japan time. */
const jst = (local: string) => new Date(`${local}+09:00`);

const cleanups: (() => void)[] = [];
afterEach(() => {
	while (cleanups.length) cleanups.pop()!();
});

function openStore(dir?: string) {
	const temp = dir ? null : tempDataDir();
	const store = new SqliteStore(dir ?? temp!.dir);
	cleanups.push(() => {
		store.closeNow();
		temp?.remove();
	});
	return { store, snapshots: new Snapshots(store.snapshots()), dir: dir ?? temp!.dir };
}

describe('SnapshotStore', () => {
	it('stores a doc state and gives it back, listed newest first without contents', async () => {
		const { snapshots } = openStore();
		const doc = new Y.Doc();
		sheetToDoc(reference(), doc);
		const first = await snapshots.create('r2', Y.encodeStateAsUpdate(doc), {
			name: '  4月の会議前  ',
			kind: 'manual',
			author: 'hanako',
			createdAt: 1000
		});
		expect(first).toMatchObject({
			docId: 'r2',
			name: '4月の会議前',
			kind: 'manual',
			author: 'hanako'
		});
		spliceText(textOf(roots(doc).items.get('p1s1i1')!, 'note')!, '会議で書き換えた');
		const second = await snapshots.create('r2', Y.encodeStateAsUpdate(doc), {
			name: '会議後',
			kind: 'daily',
			author: 'system',
			createdAt: 2000
		});
		await snapshots.create('other', Y.encodeStateAsUpdate(doc), {
			name: '別の表',
			kind: 'manual',
			author: 'x'
		});

		const list = await snapshots.list('r2');
		expect(list.map((s) => s.name)).toEqual(['会議後', '4月の会議前']);
		expect(list[0]).not.toHaveProperty('state');
		expect(list[0]!.size).toBeGreaterThan(1000);
		expect((await snapshots.latest('r2'))?.id).toBe(second.id);
		expect((await snapshots.latest('r2', 'manual'))?.id).toBe(first.id);
		expect(await snapshots.latest('r2', 'quarter')).toBeUndefined();

		const got = (await snapshots.get(first.id))!;
		expect(got.info).toEqual(first);
		expect(snapshotSheet(got.state)).toEqual(reference());
		expect(await snapshots.get(99_999)).toBeUndefined();
		expect(await snapshots.remove(first.id)).toBe(true);
		expect((await snapshots.list('r2')).map((s) => s.id)).toEqual([second.id]);
	});

	it('survives reopening the SQLite file, and a restored snapshot is a forward change', async () => {
		const { store, snapshots, dir } = openStore();
		const doc = new Y.Doc();
		sheetToDoc(reference(), doc);
		const { id } = await snapshots.create('r2', Y.encodeStateAsUpdate(doc), {
			name: '第1四半期末',
			kind: 'quarter',
			author: 'system'
		});
		store.closeNow();
		const reopened = openStore(dir).snapshots;
		const old = snapshotSheet((await reopened.get(id))!.state);
		spliceText(textOf(roots(doc).items.get('p1s1i1')!, 'note')!, '後の編集');
		restoreSheet(doc, old, 'hanako');
		expect(docToSheet(doc)).toEqual(reference());
	});

	it('rejects bad names, kinds and doc ids with a SnapshotError', async () => {
		const { snapshots } = openStore();
		const state = Y.encodeStateAsUpdate(new Y.Doc());
		const make =
			(name: string, kind = 'manual', docId = 'r2') =>
			() =>
				snapshots.create(docId, state, { name, kind: kind as 'manual', author: 'hanako' });
		await expect(make('   ')()).rejects.toThrow(SnapshotError);
		await expect(make('あ'.repeat(101))()).rejects.toThrow(/1〜100 文字/);
		expect(await make('🎌'.repeat(100))()).toMatchObject({ name: '🎌'.repeat(100) });
		await expect(make('名前', 'weekly')()).rejects.toThrow(SnapshotError);
		await expect(make('名前', 'manual', '../etc')()).rejects.toThrow(SnapshotError);
	});

	it('takes the automatic snapshots that are due, once', async () => {
		const { snapshots } = openStore();
		const doc = new Y.Doc();
		sheetToDoc(reference(), doc);
		let encoded = 0;
		const state = () => {
			encoded++;
			return Y.encodeStateAsUpdate(doc);
		};
		const julyFirst = jst('2020-07-01T00:10:00');
		const taken = await snapshots.takeAutomatic(
			'r2',
			state,
			julyFirst,
			julyFirst.getTime() - 60_000
		);
		// The quarter end is that day's copy too: one snapshot, not two identical ones.
		expect(taken.map((s) => [s.kind, s.name])).toEqual([
			['quarter', '令和2年度 第1四半期末 (令和2年6月30日)']
		]);
		expect(encoded).toBe(1);
		const later = jst('2020-07-01T18:00:00');
		expect(await snapshots.takeAutomatic('r2', state, later, later.getTime() - 1)).toEqual([]);
		expect(encoded).toBe(1);
	});
});

describe('automatic snapshot names', () => {
	/** The reference table (令和2年度) as the server would snapshot it, with a way to edit it. */
	function fy2020Table() {
		const doc = new Y.Doc();
		sheetToDoc(reference(), doc);
		let n = 0;
		return {
			state: () => Y.encodeStateAsUpdate(doc),
			edit: () => spliceText(textOf(roots(doc).items.get('p1s1i1')!, 'note')!, `${n++}`)
		};
	}

	it('name a past year’s table by its own year, not by the quarter the server is in', async () => {
		const { snapshots } = openStore();
		const table = fy2020Table();
		expect(stateFiscalYear(table.state())).toBe(2020);
		// Still on the server in 2026: the quarter end is dated, but it is not the table's quarter.
		const octoberFirst = jst('2026-10-01T00:10:00');
		const quarter = await snapshots.takeAutomatic('r2', table.state, octoberFirst, null);
		expect(quarter.map((s) => [s.kind, s.name])).toEqual([
			['quarter', '令和2年度 四半期ごとの保存 (令和8年9月30日)']
		]);
		table.edit();
		const december = jst('2026-12-05T09:00:00');
		const daily = await snapshots.takeAutomatic('r2', table.state, december, december.getTime());
		expect(daily.map((s) => [s.kind, s.name])).toEqual([
			['daily', '令和2年度 自動保存 (令和8年12月5日)']
		]);
	});

	it('date a quarter snapshot taken late by the day it was taken, which is what it holds', async () => {
		const { snapshots } = openStore();
		// First seen on December 5: it holds that day's table, not September 30's.
		const taken = await snapshots.takeAutomatic(
			'r2',
			fy2020Table().state,
			jst('2020-12-05T09:00:00'),
			null
		);
		expect(taken.map((s) => [s.kind, s.name])).toEqual([
			['quarter', '令和2年度 四半期ごとの保存 (令和2年12月5日)']
		]);
	});

	it('leave the year out when the doc has none', async () => {
		const { snapshots } = openStore();
		const doc = new Y.Doc();
		doc.getMap('meta').set('title', '年度のない表');
		const state = () => Y.encodeStateAsUpdate(doc);
		expect(stateFiscalYear(state())).toBeNull();
		const taken = await snapshots.takeAutomatic('r2', state, jst('2020-07-01T09:00:00'), null);
		expect(taken.map((s) => s.name)).toEqual(['第1四半期末 (令和2年6月30日)']);
		doc.getMap('meta').set('fiscalYear', '2020');
		expect(stateFiscalYear(state())).toBeNull();
		doc.getMap('meta').set('fiscalYear', 1e300);
		expect(stateFiscalYear(state())).toBeNull();
	});

	it('cross from 平成 to 令和 with the quarter ends and days around May 1, 2019', () => {
		// 平成30年度's last quarter ended on 平成31年3月31日.
		expect(quarterSnapshotName(jst('2019-04-01T00:10:00'), 2018)).toBe(
			'平成30年度 第4四半期末 (平成31年3月31日)'
		);
		expect(quarterSnapshotName(jst('2019-07-01T00:10:00'), 2019)).toBe(
			'令和元年度 第1四半期末 (令和元年6月30日)'
		);
		expect(dailySnapshotName(jst('2019-04-30T23:59:00'), 2019)).toBe(
			'令和元年度 自動保存 (平成31年4月30日)'
		);
		expect(dailySnapshotName(jst('2019-05-01T00:00:00'), 2019)).toBe(
			'令和元年度 自動保存 (令和元年5月1日)'
		);
		expect(quarterSnapshotName(jst('2019-05-01T00:00:00'), 2018)).toBe(
			'平成30年度 四半期ごとの保存 (令和元年5月1日)'
		);
	});
});

describe('automaticSnapshotsDue', () => {
	const day = (local: string) => jst(local).getTime();

	it('takes both when none were ever taken', () => {
		expect(automaticSnapshotsDue(jst('2020-08-15T12:00:00'), {}, null)).toEqual([
			'quarter',
			'daily'
		]);
	});

	it('takes a daily one on a new Japan day only when something changed since the last', () => {
		const last = { quarter: day('2020-07-01T00:05:00'), daily: day('2020-07-01T23:00:00') };
		const now = jst('2020-07-02T00:30:00'); // 2020-07-01T15:30Z: still July 1 in UTC
		expect(automaticSnapshotsDue(now, last, day('2020-07-01T23:30:00'))).toEqual(['daily']);
		expect(automaticSnapshotsDue(now, last, day('2020-07-01T22:00:00'))).toEqual([]);
		expect(automaticSnapshotsDue(now, last, null)).toEqual([]);
		// Same Japan day as the last daily snapshot: not yet, however much changed.
		expect(
			automaticSnapshotsDue(jst('2020-07-01T23:59:00'), last, day('2020-07-01T23:30:00'))
		).toEqual([]);
	});

	it('takes a quarter one once each quarter end has passed, at midnight Japan time', () => {
		const last = { quarter: day('2020-04-01T09:00:00'), daily: day('2020-06-30T10:00:00') };
		const changed = day('2020-06-30T09:00:00');
		expect(automaticSnapshotsDue(jst('2020-06-30T23:59:59'), last, changed)).toEqual([]);
		expect(automaticSnapshotsDue(jst('2020-07-01T00:00:00'), last, changed)).toEqual(['quarter']);
		const afterQ1 = { ...last, quarter: day('2020-07-01T00:01:00') };
		expect(automaticSnapshotsDue(jst('2020-09-30T12:00:00'), afterQ1, changed)).toEqual([]);
		expect(automaticSnapshotsDue(jst('2020-10-01T08:00:00'), afterQ1, changed)).toEqual([
			'quarter'
		]);
		// Server down over a quarter end: the snapshot is still taken when it comes back.
		expect(automaticSnapshotsDue(jst('2021-02-10T08:00:00'), afterQ1, changed)).toEqual([
			'quarter'
		]);
	});

	it('names quarter ends across the fiscal year, in Japan time', () => {
		expect(lastQuarterEnd(jst('2020-07-01T00:00:00'))).toEqual({
			quarter: 1,
			year: 2020,
			month: 6,
			day: 30,
			passedAt: day('2020-07-01T00:00:00')
		});
		const named = (local: string) => quarterSnapshotName(jst(local), 2020);
		expect(named('2020-07-01T09:00:00')).toBe('令和2年度 第1四半期末 (令和2年6月30日)');
		expect(named('2020-10-01T23:59:00')).toBe('令和2年度 第2四半期末 (令和2年9月30日)');
		expect(named('2021-01-01T00:00:00')).toBe('令和2年度 第3四半期末 (令和2年12月31日)');
		// The fourth quarter ends in the next calendar year, still the table's fiscal year.
		expect(named('2021-04-01T00:00:00')).toBe('令和2年度 第4四半期末 (令和3年3月31日)');
		// The first quarter end of the next fiscal year is not this table's.
		expect(named('2021-07-01T00:00:00')).toBe('令和2年度 四半期ごとの保存 (令和3年6月30日)');
		// 2020-06-30T15:30Z is already July 1 in Japan.
		expect(quarterSnapshotName(new Date('2020-06-30T15:30:00Z'), 2020)).toBe(
			'令和2年度 第1四半期末 (令和2年6月30日)'
		);
		expect(quarterSnapshotName(new Date('2020-04-01T14:59:59Z'), 2019)).toBe(
			'令和元年度 第4四半期末 (令和2年3月31日)'
		);
		expect(dailySnapshotName(new Date('2020-06-30T15:30:00Z'), 2020)).toBe(
			'令和2年度 自動保存 (令和2年7月1日)'
		);
		expect(dailySnapshotName(new Date('2020-06-30T14:59:59Z'), null)).toBe(
			'自動保存 (令和2年6月30日)'
		);
	});
});
