// Starts one real server (bin/serve.js, built app) on a free port with a fresh data dir.
import { spawnServer, tempDataDir } from '../helpers/server.ts';

export default async function globalSetup() {
	const data = tempDataDir();
	const server = await spawnServer(data.dir);
	process.env.SHINKO_URL = server.url;
	process.env.SHINKO_DATA_DIR = data.dir;
	process.env.SHINKO_SERVER_PID = String(server.child.pid);
	return async () => {
		server.child.kill('SIGCONT');
		server.child.kill('SIGTERM');
		await new Promise((resolve) => server.child.once('exit', resolve));
		data.remove();
	};
}
