/**
 * Draws the charts the chart components render as `<canvas data-chart="…">`. Pages with
 * JavaScript call `drawChart` from the component on mount; pages served without SvelteKit's
 * client (the dashboard) load `standalone.ts`, which draws every such canvas. Either way the
 * numbers are also in the table beside the chart.
 */
import { dashes, palette } from './palette';

export interface ChartSeries {
	label: string;
	values: (number | null)[];
}

/** Plain data, so that it can travel in an HTML attribute. */
export type ChartSpec =
	| {
			kind: 'bar';
			labels: string[];
			series: ChartSeries[];
			stacked: boolean;
			horizontal: boolean;
			max?: number;
	  }
	| { kind: 'line' | 'radar'; labels: string[]; series: ChartSeries[]; max: number };

/**
 * Draws the chart described by the canvas's `data-chart` attribute, once: the first caller
 * (the component on mount, or the standalone script) claims the canvas.
 */
export async function drawChart(canvas: HTMLCanvasElement): Promise<void> {
	const json = canvas.dataset.chart;
	if (!json || canvas.dataset.chartDrawn) return;
	canvas.dataset.chartDrawn = 'true';
	const spec = JSON.parse(json) as ChartSpec;
	// Loaded only when a chart is drawn: pages without charts never fetch Chart.js.
	const c = await import('chart.js');
	c.Chart.register(
		c.BarController,
		c.BarElement,
		c.LineController,
		c.LineElement,
		c.PointElement,
		c.RadarController,
		c.RadialLinearScale,
		c.CategoryScale,
		c.LinearScale,
		c.Filler,
		c.Legend,
		c.Tooltip
	);
	const legend = { legend: { position: 'bottom' as const } };
	const colour = (i: number) => palette[i % palette.length]!;
	const dash = (i: number) => dashes[i % dashes.length]!;
	// Line and radar series: colour and dash pattern both tell them apart.
	const outline = (s: ChartSeries, i: number) => ({
		label: s.label,
		data: s.values,
		borderColor: colour(i),
		borderDash: dash(i),
		spanGaps: true
	});
	switch (spec.kind) {
		case 'bar': {
			const value = {
				stacked: spec.stacked,
				beginAtZero: true,
				...(spec.max !== undefined ? { max: spec.max } : {})
			};
			new c.Chart(canvas, {
				type: 'bar',
				data: {
					labels: spec.labels,
					datasets: spec.series.map((s, i) => ({
						label: s.label,
						data: s.values,
						backgroundColor: colour(i)
					}))
				},
				options: {
					indexAxis: spec.horizontal ? 'y' : 'x',
					animation: false,
					maintainAspectRatio: false,
					scales: spec.horizontal
						? { x: value, y: { stacked: spec.stacked } }
						: { y: value, x: { stacked: spec.stacked } },
					plugins: legend
				}
			});
			return;
		}
		case 'line':
			new c.Chart(canvas, {
				type: 'line',
				data: {
					labels: spec.labels,
					datasets: spec.series.map((s, i) => ({
						...outline(s, i),
						backgroundColor: colour(i),
						borderWidth: i === 0 ? 3 : 2
					}))
				},
				options: {
					animation: false,
					maintainAspectRatio: false,
					scales: { y: { min: 0, max: spec.max } },
					plugins: legend
				}
			});
			return;
		case 'radar':
			new c.Chart(canvas, {
				type: 'radar',
				data: {
					labels: spec.labels,
					datasets: spec.series.map((s, i) => ({
						...outline(s, i),
						backgroundColor: i === 0 ? 'rgba(0, 114, 178, 0.15)' : 'transparent',
						fill: i === 0
					}))
				},
				options: {
					animation: false,
					scales: { r: { min: 0, max: spec.max, ticks: { stepSize: 1 } } },
					plugins: legend
				}
			});
			return;
	}
}

/** Frees the chart drawn on a canvas, whoever drew it (a component being unmounted). */
export async function eraseChart(canvas: HTMLCanvasElement): Promise<void> {
	if (!canvas.dataset.chartDrawn) return;
	const { Chart } = await import('chart.js');
	Chart.getChart(canvas)?.destroy();
	delete canvas.dataset.chartDrawn;
}

/** Draws every chart below `root` (the standalone script's whole job). */
export function drawAll(root: ParentNode): void {
	for (const canvas of root.querySelectorAll<HTMLCanvasElement>('canvas[data-chart]')) {
		void drawChart(canvas);
	}
}
