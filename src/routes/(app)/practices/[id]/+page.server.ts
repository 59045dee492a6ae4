import { error } from '@sveltejs/kit';
import { requireUser } from '$lib/server/auth/guard';
import { practiceGuidance } from '$lib/server/model/guidance';
import { getModel } from '$lib/server/model/load-model';
import { modulesForPractice } from '$lib/server/training/practice-modules';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requireUser(event);
	const model = getModel();
	const practice = model.practiceById.get(event.params.id);
	if (!practice) error(404, 'Unknown practice');
	const phase = model.phases.find((p) => p.id === practice.phase)!;
	return {
		practice: {
			id: practice.id,
			name: practice.name,
			summary: practice.summary,
			samm: practice.samm,
			ssdf: practice.ssdf,
			levels: practice.levels.map((l) => ({
				level: l.level,
				title: l.title,
				criteria: l.criteria.map((c) => ({ id: c.id, text: c.text }))
			}))
		},
		phase: { id: phase.id, name: phase.name },
		guidance: practiceGuidance(model, practice.id)!.html,
		modules: modulesForPractice(practice.id)
	};
};
