/**
 * Prometheus's text exposition format (version 0.0.4), written by hand: counters and histograms
 * kept in memory and recorded on the request path at the cost of a map lookup, gauges read only
 * when /metrics is scraped. Label values are escaped as the format says (backslash, double
 * quote, line feed), so no route id or label can forge a series.
 */

export type Labels = readonly string[];

interface Series {
	readonly name: string;
	readonly help: string;
	render(): string;
}

/** A label value as the format writes it between double quotes. */
export function escapeLabel(value: string): string {
	return value.replace(/[\\"\n]/g, (c) => (c === '\n' ? '\\n' : `\\${c}`));
}

/** HELP text: backslash and line feed escaped (double quotes are fine there). */
function escapeHelp(text: string): string {
	return text.replace(/[\\\n]/g, (c) => (c === '\n' ? '\\n' : '\\\\'));
}

function labelText(names: Labels, values: Labels, extra?: [string, string]): string {
	const pairs = names.map((n, i) => `${n}="${escapeLabel(values[i] ?? '')}"`);
	if (extra) pairs.push(`${extra[0]}="${escapeLabel(extra[1])}"`);
	return pairs.length ? `{${pairs.join(',')}}` : '';
}

/** A number as the format writes it: +Inf, -Inf, NaN or the shortest decimal. */
export function formatValue(n: number): string {
	if (Number.isNaN(n)) return 'NaN';
	if (n === Infinity) return '+Inf';
	if (n === -Infinity) return '-Inf';
	return String(n);
}

const header = (s: Series, type: string) =>
	`# HELP ${s.name} ${escapeHelp(s.help)}\n# TYPE ${s.name} ${type}\n`;

/** Label values joined into one map key (a NUL cannot occur in a route id or a method). */
const keyOf = (values: Labels) => values.join('\u0000');

/** A count that only goes up, per combination of label values. */
export class Counter implements Series {
	readonly #values = new Map<string, { labels: Labels; value: number }>();
	constructor(
		readonly name: string,
		readonly help: string,
		readonly labelNames: Labels = []
	) {}

	inc(labels: Labels = [], by = 1): void {
		const key = keyOf(labels);
		const entry = this.#values.get(key);
		if (entry) entry.value += by;
		else this.#values.set(key, { labels: [...labels], value: by });
	}

	get(labels: Labels = []): number {
		return this.#values.get(keyOf(labels))?.value ?? 0;
	}

	render(): string {
		let out = header(this, 'counter');
		for (const { labels, value } of this.#values.values())
			out += `${this.name}${labelText(this.labelNames, labels)} ${formatValue(value)}\n`;
		return out;
	}
}

/** Durations (or sizes) counted into buckets, with their sum and count, per label values. */
export class Histogram implements Series {
	readonly #values = new Map<string, { labels: Labels; counts: number[]; sum: number }>();
	constructor(
		readonly name: string,
		readonly help: string,
		readonly buckets: readonly number[],
		readonly labelNames: Labels = []
	) {
		for (let i = 1; i < buckets.length; i++)
			if (!(buckets[i]! > buckets[i - 1]!)) throw new Error(`${name}: buckets must increase`);
	}

	observe(labels: Labels, value: number): void {
		const key = keyOf(labels);
		let entry = this.#values.get(key);
		if (!entry) {
			entry = { labels: [...labels], counts: new Array(this.buckets.length + 1).fill(0), sum: 0 };
			this.#values.set(key, entry);
		}
		let i = 0;
		while (i < this.buckets.length && value > this.buckets[i]!) i++;
		entry.counts[i]!++;
		entry.sum += value;
	}

	/** How many values were observed with these labels. */
	count(labels: Labels = []): number {
		const entry = this.#values.get(keyOf(labels));
		return entry ? entry.counts.reduce((a, b) => a + b, 0) : 0;
	}

	render(): string {
		let out = header(this, 'histogram');
		for (const { labels, counts, sum } of this.#values.values()) {
			let cumulative = 0;
			for (let i = 0; i <= this.buckets.length; i++) {
				cumulative += counts[i]!;
				const le = i < this.buckets.length ? formatValue(this.buckets[i]!) : '+Inf';
				out += `${this.name}_bucket${labelText(this.labelNames, labels, ['le', le])} ${cumulative}\n`;
			}
			const l = labelText(this.labelNames, labels);
			out += `${this.name}_sum${l} ${formatValue(sum)}\n${this.name}_count${l} ${cumulative}\n`;
		}
		return out;
	}
}

/** A value read when scraped: `read` returns one value per combination of label values. */
export class Gauge implements Series {
	constructor(
		readonly name: string,
		readonly help: string,
		readonly read: () => Iterable<[Labels, number]> | number | undefined,
		readonly labelNames: Labels = [],
		readonly type: 'gauge' | 'counter' = 'gauge'
	) {}

	render(): string {
		const values = this.read();
		if (values === undefined) return '';
		let out = header(this, this.type);
		const rows: Iterable<[Labels, number]> = typeof values === 'number' ? [[[], values]] : values;
		for (const [labels, value] of rows)
			out += `${this.name}${labelText(this.labelNames, labels)} ${formatValue(value)}\n`;
		return out;
	}
}

/** The series the server exposes, in the order they are written. */
export class Registry {
	readonly #series: Series[] = [];

	add<S extends Series>(series: S): S {
		if (this.#series.some((s) => s.name === series.name))
			throw new Error(`Two metrics are named ${series.name}`);
		this.#series.push(series);
		return series;
	}

	/** Every series in the text format; a gauge whose reading fails is left out, not the page. */
	render(): string {
		let out = '';
		for (const s of this.#series) {
			try {
				out += s.render();
			} catch {
				// A source gone (the database closing during shutdown) must not break the scrape.
			}
		}
		return out;
	}
}

/** The content type Prometheus expects for this format. */
export const METRICS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';
