// `shinko backup` and `shinko restore`: the whole store (tables, history, users) in one file. Also
// where every command may read and write: the store it names on stderr, never an --out inside it.
import Database from 'better-sqlite3';
import {
	closeSync,
	existsSync,
	fsyncSync,
	lstatSync,
	mkdirSync,
	mkdtempSync,
	openSync,
	readdirSync,
	readFileSync,
	readlinkSync,
	realpathSync,
	renameSync,
	rmSync,
	statSync
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { parseArgs } from 'node:util';
import * as Y from 'yjs';
import { DOC_ID } from '../src/lib/model/sheet-constants.ts';
import { readConfig } from './config.ts';
import { NAME_MAX, SNAPSHOT_KINDS, snapshotSheet, validSnapshotName } from './snapshots.ts';
import { PASSWORD_HASH } from './passwords.ts';
import { silentLogger } from './log.ts';
import {
	copyPostgresToSqlite,
	copySqliteToPostgres,
	serversRunningError,
	type Copied
} from './pg/copy.ts';
import { PgStore } from './pg/store.ts';
import { MARK_FILE, SqliteStore, STORE_FILE, writeCommitMark, type ServerStore } from './store.ts';
import { MAX_CLOCK } from './update-guard.ts';
import { ROLES, roleSchema, usernameSchema } from './users.ts';

export const STORE_USAGE = `  shinko backup --out FILE                ストア全体の一貫したバックアップ (サーバー稼働中も可)
  shinko restore FILE                     バックアップからストアを戻す (サーバー停止中に)`;

export const PID_FILE = 'server.pid';

/** An operator's mistake the CLI refuses with a message (exit code 2). */
export class CliUsageError extends Error {
	override name = 'CliUsageError';
}

/**
 * The data dir every command works on; a command asks once. Said on stderr, so a store no server
 * reads is noticed; the default ./data is never created, as a CLI run from the wrong directory
 * would report success into a fresh, empty store.
 */
export function cliDataDir(): string {
	const { dataDir } = readConfig();
	const store = join(dataDir, STORE_FILE);
	const explicit = process.env.DATA_DIR !== undefined;
	if (!explicit && !existsSync(store)) {
		throw new CliUsageError(
			`ストア ${store} がありません。環境変数 DATA_DIR にサーバーのデータディレクトリを指定してください（例: DATA_DIR=/var/lib/shinko npx shinko …）`
		);
	}
	const note = explicit ? '' : '（DATA_DIR 未設定のため既定の ./data）';
	process.stderr.write(`shinko: ストア ${store}${note}\n`);
	return dataDir;
}

/** Where the commands read and write: the data dir's SQLite, or cluster mode's PostgreSQL. */
export type StoreTarget = { kind: 'sqlite'; dataDir: string } | { kind: 'postgres'; url: string };

/**
 * The store every command works on, said on stderr: PostgreSQL when DATABASE_URL is set (cluster
 * mode, its password not shown), or else the data dir's SQLite (cliDataDir).
 */
export function cliStoreTarget(): StoreTarget {
	const { databaseUrl } = readConfig();
	if (!databaseUrl) return { kind: 'sqlite', dataDir: cliDataDir() };
	process.stderr.write(`shinko: ストア ${shownUrl(databaseUrl)} (DATABASE_URL)\n`);
	return { kind: 'postgres', url: databaseUrl };
}

/** A database URL without its password, for messages. */
export function shownUrl(url: string): string {
	try {
		const parsed = new URL(url);
		if (parsed.password) parsed.password = '***';
		return parsed.toString();
	} catch {
		return 'postgres://…';
	}
}

/** Opens the store of a target (close it when done). */
export async function openStoreAt(target: StoreTarget): Promise<ServerStore> {
	return target.kind === 'postgres'
		? PgStore.open(target.url, silentLogger)
		: new SqliteStore(target.dataDir);
}

/** The path a write to `path` lands on: symlinks followed, even dangling ones, to the last part. */
function landingPath(path: string, hops = 0): string {
	const absolute = resolve(path);
	let stat;
	try {
		stat = lstatSync(absolute);
	} catch {
		const parent = dirname(absolute);
		return parent === absolute ? absolute : join(landingPath(parent, hops), basename(absolute));
	}
	if (stat.isSymbolicLink() && hops < 40) {
		return landingPath(resolve(dirname(absolute), readlinkSync(absolute)), hops + 1);
	}
	return realpathSync.native(absolute);
}

/** Whether `path` is a hard link to a file of the data dir (writing it would write the store). */
function linksIntoDir(path: string, dir: string): boolean {
	const same = (a: string, b: { dev: number; ino: number }) => {
		try {
			const stat = statSync(a);
			return stat.dev === b.dev && stat.ino === b.ino;
		} catch {
			return false; // gone, or a dangling link: nothing a write to `path` could reach
		}
	};
	if (!existsSync(path) || !existsSync(dir)) return false;
	const target = statSync(path);
	return readdirSync(dir).some((name) => same(join(dir, name), target));
}

/** Refuses an --out that would write over the live store (or anything else in the data dir). */
export function checkOutPath(out: string, dataDir: string): void {
	const dir = landingPath(dataDir);
	const target = landingPath(out);
	const up = relative(dir, target);
	const outside = up === '..' || up.startsWith(`..${sep}`) || isAbsolute(up);
	if (!outside || linksIntoDir(target, dir)) {
		throw new CliUsageError(
			`--out ${out}: データディレクトリ ${dataDir} の中には書き出せません（ストアを上書きしないため）。別の場所を指定してください`
		);
	}
}

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

/** The file opened read-only, once it is known to be a readable, intact Shinko store. */
function openStoreFile(file: string): Database.Database {
	let db: Database.Database;
	try {
		db = new Database(file, { readonly: true, fileMustExist: true });
		// A backup is a file from anywhere: nothing its schema declares may run SQL functions.
		db.pragma('trusted_schema = OFF');
	} catch {
		throw new CliUsageError(`${file}: SQLite のファイルとして開けません`);
	}
	try {
		const ok = db.pragma('integrity_check', { simple: true });
		if (ok !== 'ok') throw new CliUsageError(`${file}: ファイルが壊れています (${String(ok)})`);
		const tables = tableNames(db);
		for (const t of ['updates', 'meta']) {
			if (!tables.has(t))
				throw new CliUsageError(`${file}: Shinko のバックアップではありません (${t} がありません)`);
		}
		return db;
	} catch (err) {
		db.close();
		if (err instanceof CliUsageError) throw err;
		throw new CliUsageError(`${file}: SQLite のファイルとして読めません`);
	}
}

function tableNames(db: Database.Database): Set<string> {
	const rows = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all();
	return new Set((rows as { name: string }[]).map((r) => r.name));
}

export async function backupCommand(args: string[], out: (line: string) => void): Promise<number> {
	const { values } = parseArgs({ args, options: { out: { type: 'string' } } });
	if (!values.out) throw new CliUsageError(STORE_USAGE);
	const target = cliStoreTarget();
	if (target.kind === 'postgres') {
		const copied = await backupPostgres(target.url, values.out);
		out(`バックアップしました: ${values.out} (${copiedText(copied)})`);
		return 0;
	}
	const dataDir = target.dataDir;
	checkOutPath(values.out, dataDir);
	const store = new SqliteStore(dataDir);
	try {
		// SQLite's online backup: consistent even while the server writes.
		await store.db.backup(values.out);
	} finally {
		store.closeNow();
	}
	openStoreFile(values.out).close();
	out(`バックアップしました: ${values.out}`);
	return 0;
}

/**
 * Cluster mode's backup: the same SQLite file a single server's backup is, made from one
 * consistent snapshot of the database while servers go on writing.
 */
async function backupPostgres(url: string, out: string): Promise<Copied> {
	// Beside --out, so the final rename is atomic; removed whatever happens.
	const staging = mkdtempSync(join(dirname(resolve(out)), '.shinko-backup-'));
	try {
		const built = new SqliteStore(staging);
		let copied: Copied;
		try {
			built.users(readConfig().sessionTtlMs);
			built.snapshots();
			const store = await PgStore.open(url, silentLogger);
			try {
				copied = await copyPostgresToSqlite(store.pool, built);
			} finally {
				await store.close();
			}
			built.db.pragma('wal_checkpoint(TRUNCATE)');
		} finally {
			built.closeNow();
		}
		const file = join(staging, STORE_FILE);
		openStoreFile(file).close();
		const fd = openSync(file, 'r+');
		fsyncSync(fd);
		closeSync(fd);
		renameSync(file, out);
		return copied;
	} finally {
		rmSync(staging, { recursive: true, force: true });
	}
}

function copiedText(c: Copied): string {
	return `表 ${c.docs}、履歴 ${c.rows} 行、利用者 ${c.users}、スナップショット ${c.snapshots}`;
}

/**
 * A backup file checked as a restore checks it, built into a new SQLite store in a temp dir:
 * `use` gets it (read-only) with the notes on what was left behind.
 */
async function withCheckedBackup<T>(
	file: string,
	use: (built: Database.Database, notes: string[]) => Promise<T>
): Promise<T> {
	const source = openStoreFile(file);
	const staging = mkdtempSync(join(tmpdir(), 'shinko-restore-'));
	try {
		const notes = buildStore(source, file, staging);
		source.close();
		const built = new Database(join(staging, STORE_FILE), { readonly: true, fileMustExist: true });
		try {
			return await use(built, notes);
		} finally {
			built.close();
		}
	} finally {
		source.close();
		rmSync(staging, { recursive: true, force: true });
	}
}

/** Cluster mode's restore: the database replaced by the backup, what it held kept in a file. */
async function restorePostgres(
	url: string,
	file: string,
	out: (line: string) => void
): Promise<number> {
	return withCheckedBackup(file, async (built, notes) => {
		const store = await PgStore.open(url, silentLogger);
		try {
			// Asked before the copy of what is there is made (the restore asks again, locked).
			if (await store.serversRunning()) throw serversRunningError();
			if ((await store.docIds()).length > 0 || (await store.users(1).count()) > 0) {
				const stamp = new Date().toISOString().replace(/[:.]/g, '-');
				const keep = join(dirname(resolve(file)), `shinko-before-restore-${stamp}.sqlite`);
				await backupPostgres(url, keep);
				out(`元のデータは ${keep} に残しました`);
			}
			const copied = await copySqliteToPostgres(built, store.pool, { replace: true });
			for (const note of notes) out(note);
			out(`戻しました: ${file} → ${shownUrl(url)} (${copiedText(copied)})`);
			return 0;
		} finally {
			await store.close();
		}
	});
}

export const MIGRATE_USAGE = `  shinko migrate-store --to postgres://…   DATA_DIR のストア全体を空の PostgreSQL に移す`;

/**
 * `shinko migrate-store --to postgres://…`: the data dir's whole store (tables and their history,
 * users, snapshots) into an empty PostgreSQL database, from a consistent copy, checked as a
 * restore checks a backup.
 */
export async function migrateStoreCommand(
	args: string[],
	out: (line: string) => void
): Promise<number> {
	const { values } = parseArgs({ args, options: { to: { type: 'string' } } });
	const to = values.to;
	if (!to || !/^postgres(ql)?:\/\//.test(to)) throw new CliUsageError(MIGRATE_USAGE);
	const dataDir = cliDataDir();
	if (!existsSync(join(dataDir, STORE_FILE)))
		throw new CliUsageError(`ストア ${join(dataDir, STORE_FILE)} がありません`);
	const staging = mkdtempSync(join(tmpdir(), 'shinko-migrate-'));
	try {
		const copy = join(staging, 'copy.sqlite');
		const live = new SqliteStore(dataDir);
		try {
			// SQLite's online backup: consistent even while a server writes.
			await live.db.backup(copy);
		} finally {
			live.closeNow();
		}
		return await withCheckedBackup(copy, async (built, notes) => {
			const store = await PgStore.open(to, silentLogger);
			try {
				const copied = await copySqliteToPostgres(built, store.pool, { replace: false });
				for (const note of notes) out(note);
				out(`移しました: ${join(dataDir, STORE_FILE)} → ${shownUrl(to)} (${copiedText(copied)})`);
				if (runningServer(dataDir) !== null)
					out('サーバーが動いています。この後の書き込みは移っていません。');
				return 0;
			} finally {
				await store.close();
			}
		});
	} finally {
		rmSync(staging, { recursive: true, force: true });
	}
}

export async function restoreCommand(args: string[], out: (line: string) => void): Promise<number> {
	const { positionals } = parseArgs({ args, allowPositionals: true });
	const file = positionals[0];
	if (!file || positionals.length !== 1) throw new CliUsageError(STORE_USAGE);
	const target = cliStoreTarget();
	if (target.kind === 'postgres') return restorePostgres(target.url, file, out);
	const dataDir = target.dataDir;
	const pid = runningServer(dataDir);
	if (pid !== null) {
		throw new CliUsageError(`サーバーが動いています (pid ${pid})。停止してから戻してください。`);
	}
	const source = openStoreFile(file);
	let staging: string | undefined;
	try {
		mkdirSync(dataDir, { recursive: true });
		// Beside the store, so the final rename is atomic; removed whatever happens.
		staging = mkdtempSync(join(dataDir, '.restoring-'));
		const notes = buildStore(source, file, staging);
		// Done with the backup before any store file moves: it may be one of them.
		source.close();
		const built = join(staging, STORE_FILE);
		const fd = openSync(built, 'r+');
		fsyncSync(fd);
		closeSync(fd);
		const target = join(dataDir, STORE_FILE);
		if (existsSync(target)) {
			// Keep what was there: a restore is never the only copy of anything.
			const keep = `${target}.before-restore-${new Date().toISOString().replace(/[:.]/g, '-')}`;
			let checkpointed = false;
			try {
				const current = new SqliteStore(dataDir);
				current.db.pragma('wal_checkpoint(TRUNCATE)');
				current.closeNow();
				checkpointed = true;
			} catch {
				// Damaged (the very reason to restore): kept as it is, its WAL beside it.
			}
			renameSync(target, keep);
			if (!checkpointed) {
				for (const suffix of ['-wal', '-shm']) {
					if (existsSync(target + suffix)) renameSync(target + suffix, keep + suffix);
				}
			}
			out(`元のストアは ${keep} に残しました`);
		}
		rmSync(`${target}-wal`, { force: true });
		rmSync(`${target}-shm`, { force: true });
		// The old store's mark would have the server refuse the restored one as "behind".
		rmSync(join(dataDir, MARK_FILE), { force: true });
		renameSync(built, target);
		const restored = new SqliteStore(dataDir);
		try {
			writeCommitMark(dataDir, restored.highestSeq());
		} finally {
			restored.closeNow();
		}
		for (const note of notes) out(note);
		out(`戻しました: ${file} → ${target}`);
	} finally {
		source.close();
		if (staging !== undefined) rmSync(staging, { recursive: true, force: true });
	}
	return 0;
}

/** The columns each table of the backup must have; only these are read. */
const COLUMNS = {
	updates: ['seq', 'doc_id', 'data', 'writer', 'created_at'],
	meta: ['key', 'value'],
	users: ['username', 'role', 'display_name', 'password_hash', 'created_at'],
	snapshots: ['id', 'doc_id', 'name', 'kind', 'author', 'created_at', 'state']
} as const;

type Row = Record<string, unknown>;

/**
 * A new store in `dir` made by the app's own constructors, holding the backup's rows once each
 * is checked as the server will read it. Only rows travel: no trigger, view or index of the
 * backup does, nor any sessions. Returns notes on what was left behind.
 */
function buildStore(source: Database.Database, file: string, dir: string): string[] {
	const store = new SqliteStore(dir);
	try {
		// Their tables, made as the server makes them.
		store.users(readConfig().sessionTtlMs);
		store.snapshots();
		const tables = tableNames(source);
		const check = new RowCheck(file);
		/** The backup's rows of `table` in `key` order, each with its checks. */
		function* rows(table: keyof typeof COLUMNS, key: string): Generator<[Row, RowCheck]> {
			const have = new Set(
				(source.pragma(`table_info(${table})`) as { name: string }[]).map((c) => c.name)
			);
			const missing = COLUMNS[table].filter((c) => !have.has(c));
			if (missing.length > 0) {
				throw new CliUsageError(
					`${file}: 表 ${table} に列 ${missing.join(', ')} がありません（${COLUMNS[table].join(', ')} が必要です）`
				);
			}
			const select = source.prepare(
				`SELECT ${COLUMNS[table].join(', ')} FROM ${table} ORDER BY ${key}`
			);
			for (const row of select.iterate() as IterableIterator<Row>) {
				yield [row, check.at(table, `${key}=${String(row[key])}`)];
			}
		}
		/** Inserts each row as `values` checks it, column for column (COLUMNS[table]). */
		const copy = (
			table: keyof typeof COLUMNS,
			key: string,
			values: (row: Row, at: RowCheck) => unknown[]
		): void => {
			// updates and meta are there (openStoreFile); users and snapshots came later.
			if (!tables.has(table)) return;
			const columns = COLUMNS[table];
			const insert = store.db.prepare(
				`INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`
			);
			for (const [row, at] of rows(table, key)) at.insert(insert, values(row, at));
		};
		const setMeta = store.db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)');
		store.db.transaction(() => {
			copy('updates', 'seq', (row, at) => [
				at.id(row.seq, 'seq'),
				at.docId(row.doc_id),
				at.update(row.data, 'data'),
				at.text(row.writer, 'writer'),
				at.time(row.created_at)
			]);
			for (const [row, at] of rows('meta', 'key')) {
				at.insert(setMeta, [at.text(row.key, 'key'), at.text(row.value, 'value')]);
			}
			copy('users', 'username', (row, at) => [
				at.username(row.username),
				at.role(row.role),
				at.nonEmpty(row.display_name, 'display_name'),
				at.passwordHash(row.password_hash),
				at.time(row.created_at)
			]);
			copy('snapshots', 'id', (row, at) => [
				at.id(row.id, 'id'),
				at.docId(row.doc_id),
				at.snapshotName(row.name),
				at.kind(row.kind),
				at.nonEmpty(row.author, 'author'),
				at.time(row.created_at),
				at.snapshotState(row.state)
			]);
		})();
		for (const docId of store.docIdsNow()) check.docApplies(store.db, docId);
		store.db.pragma('wal_checkpoint(TRUNCATE)');
		return leftBehind(source, store.db, tables);
	} finally {
		store.closeNow();
	}
}

/** Notes on what of the backup is not in the store built of it (by the app's own constructors). */
function leftBehind(
	source: Database.Database,
	built: Database.Database,
	tables: Set<string>
): string[] {
	const objects = (db: Database.Database) =>
		(
			db.prepare('SELECT type, name FROM sqlite_master').all() as { type: string; name: string }[]
		).map((o) => `${o.type} ${o.name}`);
	const own = new Set(objects(built));
	const others = objects(source).filter(
		(o) => !own.has(o) && !o.startsWith('index sqlite_autoindex_')
	);
	const notes =
		others.length > 0
			? [`戻さなかったもの（Shinko のものではありません）: ${others.join(', ')}`]
			: [];
	if (tables.has('sessions')) {
		notes.push('ログイン中のセッションは戻していません（利用者はログインし直してください）');
	}
	return notes;
}

/** Checks of one backup row; each failure names the table, the row and what was expected. */
class RowCheck {
	constructor(
		private readonly file: string,
		private readonly table = '',
		private readonly row = ''
	) {}

	at(table: string, row: string): RowCheck {
		return new RowCheck(this.file, table, row.slice(0, 80));
	}

	fail(column: string, expected: string, found: string): never {
		throw new CliUsageError(
			`${this.file}: 表 ${this.table} の行 ${this.row}: ${column} は ${expected}のはずですが、${found}`
		);
	}

	/** Runs an insert, naming the row when the new store refuses it (a duplicate key). */
	insert(statement: Database.Statement, values: unknown[]): void {
		try {
			statement.run(...values);
		} catch (err) {
			if (!(err instanceof Database.SqliteError)) throw err;
			this.fail('行', 'ほかの行と重ならない', `入れられません（${errorText(err)}）`);
		}
	}

	text(value: unknown, column: string): string {
		return typeof value === 'string' ? value : this.fail(column, '文字列', shown(value));
	}

	nonEmpty(value: unknown, column: string): string {
		return typeof value === 'string' && value.trim() !== ''
			? value
			: this.fail(column, '空でない文字列', shown(value));
	}

	id(value: unknown, column: string): number {
		return Number.isSafeInteger(value) && (value as number) > 0
			? (value as number)
			: this.fail(column, '正の整数', shown(value));
	}

	time(value: unknown): number {
		return Number.isSafeInteger(value) && (value as number) >= 0
			? (value as number)
			: this.fail('created_at', 'ミリ秒の時刻（整数）', shown(value));
	}

	docId(value: unknown): string {
		return typeof value === 'string' && DOC_ID.test(value)
			? value
			: this.fail('doc_id', '表の ID（半角英数字と _ - の 64 文字以内）', shown(value));
	}

	username(value: unknown): string {
		return usernameSchema.safeParse(value).success
			? (value as string)
			: this.fail('username', 'ユーザー名（半角英数字と _ . - の 32 文字以内）', shown(value));
	}

	/** Exactly one of the roles, case and all: the server reads anything else as a writer. */
	role(value: unknown): string {
		return roleSchema.safeParse(value).success
			? (value as string)
			: this.fail('role', `${ROLES.join(' / ')} のどれか`, shown(value));
	}

	/** The form verifyPassword reads, with parameters scrypt accepts within its memory cap. */
	passwordHash(value: unknown): string {
		const m = typeof value === 'string' ? PASSWORD_HASH.exec(value) : null;
		const [n, r, p] = [Number(m?.[1]), Number(m?.[2]), Number(m?.[3])];
		const fits = m && n > 1 && (n & (n - 1)) === 0 && r > 0 && p > 0 && p <= 16;
		return fits && 128 * n * r <= 32 * 1024 * 1024
			? (value as string)
			: this.fail(
					'password_hash',
					'scrypt$N$r$p$salt$hash の形（N は 2 の累乗、128×N×r は 32 MB まで）',
					'合いません'
				);
	}

	kind(value: unknown): string {
		return (SNAPSHOT_KINDS as readonly unknown[]).includes(value)
			? (value as string)
			: this.fail('kind', `${SNAPSHOT_KINDS.join(' / ')} のどれか`, shown(value));
	}

	snapshotName(value: unknown): string {
		try {
			return validSnapshotName(value);
		} catch {
			return this.fail('name', `1〜${NAME_MAX} 文字の名前`, shown(value));
		}
	}

	/**
	 * Bytes that decode as a Yjs update with clocks an honest store reaches: huge clocks stall Yjs
	 * (yjs issue 687). Not update-guard's checkUpdate: that caps one client message, and a store's
	 * compacted rows (a whole table in one update) may rightly pass those caps.
	 */
	update(value: unknown, column: string): Buffer {
		if (!Buffer.isBuffer(value) || value.length === 0) {
			return this.fail(column, 'Yjs の更新', shown(value));
		}
		let clocks: Map<number, number>;
		try {
			clocks = Y.parseUpdateMeta(new Uint8Array(value)).to;
		} catch (err) {
			return this.fail(column, 'Yjs の更新', `読めません（${errorText(err)}）`);
		}
		for (const [client, clock] of clocks) {
			if (!Number.isSafeInteger(clock) || clock > MAX_CLOCK) {
				this.fail(column, 'Yjs の更新', `クライアント ${client} の clock ${clock} が大きすぎます`);
			}
		}
		return value;
	}

	snapshotState(value: unknown): Buffer {
		const state = this.update(value, 'state');
		try {
			snapshotSheet(new Uint8Array(state));
		} catch (err) {
			return this.fail('state', '表の状態', `読めません（${errorText(err)}）`);
		}
		return state;
	}

	/** Applies a doc's updates one by one as the server loads them, naming the first that fails. */
	docApplies(db: Database.Database, docId: string): void {
		const doc = new Y.Doc();
		try {
			const rows = db
				.prepare('SELECT seq, data FROM updates WHERE doc_id = ? ORDER BY seq')
				.iterate(docId) as IterableIterator<{ seq: number; data: Buffer }>;
			for (const { seq, data } of rows) {
				try {
					Y.applyUpdate(doc, new Uint8Array(data));
				} catch (err) {
					this.at('updates', `seq=${seq} (doc_id=${docId})`).fail(
						'data',
						'表に適用できる Yjs の更新',
						`適用できません（${errorText(err)}）`
					);
				}
			}
		} finally {
			doc.destroy();
		}
	}
}

function shown(value: unknown): string {
	if (typeof value === 'string') return `「${value.slice(0, 40)}」です`;
	if (Buffer.isBuffer(value)) return `${value.length} バイトのデータです`;
	if (value === null) return '空 (NULL) です';
	return `${String(value).slice(0, 40)} です`;
}

function errorText(err: unknown): string {
	return (err instanceof Error ? err.message : String(err)).slice(0, 80);
}
