// `shinko backup` and `shinko restore`: the whole store (tables, history, users) in one file.
import Database from 'better-sqlite3';
import {
	closeSync,
	copyFileSync,
	existsSync,
	fsyncSync,
	openSync,
	readFileSync,
	renameSync,
	rmSync
} from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { readConfig } from './config.ts';
import { CliUsageError } from './cli-users.ts';
import { SqliteStore, STORE_FILE } from './store.ts';

export const STORE_USAGE = `  shinko backup --out FILE                ストア全体の一貫したバックアップ (サーバー稼働中も可)
  shinko restore FILE                     バックアップからストアを戻す (サーバー停止中に)`;

export const PID_FILE = 'server.pid';

/** The pid of a server running on this data dir, if any (it writes server.pid while it runs). */
export function runningServer(dataDir: string): number | null {
	const path = join(dataDir, PID_FILE);
	if (!existsSync(path)) return null;
	const pid = Number(readFileSync(path, 'utf8').trim());
	if (!Number.isInteger(pid) || pid <= 0) return null;
	try {
		process.kill(pid, 0);
		return pid;
	} catch {
		return null; // a stale file from a killed server
	}
}

/** Throws unless the file is a readable, intact Shinko store. */
function checkStoreFile(file: string): void {
	let db: Database.Database;
	try {
		db = new Database(file, { readonly: true, fileMustExist: true });
	} catch {
		throw new CliUsageError(`${file}: SQLite のファイルとして開けません`);
	}
	try {
		const ok = db.pragma('integrity_check', { simple: true });
		if (ok !== 'ok') throw new CliUsageError(`${file}: ファイルが壊れています (${String(ok)})`);
		const tables = new Set(
			(
				db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as {
					name: string;
				}[]
			).map((r) => r.name)
		);
		for (const t of ['updates', 'meta']) {
			if (!tables.has(t))
				throw new CliUsageError(`${file}: Shinko のバックアップではありません (${t} がありません)`);
		}
	} catch (err) {
		if (err instanceof CliUsageError) throw err;
		throw new CliUsageError(`${file}: SQLite のファイルとして読めません`);
	} finally {
		db.close();
	}
}

export async function backupCommand(args: string[], out: (line: string) => void): Promise<number> {
	const { values } = parseArgs({ args, options: { out: { type: 'string' } } });
	if (!values.out) throw new CliUsageError(STORE_USAGE);
	const store = new SqliteStore(readConfig().dataDir);
	try {
		// SQLite's online backup: consistent even while the server writes.
		await store.db.backup(values.out);
	} finally {
		store.close();
	}
	checkStoreFile(values.out);
	out(`バックアップしました: ${values.out}`);
	return 0;
}

export function restoreCommand(args: string[], out: (line: string) => void): number {
	const { positionals } = parseArgs({ args, allowPositionals: true });
	const file = positionals[0];
	if (!file || positionals.length !== 1) throw new CliUsageError(STORE_USAGE);
	const { dataDir } = readConfig();
	const pid = runningServer(dataDir);
	if (pid !== null) {
		throw new CliUsageError(`サーバーが動いています (pid ${pid})。停止してから戻してください。`);
	}
	checkStoreFile(file);
	const target = join(dataDir, STORE_FILE);
	const staging = `${target}.restoring`;
	copyFileSync(file, staging);
	const fd = openSync(staging, 'r+');
	fsyncSync(fd);
	closeSync(fd);
	if (existsSync(target)) {
		// Keep what was there: a restore is never the only copy of anything.
		const keep = `${target}.before-restore-${new Date().toISOString().replace(/[:.]/g, '-')}`;
		const current = new SqliteStore(dataDir);
		current.db.pragma('wal_checkpoint(TRUNCATE)');
		current.close();
		renameSync(target, keep);
		out(`元のストアは ${keep} に残しました`);
	}
	rmSync(`${target}-wal`, { force: true });
	rmSync(`${target}-shm`, { force: true });
	renameSync(staging, target);
	out(`戻しました: ${file} → ${target}`);
	return 0;
}
