// Components reach the open table through context, never through a module singleton.
import { getContext, setContext } from 'svelte';
import type { TableSession } from './table-session.svelte.ts';

const TABLE = Symbol('table-session');

export function setTableSession(session: TableSession): TableSession {
	return setContext(TABLE, session);
}

export function getTableSession(): TableSession {
	const session = getContext<TableSession | undefined>(TABLE);
	if (!session) throw new Error('no table session in context');
	return session;
}
