/**
 * Where a page without SvelteKit's client loads its chart script from: the build emits
 * standalone.ts as `_app/charts.js` (vite.config.ts); `vite dev` serves the source itself.
 */
export const CHARTS_SCRIPT = import.meta.env.DEV
	? '/src/lib/components/charts/standalone.ts'
	: '/_app/charts.js';
