// `npx shinko …`: operator commands working directly on DATA_DIR (safe while the server runs).
// Every command names the store it uses on stderr and never writes into DATA_DIR through --out.
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ZodError } from 'zod';
import { sheetToCsv } from '../src/lib/export/csv.ts';
import { sheetToJson } from '../src/lib/export/json.ts';
import { sheetToXlsx } from '../src/lib/export/xlsx.ts';
import { docToSheet } from '../src/lib/doc/sheet-doc.ts';
import { importBytes, isImportError, MAX_IMPORT_BYTES } from '../src/lib/import/any.ts';
import { OfficeImportError } from '../src/lib/import/office/errors.ts';
import { parseMapping, type ImportMapping } from '../src/lib/import/office/mapping.ts';
import { DOC_ID } from '../src/lib/model/schema.ts';
import {
	backupCommand,
	checkOutPath,
	cliStoreTarget,
	migrateStoreCommand,
	MIGRATE_USAGE,
	CliUsageError,
	openStoreAt,
	restoreCommand,
	STORE_USAGE
} from './cli-store.ts';
import { usersCommand, USERS_USAGE } from './cli-users.ts';
import { StoreCopyError } from './pg/copy.ts';
import { docFromUpdates } from './store.ts';
import { storeNewTable } from './tables.ts';
import { UserError } from './users.ts';

const USAGE = `使い方 / usage:
  shinko import FILE [--json] [--map MAP] [--print-map]
                                          表を新しい表として取り込む (テキスト形式・.xlsx・JSON バックアップ。
                                          .xlsx は Shinko の書き出しのほか、役所で作った表も読む)
                                          --json: 保存せず SheetJSON を表示する
                                          --print-map: 保存せず、推測した列の対応表 (JSON) を表示する
                                          --map MAP: 推測の代わりに対応表 MAP (JSON) で読む
  shinko export DOC --format xlsx|csv|json [--out FILE]
                                          表を書き出す (--out がなければ標準出力)
${STORE_USAGE}
${MIGRATE_USAGE}
${USERS_USAGE}

環境変数: DATA_DIR サーバーのデータディレクトリ (未設定なら ./data、ただし既存のストアがある場合のみ)
         DATABASE_URL クラスタ構成の PostgreSQL (postgres://…)。あればどのコマンドもそちらを使う
--out にはデータディレクトリの中を指定できません`;

class CliError extends Error {
	override name = 'CliError';
}

function out(text: string): void {
	process.stdout.write(text.endsWith('\n') ? text : text + '\n');
}

function readImportFile(file: string): Uint8Array {
	let size: number;
	try {
		size = statSync(file).size;
	} catch {
		throw new CliError(`${file}: ファイルが見つかりません (file not found)`);
	}
	if (size > MAX_IMPORT_BYTES) {
		throw new CliError(`${file}: ファイルが大きすぎます (${size} bytes > ${MAX_IMPORT_BYTES})`);
	}
	return new Uint8Array(readFileSync(file));
}

/** A mapping file (`--map`), as the import dialog saves it or `--print-map` prints it. */
function readMapping(file: string): ImportMapping {
	let json: unknown;
	try {
		json = JSON.parse(readFileSync(file, 'utf8'));
	} catch (err) {
		const detail = err instanceof SyntaxError ? err.message : 'ファイルが読めません';
		throw new CliError(`${file}: 対応表の JSON が読めません (${detail})`);
	}
	const mapping = parseMapping(json);
	if (typeof mapping === 'string') throw new CliError(`${file}: ${mapping}`);
	return mapping;
}

async function importCommand(args: string[]): Promise<number> {
	const { values, positionals } = parseArgs({
		args,
		options: {
			json: { type: 'boolean', default: false },
			map: { type: 'string' },
			'print-map': { type: 'boolean', default: false }
		},
		allowPositionals: true
	});
	const file = positionals[0];
	if (!file || positionals.length > 1) throw new CliError(USAGE);
	const mapping = values.map === undefined ? undefined : readMapping(values.map);
	let imported;
	try {
		imported = await importBytes(readImportFile(file), mapping);
	} catch (err) {
		// The mapping that did not work is what --print-map is for: printed, to be corrected.
		if (values['print-map'] && err instanceof OfficeImportError && err.mapping) {
			process.stderr.write(`${file}: ${err.message}\n`);
			out(JSON.stringify(err.mapping, null, '\t'));
			return 0;
		}
		if (isImportError(err)) throw new CliError(`${file}: ${err.message}`);
		throw err;
	}
	const { sheet, office } = imported;
	if (mapping && !office)
		throw new CliError(`${file}: --map は役所で作った .xlsx や PDF を読むときだけ使います`);
	if (values['print-map']) {
		if (!office)
			throw new CliError(`${file}: 対応表は役所で作った .xlsx や PDF を読むときだけ使います`);
		out(JSON.stringify(office.mapping, null, '\t'));
		return 0;
	}
	if (office) {
		const { headings, items, kpis } = office.counts;
		process.stderr.write(`${file}: 見出し ${headings}、項目 ${items}、目標 ${kpis} を読みました\n`);
		for (const w of office.warnings)
			process.stderr.write(`${file}: ${w.where ? `${w.where}: ` : ''}${w.message}\n`);
	}
	if (values.json) {
		out(sheetToJson(sheet));
		return 0;
	}
	const store = await openStoreAt(cliStoreTarget());
	try {
		const id = await storeNewTable(store, sheet, 'cli');
		const items = sheet.pillars.flatMap((p) => p.sections).flatMap((s) => s.items).length;
		out(`「${sheet.title}」を取り込みました (${items} 項目)`);
		out(id);
	} finally {
		await store.close();
	}
	return 0;
}

const FORMATS = ['xlsx', 'csv', 'json'] as const;

async function exportCommand(args: string[]): Promise<number> {
	const { values, positionals } = parseArgs({
		args,
		options: { format: { type: 'string', default: 'json' }, out: { type: 'string' } },
		allowPositionals: true
	});
	const docId = positionals[0];
	if (!docId || positionals.length > 1) throw new CliError(USAGE);
	if (!DOC_ID.test(docId)) throw new CliError(`表の ID が正しくありません: ${docId}`);
	const format = values.format as (typeof FORMATS)[number];
	if (!FORMATS.includes(format)) {
		throw new CliError(`--format は xlsx / csv / json のどれかです (${values.format})`);
	}
	const target = cliStoreTarget();
	if (values.out && target.kind === 'sqlite') checkOutPath(values.out, target.dataDir);
	const store = await openStoreAt(target);
	let sheet;
	try {
		const stored = await store.load(docId);
		if (stored.updates.length === 0) throw new CliError(`表が見つかりません: ${docId}`);
		const doc = docFromUpdates(stored.updates);
		sheet = docToSheet(doc);
		doc.destroy();
	} finally {
		await store.close();
	}
	const data: string | Uint8Array =
		format === 'xlsx'
			? await sheetToXlsx(sheet)
			: format === 'csv'
				? sheetToCsv(sheet)
				: sheetToJson(sheet);
	if (values.out) writeFileSync(values.out, data);
	else process.stdout.write(data);
	return 0;
}

export async function run(argv: string[]): Promise<number> {
	const [command, ...rest] = argv;
	try {
		switch (command) {
			case 'import':
				return await importCommand(rest);
			case 'export':
				return await exportCommand(rest);
			case 'backup':
				return await backupCommand(rest, out);
			case 'restore':
				return await restoreCommand(rest, out);
			case 'migrate-store':
				return await migrateStoreCommand(rest, out);
			case 'users':
				return await usersCommand(rest, out);
			case undefined:
			case 'help':
			case '--help':
			case '-h':
				out(USAGE);
				return command === undefined ? 1 : 0;
			default:
				throw new CliError(`不明なコマンド: ${command}\n${USAGE}`);
		}
	} catch (err) {
		if (
			isImportError(err) ||
			err instanceof CliError ||
			err instanceof CliUsageError ||
			err instanceof StoreCopyError ||
			err instanceof UserError
		) {
			process.stderr.write(`shinko: ${err.message}\n`);
			return 2;
		}
		if (err instanceof ZodError) {
			process.stderr.write(`shinko: ${err.issues[0]?.message ?? err.message}\n`);
			return 2;
		}
		if (
			err instanceof TypeError &&
			'code' in err &&
			String(err.code).startsWith('ERR_PARSE_ARGS')
		) {
			process.stderr.write(`shinko: ${err.message}\n${USAGE}\n`);
			return 2;
		}
		process.stderr.write(`shinko: ${err instanceof Error ? err.message : String(err)}\n`);
		return 1;
	}
}
