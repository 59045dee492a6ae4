import { sveltekit } from '@sveltejs/kit/vite';
import type { Plugin } from 'vite';
import { defineConfig } from 'vitest/config';

/**
 * Adds the standalone chart script to the client build as `_app/charts.js` (a stable name the
 * server can link to): pages served without SvelteKit's client load it to draw their charts.
 */
function chartsScript(): Plugin {
	let ssr = false;
	return {
		name: 'rampart-charts-script',
		apply: 'build',
		configResolved(config) {
			ssr = Boolean(config.build.ssr);
		},
		buildStart() {
			const client = this.environment ? this.environment.config.consumer === 'client' : !ssr;
			if (!client) return;
			this.emitFile({
				type: 'chunk',
				id: 'src/lib/components/charts/standalone.ts',
				fileName: '_app/charts.js'
			});
		}
	};
}

export default defineConfig({
	plugins: [sveltekit(), chartsScript()],
	server: { host: '127.0.0.1' },
	test: {
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
