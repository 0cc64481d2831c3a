// Checks at start, before the server serves (or seeds) anything: a store that is missing, empty,
// behind its commit mark or damaged is reported with the way out, and the server does not start.
// Starting anyway would seed a new reference table and a new admin over a lost store, or serve
// part of what clients were told is saved, without a word.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { PID_FILE } from './cli-store.ts';
import { MARK_FILE, readCommitMark, SqliteStore, STORE_FILE, writeCommitMark } from './store.ts';

export class StoreCheckError extends Error {
	override name = 'StoreCheckError';
}

const RESTORE = (dataDir: string) =>
	`戻すには: サーバーを止めたまま DATA_DIR=${dataDir} npx shinko restore <バックアップファイル>`;

/** Files that show the data dir was used before; empty when it is new. */
function signsOfUse(dataDir: string): string[] {
	if (!existsSync(dataDir)) return [];
	const signs: string[] = [];
	const mark = readCommitMark(dataDir);
	if (mark !== undefined && mark > 0)
		signs.push(`${MARK_FILE}（最後にコミットした更新の番号 ${mark}）`);
	// A mark of 0 was written when this data dir was new, and no update was committed since: a
	// first start stopped before it seeded leaves a WAL (or a pid file) and nothing of anyone's.
	if (mark !== 0)
		for (const name of [PID_FILE, `${STORE_FILE}-wal`, `${STORE_FILE}-shm`]) {
			if (existsSync(join(dataDir, name))) signs.push(name);
		}
	for (const name of readdirSync(dataDir)) {
		if (name.startsWith(`${STORE_FILE}.before-restore-`)) signs.push(name);
	}
	return signs;
}

/**
 * Opens the store of `dataDir` for the server, or throws a StoreCheckError saying what is wrong
 * and the way out. The signs of earlier use are read before opening, which creates files.
 */
export function openCheckedStore(dataDir: string): SqliteStore {
	const path = join(dataDir, STORE_FILE);
	const signs = signsOfUse(dataDir);
	const state = !existsSync(path) ? 'ありません' : statSync(path).size === 0 ? '空です' : null;
	if (state !== null) refuseIfUsed(dataDir, `ストア ${path} が${state}`, signs);
	let store: SqliteStore;
	try {
		store = new SqliteStore(dataDir);
	} catch (err) {
		// Its header damaged ("file is not a database"), or unreadable.
		throw new StoreCheckError(
			`ストア ${path} を開けません（${String(err)}）。起動を止めました。\n${RESTORE(dataDir)}`
		);
	}
	try {
		checkOpened(store, dataDir, signs);
		// A new data dir: marked as such until its first commit moves the mark (see signsOfUse).
		if (signs.length === 0 && readCommitMark(dataDir) === undefined && store.highestSeq() === 0) {
			try {
				writeCommitMark(dataDir, 0);
			} catch {
				// best effort (a full disk): without it, a start stopped before seeding is refused
			}
		}
	} catch (err) {
		store.closeNow();
		throw err;
	}
	return store;
}

/** Its pages, whether it holds any table, and its log against the commit mark. */
function checkOpened(store: SqliteStore, dataDir: string, signs: string[]): void {
	const path = join(dataDir, STORE_FILE);
	const integrity = store.db.pragma('quick_check(5)') as { quick_check: string }[];
	const problems = integrity.map((r) => r.quick_check).filter((r) => r !== 'ok');
	if (problems.length > 0) {
		throw new StoreCheckError(
			`ストア ${path} が壊れています（SQLite の検査結果: ${problems.join(' / ')}）。起動を止めました。\n` +
				RESTORE(dataDir)
		);
	}
	if (store.docIdsNow().length === 0) {
		refuseIfUsed(dataDir, `ストア ${path} に表がひとつもありません`, signs);
		return;
	}
	const mark = readCommitMark(dataDir);
	const highest = store.highestSeq();
	if (mark !== undefined && highest < mark) {
		throw new StoreCheckError(
			`ストア ${path} には、保存済みと応答した更新の一部がありません（記録上の最後の番号 ${mark}、` +
				`ストアの最後の番号 ${highest}）。WAL ファイル ${STORE_FILE}-wal が削除・切り詰め・破損した` +
				`おそれがあります。起動を止めました。\n` +
				`${RESTORE(dataDir)}\n` +
				`ストアに残っている内容で始めるには: ${join(dataDir, MARK_FILE)} を削除してから起動してください` +
				`（欠けた変更は、それを持つ端末が接続したときに送り直されます）。`
		);
	}
}

function refuseIfUsed(dataDir: string, what: string, signs: string[]): void {
	if (signs.length === 0) return;
	throw new StoreCheckError(
		`${what}が、データディレクトリ ${dataDir} には使われていた跡があります（${signs.join('、')}）。` +
			`このまま始めると、これまでの表・ユーザー・履歴のない新しいストアになるため、起動を止めました。\n` +
			`${RESTORE(dataDir)}\n` +
			`新しく始めるなら: 空のデータディレクトリを DATA_DIR に指定してください。`
	);
}
