// Transaction origins: who made a change. Undo tracks only LOCAL; persistence skips its own echo.

export const ORIGIN = {
	/** An edit typed or clicked by this user in this tab. */
	local: 'shinko:local',
	/** Seeding or importing a whole table. */
	import: 'shinko:import',
	/** Schema migrations run when a doc is opened. */
	migrate: 'shinko:migrate',
	/** Bringing back an older snapshot as a new forward change (undoable as one step). */
	restore: 'shinko:restore'
} as const;

export type Origin = (typeof ORIGIN)[keyof typeof ORIGIN];
