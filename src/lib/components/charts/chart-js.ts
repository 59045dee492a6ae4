// Only the parts of Chart.js the bar charts use, imported by name so that the build leaves the
// rest out (a namespace import, `await import('chart.js')`, kept all of it). Legends are the
// page's own HTML and the numbers are in each chart's table, so neither the legend nor the
// tooltip plugin is needed; the radar is SVG (RadarChart.svelte). Whatever any page registers
// here is loaded by every page with a chart: chart.js is one module, split into no parts.
import { BarController, BarElement, CategoryScale, Chart, LinearScale } from 'chart.js';

Chart.register(BarController, BarElement, CategoryScale, LinearScale);

export { Chart };
