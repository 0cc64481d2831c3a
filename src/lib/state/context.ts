// Components reach the open table through context, never through a module singleton.
import { getContext, setContext } from 'svelte';
import type { Auth } from '../sync/auth.svelte.ts';
import type { TableSession } from './table-session.svelte.ts';

const TABLE = Symbol('table-session');
const AUTH = Symbol('auth');

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
