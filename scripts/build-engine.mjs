// Bundles the local hot-state engine (LIVE=local): the worker entry plus every convex/ module
// and convex-test into one self-contained file, .engine/engine-worker.mjs, that a worker thread
// can load from `vite dev`, the production build, vitest and plain node scripts alike.
//
//   node scripts/build-engine.mjs          build it
//   ensureEngine({ root })                 build only when missing or older than its sources
import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ENTRY = 'src/lib/server/live/engine/worker.ts';
export const ENGINE_FILE = '.engine/engine-worker.mjs';
const META_FILE = '.engine/engine-meta.json';
/** Sources outside convex/ whose change calls for a rebuild. */
const EXTRA_SOURCES = [
	'src/lib/server/live/engine',
	'src/lib/server/live/identity.ts',
	'src/lib/roles.ts',
	'src/lib/sms/status.ts',
	'scripts/build-engine.mjs'
];

/** Every file under `target` (or `target` itself when it is a file). */
function walk(target, out = []) {
	const stat = statSafe(target);
	if (!stat) return out;
	if (!stat.isDirectory()) {
		out.push(target);
		return out;
	}
	for (const entry of readdirSync(target)) walk(path.join(target, entry), out);
	return out;
}

/** convex/ modules the engine serves, as paths relative to convex/ with forward slashes. */
function convexModules(root) {
	const dir = path.join(root, 'convex');
	return walk(dir)
		.map((f) => path.relative(dir, f).split(path.sep).join('/'))
		.filter((f) => {
			if (f.startsWith('_generated/')) return /^_generated\/[^/]+\.js$/.test(f);
			// Convex itself skips names with two dots (tests, auth.config.ts); so does the engine.
			return /\.(ts|js)$/.test(f) && path.posix.basename(f).split('.').length === 2;
		})
		.sort();
}

function newestSource(root) {
	const files = ['convex', ...EXTRA_SOURCES].flatMap((p) => walk(path.join(root, p)));
	let newest = 0;
	for (const f of files) newest = Math.max(newest, statSafe(f)?.mtimeMs ?? 0);
	return newest;
}

function statSafe(file) {
	try {
		return statSync(file);
	} catch {
		return undefined;
	}
}

/** True when the bundle is missing, older than a source, or the set of convex modules changed. */
export function engineIsStale(root = process.cwd()) {
	const built = statSafe(path.join(root, ENGINE_FILE));
	if (!built) return true;
	try {
		const meta = JSON.parse(readFileSync(path.join(root, META_FILE), 'utf8'));
		if (JSON.stringify(meta.modules) !== JSON.stringify(convexModules(root))) return true;
	} catch {
		return true;
	}
	return newestSource(root) > built.mtimeMs;
}

function virtualModules(root) {
	const files = convexModules(root);
	const lines = files.map((f, i) => `import * as m${i} from ${JSON.stringify(`./convex/${f}`)};`);
	const map = files.map((f, i) => `${JSON.stringify(`./convex/${f}`)}: () => Promise.resolve(m${i})`);
	const functionModules = files
		.map((f, i) => [f, i])
		.filter(([f]) => !f.startsWith('_generated/') && f !== 'schema.ts')
		.map(([f, i]) => `${JSON.stringify(f.replace(/\.[^.]+$/, ''))}: m${i}`);
	return {
		files,
		contents: `${lines.join('\n')}\nexport const modules = {${map.join(',\n')}};\nexport const moduleExports = {${functionModules.join(',\n')}};\n`
	};
}

/** Build .engine/engine-worker.mjs. Written to a temporary file first, so a reader never sees half a bundle. */
export async function buildEngine({ root = process.cwd(), quiet = false } = {}) {
	const { build } = await import('esbuild');
	const started = Date.now();
	const generated = virtualModules(root);
	const outfile = path.join(root, ENGINE_FILE);
	const temp = `${outfile}.${process.pid}.${Date.now()}.tmp`;
	mkdirSync(path.dirname(outfile), { recursive: true });
	await build({
		absWorkingDir: root,
		entryPoints: [path.join(root, ENTRY)],
		outfile: temp,
		bundle: true,
		platform: 'node',
		format: 'esm',
		target: 'node22',
		sourcemap: 'inline',
		logLevel: quiet ? 'error' : 'warning',
		// Bundled CommonJS dependencies still call require() for Node built-ins.
		banner: {
			js: "import { createRequire as __engineRequire } from 'node:module'; const require = __engineRequire(import.meta.url);"
		},
		plugins: [
			{
				// convex-test keeps its in-memory database class private; the engine gives it
				// indexes (src/lib/server/live/engine/indexed-tables.ts), so re-export it here.
				name: 'convex-test-database-class',
				setup(b) {
					b.onLoad({ filter: /[\\/]convex-test[\\/]dist[\\/]index\.js$/ }, (args) => {
						const source = readFileSync(args.path, 'utf8');
						if (!/^class DatabaseFake \{/m.test(source)) return undefined;
						// Its range helpers too, so the engine's ordered index ranges compare exactly as it does.
						const helpers = 'evaluateFieldPath, evaluateQueryValue, evaluateFilter, validateIndexRangeExpression';
						// resolveFunction re-derives a function's argument and return validators
						// (JSON.stringify then JSON.parse) on every call: a tenth of the engine
						// worker's time under the incoming-call burst (issue 17 item 5). The modules
						// never change in the engine, so each function is resolved once; the
						// validators are only read afterwards.
						const resolver = 'async function resolveFunction(functionPath, type) {';
						if (!source.includes(resolver)) throw new Error('build-engine: convex-test has no resolveFunction(functionPath, type) to memoize; check its version');
						const memoized = `const __resolved = new Map();
async function resolveFunction(functionPath, type) {
  const key = JSON.stringify([functionPath.componentPath, functionPath.udfPath, type]);
  let found = __resolved.get(key);
  if (found === undefined) {
    found = resolveFunctionUncached(functionPath, type);
    __resolved.set(key, found);
    found.catch(() => __resolved.delete(key));
  }
  return { ...(await found), functionPath };
}
async function resolveFunctionUncached(functionPath, type) {`;
						return {
							contents: `${source.replace(resolver, memoized)}\nexport { DatabaseFake as __DatabaseFake };\nexport const __rangeHelpers = { ${helpers} };\n`,
							loader: 'js',
							resolveDir: path.dirname(args.path)
						};
					});
				}
			},
			{
				name: 'convex-modules',
				setup(b) {
					b.onResolve({ filter: /^virtual:convex-modules$/ }, () => ({ path: 'convex-modules', namespace: 'convex-modules' }));
					b.onLoad({ filter: /.*/, namespace: 'convex-modules' }, () => ({
						contents: generated.contents,
						resolveDir: root,
						loader: 'js'
					}));
				}
			}
		]
	});
	renameSync(temp, outfile);
	writeFileSync(
		path.join(root, META_FILE),
		JSON.stringify({ modules: generated.files, builtAt: new Date().toISOString() }, null, '\t')
	);
	if (!quiet)
		console.log(`build-engine: ${ENGINE_FILE} (${generated.files.length} convex modules) in ${Date.now() - started} ms`);
	return outfile;
}

/** The engine bundle's path, building it first when it is missing or stale. */
export async function ensureEngine({ root = process.cwd(), quiet = true } = {}) {
	if (engineIsStale(root)) await buildEngine({ root, quiet });
	return path.join(root, ENGINE_FILE);
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
	const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
	await buildEngine({ root });
}
