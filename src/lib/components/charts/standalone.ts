// The chart script of pages served without SvelteKit's client (`csr = false`): built as its own
// entry, `/_app/charts.js` (see vite.config.ts), and included by the page (see CHARTS_SCRIPT).
import { drawAll } from './draw';

drawAll(document);
