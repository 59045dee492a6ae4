import { render } from 'svelte/server';
import { describe, expect, it } from 'vitest';
import ErrorPage from './ErrorPage.svelte';

type Props = Parameters<typeof ErrorPage>[1];

const page = (props: Partial<Props>) => {
	const all: Props = {
		status: 404,
		message: undefined,
		errorId: undefined,
		signedIn: true,
		here: '/teams/payments-api',
		...props
	};
	const { body, head } = render(ErrorPage, { props: all });
	const text = body
		.replace(/<!--[^>]*-->/g, '')
		.replace(/<[^>]+>/g, ' ')
		.replace(/\s+/g, ' ')
		.trim();
	return { body, head, text };
};

// The error page tells what happened and offers the way back; browser tests
// (tests/e2e/error-pages.spec.ts) follow those links as a member and a visitor.
describe('the error page', () => {
	it('says a 403 is about permission and never repeats what was refused', () => {
		const { text, head } = page({ status: 403, message: 'You may not change Payments API.' });
		expect(head).toContain('<title>Not allowed · Rampart</title>');
		expect(text).toContain('does not have permission');
		expect(text).not.toContain('Payments');
	});

	it('shows the server’s reason for a 404, but not SvelteKit’s bare "Not found" twice', () => {
		expect(page({ message: 'This invitation link has expired.' }).text).toContain(
			'This invitation link has expired.'
		);
		expect(page({ message: 'Not found' }).text.match(/Not found/g)).toHaveLength(1);
	});

	it('keeps the error id of an unexpected error', () => {
		const { text } = page({
			status: 500,
			message: 'Something went wrong on our side.',
			errorId: 'e1d2'
		});
		expect(text).toContain('Something went wrong on our side.');
		expect(text).toContain('Error id: e1d2');
	});

	it('sends someone signed in to their teams and the dashboard', () => {
		const { body } = page({ status: 403, signedIn: true });
		expect(body).toMatch(/<a href="\/teams">Your teams<\/a>/);
		expect(body).toMatch(/<a href="\/dashboard">Dashboard<\/a>/);
		expect(body).not.toContain('/login');
	});

	it('asks a visitor to sign in and come back to where they were', () => {
		const { body } = page({ signedIn: false, here: '/teams/payments-api?tab=1&x="' });
		expect(body).toContain(
			'<a href="/login?next=%2Fteams%2Fpayments-api%3Ftab%3D1%26x%3D%22">Sign in</a>'
		);
		expect(body).not.toContain('href="/teams"');
	});
});
