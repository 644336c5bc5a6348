import js from '@eslint/js';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';
import svelteConfig from './svelte.config.js';

/** Not product code: exempt from the size limits. */
const TEST_AND_BENCH = [
	'**/*.test.ts',
	'**/test-*.ts',
	'src/lib/server/adapters/*/contract.ts',
	'tests/**',
	'scripts/bench/**',
	'scripts/bench.ts',
	'scripts/bench-voice.ts'
];

export default ts.config(
	{
		ignores: [
			'build/',
			'.svelte-kit/',
			'.engine/',
			'data/',
			'node_modules/',
			'convex/_generated/',
			'drizzle/',
			'test-results/',
			'playwright-report/',
			'bench-results/',
			'*.config.js',
			'*.config.ts',
			'.dependency-cruiser.cjs'
		]
	},
	js.configs.recommended,
	...ts.configs.recommendedTypeChecked,
	...svelte.configs.recommended,
	{
		languageOptions: {
			globals: { ...globals.browser, ...globals.node },
			parserOptions: {
				projectService: {
					// Files outside any tsconfig include (dot-folders, plain .mjs scripts).
					allowDefaultProject: ['scripts/*.mjs', 'scripts/*.js']
				},
				tsconfigRootDir: import.meta.dirname,
				extraFileExtensions: ['.svelte']
			}
		}
	},
	{
		files: ['**/*.svelte', '**/*.svelte.ts'],
		languageOptions: {
			parserOptions: { parser: ts.parser, svelteConfig }
		}
	},
	{
		rules: {
			'@typescript-eslint/no-floating-promises': 'error',
			'@typescript-eslint/no-misused-promises': 'error',
			'@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
			'no-undef': 'off'
		}
	},
	{
		// Size limits (STYLE.md) for product code: tests, test helpers, contract suites and the
		// benchmarks are exempt (a suite or a fixture reads best whole).
		files: ['src/**/*.ts', 'convex/**/*.ts', 'scripts/**/*.ts'],
		ignores: [...TEST_AND_BENCH],
		rules: {
			'max-lines': ['error', { max: 600 }],
			'max-lines-per-function': ['error', { max: 80 }]
		}
	},
	{
		files: ['src/**/*.svelte'],
		ignores: [...TEST_AND_BENCH],
		rules: {
			'max-lines': ['error', { max: 250 }],
			'max-lines-per-function': ['error', { max: 80 }]
		}
	},
	{
		// Plain-JS build and CI scripts: linted, but without type information.
		files: ['scripts/**/*.js', 'scripts/**/*.mjs'],
		...ts.configs.disableTypeChecked
	},
	{
		// Test files build fixtures loosely; the rules that matter (floating promises) stay on.
		files: ['**/*.test.ts', 'tests/**/*.ts', 'scripts/**/*.ts'],
		rules: {
			'@typescript-eslint/no-unsafe-assignment': 'off',
			'@typescript-eslint/no-unsafe-member-access': 'off',
			'@typescript-eslint/no-unsafe-call': 'off',
			'@typescript-eslint/no-unsafe-argument': 'off',
			'@typescript-eslint/no-non-null-assertion': 'off'
		}
	}
);
