/** The kinds of email Rampart sends, and which of them a person may turn off on /account. */

export const optionalKinds = [
	'cycle_opened',
	'assessment_due',
	'assessment_overdue',
	'assessment_returned',
	'question_asked',
	'question_answered',
	'training_assigned',
	'training_due',
	'oncall_next_week',
	'oncall_today'
] as const;
export type OptionalKind = (typeof optionalKinds)[number];

/** Sent whatever the settings: the person asked for them, or has no account yet. */
export type RequiredKind = 'invitation' | 'password_reset';
export type EmailKind = OptionalKind | RequiredKind;

/** How /account names each choice, and how an email of that kind says why it was sent. */
export const kindLabels: Record<OptionalKind, { label: string; reason: string }> = {
	cycle_opened: {
		label: 'A new assessment cycle opens',
		reason: 'you are in a team that has an assessment in the new cycle'
	},
	assessment_due: {
		label: "My team's assessment is due in 7 days or tomorrow",
		reason: 'you are in a team whose assessment is not yet submitted'
	},
	assessment_overdue: {
		label: 'An assessment is overdue (team leads and the security team)',
		reason: 'you lead a team, or are in the security team, and an assessment is past its due date'
	},
	assessment_returned: {
		label: "My team's assessment is returned with comments",
		reason: 'you are in the team whose assessment was returned'
	},
	question_asked: {
		label: 'A reviewer asks my team a question',
		reason: 'you are in the team whose assessment the question is about'
	},
	question_answered: {
		label: 'A team answers my question',
		reason: 'you asked this question as a reviewer'
	},
	training_assigned: {
		label: 'A training module is assigned to me',
		reason: 'a team lead assigned you this module'
	},
	training_due: {
		label: 'An assigned training module is due tomorrow',
		reason: 'a module assigned to you is due and not yet complete'
	},
	oncall_next_week: {
		label: 'My security on-call turn starts next week',
		reason: "you are on your team's security on-call rota"
	},
	oncall_today: {
		label: 'My security on-call turn starts today',
		reason: "you are on your team's security on-call rota"
	}
};

export function isOptionalKind(kind: string): kind is OptionalKind {
	return (optionalKinds as readonly string[]).includes(kind);
}
