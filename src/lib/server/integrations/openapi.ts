import { apiErrorCodes } from '$lib/server/http/api';
import { UPLOAD_LIMITS } from './upload-body';
import { UPLOAD_RATE } from './upload-rate';

/*
 * The API's OpenAPI 3.1 description, served at /api/v1/openapi.json. The tests send real
 * requests and validate every answer against the schemas here (openapi.test.ts), so the two
 * cannot drift apart.
 */

const MB = 1024 * 1024;
const nullable = (type: string, more: Record<string, unknown> = {}) => ({
	type: [type, 'null'],
	...more
});
const int = { type: 'integer', minimum: 0 };
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const object = (properties: Record<string, unknown>, required = Object.keys(properties)) => ({
	type: 'object',
	properties,
	required,
	additionalProperties: false
});
const json = (schema: unknown) => ({ 'application/json': { schema } });
const error = (description: string) => ({ description, content: json(ref('Error')) });
const retryAfter = {
	'Retry-After': { description: 'Seconds to wait before trying again.', schema: int }
};

const counts = {
	results: { ...int, description: 'Findings reported (one per key).' },
	new: { ...int, description: 'Reported, not suppressed, and not open before.' },
	fixed: { ...int, description: 'Open before and no longer reported.' },
	unchanged: { ...int, description: 'Reported, not suppressed, and open before.' },
	suppressed: { ...int, description: 'Reported with a suppression in effect.' }
};

const uploadQuery = [
	{
		name: 'repository',
		in: 'query',
		required: true,
		description: 'The repository, as `owner/name` or `group/subgroup/project`.',
		schema: { type: 'string', maxLength: 200, examples: ['payments/api'] }
	},
	{
		name: 'ref',
		in: 'query',
		description:
			"The git ref scanned (`refs/heads/main`, `main`, `refs/pull/7/merge`). Findings change only on the repository's default branch; absent means the default branch.",
		schema: { type: 'string', maxLength: 255 }
	},
	{
		name: 'commit',
		in: 'query',
		description: 'The commit scanned (hexadecimal, 7 to 64 digits).',
		schema: { type: 'string', pattern: '^[0-9a-fA-F]{7,64}$' }
	},
	{
		name: 'category',
		in: 'query',
		description: 'Tells two analyses by one tool apart (as GitHub code scanning).',
		schema: { type: 'string', maxLength: 100 }
	},
	{
		name: 'checkout',
		in: 'query',
		description:
			"SARIF only: the absolute directory the repository was checked out in (as GitHub's `checkout_path`). Absolute file paths under it are kept relative to it, so findings keep their keys when the CI machine's directory changes.",
		schema: { type: 'string', maxLength: 1000, examples: ['/home/runner/work/api/api'] }
	}
];

const uploadResponses = {
	'201': {
		description: 'Recorded: the upload, its tools and what changed.',
		headers: { Location: { description: 'The upload’s address.', schema: { type: 'string' } } },
		content: json(ref('UploadResult'))
	},
	'200': {
		description: 'Read, but it names no tool (a log without runs): nothing recorded.',
		content: json(ref('UploadResult'))
	},
	'400': error('Not JSON, not the format, or a bad query parameter (`repository` missing).'),
	'401': error('No token, or a token this server does not know.'),
	'403': error(
		'The token is revoked or expired, its team archived, or it lacks the `scans:write` scope.'
	),
	'413': error(
		`Over ${UPLOAD_LIMITS.compressedBytes / MB} MB as sent or ${UPLOAD_LIMITS.bytes / MB} MB decompressed.`
	),
	'415': error('Another content type or content encoding.'),
	'429': {
		description: `Too many uploads: a token may upload ${UPLOAD_RATE.token.burst} at once and ${UPLOAD_RATE.token.perSecond * 60} a minute, a team ${UPLOAD_RATE.team.burst} and ${UPLOAD_RATE.team.perSecond * 60} a minute.`,
		headers: retryAfter,
		content: json(ref('Error'))
	},
	'503': {
		description:
			'The server is reading as many uploads as its memory allows, or another upload of the same repository, tool and category is still being recorded after a minute. Nothing was stored.',
		headers: retryAfter,
		content: json(ref('Error'))
	}
};

const readResponses = (schema: string) => ({
	'200': { description: 'The team’s data.', content: json(ref(schema)) },
	'401': error('No token, or an unknown one.'),
	'403': error(
		'The token is revoked or expired, its team archived, it lacks the `read` scope, or the team is not its own.'
	)
});

const teamSlug = {
	name: 'slug',
	in: 'path',
	required: true,
	description: 'The team’s slug: the token’s own team.',
	schema: { type: 'string' }
};

const upload = (summary: string, mediaTypes: string[], description: string) => ({
	summary,
	description,
	security: [{ teamToken: ['scans:write'] }],
	parameters: [
		...uploadQuery,
		{
			name: 'Content-Encoding',
			in: 'header',
			description: 'Optional: `gzip`.',
			schema: { type: 'string', enum: ['gzip', 'identity'] }
		}
	],
	requestBody: {
		required: true,
		content: Object.fromEntries(mediaTypes.map((t) => [t, { schema: { type: 'object' } }]))
	},
	responses: uploadResponses
});

export const openApiDocument = {
	openapi: '3.1.0',
	info: {
		title: 'Rampart pipeline API',
		version: '1',
		description:
			'Pipelines upload scanner results (SARIF 2.1.0, CycloneDX 1.4–1.6 JSON) with a team API token, and read their team’s scores, open findings and tools. Every request carries `Authorization: Bearer rampart_pat_…`; the API never reads or sets a cookie. Errors are JSON `{ error, message }`.'
	},
	servers: [{ url: '/api/v1' }],
	components: {
		securitySchemes: {
			teamToken: {
				type: 'http',
				scheme: 'bearer',
				description:
					'A team API token (`rampart_pat_…`), made by the team lead or the security team on the team’s Integrations page. Scopes: `scans:write` (upload), `read` (the read API).'
			}
		},
		schemas: {
			Error: object(
				{
					error: { type: 'string', enum: [...new Set(Object.values(apiErrorCodes))] },
					message: { type: 'string' },
					reason: { type: 'string' },
					field: { type: 'string' },
					errorId: { type: 'string' }
				},
				['error', 'message']
			),
			CatalogueTool: nullable('object', {
				properties: { id: { type: 'string' }, name: { type: 'string' } },
				required: ['id', 'name'],
				additionalProperties: false
			}),
			Tool: object({
				name: { type: 'string' },
				version: nullable('string'),
				catalogueTool: ref('CatalogueTool')
			}),
			UploadCounts: object({
				...counts,
				reopened: { ...int, description: 'Of `new`, those that had been fixed and came back.' }
			}),
			StoredCounts: object(counts),
			UploadResult: object({
				id: nullable('string', { format: 'uuid' }),
				url: nullable('string'),
				format: { type: 'string', enum: ['sarif', 'cyclonedx'] },
				repository: nullable('string'),
				ref: nullable('string'),
				defaultBranch: {
					type: 'boolean',
					description: 'Whether findings changed (only uploads on the default branch change them).'
				},
				tools: { type: 'array', items: ref('Tool') },
				counts: ref('UploadCounts'),
				file: object({
					results: { ...int, description: 'Results in the file.' },
					skipped: { ...int, description: 'Results that report no problem (SARIF kind pass).' },
					components: nullable('integer', { description: 'CycloneDX: components listed.' })
				}),
				scans: {
					type: 'array',
					items: object({
						id: { type: 'string', format: 'uuid' },
						tool: ref('Tool'),
						category: { type: 'string' },
						counts: ref('UploadCounts')
					})
				}
			}),
			UploadSummary: object({
				id: { type: 'string', format: 'uuid' },
				uploadedAt: { type: 'string', format: 'date-time' },
				format: { type: 'string', enum: ['sarif', 'cyclonedx'] },
				repository: { type: 'string' },
				ref: { type: 'string' },
				commit: nullable('string'),
				defaultBranch: { type: 'boolean' },
				counts: ref('StoredCounts'),
				scans: {
					type: 'array',
					items: object({
						id: { type: 'string', format: 'uuid' },
						tool: ref('Tool'),
						category: { type: 'string' },
						components: nullable('integer'),
						counts: ref('StoredCounts')
					})
				}
			}),
			Scores: object({
				team: { type: 'string' },
				cycles: {
					type: 'array',
					items: object({
						cycle: { type: 'string' },
						startsOn: { type: 'string', format: 'date' },
						dueOn: { type: 'string', format: 'date' },
						cycleStatus: { type: 'string', enum: ['open', 'closed'] },
						status: { type: 'string', enum: ['draft', 'submitted', 'approved', 'returned'] },
						modelVersion: { type: 'string' },
						score: nullable('number', { description: 'Team score, 0–4.' }),
						phases: {
							type: 'object',
							additionalProperties: nullable('number'),
							description: 'Phase score (0–4) by phase; null when every practice is not applicable.'
						},
						practices: {
							type: 'array',
							items: object({
								practice: { type: 'string' },
								phase: { type: 'string' },
								score: { type: 'number', minimum: 0, maximum: 4 },
								achievedLevel: { type: 'integer', minimum: 0, maximum: 4 },
								target: nullable('integer'),
								notApplicable: { type: 'boolean' }
							})
						}
					})
				}
			}),
			Findings: object({
				team: { type: 'string' },
				limit: int,
				offset: int,
				total: { ...int, description: 'Open findings in all (with the severity asked for).' },
				findings: {
					type: 'array',
					items: object({
						id: { type: 'string', format: 'uuid' },
						repository: { type: 'string' },
						tool: { type: 'string' },
						category: { type: 'string' },
						ruleId: { type: 'string' },
						ruleName: nullable('string'),
						severity: { type: 'string', enum: ['critical', 'high', 'medium', 'low', 'none'] },
						message: { type: 'string' },
						path: nullable('string'),
						startLine: nullable('integer'),
						endLine: nullable('integer'),
						firstSeenAt: { type: 'string', format: 'date-time' },
						lastSeenAt: { type: 'string', format: 'date-time' }
					})
				}
			}),
			Run: object({
				scanner: { type: 'string', description: 'The name the tool gives itself.' },
				category: { type: 'string' },
				repository: { type: 'string' },
				lastRunAt: { type: 'string', format: 'date-time' },
				ref: { type: 'string' },
				commit: nullable('string'),
				defaultBranch: { type: 'boolean' }
			}),
			Tools: object({
				team: { type: 'string' },
				tools: {
					type: 'array',
					items: object({
						toolId: { type: 'string' },
						name: { type: 'string' },
						category: { type: 'string' },
						state: {
							type: ['string', 'null'],
							enum: ['not_used', 'evaluating', 'adopted', 'enforced', null],
							description: 'The adoption the team records; null when only a pipeline shows it.'
						},
						since: nullable('string', { format: 'date' }),
						runs: { type: 'array', items: ref('Run') },
						check: {
							type: ['string', 'null'],
							enum: ['stale', 'unrecorded', null],
							description:
								'`stale`: recorded as enforced, but no run in the last TOOL_EVIDENCE_MAX_AGE_DAYS days (default 30); `unrecorded`: ran in that time, but recorded as not used or not at all; null: nothing to check.'
						}
					})
				},
				unmapped: {
					type: 'array',
					items: ref('Run'),
					description:
						'Runs of scanners no catalogue tool claims yet; an admin maps each name once on /admin/tools/scanners, and its past runs follow.'
				}
			})
		}
	},
	paths: {
		'/scans': {
			post: upload(
				'Upload a SARIF 2.1.0 log',
				['application/sarif+json', 'application/json'],
				'Each run’s tool is an analysis of the repository (per category); its results are findings.'
			)
		},
		'/sboms': {
			post: upload(
				'Upload a CycloneDX JSON SBOM',
				['application/vnd.cyclonedx+json', 'application/json'],
				'Its components are counted; its vulnerabilities become findings like any other.'
			)
		},
		'/scans/{id}': {
			get: {
				summary: 'An upload of the token’s team',
				security: [{ teamToken: ['read'] }, { teamToken: ['scans:write'] }],
				parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
				responses: {
					...readResponses('UploadSummary'),
					'404': error('The team has no upload with this id.')
				}
			}
		},
		'/teams/{slug}/scores': {
			get: {
				summary: 'The team’s scores per cycle',
				security: [{ teamToken: ['read'] }],
				parameters: [teamSlug],
				responses: readResponses('Scores')
			}
		},
		'/teams/{slug}/findings': {
			get: {
				summary: 'The team’s open findings (not suppressed, not dismissed)',
				security: [{ teamToken: ['read'] }],
				parameters: [
					teamSlug,
					{
						name: 'limit',
						in: 'query',
						schema: { type: 'integer', minimum: 1, maximum: 1000, default: 100 }
					},
					{ name: 'offset', in: 'query', schema: { type: 'integer', minimum: 0, default: 0 } },
					{
						name: 'severity',
						in: 'query',
						schema: { type: 'string', enum: ['critical', 'high', 'medium', 'low', 'none'] }
					}
				],
				responses: { ...readResponses('Findings'), '400': error('A bad query parameter.') }
			}
		},
		'/teams/{slug}/tools': {
			get: {
				summary: 'The team’s tools with the evidence its pipelines gave',
				security: [{ teamToken: ['read'] }],
				parameters: [teamSlug],
				responses: readResponses('Tools')
			}
		}
	}
} as const;
