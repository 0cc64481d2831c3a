// `npx shinko …`: operator commands working directly on DATA_DIR (safe while the server runs).
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { docToSheet } from '../src/lib/doc/sheet-doc.ts';
import { TextImportError, parseTextTable } from '../src/lib/import/text-table.ts';
import { DOC_ID, type SheetJSON } from '../src/lib/model/schema.ts';
import { readConfig } from './config.ts';
import { loadDoc, SqliteStore } from './store.ts';
import { storeNewTable } from './tables.ts';
import { CliUsageError, usersCommand, USERS_USAGE } from './cli-users.ts';
import { UserError } from './users.ts';
import { ZodError } from 'zod';

const USAGE = `使い方 / usage:
  shinko import FILE [--json]             進行管理表 (テキスト形式) を新しい表として取り込む
                                          --json: 保存せず SheetJSON を表示する
  shinko export DOC --format json [--out FILE]
                                          表を書き出す (xlsx/csv は今後対応)
${USERS_USAGE}

環境変数: DATA_DIR (既定 ./data)`;

const MAX_IMPORT_BYTES = 20 * 1024 * 1024;

class CliError extends Error {
	override name = 'CliError';
}

function out(text: string): void {
	process.stdout.write(text.endsWith('\n') ? text : text + '\n');
}

function readImportFile(file: string): SheetJSON {
	let size: number;
	try {
		size = statSync(file).size;
	} catch {
		throw new CliError(`${file}: ファイルが見つかりません (file not found)`);
	}
	if (size > MAX_IMPORT_BYTES) {
		throw new CliError(`${file}: ファイルが大きすぎます (${size} bytes > ${MAX_IMPORT_BYTES})`);
	}
	const text = readFileSync(file, 'utf8');
	return parseTextTable(text);
}

function importCommand(args: string[]): number {
	const { values, positionals } = parseArgs({
		args,
		options: { json: { type: 'boolean', default: false } },
		allowPositionals: true
	});
	const file = positionals[0];
	if (!file || positionals.length > 1) throw new CliError(USAGE);
	const sheet = readImportFile(file);
	if (values.json) {
		out(JSON.stringify(sheet, null, 2));
		return 0;
	}
	const store = new SqliteStore(readConfig().dataDir);
	try {
		const id = storeNewTable(store, sheet, 'cli');
		const items = sheet.pillars.flatMap((p) => p.sections).flatMap((s) => s.items).length;
		out(`「${sheet.title}」を取り込みました (${items} 項目)`);
		out(id);
	} finally {
		store.close();
	}
	return 0;
}

function exportCommand(args: string[]): number {
	const { values, positionals } = parseArgs({
		args,
		options: { format: { type: 'string', default: 'json' }, out: { type: 'string' } },
		allowPositionals: true
	});
	const docId = positionals[0];
	if (!docId || positionals.length > 1) throw new CliError(USAGE);
	if (!DOC_ID.test(docId)) throw new CliError(`表の ID が正しくありません: ${docId}`);
	if (values.format !== 'json') {
		throw new CliError(`--format ${values.format} にはまだ対応していません (json のみ)`);
	}
	const store = new SqliteStore(readConfig().dataDir);
	try {
		if (store.load(docId).length === 0) throw new CliError(`表が見つかりません: ${docId}`);
		const doc = loadDoc(store, docId);
		const text = JSON.stringify(docToSheet(doc), null, 2) + '\n';
		doc.destroy();
		if (values.out) writeFileSync(values.out, text);
		else out(text);
	} finally {
		store.close();
	}
	return 0;
}

export async function run(argv: string[]): Promise<number> {
	const [command, ...rest] = argv;
	try {
		switch (command) {
			case 'import':
				return importCommand(rest);
			case 'export':
				return exportCommand(rest);
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
			err instanceof TextImportError ||
			err instanceof CliError ||
			err instanceof CliUsageError ||
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
