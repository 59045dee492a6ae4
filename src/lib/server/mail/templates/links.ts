/** Absolute links for emails: the app's paths under ORIGIN, each part of a path encoded. */

const seg = encodeURIComponent;

export const emailLinks = {
	settings: (origin: string) => `${origin}/account#notifications`,
	invitation: (origin: string, token: string) => `${origin}/invite/${seg(token)}`,
	passwordReset: (origin: string, token: string) => `${origin}/reset-password/${seg(token)}`,
	assessment: (origin: string, teamSlug: string, cycleName: string) =>
		`${origin}/teams/${seg(teamSlug)}/assessments/${seg(cycleName)}`,
	questions: (origin: string, teamSlug: string, cycleName: string) =>
		`${origin}/teams/${seg(teamSlug)}/assessments/${seg(cycleName)}/questions`,
	review: (origin: string, teamSlug: string, cycleName: string) =>
		`${origin}/teams/${seg(teamSlug)}/assessments/${seg(cycleName)}/review`,
	assessments: (origin: string) => `${origin}/assessments`,
	trainingModule: (origin: string, moduleId: string) => `${origin}/training/${seg(moduleId)}`,
	rota: (origin: string, teamSlug: string) => `${origin}/teams/${seg(teamSlug)}/rota`
};
