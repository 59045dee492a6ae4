/**
 * Draws the bar chart components' canvases with Chart.js, from the component once it is live.
 * The legend is the component's own HTML and the numbers are in the table beside each chart.
 */
import { colourOf } from './palette';

export interface ChartSeries {
	label: string;
	values: (number | null)[];
}

/** What a bar chart shows; `colours` per series (the palette when left out). */
export interface ChartSpec {
	labels: string[];
	series: ChartSeries[];
	stacked: boolean;
	horizontal: boolean;
	max?: number;
	colours?: string[];
}

/** Draws `spec` on the canvas; the chart returned is destroyed when the canvas goes. */
export async function drawChart(
	canvas: HTMLCanvasElement,
	spec: ChartSpec
): Promise<{ destroy(): void }> {
	// Loaded only when a chart is drawn: pages without charts never fetch Chart.js.
	const { Chart } = await import('./chart-js');
	const value = {
		stacked: spec.stacked,
		beginAtZero: true,
		...(spec.max !== undefined ? { max: spec.max } : {})
	};
	return new Chart(canvas, {
		type: 'bar',
		data: {
			labels: spec.labels,
			datasets: spec.series.map((s, i) => ({
				label: s.label,
				data: s.values,
				backgroundColor: colourOf(i, spec.colours),
				// The lightest level colour is near white: an outline keeps its bar visible.
				borderColor: '#57606a',
				borderWidth: spec.colours ? 1 : 0
			}))
		},
		options: {
			indexAxis: spec.horizontal ? 'y' : 'x',
			animation: false,
			maintainAspectRatio: false,
			scales: spec.horizontal
				? { x: value, y: { stacked: spec.stacked } }
				: { y: value, x: { stacked: spec.stacked } },
			plugins: { legend: { display: false }, tooltip: { enabled: false } }
		}
	});
}
