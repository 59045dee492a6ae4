/*
 * The words for reviewers' questions, in one place: the domain (server/assessments/questions.ts)
 * returns codes, the routes and components say them.
 */

/** Why a question, follow-up, answer or withdrawal was refused. */
export const questionRefusals = {
	cycleClosed: 'This cycle is closed: its assessments are read-only.',
	notSubmitted:
		'Questions are asked while the assessment is submitted for review; this one is not.',
	notUnderReview:
		'This assessment is not under review any more: its questions take no more messages.',
	withdrawn: 'This question was withdrawn: it takes no more messages.',
	notOpen: 'Only an open question can be withdrawn.',
	unknownAssessment: 'Unknown assessment.',
	unknownCriterion: 'Unknown criterion: choose one of the assessment’s criteria.',
	unknownQuestion: 'Unknown question: it is not one of this assessment’s questions.',
	notReviewer: 'Only the security team asks questions on an assessment.',
	ownTeam:
		'You belong to this team: someone outside it reviews its assessment (separation of duties).',
	notMember: 'Only a member of the team answers its questions.'
} as const;

export type QuestionRefusalCode = keyof typeof questionRefusals;

/** A question's status as the page says it. */
export const questionStatusLabels = {
	open: 'Open: waiting for the team',
	answered: 'Answered',
	withdrawn: 'Withdrawn'
} as const;
