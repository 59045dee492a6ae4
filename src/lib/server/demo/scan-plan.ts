import type { AdoptionState } from '$lib/server/db/schema';

/*
 * What the demo's pipelines uploaded: plain data, so the seed and its test read the same plan.
 * Weeks count from 0 (the oldest) to DEMO_WEEKS - 1 (the week before the demo's day).
 */

/** The day the demo is about. */
export const DEMO_TODAY = new Date('2026-11-29T12:00:00Z');
export const DEMO_WEEKS = 8;
const DAY_MS = 86_400_000;

export interface DemoRule {
	id: string;
	title: string;
	level: 'error' | 'warning' | 'note';
	securitySeverity?: string;
	help: string;
}

/** One problem in the code: reported from week `opened` until the week it is `fixed` (if ever). */
export interface DemoIssue {
	rule: number;
	path: string;
	line: number;
	message: string;
	opened: number;
	fixed?: number;
	/** A suppression's justification, when the team suppressed it in the code. */
	suppressed?: string;
}

export interface DemoAnalysis {
	team: string;
	repository: string;
	/** The scanner's name in its SARIF (`tool.driver.name`). */
	tool: string;
	version: string;
	informationUri: string;
	/** Hours after the team's weekly slot (Thursday 02:00), so teams' pipelines differ. */
	hour: number;
	rules: DemoRule[];
	issues: DemoIssue[];
	/** Weeks with an upload on the default branch. */
	weeks: readonly number[];
	/** Weeks with an upload from a pull request (evidence that the tool ran; findings unchanged). */
	pullRequests?: readonly number[];
}

/** When an analysis's upload of `week` happened: weekly, the last one three days before the demo's day. */
export function demoScanDate(a: DemoAnalysis, week: number): Date {
	const thursday = DEMO_TODAY.getTime() - 3 * DAY_MS - (DEMO_WEEKS - 1 - week) * 7 * DAY_MS;
	return new Date(thursday - 10 * 3_600_000 + a.hour * 3_600_000);
}

const iacRules: DemoRule[] = [
	{
		id: 'CKV_K8S_20',
		title: 'Containers should not run with allowPrivilegeEscalation',
		level: 'error',
		securitySeverity: '7.0',
		help: 'Set `securityContext.allowPrivilegeEscalation: false` on every container.'
	},
	{
		id: 'CKV_AWS_18',
		title: 'Ensure the S3 bucket has access logging enabled',
		level: 'warning',
		securitySeverity: '4.0',
		help: 'Add a `logging` block that sends access logs to the central log bucket.'
	}
];

const all = Array.from({ length: DEMO_WEEKS }, (_, w) => w);

const semgrepRules: DemoRule[] = [
	{
		id: 'python.lang.security.audit.formatted-sql-query.formatted-sql-query',
		title: 'Formatted SQL query',
		level: 'error',
		securitySeverity: '8.8',
		help: 'Build SQL with bound parameters (`cursor.execute(sql, params)`), never with string formatting.'
	},
	{
		id: 'python.requests.security.disabled-cert-validation.disabled-cert-validation',
		title: 'Certificate validation disabled',
		level: 'error',
		securitySeverity: '7.4',
		help: 'Remove `verify=False`; pin the internal CA bundle instead.'
	},
	{
		id: 'python.lang.security.audit.insecure-hash-algorithms.insecure-hash-algorithm-md5',
		title: 'MD5 used as a hash',
		level: 'warning',
		securitySeverity: '5.3',
		help: 'Use `hashlib.sha256`, or a password hash (argon2) for secrets.'
	},
	{
		id: 'python.flask.security.audit.debug-enabled.debug-enabled',
		title: 'Flask debug mode',
		level: 'warning',
		help: 'Never run with `debug=True` outside a developer machine.'
	}
];

const grypeRules: DemoRule[] = [
	{
		id: 'CVE-2024-6345-setuptools',
		title: 'setuptools 68.0.0: remote code execution through package_index',
		level: 'error',
		securitySeverity: '8.8',
		help: 'Upgrade setuptools to 70.0.0 or later.'
	},
	{
		id: 'CVE-2024-35195-requests',
		title: 'requests 2.31.0: certificate verification kept off for the session',
		level: 'warning',
		securitySeverity: '5.6',
		help: 'Upgrade requests to 2.32.0 or later.'
	},
	{
		id: 'CVE-2023-45853-zlib1g',
		title: 'zlib1g 1:1.2.13: integer overflow in MiniZip',
		level: 'error',
		securitySeverity: '9.8',
		help: 'Rebuild on a base image with a fixed zlib.'
	},
	{
		id: 'CVE-2024-2511-libssl3',
		title: 'libssl3 3.0.11: unbounded memory growth with session handling',
		level: 'note',
		securitySeverity: '3.7',
		help: 'Rebuild on a base image with OpenSSL 3.0.14.'
	}
];

const codeqlRules: DemoRule[] = [
	{
		id: 'js/xss-through-dom',
		title: 'DOM text reinterpreted as HTML',
		level: 'warning',
		securitySeverity: '6.1',
		help: 'Insert text with `textContent`, or sanitise before assigning `innerHTML`.'
	},
	{
		id: 'js/client-side-unvalidated-url-redirection',
		title: 'Client-side URL redirect',
		level: 'error',
		securitySeverity: '6.1',
		help: 'Redirect only to paths on this site or to an allow-list of hosts.'
	},
	{
		id: 'js/insecure-randomness',
		title: 'Insecure randomness',
		level: 'warning',
		securitySeverity: '7.8',
		help: 'Use `crypto.getRandomValues` for anything that must not be guessed.'
	},
	{
		id: 'js/prototype-pollution-utility',
		title: 'Prototype-polluting function',
		level: 'warning',
		securitySeverity: '6.1',
		help: 'Skip `__proto__` and `constructor` keys when merging objects.'
	}
];

const gitleaksRules: DemoRule[] = [
	{
		id: 'generic-api-key',
		title: 'Generic API Key',
		level: 'error',
		help: 'Revoke the key, then load it from the secret store.'
	},
	{
		id: 'stripe-access-token',
		title: 'Stripe Access Token',
		level: 'error',
		securitySeverity: '9.1',
		help: 'Roll the key in the Stripe dashboard; keep test keys out of the repository too.'
	}
];

const trivyRules: DemoRule[] = [
	{
		id: 'CVE-2024-45337',
		title: 'golang.org/x/crypto: misuse of ServerConfig.PublicKeyCallback',
		level: 'error',
		securitySeverity: '9.1',
		help: 'Upgrade golang.org/x/crypto to v0.31.0.'
	},
	{
		id: 'CVE-2024-34156',
		title: 'encoding/gob: stack exhaustion in Decoder.Decode',
		level: 'error',
		securitySeverity: '7.5',
		help: 'Build with Go 1.22.7 or later.'
	},
	{
		id: 'CVE-2024-24790',
		title: 'net/netip: unexpected behaviour from Is methods for IPv4-mapped IPv6 addresses',
		level: 'warning',
		securitySeverity: '5.3',
		help: 'Build with Go 1.22.4 or later.'
	}
];

/** Each analysis the demo's pipelines ran. */
export const demoAnalyses: DemoAnalysis[] = [
	{
		team: 'payments-api',
		repository: 'payments/api',
		tool: 'Semgrep OSS',
		version: '1.96.0',
		informationUri: 'https://semgrep.dev',
		hour: 0,
		rules: semgrepRules,
		weeks: all,
		pullRequests: [5, 6, 7],
		issues: [
			{
				rule: 0,
				path: 'payments/refunds.py',
				line: 88,
				message: 'SQL built with an f-string from `refund_id`.',
				opened: 0,
				fixed: 2
			},
			{
				rule: 0,
				path: 'payments/reports.py',
				line: 41,
				message: 'SQL built with % formatting from `merchant`.',
				opened: 0,
				fixed: 5
			},
			{
				rule: 1,
				path: 'payments/clients/acquirer.py',
				line: 57,
				message: 'requests.post(..., verify=False) to the acquirer.',
				opened: 0
			},
			{
				rule: 2,
				path: 'payments/idempotency.py',
				line: 19,
				message: 'hashlib.md5 used for idempotency keys.',
				opened: 0,
				fixed: 3
			},
			{
				rule: 3,
				path: 'payments/app.py',
				line: 12,
				message: 'app.run(debug=True).',
				opened: 2,
				fixed: 4
			},
			{
				rule: 0,
				path: 'payments/disputes.py',
				line: 133,
				message: 'SQL built with str.format from `status`.',
				opened: 4
			},
			{
				rule: 2,
				path: 'tests/fixtures.py',
				line: 8,
				message: 'hashlib.md5 used for test data.',
				opened: 1,
				suppressed: 'Test fixture only; not a security use.'
			},
			{
				rule: 1,
				path: 'payments/clients/fx.py',
				line: 23,
				message: 'requests.get(..., verify=False) to the FX rates service.',
				opened: 6
			}
		]
	},
	{
		team: 'payments-api',
		repository: 'payments/api',
		tool: 'Grype',
		version: '0.82.1',
		informationUri: 'https://github.com/anchore/grype',
		hour: 1,
		rules: grypeRules,
		weeks: all,
		issues: [
			{
				rule: 0,
				path: 'requirements.txt',
				line: 1,
				message:
					'A high vulnerability in python package: setuptools, version 68.0.0 was found at: requirements.txt',
				opened: 0,
				fixed: 1
			},
			{
				rule: 1,
				path: 'requirements.txt',
				line: 1,
				message:
					'A medium vulnerability in python package: requests, version 2.31.0 was found at: requirements.txt',
				opened: 0,
				fixed: 6
			},
			{
				rule: 2,
				path: 'var/lib/dpkg/status',
				line: 1,
				message:
					'A critical vulnerability in deb package: zlib1g, version 1:1.2.13.dfsg-1 was found at: /var/lib/dpkg/status',
				opened: 3
			},
			{
				rule: 3,
				path: 'var/lib/dpkg/status',
				line: 1,
				message:
					'A low vulnerability in deb package: libssl3, version 3.0.11-1~deb12u2 was found at: /var/lib/dpkg/status',
				opened: 0
			}
		]
	},
	{
		team: 'payments-api',
		repository: 'payments/ledger',
		tool: 'Semgrep OSS',
		version: '1.96.0',
		informationUri: 'https://semgrep.dev',
		hour: 2,
		rules: semgrepRules,
		weeks: all,
		issues: [
			{
				rule: 0,
				path: 'ledger/balances.py',
				line: 64,
				message: 'SQL built with an f-string from `account`.',
				opened: 1,
				fixed: 7
			},
			{
				rule: 2,
				path: 'ledger/export.py',
				line: 30,
				message: 'hashlib.md5 used for file checksums.',
				opened: 0
			}
		]
	},
	{
		team: 'checkout-web',
		repository: 'checkout/web',
		tool: 'CodeQL',
		version: '2.19.3',
		informationUri: 'https://codeql.github.com',
		hour: 4,
		rules: codeqlRules,
		weeks: all,
		pullRequests: [6, 7],
		issues: [
			{
				rule: 0,
				path: 'src/lib/components/PromoBanner.svelte',
				line: 22,
				message: 'DOM text is reinterpreted as HTML without escaping meta-characters.',
				opened: 0,
				fixed: 3
			},
			{
				rule: 1,
				path: 'src/routes/checkout/return/+page.ts',
				line: 14,
				message: 'Untrusted URL redirection depends on a user-provided value.',
				opened: 0
			},
			{
				rule: 2,
				path: 'src/lib/basket/id.ts',
				line: 5,
				message: 'Math.random() is used for a basket identifier.',
				opened: 1,
				fixed: 2
			},
			{
				rule: 3,
				path: 'src/lib/util/merge.ts',
				line: 9,
				message: 'Properties are copied recursively without guarding against prototype pollution.',
				opened: 3,
				fixed: 6
			},
			{
				rule: 0,
				path: 'src/lib/components/Review.svelte',
				line: 47,
				message: 'DOM text is reinterpreted as HTML without escaping meta-characters.',
				opened: 5
			}
		]
	},
	{
		team: 'checkout-web',
		repository: 'checkout/web',
		tool: 'Gitleaks',
		version: '8.18.4',
		informationUri: 'https://github.com/gitleaks/gitleaks',
		hour: 5,
		rules: gitleaksRules,
		// The secret scan fell out of the pipeline when it moved to a new runner image.
		weeks: [0, 1, 2],
		issues: [
			{
				rule: 1,
				path: 'config/stripe.test.env',
				line: 3,
				message: 'stripe-access-token has detected secret for file config/stripe.test.env.',
				opened: 0,
				fixed: 1
			},
			{
				rule: 0,
				path: 'scripts/load-test.sh',
				line: 11,
				message: 'generic-api-key has detected secret for file scripts/load-test.sh.',
				opened: 1
			}
		]
	},
	{
		team: 'checkout-web',
		repository: 'checkout/widgets',
		tool: 'CodeQL',
		version: '2.18.0',
		informationUri: 'https://codeql.github.com',
		hour: 6,
		rules: codeqlRules,
		// Scanned once when the repository was set up, never since.
		weeks: [0],
		issues: [
			{
				rule: 0,
				path: 'src/embed.ts',
				line: 31,
				message: 'DOM text is reinterpreted as HTML without escaping meta-characters.',
				opened: 0
			}
		]
	},
	{
		team: 'identity',
		repository: 'identity/sso',
		tool: 'Trivy',
		version: '0.56.2',
		informationUri: 'https://github.com/aquasecurity/trivy',
		hour: 3,
		rules: trivyRules,
		weeks: [2, 3, 4, 5, 6, 7],
		issues: [
			{
				rule: 0,
				path: 'go.mod',
				line: 9,
				message: 'Package: golang.org/x/crypto, installed version: v0.21.0, fixed version: v0.31.0',
				opened: 2,
				fixed: 4
			},
			{
				rule: 1,
				path: 'bin/sso',
				line: 1,
				message: 'Package: stdlib, installed version: v1.22.1, fixed version: 1.22.7',
				opened: 2,
				fixed: 7
			},
			{
				rule: 2,
				path: 'bin/sso',
				line: 1,
				message: 'Package: stdlib, installed version: v1.22.1, fixed version: 1.22.4',
				opened: 2,
				fixed: 7
			},
			{
				rule: 0,
				path: 'tools/go.mod',
				line: 7,
				message: 'Package: golang.org/x/crypto, installed version: v0.24.0, fixed version: v0.31.0',
				opened: 5
			}
		]
	},
	{
		team: 'cloud-platform',
		repository: 'platform/clusters',
		tool: 'platform-iac-scan',
		version: '1.4.0',
		informationUri: 'https://www.checkov.io',
		hour: 4,
		rules: iacRules,
		weeks: [4, 5, 6, 7],
		issues: [
			{
				rule: 0,
				path: 'clusters/prod/ingress.yaml',
				line: 21,
				message: 'Container ingress-nginx may escalate its privileges.',
				opened: 4
			},
			{
				rule: 1,
				path: 'terraform/state.tf',
				line: 3,
				message: 'Bucket platform-tf-state has no access logging.',
				opened: 4,
				fixed: 6
			}
		]
	}
];

/**
 * The scanner name no catalogue tool claims (the others are claimed in content/tools/ or are a
 * tool's name): Cloud Platform's own wrapper around Checkov, left for an admin to map.
 */
export const demoUnmappedScanner = 'platform-iac-scan';

/** What the teams record about these tools; Gitleaks is "enforced" but last ran weeks ago. */
export const demoScanAdoption: { team: string; toolId: string; state: AdoptionState }[] = [
	{ team: 'payments-api', toolId: 'semgrep', state: 'enforced' },
	{ team: 'payments-api', toolId: 'grype', state: 'adopted' },
	{ team: 'checkout-web', toolId: 'codeql', state: 'enforced' },
	{ team: 'checkout-web', toolId: 'gitleaks', state: 'enforced' },
	{ team: 'identity', toolId: 'trivy', state: 'adopted' }
];

/** An "all" answer the scans contradict: SAST in the last 30 days on only one of two repositories. */
export const demoClaim = {
	team: 'checkout-web',
	criterionId: 'static-analysis.2.a',
	comment: 'CodeQL runs on every pull request in all our repositories.'
};
