import { z } from 'zod';
import { isKebabCase } from '$lib/schemas/kebab';
import { ProblemList, formatPath } from '$lib/server/content/problems';
import { parseEvidenceRule } from './evidence-rules';
import { phaseIds, type EvidenceRule, type Model, type Phase, type Practice } from './types';

/** A content file as read from disk: its path relative to the content root and its parsed data. */
export interface ModelFiles {
	model: { file: string; data: unknown };
	streams: { file: string; data: unknown };
	practices: { file: string; data: unknown; guidance: string | null; guidanceFile: string }[];
}

const id = z.string().refine(isKebabCase, 'must be lower-case kebab-case');

const modelSchema = z.object({
	version: z.string().min(1),
	phases: z.array(
		z.object({ id: z.string(), name: z.string().min(1), description: z.string().min(1) })
	)
});

const streamsSchema = z.object({
	streams: z.array(z.object({ id: z.string().regex(/^[GDIVO]-[A-Z]{2}-[AB]$/), name: z.string() }))
});

const practiceSchema = z.object({
	id,
	phase: z.string(),
	order: z.number().int().positive(),
	name: z.string().min(1),
	summary: z.string().min(1),
	samm: z.array(z.string()).default([]),
	ssdf: z
		.array(z.string().regex(/^(PO|PS|PW|RV)\.\d+\.\d+$/, 'is not an SSDF task id like PW.7.2'))
		.default([]),
	levels: z.array(
		z.object({
			level: z.number().int(),
			title: z.string().min(1),
			criteria: z.array(
				// `evidence` is checked per criterion (parseEvidenceRule), so its problems name the criterion.
				z.object({
					id: z.string().min(1),
					text: z.string().min(10),
					evidence: z.unknown().optional()
				})
			)
		})
	)
});

/**
 * Checks the model files as a whole (shape, four levels of 2–4 criteria, unique ids, known
 * phases and SAMM streams) and builds the model; every problem is reported, not just the first.
 */
export function validateModel(files: ModelFiles): Model {
	const problems = new ProblemList();
	const parse = <T>(schema: z.ZodType<T>, file: string, data: unknown): T | null => {
		const r = schema.safeParse(data);
		if (r.success) return r.data;
		for (const issue of r.error.issues) problems.add(file, formatPath(issue.path), issue.message);
		return null;
	};

	const model = parse(modelSchema, files.model.file, files.model.data);
	const streams = parse(streamsSchema, files.streams.file, files.streams.data);
	const knownStreams = new Set(streams?.streams.map((s) => s.id));
	if (streams && knownStreams.size !== 30) {
		problems.add(
			files.streams.file,
			'streams',
			`lists ${knownStreams.size} streams; SAMM v2 has 30`
		);
	}

	const phases: Phase[] = [];
	if (model) {
		const ids = model.phases.map((p) => p.id);
		if (ids.join() !== phaseIds.join()) {
			problems.add(
				files.model.file,
				'phases',
				`must be ${phaseIds.join(', ')} in this order (found ${ids.join(', ')})`
			);
		}
		for (const p of model.phases) {
			if ((phaseIds as readonly string[]).includes(p.id)) {
				phases.push({ ...p, id: p.id as Phase['id'], practices: [] });
			}
		}
	}

	const practices: Practice[] = [];
	const practiceIds = new Map<string, string>();
	const criterionIds = new Map<string, string>();
	const rules = new Map<string, EvidenceRule>();
	for (const f of files.practices) {
		const p = parse(practiceSchema, f.file, f.data);
		if (!p) continue;
		const expectedId = f.file
			.split('/')
			.pop()!
			.replace(/\.ya?ml$/, '');
		if (p.id !== expectedId)
			problems.add(f.file, 'id', `"${p.id}" does not match the file name "${expectedId}"`);
		if (practiceIds.has(p.id))
			problems.add(
				f.file,
				'id',
				`duplicate practice id "${p.id}" (also in ${practiceIds.get(p.id)})`
			);
		practiceIds.set(p.id, f.file);
		const phase = phases.find((ph) => ph.id === p.phase);
		if (!phase) problems.add(f.file, 'phase', `unknown phase "${p.phase}"`);
		p.samm.forEach((s, i) => {
			if (!knownStreams.has(s))
				problems.add(f.file, `samm[${i}]`, `"${s}" is not one of SAMM v2's 30 stream ids`);
		});
		if (p.levels.map((l) => l.level).join() !== '1,2,3,4') {
			problems.add(f.file, 'levels', 'must have exactly the levels 1, 2, 3 and 4, in order');
		}
		p.levels.forEach((level, li) => {
			if (level.criteria.length < 2 || level.criteria.length > 4) {
				problems.add(
					f.file,
					`levels[${li}].criteria`,
					`level ${level.level} has ${level.criteria.length} criteria; each level needs 2 to 4`
				);
			}
			level.criteria.forEach((c, ci) => {
				const where = `levels[${li}].criteria[${ci}].id`;
				if (!c.id.startsWith(`${p.id}.${level.level}.`)) {
					problems.add(f.file, where, `"${c.id}" should start with "${p.id}.${level.level}."`);
				}
				if (criterionIds.has(c.id))
					problems.add(
						f.file,
						where,
						`duplicate criterion id "${c.id}" (also in ${criterionIds.get(c.id)})`
					);
				criterionIds.set(c.id, f.file);
				if (c.evidence !== undefined) {
					const rule = parseEvidenceRule(c.evidence);
					if (rule.ok) rules.set(c.id, rule.rule);
					for (const p of rule.ok ? [] : rule.problems)
						problems.add(
							f.file,
							`levels[${li}].criteria[${ci}].evidence${p.path}`,
							`criterion ${c.id}: ${p.message}`
						);
				}
			});
		});
		if (!f.guidance?.trim())
			problems.add(f.guidanceFile, '', 'guidance markdown is missing or empty');
		const practice: Practice = {
			...p,
			phase: p.phase as Practice['phase'],
			guidance: f.guidance ?? '',
			levels: p.levels.map((l) => ({
				level: l.level,
				title: l.title,
				criteria: l.criteria.map(({ evidence: _rule, ...c }) => {
					const rule = rules.get(c.id);
					return { ...c, practiceId: p.id, level: l.level, ...(rule ? { evidence: rule } : {}) };
				})
			}))
		};
		practices.push(practice);
		phase?.practices.push(practice);
	}
	for (const phase of phases) {
		if (!phase.practices.length)
			problems.add(files.model.file, `phases.${phase.id}`, 'has no practices');
		phase.practices.sort((a, b) => a.order - b.order);
	}
	problems.throwIfAny();

	const ordered = phases.flatMap((ph) => ph.practices);
	return {
		version: model!.version,
		phases,
		practices: ordered,
		practiceById: new Map(ordered.map((p) => [p.id, p])),
		criterionById: new Map(
			ordered.flatMap((p) => p.levels.flatMap((l) => l.criteria)).map((c) => [c.id, c])
		)
	};
}

/** The one summary line `content:check` prints for the model. */
export function modelSummary(model: Model): string {
	const levels = model.practices.reduce((n, p) => n + p.levels.length, 0);
	return `model ${model.version}: ${model.phases.length} phases, ${model.practices.length} practices, ${levels} levels, ${model.criterionById.size} criteria`;
}
