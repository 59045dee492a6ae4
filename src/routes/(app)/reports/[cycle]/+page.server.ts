import { error, fail, redirect } from '@sveltejs/kit';
import { eq } from 'drizzle-orm';
import * as table from '$lib/server/db/schema';
import { ACHIEVED_THRESHOLD } from '$lib/server/assessments/scoring';
import { requirePermission } from '$lib/server/auth/guard';
import { canWriteReportSummary } from '$lib/server/auth/policy';
import { renderMarkdown } from '$lib/server/content/markdown';
import { dashboardFigures } from '$lib/server/dashboard/cache';
import { compareUnits } from '$lib/server/dashboard/load';
import { selection } from '$lib/server/dashboard/select';
import { summarySentences } from '$lib/server/dashboard/summary';
import { anonymousFigures } from '$lib/server/dashboard/view';
import { getModel } from '$lib/server/model/load-model';
import { cachedPipelineFigures } from '$lib/server/findings/pipeline-figures';
import { openPlans } from '$lib/server/reports/plans';
import { readSummary, saveSummary, summaryStamp } from '$lib/server/reports/summary';
import { formFailure, parseForm } from '$lib/schemas/parse';
import { reportSummarySchema } from '$lib/schemas/report';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requirePermission(event, 'reports.view');
	const db = event.locals.db;
	const model = getModel();
	const params = new URLSearchParams(event.url.searchParams);
	params.set('cycle', event.params.cycle);
	const { cycles, units, cycle, previous, unit, revision } = await selection(db, params);
	if (!cycle || cycle.name !== event.params.cycle) error(404, 'Unknown cycle');
	const scope = { unitId: unit?.id ?? null };
	const today = new Date().toISOString().slice(0, 10);
	const [f, summary, plans, pipeline] = await Promise.all([
		dashboardFigures(db, model, scope, cycle, previous, cycles, revision),
		readSummary(db, cycle.id),
		openPlans(db, scope, today),
		cachedPipelineFigures(db, scope, today, revision)
	]);
	const phaseOf = new Map(model.practices.map((p) => [p.id, p.phase]));
	// The appendix: each team's phase scores from its stored practice scores.
	const appendix = f.teams.map((t) => {
		const rows = f.practices.filter((p) => p.teamId === t.teamId && !p.notApplicable);
		return {
			...t,
			phases: model.phases.map((ph) => {
				const xs = rows.filter((r) => phaseOf.get(r.practiceId) === ph.id).map((r) => r.score);
				return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null;
			})
		};
	});
	const practiceHref = (id: string) => (model.practiceById.has(id) ? `/practices/${id}` : null);
	const canEdit = canWriteReportSummary(user);
	return {
		cycle: {
			name: cycle.name,
			status: cycle.status,
			startsOn: cycle.startsOn,
			dueOn: cycle.dueOn,
			previous: previous?.name ?? null
		},
		unit: unit ? { id: unit.id, name: unit.name } : null,
		units,
		summary: {
			// User input, rendered by the content's renderer: no raw HTML, only safe links.
			html: summary?.text ? renderMarkdown(summary.text, { practiceHref }).html : '',
			updatedAt: summary?.updatedAt?.toISOString().slice(0, 10) ?? null,
			updatedBy: summary?.updatedBy ?? null,
			// The editor's starting point, for those who may edit it.
			source: canEdit ? (summary?.text ?? '') : null,
			stamp: canEdit ? summaryStamp(summary?.updatedAt ?? null) : null
		},
		sentences: summarySentences({
			phases: f.phases,
			org: f.org.now ? { mean: f.org.now.mean, change: f.org.change } : null,
			assessedShare: f.progress.assessed,
			dropped: f.dropped.length
		}),
		figures: anonymousFigures(f, model),
		threshold: ACHIEVED_THRESHOLD,
		phases: model.phases.map((p, i) => ({
			id: p.id,
			name: p.name,
			score: f.phases[i]?.score ?? null,
			previous: f.phases[i]?.previous ?? null
		})),
		comparison: compareUnits(f, model),
		appendix,
		plans,
		pipeline,
		names: Object.fromEntries(model.practices.map((p) => [p.id, p.name])),
		generatedAt: new Date().toISOString().slice(0, 16).replace('T', ' ')
	};
};

export const actions: Actions = {
	/** The security team's executive summary of the cycle. */
	summary: async (event) => {
		const user = requirePermission(event, 'reports.view');
		if (!canWriteReportSummary(user))
			error(403, 'Only the security team writes the executive summary.');
		const db = event.locals.db;
		const [cycle] = await db
			.select({ id: table.cycle.id })
			.from(table.cycle)
			.where(eq(table.cycle.name, event.params.cycle));
		if (!cycle) error(404, 'Unknown cycle');
		const parsed = parseForm(reportSummarySchema, await event.request.formData());
		if (!parsed.ok)
			return fail(400, formFailure(parsed.errors, { values: parsed.values, action: 'summary' }));
		const ctx = { actorId: user.id, ip: event.locals.ip };
		const saved = await saveSummary(db, ctx, cycle.id, parsed.data.summary, parsed.data.seen);
		if (!saved.ok)
			return fail(
				409,
				formFailure(
					{
						summary:
							'Someone saved the summary while you were editing: theirs is shown above. Your text is kept here; save again to replace theirs.'
					},
					{ values: { summary: parsed.data.summary, seen: saved.stamp }, action: 'summary' }
				)
			);
		// Back to the report as it was open (the summary is the same for every unit).
		const unit = event.url.searchParams.get('unit');
		const query = unit ? `?${new URLSearchParams({ unit })}` : '';
		redirect(303, `${event.url.pathname}${query}#summary-heading`);
	}
};
