// `shinko users …`: manage logins in DATA_DIR (works while the server runs; SQLite WAL).
import { parseArgs } from 'node:util';
import { cliStoreTarget, CliUsageError, openStoreAt, type StoreTarget } from './cli-store.ts';
import { readConfig } from './config.ts';
import { hashPassword } from './passwords.ts';
import { roleSchema, usernameSchema, UserError, type UserStore } from './users.ts';

export const USERS_USAGE = `  shinko users add NAME --role admin|editor|viewer [--display-name 表示名]
                                          パスワードは標準入力から (echo … | でも可)
  shinko users list
  shinko users remove NAME
  shinko users passwd NAME                パスワードは標準入力から`;

const MIN_PASSWORD = 8;

/** Reads a password: hidden at a terminal, else the first line of standard input. */
async function readPassword(prompt: string): Promise<string> {
	const stdin = process.stdin;
	if (!stdin.isTTY) {
		const chunks: Buffer[] = [];
		for await (const chunk of stdin as AsyncIterable<Buffer>) chunks.push(chunk);
		return Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '';
	}
	process.stderr.write(prompt);
	stdin.setRawMode(true);
	stdin.resume();
	try {
		return await new Promise<string>((resolve, reject) => {
			let value = '';
			const onData = (data: Buffer) => {
				for (const ch of data.toString('utf8')) {
					if (ch === '\r' || ch === '\n') {
						stdin.off('data', onData);
						process.stderr.write('\n');
						return resolve(value);
					}
					if (ch === '\u0003') {
						stdin.off('data', onData);
						return reject(new CliUsageError('中断しました'));
					}
					if (ch === '\u007f') value = value.slice(0, -1);
					else value += ch;
				}
			};
			stdin.on('data', onData);
		});
	} finally {
		stdin.setRawMode(false);
		stdin.pause();
	}
}

async function newPassword(): Promise<string> {
	const password = await readPassword('パスワード: ');
	if (password.length < MIN_PASSWORD) {
		throw new CliUsageError(`パスワードは ${MIN_PASSWORD} 文字以上にしてください`);
	}
	return password;
}

async function openUsers(
	target: StoreTarget
): Promise<{ users: UserStore; close(): Promise<void> }> {
	const store = await openStoreAt(target);
	return {
		users: store.users(readConfig().sessionTtlMs),
		close: () => store.close()
	};
}

function name(positionals: string[]): string {
	const parsed = usernameSchema.safeParse(positionals[0]);
	if (!parsed.success || positionals.length !== 1) {
		throw new CliUsageError(
			parsed.success ? USERS_USAGE : (parsed.error.issues[0]?.message ?? USERS_USAGE)
		);
	}
	return parsed.data;
}

export async function usersCommand(args: string[], out: (line: string) => void): Promise<number> {
	const [sub, ...rest] = args;
	const { values, positionals } = parseArgs({
		args: rest,
		options: { role: { type: 'string' }, 'display-name': { type: 'string' } },
		allowPositionals: true
	});
	if (sub !== 'add' && sub !== 'list' && sub !== 'remove' && sub !== 'passwd') {
		throw new CliUsageError(USERS_USAGE);
	}
	// Before a password is asked for: a store no server reads would take it silently.
	const target = cliStoreTarget();
	switch (sub) {
		case 'add': {
			const username = name(positionals);
			const role = roleSchema.safeParse(values.role);
			if (!role.success) throw new CliUsageError('--role は admin / editor / viewer のどれかです');
			const hash = await hashPassword(await newPassword());
			const { users, close } = await openUsers(target);
			try {
				await users.add(username, role.data, hash, values['display-name']?.trim() || username);
			} finally {
				await close();
			}
			out(`ユーザー ${username} (${role.data}) を追加しました`);
			return 0;
		}
		case 'list': {
			const { users, close } = await openUsers(target);
			try {
				for (const u of await users.list()) out(`${u.username}\t${u.role}\t${u.displayName}`);
			} finally {
				await close();
			}
			return 0;
		}
		case 'remove': {
			const username = name(positionals);
			const { users, close } = await openUsers(target);
			try {
				if (!(await users.remove(username))) throw new UserError(`ユーザー ${username} はいません`);
			} finally {
				await close();
			}
			out(`ユーザー ${username} を削除しました（ログイン中の接続は切断されます）`);
			return 0;
		}
		case 'passwd': {
			const username = name(positionals);
			const { users: check, close: closeCheck } = await openUsers(target);
			const exists = (await check.get(username)) !== undefined;
			await closeCheck();
			if (!exists) throw new UserError(`ユーザー ${username} はいません`);
			const hash = await hashPassword(await newPassword());
			const { users, close } = await openUsers(target);
			try {
				await users.setPassword(username, hash);
			} finally {
				await close();
			}
			out(`ユーザー ${username} のパスワードを変更しました（他の端末はログアウトされます）`);
			return 0;
		}
	}
}
