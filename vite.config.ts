import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';

export default defineConfig({
	plugins: [sveltekit()],
	server: { host: '127.0.0.1' },
	test: {
		// Vitest's default is one worker less than the CPUs: one on a 2-CPU CI machine, where two
		// run the suite in three quarters of the time (190 s instead of 246 s here).
		maxWorkers: '100%',
		projects: [
			{
				extends: './vite.config.ts',
				test: {
					name: 'server',
					environment: 'node',
					include: ['src/**/*.test.ts', 'tests/repo/**/*.test.ts'],
					globalSetup: ['src/lib/server/db/test-template.global.ts'],
					testTimeout: 30_000,
					hookTimeout: 60_000
				}
			}
		]
	}
});
