import type { ScanReport } from '../scan-report';

/**
 * A scan of these tools that found nothing: for tests where an upload is only evidence that a
 * tool ran in a pipeline (record it with recordUpload).
 */
export function ranWithoutFindings(...tools: (string | [string, string | null])[]): ScanReport {
	return {
		format: 'sarif',
		tools: tools.map((t) =>
			typeof t === 'string' ? { name: t, version: '1' } : { name: t[0], version: t[1] }
		),
		findings: [],
		results: 0,
		skipped: 0,
		components: null
	};
}
