import { fail } from '@sveltejs/kit';
import { z } from 'zod';
import { formFailure, parseForm } from '$lib/schemas/parse';
import { changeRoleSchema, inviteSchema, userIdSchema } from '$lib/schemas/admin';
import { requirePermission, requireRecentSecondFactor } from '$lib/server/auth/guard';
import { removeSecondFactor, usersWithSecondFactor } from '$lib/server/auth/two-factor';
import { changeRole, listUsers, setUserActive } from '$lib/server/users/accounts';
import { parseInviteList, type LineProblem } from '$lib/schemas/invite-list';
import {
	createInvitation,
	createInvitations,
	listPendingInvitations,
	revokeInvitation
} from '$lib/server/users/invitations';
import { emailEnabled } from '$lib/server/mail/settings';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const me = requirePermission(event, 'users.manage');
	const [users, invitations, twoFactor] = await Promise.all([
		listUsers(event.locals.db),
		listPendingInvitations(event.locals.db),
		usersWithSecondFactor(event.locals.db)
	]);
	return {
		users: users.map((u) => ({ ...u, twoFactor: twoFactor.has(u.id) })),
		invitations,
		meId: me.id,
		emailOn: emailEnabled()
	};
};

const ctx = (event: { locals: App.Locals }, actorId: string) => ({ actorId, ip: event.locals.ip });

export const actions: Actions = {
	invite: async (event) => {
		const me = requirePermission(event, 'users.manage');
		const parsed = parseForm(inviteSchema, await event.request.formData());
		if (!parsed.ok)
			return fail(400, formFailure(parsed.errors, { action: 'invite', values: parsed.values }));
		const result = await createInvitation(event.locals.db, ctx(event, me.id), parsed.data);
		if (!result.ok) {
			return fail(
				400,
				formFailure(
					{ [result.field]: result.message },
					{ action: 'invite', values: { email: parsed.data.email, role: parsed.data.role } }
				)
			);
		}
		return {
			action: 'invite',
			// Shown once: only the hash is stored, so the link cannot be displayed again.
			invitationLink: new URL(`/invite/${result.token}`, event.url).toString(),
			invitedEmail: parsed.data.email,
			expiresAt: result.expiresAt
		};
	},
	/** Many people at once, one a line: all are invited, or, when any line is wrong, nobody. */
	inviteMany: async (event) => {
		const me = requirePermission(event, 'users.manage');
		const list = (await event.request.formData()).get('list');
		const text = typeof list === 'string' ? list : '';
		const refused = (problems: LineProblem[]) =>
			fail(400, { action: 'inviteMany', values: { list: text }, problems });
		const parsed = parseInviteList(text);
		if (!parsed.ok) return refused(parsed.problems);
		const result = await createInvitations(event.locals.db, ctx(event, me.id), parsed.people);
		if (!result.ok) {
			const existing = new Set(result.existing);
			const pending = new Set(result.pending);
			return refused(
				parsed.people.flatMap(({ line, email }) =>
					existing.has(email)
						? [{ line, message: `${email} already has an account.` }]
						: pending.has(email)
							? [
									{
										line,
										message: `${email} already has an invitation waiting (revoke it to send a new link).`
									}
								]
							: []
				)
			);
		}
		return {
			action: 'inviteMany',
			expiresAt: result.expiresAt,
			// Shown once: only the hashes are stored.
			invited: result.invited.map(({ email, role, token }) => ({
				email,
				role,
				link: new URL(`/invite/${token}`, event.url).toString()
			}))
		};
	},
	revoke: async (event) => {
		const me = requirePermission(event, 'users.manage');
		const parsed = parseForm(z.object({ invitationId: z.uuid() }), await event.request.formData());
		if (!parsed.ok) return fail(400, formFailure(parsed.errors, { action: 'revoke' }));
		await revokeInvitation(event.locals.db, ctx(event, me.id), parsed.data.invitationId);
		return { action: 'revoke', notice: 'The invitation was revoked.' };
	},
	role: async (event) => {
		const me = requirePermission(event, 'users.manage');
		const parsed = parseForm(changeRoleSchema, await event.request.formData());
		if (!parsed.ok) return fail(400, formFailure(parsed.errors, { action: 'role' }));
		const result = await changeRole(
			event.locals.db,
			ctx(event, me.id),
			parsed.data.userId,
			parsed.data.role
		);
		if (!result.ok) {
			return fail(
				400,
				formFailure(
					{ [result.field]: result.message },
					{ action: 'role', target: parsed.data.userId }
				)
			);
		}
		return {
			action: 'role',
			notice: 'The role was changed and that user was signed out everywhere.'
		};
	},
	/** For someone who lost their phone and their recovery codes: the factor goes, their sessions end. */
	resetSecondFactor: async (event) => {
		const me = requirePermission(event, 'users.manage');
		requireRecentSecondFactor(event, '/admin/users');
		const parsed = parseForm(userIdSchema, await event.request.formData());
		if (!parsed.ok) return fail(400, formFailure(parsed.errors, { action: 'active' }));
		const removed = await removeSecondFactor(
			event.locals.db,
			ctx(event, me.id),
			parsed.data.userId
		);
		return {
			action: 'active',
			notice: removed
				? 'Two-factor sign-in was reset and that user was signed out: they set it up again at their next sign-in.'
				: 'That user had no two-factor sign-in.'
		};
	},
	deactivate: async (event) => activeAction(event, false),
	reactivate: async (event) => activeAction(event, true)
};

async function activeAction(event: Parameters<Actions[string]>[0], active: boolean) {
	const me = requirePermission(event, 'users.manage');
	const parsed = parseForm(userIdSchema, await event.request.formData());
	if (!parsed.ok) return fail(400, formFailure(parsed.errors, { action: 'active' }));
	const result = await setUserActive(
		event.locals.db,
		ctx(event, me.id),
		parsed.data.userId,
		active
	);
	if (!result.ok) {
		return fail(
			400,
			formFailure(
				{ [result.field]: result.message },
				{ action: 'active', target: parsed.data.userId }
			)
		);
	}
	return {
		action: 'active',
		notice: active ? 'The user was reactivated.' : 'The user was deactivated and signed out.'
	};
}
