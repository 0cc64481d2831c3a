// One-line JSON logs on stderr: easy to read in a terminal and to grep.

export interface Logger {
	info(message: string, fields?: Record<string, unknown>): void;
	warn(message: string, fields?: Record<string, unknown>): void;
	error(message: string, fields?: Record<string, unknown>): void;
}

function write(level: string, message: string, fields?: Record<string, unknown>): void {
	process.stderr.write(
		JSON.stringify({ time: new Date().toISOString(), level, message, ...fields }) + '\n'
	);
}

export const consoleLogger: Logger = {
	info: (m, f) => write('info', m, f),
	warn: (m, f) => write('warn', m, f),
	error: (m, f) => write('error', m, f)
};

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };
