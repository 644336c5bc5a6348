// Serves the production build (building it first when missing), with the embedded defaults:
// PGlite in ./data, every outside service on its local twin, on loopback (start-env.js). Runs
// on Node 22 via npm scripts.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { applyStartDefaults } from './start-env.js';

applyStartDefaults(process.env);

if (!existsSync('build/index.js') || process.env.SWITCHBOARD_REBUILD === '1') {
	console.log('start: no production build yet, building it (npm run build)');
	// The build is always a production build, whatever the server then runs as.
	const built = spawnSync('npm', ['run', 'build'], { stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } });
	if (built.status !== 0) process.exit(built.status ?? 1);
}

await import('../build/index.js');
