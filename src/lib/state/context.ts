// Components reach the open table through context, never through a module singleton.
import { getContext, setContext } from 'svelte';
import type { Auth } from '../sync/auth.svelte.ts';
import type { AppIndex } from './app-index.svelte.ts';
import type { TableSession } from './table-session.svelte.ts';

const TABLE = Symbol('table-session');
const AUTH = Symbol('auth');
const INDEX = Symbol('app-index');

export function setAppIndex(index: AppIndex): AppIndex {
	return setContext(INDEX, index);
}

export function getAppIndex(): AppIndex {
	const index = getContext<AppIndex | undefined>(INDEX);
	if (!index) throw new Error('no app index in context');
	return index;
}

export function setAuth(auth: Auth): Auth {
	return setContext(AUTH, auth);
}

export function getAuth(): Auth {
	const auth = getContext<Auth | undefined>(AUTH);
	if (!auth) throw new Error('no auth in context');
	return auth;
}

export function setTableSession(session: TableSession): TableSession {
	return setContext(TABLE, session);
}

export function getTableSession(): TableSession {
	const session = getContext<TableSession | undefined>(TABLE);
	if (!session) throw new Error('no table session in context');
	return session;
}
