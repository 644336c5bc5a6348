// Serves the production build (building it first when missing), with the embedded defaults:
// PGlite in ./data, every outside service on its local twin. Runs on Node 22 via npm scripts.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

const port = process.env.PORT ?? '3000';
process.env.PORT = port;
process.env.PUBLIC_BASE_URL ??= `http://localhost:${port}`;
// adapter-node derives the request origin from ORIGIN; better-auth and the webhook signature
// check both need it to match the public URL (see STACK.md).
process.env.ORIGIN ??= process.env.PUBLIC_BASE_URL;
process.env.NODE_ENV ??= 'production';

if (!existsSync('build/index.js') || process.env.SWITCHBOARD_REBUILD === '1') {
	console.log('start: no production build yet, building it (npm run build)');
	const built = spawnSync('npm', ['run', 'build'], { stdio: 'inherit' });
	if (built.status !== 0) process.exit(built.status ?? 1);
}

await import('../build/index.js');
