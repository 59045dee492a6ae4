import { describe, expect, it } from 'vitest';
import { Counter, escapeLabel, formatValue, Gauge, Histogram, Registry } from './metrics';

describe('the Prometheus text format', () => {
	it('writes a counter per label values with HELP and TYPE', () => {
		const c = new Counter('t_requests_total', 'Requests.\nSecond line \\ here', ['route']);
		c.inc(['/a']);
		c.inc(['/a'], 2);
		c.inc(['/b']);
		expect(c.get(['/a'])).toBe(3);
		expect(c.render()).toBe(
			'# HELP t_requests_total Requests.\\nSecond line \\\\ here\n' +
				'# TYPE t_requests_total counter\n' +
				't_requests_total{route="/a"} 3\n' +
				't_requests_total{route="/b"} 1\n'
		);
	});

	it('escapes backslash, double quote and line feed in label values, so none forges a series', () => {
		expect(escapeLabel('a\\b"c\nd')).toBe('a\\\\b\\"c\\nd');
		const c = new Counter('t_total', 'x', ['route']);
		c.inc(['/x"} 1\nt_total{route="forged']);
		const lines = c.render().trim().split('\n');
		expect(lines).toHaveLength(3);
		expect(lines[2]).toBe('t_total{route="/x\\"} 1\\nt_total{route=\\"forged"} 1');
	});

	it('writes a histogram with cumulative buckets, +Inf, sum and count', () => {
		const h = new Histogram('t_seconds', 'Durations.', [0.1, 1], ['route']);
		for (const v of [0.05, 0.1, 0.5, 3]) h.observe(['/a'], v);
		expect(h.count(['/a'])).toBe(4);
		expect(h.render()).toBe(
			'# HELP t_seconds Durations.\n# TYPE t_seconds histogram\n' +
				't_seconds_bucket{route="/a",le="0.1"} 2\n' +
				't_seconds_bucket{route="/a",le="1"} 3\n' +
				't_seconds_bucket{route="/a",le="+Inf"} 4\n' +
				't_seconds_sum{route="/a"} 3.65\n' +
				't_seconds_count{route="/a"} 4\n'
		);
	});

	it('refuses buckets that do not increase', () => {
		expect(() => new Histogram('t', 'x', [1, 1])).toThrow(/increase/);
	});

	it('reads gauges when rendered; one that fails or has no value is left out, not the page', () => {
		let n = 1;
		const r = new Registry();
		r.add(new Gauge('t_now', 'Now.', () => n));
		r.add(
			new Gauge('t_broken', 'Broken.', () => {
				throw new Error('closed');
			})
		);
		r.add(new Gauge('t_none', 'Absent.', () => undefined));
		r.add(new Gauge('t_by', 'By kind.', () => [[['a'], 1.5]], ['kind'], 'counter'));
		n = 7;
		expect(r.render()).toBe(
			'# HELP t_now Now.\n# TYPE t_now gauge\nt_now 7\n' +
				'# HELP t_by By kind.\n# TYPE t_by counter\nt_by{kind="a"} 1.5\n'
		);
		expect(() => r.add(new Gauge('t_now', 'again', () => 1))).toThrow(/Two metrics/);
	});

	it('writes special numbers as the format spells them', () => {
		expect([NaN, Infinity, -Infinity, 0.25, 1e21].map(formatValue)).toEqual([
			'NaN',
			'+Inf',
			'-Inf',
			'0.25',
			'1e+21'
		]);
	});
});
