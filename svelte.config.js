import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	compilerOptions: {
		runes: true
	},
	kit: {
		adapter: adapter({ out: 'build', precompress: true }),
		// Cross-site form posts are refused by the app's own hook (src/lib/server/http/form-origin.ts,
		// SvelteKit's rule with no trusted origins) instead of here, so that the token-only pipeline
		// API under /api/ can answer its own errors. '*' only stands SvelteKit's check aside.
		csrf: { trustedOrigins: ['*'] },
		csp: {
			mode: 'nonce',
			directives: {
				'default-src': ['self'],
				'script-src': ['self'],
				// Only one inline style is allowed: the exact style attribute of SvelteKit's route
				// announcer (a visually hidden live region), by its hash.
				'style-src': [
					'self',
					'unsafe-hashes',
					'sha256-S8qMpvofolR8Mpjy4kQvEm7m1q8clzU4dfDH0AmvZjo='
				],
				'img-src': ['self', 'data:'],
				'font-src': ['self'],
				'connect-src': ['self'],
				'object-src': ['none'],
				'base-uri': ['none'],
				'form-action': ['self'],
				'frame-ancestors': ['none']
			}
		},
		version: { pollInterval: 0 },
		// Absolute asset paths: relative ones grow with the request's path ("../" per segment), so a
		// long made-up address made every page's Link header and HTML grow with it.
		paths: { relative: false },
		// SvelteKit's OpenTelemetry spans and src/instrumentation.server.ts, which exports them only
		// when an OTLP endpoint is configured (src/lib/server/observability/tracing.ts).
		experimental: { tracing: { server: true }, instrumentation: { server: true } }
	}
};

export default config;
