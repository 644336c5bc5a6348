import { availableParallelism } from 'node:os';
import { sveltekit } from '@sveltejs/kit/vite';
import tailwindcss from '@tailwindcss/vite';
import { defineConfig } from 'vitest/config';

export default defineConfig({
	plugins: [tailwindcss(), sveltekit()],
	// Dev and production both serve on PORT (3000), so PUBLIC_BASE_URL's default fits both.
	server: { port: Number(process.env.PORT ?? 3000), strictPort: true },
	preview: { port: Number(process.env.PORT ?? 3000) },
	test: {
		// Vitest's default leaves a core idle (one worker on a 2-core machine); the suites are
		// CPU-bound (PGlite, the Convex engine), so every core runs a file.
		maxWorkers: availableParallelism(),
		projects: [
			{
				extends: true,
				test: {
					name: 'unit',
					environment: 'node',
					include: ['src/**/*.test.ts', 'convex/**/*.test.ts', 'scripts/**/*.test.ts'],
					exclude: ['src/**/*.db.test.ts', 'scripts/**/*.db.test.ts'],
					testTimeout: 20_000
				}
			},
			{
				extends: true,
				test: {
					name: 'db',
					environment: 'node',
					include: ['src/**/*.db.test.ts', 'scripts/**/*.db.test.ts'],
					testTimeout: 60_000,
					// Files run side by side: each has its own database (PGlite in memory, or one
					// created on the PostgreSQL server for it and dropped after).
					hookTimeout: 60_000
				}
			}
		]
	}
});
