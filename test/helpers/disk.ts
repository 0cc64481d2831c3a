// A small real disk that can be filled: a tmpfs of its own (needs root, as in CI here).
import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, rmdirSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface SmallDisk {
	dir: string;
	/** Writes a filler file until the disk refuses more (ENOSPC). */
	fill(): void;
	/** Deletes the filler: the disk has room again. */
	free(): void;
	remove(): void;
}

/** A tmpfs of `sizeMb` MB, or undefined when this machine does not let us mount one. */
export function mountSmallDisk(sizeMb: number): SmallDisk | undefined {
	const dir = mkdtempSync(join(tmpdir(), 'shinko-disk-'));
	try {
		execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeMb}m`, 'tmpfs', dir], {
			stdio: 'ignore'
		});
	} catch {
		rmdirSync(dir);
		return undefined;
	}
	const filler = join(dir, 'filler');
	return {
		dir,
		fill() {
			const fd = openSync(filler, 'a');
			const block = Buffer.alloc(64 * 1024, 1);
			try {
				for (;;) writeSync(fd, block);
			} catch (err) {
				if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
			} finally {
				closeSync(fd);
			}
			// What is left is less than a block: fill it to the last byte.
			const fd2 = openSync(filler, 'a');
			try {
				for (;;) writeSync(fd2, Buffer.alloc(512, 1));
			} catch (err) {
				if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
			} finally {
				closeSync(fd2);
			}
		},
		free() {
			rmSync(filler, { force: true });
		},
		remove() {
			try {
				execFileSync('umount', ['-l', dir], { stdio: 'ignore' });
			} finally {
				rmSync(dir, { recursive: true, force: true });
			}
		}
	};
}
