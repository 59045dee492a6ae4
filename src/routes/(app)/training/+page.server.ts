import { requireUser } from '$lib/server/auth/guard';
import { can } from '$lib/server/auth/policy';
import { getModel } from '$lib/server/model/load-model';
import { learnerAssignments, teamsLedBy } from '$lib/server/training/assignments';
import { learnerCertificates } from '$lib/server/training/certificates';
import { trackProgress } from '$lib/server/training/completion';
import { getTraining } from '$lib/server/training/load-training';
import { learnerProgress } from '$lib/server/training/progress';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	const db = event.locals.db;
	const training = getTraining();
	const [progress, assignments, certificates, leadTeams] = await Promise.all([
		learnerProgress(db, training, user.id),
		learnerAssignments(db, training, user.id),
		learnerCertificates(db, user.id),
		teamsLedBy(db, user.id)
	]);
	const phaseName = new Map(getModel().phases.map((p) => [p.id, p.name]));
	return {
		tracks: training.tracks.map((t) => ({
			id: t.id,
			title: t.title,
			description: t.description,
			progress: trackProgress(t, progress),
			modules: t.modules.map((id) => ({
				id,
				title: training.moduleById.get(id)!.title,
				complete: progress.get(id)!.complete
			})),
			certificateId: certificates.find((c) => c.trackId === t.id)?.id ?? null
		})),
		modules: training.modules.map((m) => {
			const p = progress.get(m.id)!;
			return {
				id: m.id,
				title: m.title,
				summary: m.summary,
				phase: phaseName.get(m.phase) ?? m.phase,
				minutes: m.minutes,
				lessonsDone: p.completedLessons.length,
				lessonsTotal: p.lessonsTotal,
				quizPassed: p.passed,
				started: p.started,
				complete: p.complete
			};
		}),
		assignments: assignments.map((a) => ({
			id: a.id,
			moduleId: a.moduleId,
			moduleTitle: a.moduleTitle,
			teamName: a.teamName,
			dueOn: a.dueOn,
			overdue: a.overdue,
			complete: a.complete
		})),
		leadTeams,
		canViewReport: can(user, 'reports.view')
	};
};
