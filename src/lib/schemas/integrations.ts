import { z } from 'zod';
import type { ApiScope } from '$lib/server/db/schema';
import { freeText, textProblem } from './text';
import { webAddress } from './web-address';

/** What a token may do; the same list as the database's (checked by the type below). */
export const tokenScopes = ['scans:write', 'read'] as const satisfies readonly ApiScope[];

/** The expiries a token can be given, in days: the default first, at most a year. */
export const TOKEN_EXPIRY_DAYS = [90, 7, 30, 180, 365] as const;
export const DEFAULT_TOKEN_EXPIRY_DAYS = 90;
export const MAX_TOKEN_EXPIRY_DAYS = 365;

const REPOSITORY = /^[A-Za-z0-9_./-]+$/;

/** Why a repository name (`payments/api`, `group/subgroup/project`) is not one; null if it is. */
export function repositoryNameProblem(name: string): string | null {
	if (!name) return 'Name the repository, like payments/api.';
	if (name.length > 200) return 'Use at most 200 characters for the repository.';
	if (
		!REPOSITORY.test(name) ||
		name.split('/').some((part) => part === '' || part === '.' || part === '..')
	)
		return 'Name the repository with letters, digits, . _ - and / between its parts, like payments/api.';
	return null;
}

/**
 * Why text is not a git ref or branch name (`main`, `refs/heads/main`, `refs/pull/7/merge`);
 * null if it is. git's own rules (check-ref-format), kept to printable ASCII.
 */
export function refProblem(ref: string): string | null {
	if (!ref) return 'Name the branch or ref, like main or refs/heads/main.';
	if (ref.length > 255) return 'Use at most 255 characters for a ref.';
	if (
		!/^[\x21-\x7e]+$/.test(ref) ||
		/[~^:?*[\\]/.test(ref) ||
		ref.includes('..') ||
		ref.includes('//') ||
		ref.includes('@{') ||
		ref.startsWith('/') ||
		ref.startsWith('-') ||
		ref.endsWith('/') ||
		ref.endsWith('.') ||
		ref.endsWith('.lock')
	)
		return 'A ref holds no spaces, ~ ^ : ? * [ \\ or "..", like main or refs/heads/main.';
	return null;
}

/** The branch a ref names (`refs/heads/main` and `main` are both `main`), or null for another kind of ref. */
export function branchOf(ref: string): string | null {
	if (ref.startsWith('refs/heads/')) return ref.slice('refs/heads/'.length);
	return ref.startsWith('refs/') ? null : ref;
}

const refined =
	(problem: (text: string) => string | null) => (value: string, ctx: z.RefinementCtx) => {
		const p = problem(value);
		if (p) ctx.addIssue({ code: 'custom', message: p, input: value });
	};

const optional = (v: unknown) => (v === '' || v === undefined || v === null ? undefined : v);

/** The query of an upload: `?repository=payments/api&ref=refs/heads/main&commit=…&category=…`. */
export const uploadQuerySchema = z.object({
	repository: z
		.string({ error: "Add ?repository= with the repository's name, like payments/api." })
		.trim()
		.superRefine(refined(repositoryNameProblem)),
	ref: z.preprocess(optional, z.string().trim().superRefine(refined(refProblem)).optional()),
	commit: z.preprocess(
		optional,
		z
			.string()
			.trim()
			.regex(/^[0-9a-fA-F]{7,64}$/, 'Give the commit as its hexadecimal id (7 to 64 digits).')
			.transform((c) => c.toLowerCase())
			.optional()
	),
	category: z.preprocess(
		optional,
		z
			.string()
			.trim()
			.max(100, 'Use at most 100 characters for the category.')
			.superRefine((v, ctx) => {
				const p = textProblem(v, 'name');
				if (p) ctx.addIssue({ code: 'custom', message: p, input: v });
			})
			.optional()
	),
	checkout: z.preprocess(
		optional,
		z
			.string()
			.trim()
			.max(1000, 'Use at most 1,000 characters for the checkout directory.')
			.superRefine((v, ctx) => {
				const p =
					textProblem(v, 'name') ??
					(/^(\/|[a-z]:[\\/]|file:\/\/)/i.test(v)
						? null
						: 'Give the checkout directory as an absolute path, like /home/runner/work/api/api.');
				if (p) ctx.addIssue({ code: 'custom', message: p, input: v });
			})
			.optional()
	)
});
export type UploadQuery = z.output<typeof uploadQuerySchema>;

const scopeList = z.preprocess(
	(v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]),
	z
		.array(z.enum(tokenScopes, { error: 'Choose upload scans, read, or both.' }))
		.min(1, 'Choose what the token may do: upload scans, read, or both.')
		.transform((s) => [...new Set(s)])
);

export const newTokenSchema = z.object({
	name: z
		.string({ error: 'Name the token, like "GitHub Actions, payments/api".' })
		.trim()
		.min(1, 'Name the token, like "GitHub Actions, payments/api".')
		.max(80, 'Use at most 80 characters.')
		.superRefine(freeText('name')),
	scopes: scopeList,
	expiresInDays: z.preprocess(
		(v) => (v === undefined || v === '' ? DEFAULT_TOKEN_EXPIRY_DAYS : Number(v)),
		z
			.number()
			.int('Choose one of the listed expiries.')
			.refine(
				(d) => (TOKEN_EXPIRY_DAYS as readonly number[]).includes(d),
				`Choose one of the listed expiries (at most ${MAX_TOKEN_EXPIRY_DAYS} days).`
			)
	)
});

export const tokenIdSchema = z.object({
	tokenId: z.uuid({ error: 'Unknown token.' })
});

export const repositorySettingsSchema = z.object({
	repositoryId: z.uuid({ error: 'Unknown repository.' }),
	defaultBranch: z
		.string({ error: 'Name the default branch, like main.' })
		.trim()
		.superRefine(refined(refProblem))
		.refine(
			(b) => !b.startsWith('refs/') || b.startsWith('refs/heads/'),
			'Name a branch, like main.'
		)
		.transform((b) => branchOf(b) ?? b),
	webAddress: z.preprocess(
		(v) => (typeof v === 'string' && v.trim() === '' ? null : v),
		webAddress('http-or-https').nullable()
	)
});

/** The read API's page of open findings: `?limit=100&offset=0&severity=high`. */
export const findingsQuerySchema = z.object({
	limit: z.preprocess(
		(v) => (v === undefined || v === '' ? 100 : Number(v)),
		z
			.number({ error: 'Give limit as a whole number from 1 to 1000.' })
			.int('Give limit as a whole number from 1 to 1000.')
			.min(1, 'Give limit as a whole number from 1 to 1000.')
			.max(1000, 'Give limit as a whole number from 1 to 1000.')
	),
	offset: z.preprocess(
		(v) => (v === undefined || v === '' ? 0 : Number(v)),
		z
			.number({ error: 'Give offset as a whole number, 0 or more.' })
			.int('Give offset as a whole number, 0 or more.')
			.min(0, 'Give offset as a whole number, 0 or more.')
			.max(1_000_000, 'Give offset as a whole number, 0 or more.')
	),
	severity: z.preprocess(
		(v) => (v === undefined || v === '' ? null : v),
		z
			.enum(['critical', 'high', 'medium', 'low', 'none'], {
				error: 'Give severity as critical, high, medium, low or none.'
			})
			.nullable()
	)
});

/** A team dismisses a finding with a reason the security team will read. */
export const dismissFindingSchema = z.object({
	findingId: z.uuid({ error: 'Unknown finding.' }),
	reason: z
		.string({ error: 'Say why the finding is dismissed.' })
		.trim()
		.min(3, 'Say why the finding is dismissed (a false positive, an accepted risk…).')
		.max(1000, 'Use at most 1,000 characters.')
		.superRefine(freeText('multiline'))
});
