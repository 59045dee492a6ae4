import { defineConfig } from 'vitest/config';

/** `npm run test:cluster`: the multi-instance test alone (it starts its own servers). */
export default defineConfig({
	test: {
		include: ['tests/cluster/**/*.test.ts'],
		environment: 'node',
		testTimeout: 30_000,
		hookTimeout: 240_000,
		fileParallelism: false
	}
});
