import { describe, expect, it } from 'vitest';
import {
	branchOf,
	newTokenSchema,
	refProblem,
	repositoryNameProblem,
	repositorySettingsSchema,
	uploadQuerySchema
} from './integrations';

describe('repository names and refs from a pipeline', () => {
	it('takes the names hosts give repositories', () => {
		for (const name of ['payments/api', 'group/sub.group/my_project-2', 'api'])
			expect(repositoryNameProblem(name), name).toBeNull();
	});
	it('refuses paths that climb, empty parts, spaces, markup and control characters', () => {
		for (const name of [
			'',
			'../etc/passwd',
			'a/../b',
			'/abs',
			'a//b',
			'a/',
			'pay ments/api',
			'<script>',
			'a\u0000b',
			'a\nb',
			'x'.repeat(201)
		])
			expect(repositoryNameProblem(name), JSON.stringify(name)).not.toBeNull();
	});
	it('follows git’s rules for refs', () => {
		for (const ref of ['main', 'refs/heads/main', 'refs/pull/7/merge', 'release/2026.1', 'v1.0'])
			expect(refProblem(ref), ref).toBeNull();
		for (const ref of [
			'',
			'a..b',
			'a b',
			'x~1',
			'a:b',
			'/x',
			'x/',
			'x.lock',
			'a@{1}',
			'-x',
			'a\tb'
		])
			expect(refProblem(ref), JSON.stringify(ref)).not.toBeNull();
	});
	it('reads the branch a ref names', () => {
		expect(branchOf('refs/heads/main')).toBe('main');
		expect(branchOf('refs/heads/release/1')).toBe('release/1');
		expect(branchOf('main')).toBe('main');
		expect(branchOf('refs/pull/7/merge')).toBeNull();
		expect(branchOf('refs/tags/v1')).toBeNull();
	});
	it('reads an upload’s query, with repository required and the rest optional', () => {
		expect(uploadQuerySchema.safeParse({ repository: 'payments/api' }).data).toEqual({
			repository: 'payments/api'
		});
		expect(
			uploadQuerySchema.safeParse({
				repository: 'payments/api',
				ref: 'refs/heads/main',
				commit: 'ABCDEF1',
				category: '/language:js'
			}).data
		).toEqual({
			repository: 'payments/api',
			ref: 'refs/heads/main',
			commit: 'abcdef1',
			category: '/language:js'
		});
		expect(uploadQuerySchema.safeParse({}).success).toBe(false);
		expect(uploadQuerySchema.safeParse({ repository: 'a', commit: 'xyz' }).success).toBe(false);
		expect(uploadQuerySchema.safeParse({ repository: 'a', category: 'a\u202eb' }).success).toBe(
			false
		);
	});
});

describe('the token and repository forms', () => {
	it('takes one or both scopes, defaults to 90 days and allows at most a year', () => {
		expect(newTokenSchema.safeParse({ name: 'CI', scopes: 'scans:write' }).data).toEqual({
			name: 'CI',
			scopes: ['scans:write'],
			expiresInDays: 90
		});
		expect(
			newTokenSchema.safeParse({
				name: 'CI',
				scopes: ['read', 'scans:write'],
				expiresInDays: '365'
			}).data?.expiresInDays
		).toBe(365);
		for (const bad of [
			{ name: 'CI' },
			{ name: 'CI', scopes: 'admin' },
			{ name: 'CI', scopes: 'read', expiresInDays: '366' },
			{ name: 'CI', scopes: 'read', expiresInDays: '0' },
			{ name: 'CI', scopes: 'read', expiresInDays: '-1' },
			{ name: '', scopes: 'read' },
			{ name: 'C\u202eI', scopes: 'read' }
		])
			expect(newTokenSchema.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
	});
	it('takes a branch (refs/heads/ dropped) and an http(s) address or none', () => {
		const id = '6d6f3c1e-1111-4aaa-8bbb-123456789abc';
		expect(
			repositorySettingsSchema.safeParse({
				repositoryId: id,
				defaultBranch: 'refs/heads/trunk',
				webAddress: ''
			}).data
		).toEqual({ repositoryId: id, defaultBranch: 'trunk', webAddress: null });
		for (const webAddress of ['javascript:alert(1)', 'ftp://x.example', 'https://user@x.example'])
			expect(
				repositorySettingsSchema.safeParse({ repositoryId: id, defaultBranch: 'main', webAddress })
					.success,
				webAddress
			).toBe(false);
		expect(
			repositorySettingsSchema.safeParse({
				repositoryId: id,
				defaultBranch: 'refs/pull/1/merge',
				webAddress: ''
			}).success
		).toBe(false);
	});
});
