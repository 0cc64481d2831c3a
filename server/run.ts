// The server's entry point: `node bin/serve.js` runs it from the sources, `npm start` from the
// bundle `npm run build` makes of it (dist/server.js).
import { main } from './main.ts';

await main();
