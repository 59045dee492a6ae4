// `npm run seed:scale -- --teams 2000 --cycles 8 [--data-dir DIR]`: fills an EMPTY database with
// a large, plausible organisation for benchmarks (40 business units, N teams, ~5 people per team,
// C quarterly cycles of answers, tools, responsibility, rotas and training progress). Uses
// DATABASE_URL, else --data-dir, else DATA_DIR, else a directory under the OS temp dir.
//
// It writes set-based bulk inserts (`insert … select from unnest(array literals)`) in chunks, not
// domain calls, and stores scores computed with the same pure functions the app uses, exactly as
// `recomputeScores` would store them. Everyone shares one password, printed at the end (and, for
// the embedded database, kept in DIR/scale-password for `npm run bench`).
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { getTableName, sql, type Column } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import { migrateDatabase, openDatabase, type Tx } from '$lib/server/db/client';
import * as table from '$lib/server/db/schema';
import { rowsOf } from '$lib/server/db/rows';
import type { AdoptionState, AssessmentStatus, ResponsibleParty } from '$lib/server/db/schema';
import { hashPassword } from '$lib/server/auth/password';
import { hasUsers } from '$lib/server/auth/sign-in';
import { audit } from '$lib/server/audit/audit-log';
import { scorePhase, scorePractice, scoreTeam } from '$lib/server/assessments/scoring';
import { loadModel } from '$lib/server/model/load-model';
import { criterionIdsOf } from '$lib/server/model/criteria';
import type { Model } from '$lib/server/model/types';
import { loadCatalogue, type Catalogue } from '$lib/server/tools/catalogue';
import { syncCatalogue } from '$lib/server/tools/sync';
import { newCertificateId } from '$lib/server/training/certificates';
import { loadTraining } from '$lib/server/training/load-training';
import { markQuiz, type QuizAnswers } from '$lib/server/training/quiz';
import { CHAMPION_TRACK_ID, type Training, type TrainingModule } from '$lib/server/training/types';

export const SCALE_DOMAIN = 'scale.rampart.test';
export const SCALE_ADMIN_EMAIL = `admin@${SCALE_DOMAIN}`;
/** Written last into an embedded data directory: holds the password and marks the seed complete. */
export const SCALE_PASSWORD_FILE = 'scale-password';

export interface ScaleOptions {
	teams: number;
	cycles: number;
	/** PostgreSQL connection string; when absent the embedded database in `dataDir` is used. */
	url?: string;
	dataDir: string;
	/** The shared password; a random one when absent. */
	password?: string;
	log?: (line: string) => void;
}

export interface ScaleResult {
	password: string;
	seconds: number;
}

/** The default embedded data directory for a team count (the repository's top level is fixed). */
export function defaultScaleDir(teams: number): string {
	return path.join(os.tmpdir(), `rampart-scale-${teams}`);
}

const DAY = 86_400_000;
/** Rows per INSERT statement. */
const CHUNK = 5000;
/** Teams per transaction when writing assessments. */
const TEAMS_PER_TX = 250;

// ── Small helpers ───────────────────────────────────────────────────────────

/** A small deterministic generator (mulberry32), so two runs build the same organisation. */
function random(seed: number) {
	return () => {
		seed = (seed + 0x6d2b79f5) | 0;
		let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
		t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}
type Rnd = () => number;
const pick = <T>(rnd: Rnd, xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
const between = (rnd: Rnd, lo: number, hi: number) => lo + rnd() * (hi - lo);
const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));

/**
 * Time-ordered UUIDs (UUIDv7 layout: a millisecond prefix, then a counter), so rows keyed by
 * them are appended to the right edge of their indexes instead of scattered across them.
 */
function orderedIds() {
	const prefix = Date.now().toString(16).padStart(12, '0');
	let counter = 0;
	return () => {
		const c = (counter++).toString(16).padStart(18, '0');
		return `${prefix.slice(0, 8)}-${prefix.slice(8)}-7${c.slice(0, 3)}-8${c.slice(3, 6)}-${c.slice(6)}`;
	};
}

const isoDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const isoTime = (ms: number) => new Date(ms).toISOString();

type Cell = string | number | boolean | null;

/** A PostgreSQL array literal with every element quoted, so any text survives. */
function arrayLiteral(values: readonly Cell[]): string {
	const parts = values.map((v) => {
		if (v === null) return 'NULL';
		if (typeof v !== 'string') return String(v);
		return `"${v.replace(/["\\]/g, '\\$&')}"`;
	});
	return `{${parts.join(',')}}`;
}

/**
 * Rows for one table, written `CHUNK` at a time as one `insert … select * from unnest(…)`:
 * one text parameter per column whatever the row count, on PGlite and PostgreSQL alike.
 */
class Bulk {
	private rows: Cell[][] = [];
	inserted = 0;
	constructor(
		private readonly target: PgTable,
		private readonly columns: readonly (readonly [Column, string])[]
	) {}

	async add(tx: Tx, ...row: Cell[]) {
		this.rows.push(row);
		if (this.rows.length >= CHUNK) await this.flush(tx);
	}

	async flush(tx: Tx) {
		if (!this.rows.length) return;
		const rows = this.rows;
		this.rows = [];
		const names = this.columns.map(([c]) => `"${c.name}"`).join(', ');
		const arrays = this.columns.map(
			([, type], i) => sql`${arrayLiteral(rows.map((r) => r[i] ?? null))}::text::${sql.raw(type)}[]`
		);
		await tx.execute(
			sql`insert into ${sql.identifier(getTableName(this.target))} (${sql.raw(names)}) select * from unnest(${sql.join(arrays, sql`, `)})`
		);
		this.inserted += rows.length;
	}
}

/** Whether this session may turn off per-row triggers (foreign-key checks) while bulk loading. */
async function canSkipTriggers(db: Tx): Promise<boolean> {
	const [row] = rowsOf<{ su: boolean }>(
		await db.execute(sql`select current_setting('is_superuser') = 'on' as su`)
	);
	return row?.su === true;
}

// ── The organisation ────────────────────────────────────────────────────────

const departments: [string, string[]][] = [
	['Retail Banking', 'Accounts, Cards, Lending, Savings, Branch Services'.split(', ')],
	['Payments', 'Acquiring, Issuing, Transfers, Fraud Prevention, Settlement'.split(', ')],
	['Digital Channels', 'Web, Mobile, Onboarding, Messaging, Personalisation'.split(', ')],
	[
		'Platform Engineering',
		'Compute, Networking, Developer Tools, Observability, Identity'.split(', ')
	],
	[
		'Data and Analytics',
		'Data Platform, Reporting, Machine Learning, Data Quality, Insights'.split(', ')
	],
	[
		'Corporate Functions',
		'Finance Systems, HR Systems, Legal Tech, Procurement, Facilities'.split(', ')
	],
	[
		'Risk and Compliance',
		'Regulatory Reporting, AML, Credit Risk, Audit Tools, Controls'.split(', ')
	],
	['Wealth', 'Investments, Advisory, Pensions, Trading, Research'.split(', ')]
];

const domains = `Ledger, Checkout, Billing, Invoice, Customer, Account, Card, Loan, Mortgage,
Pricing, Quote, Order, Catalogue, Search, Recommendation, Notification, Email,
Identity, Consent, Document, Statement, Risk, Fraud, Limits, Treasury, FX,
Portfolio, Market Data, Trade, Claims, Policy, Agent, Branch, Partner, Merchant,
Wallet, Rewards, Loyalty, Chat, Survey, Reporting, Audit, Payroll, Expense,
Vendor, Contract, Scheduling, Inventory, Shipping, Tax`.split(/,\s*/);
const components = `API, Web, App, Service, Core, Gateway, Engine, Portal, Platform, Pipeline,
Events, Sync, Batch, Console, Hub, Backoffice, Connector, Store, Workflow,
Insights, Admin, Mobile, Integrations, Streaming, Scheduler, Exports, Imports,
Rules, Search, Cache, Auth, Ledger, Reports, Frontend, Backend, Orchestrator,
Registry, Monitor, Notifier, Archive`.split(/,\s*/);
const firstNames = `Ada, Ben, Chloé, Dev, Elif, Farid, Grace, Hiro, Ines, Jonas, Kemi, Lars, Maya,
Nikos, Olga, Priya, Quinn, Rosa, Sami, Tomás, Uma, Viktor, Wen, Yara, Zoe, Amir,
Bea, Carlos, Dana, Emeka, Fatima, Gustav, Hana, Ivan, Jia, Kofi, Lena, Mateo,
Nora, Omar`.split(/,\s*/);
const lastNames = `Adeyemi, Berg, Costa, Dubois, Eriksen, Fischer, García, Haddad, Ito, Jansen,
Kowalski, Larsen, Moreau, Nakamura, Okafor, Petrov, Quispe, Rossi, Schmidt,
Tanaka, Usman, Varga, Weber, Xu, Yilmaz, Zhang, Andersson, Brown, Chen, Díaz,
Evans, Fernandes, Gupta, Hughes, Ivanova, Khan, Lopez, Murphy`.split(/,\s*/);
const naReasons = [
	'No IAST/RASP agent supports our Go services.',
	'We ship a static site with no runtime of our own.',
	'A batch job with no user-facing surface.',
	'The platform team owns this for us.'
];
const returnComments = [
	'Please add evidence links for the build-phase answers.',
	'Several "All" answers have no evidence; please link the pipeline runs.',
	'The threat model answers disagree with last quarter; please check them.'
];

interface Member {
	id: string;
	name: string;
	email: string;
	lead: boolean;
	champion: boolean;
}

interface TeamPlan {
	id: string;
	index: number;
	name: string;
	slug: string;
	unitId: string;
	members: Member[];
	/** Maturity offset of the team (its unit's culture plus its own). */
	strength: number;
	/** Levels gained per quarter; a few teams slip. */
	growth: number;
	/** Per practice, how much stronger or weaker the team is than its average. */
	bias: number[];
	/** Practice index → first cycle index from which the team marks it not applicable. */
	notApplicable: Map<number, number>;
	/** Practice indexes the team sets a target for. */
	targets: Set<number>;
}

interface CyclePlan {
	id: string;
	name: string;
	start: number;
	due: number;
	open: boolean;
}

/** C quarters ending with the current one; all closed except the last. */
function planCycles(count: number, now: Date): CyclePlan[] {
	const quarter = Math.floor(now.getUTCMonth() / 3);
	return Array.from({ length: count }, (_, i) => {
		const offset = i - (count - 1);
		const start = Date.UTC(now.getUTCFullYear(), (quarter + offset) * 3, 1);
		const d = new Date(start);
		return {
			id: crypto.randomUUID(),
			name: `${d.getUTCFullYear()}-Q${Math.floor(d.getUTCMonth() / 3) + 1}`,
			start,
			due: start + 79 * DAY,
			open: i === count - 1
		};
	});
}

function planOrganisation(teamCount: number, practiceCount: number) {
	const rnd = random(20_261_123);
	const units: {
		id: string;
		name: string;
		kind: 'department' | 'business_unit';
		parentId: string | null;
	}[] = [];
	const businessUnits: { id: string; weight: number; culture: number }[] = [];
	for (const [dept, bus] of departments) {
		const deptId = crypto.randomUUID();
		units.push({ id: deptId, name: dept, kind: 'department', parentId: null });
		for (const bu of bus) {
			const id = crypto.randomUUID();
			units.push({ id, name: bu, kind: 'business_unit', parentId: deptId });
			businessUnits.push({ id, weight: between(rnd, 0.5, 1.6), culture: between(rnd, -0.6, 0.6) });
		}
	}
	const totalWeight = businessUnits.reduce((s, u) => s + u.weight, 0);
	const names = domains.flatMap((d) => components.filter((c) => c !== d).map((c) => `${d} ${c}`));
	for (let i = names.length - 1; i > 0; i--) {
		const j = Math.floor(rnd() * (i + 1));
		[names[i], names[j]] = [names[j]!, names[i]!];
	}
	let userCounter = 0;
	const teams: TeamPlan[] = [];
	for (let t = 0; t < teamCount; t++) {
		const round = Math.floor(t / names.length);
		const name = names[t % names.length]! + (round ? ` ${round + 1}` : '');
		let w = rnd() * totalWeight;
		const unit = businessUnits.find((u) => (w -= u.weight) <= 0) ?? businessUnits.at(-1)!;
		const size = 4 + Math.floor(rnd() * 3);
		const champions = rnd() < 0.3 ? 2 : rnd() < 0.9 ? 1 : 0;
		const members: Member[] = Array.from({ length: size }, (_, m) => {
			const first = pick(rnd, firstNames);
			const last = pick(rnd, lastNames);
			const n = ++userCounter;
			const local = `${first}.${last}`
				.normalize('NFD')
				.toLowerCase()
				.replace(/[^a-z.]/g, '');
			return {
				id: crypto.randomUUID(),
				name: `${first} ${last}`,
				email: `${local}.${n}@${SCALE_DOMAIN}`,
				lead: m === 0,
				champion: m >= 1 && m <= champions
			};
		});
		const r = rnd();
		const growth =
			r < 0.7 ? between(rnd, 0.12, 0.3) : r < 0.9 ? between(rnd, 0, 0.1) : between(rnd, -0.12, 0);
		const notApplicable = new Map<number, number>();
		if (rnd() < 0.1) notApplicable.set(Math.floor(rnd() * practiceCount), Math.floor(rnd() * 3));
		if (rnd() < 0.03) notApplicable.set(Math.floor(rnd() * practiceCount), 0);
		const targets = new Set<number>();
		for (let p = 0; p < practiceCount; p++) if (rnd() < 0.3) targets.add(p);
		teams.push({
			id: crypto.randomUUID(),
			index: t,
			name,
			slug: name.toLowerCase().replace(/[^a-z0-9]+/g, '-'),
			unitId: unit.id,
			members,
			strength: unit.culture + between(rnd, -0.8, 0.8),
			growth,
			bias: Array.from({ length: practiceCount }, () => between(rnd, -1, 1)),
			notApplicable,
			targets
		});
	}
	return { units, businessUnits, teams };
}

// ── Assessments ─────────────────────────────────────────────────────────────

/**
 * One team's answers for one cycle: maturity grows with the team's rate, with noise. Every
 * criterion is answered, except that an unfinished assessment leaves some higher levels open.
 */
function answerTeam(model: Model, team: TeamPlan, cycleIndex: number, leaveGaps: boolean) {
	const rnd = random(team.index * 104_729 + cycleIndex * 7919 + 1);
	const values = new Map<string, number>();
	model.practices.forEach((p, pi) => {
		const maturity =
			1.3 + team.strength + team.bias[pi]! + team.growth * cycleIndex + (rnd() - 0.5) * 0.5;
		for (const level of p.levels) {
			for (const c of level.criteria) {
				const x = maturity - (level.level - 1) + (rnd() - 0.5) * 0.9;
				const value = x >= 1.1 ? 1 : x >= 0.65 ? 0.5 : x >= 0.3 ? 0.25 : 0;
				// Not answered yet (counts as no in the scores).
				if (leaveGaps && value === 0 && level.level >= 3 && rnd() < 0.5) continue;
				values.set(c.id, value);
			}
		}
	});
	return { values, rnd };
}

function openCycleStatus(rnd: Rnd): AssessmentStatus {
	const r = rnd();
	return r < 0.35 ? 'draft' : r < 0.6 ? 'submitted' : r < 0.85 ? 'approved' : 'returned';
}

interface AssessmentWriters {
	assessments: Bulk;
	answers: Bulk;
	practices: Bulk;
	phases: Bulk;
}

function assessmentWriters(): AssessmentWriters {
	return {
		assessments: new Bulk(table.assessment, [
			[table.assessment.id, 'uuid'],
			[table.assessment.cycleId, 'uuid'],
			[table.assessment.teamId, 'uuid'],
			[table.assessment.modelVersion, 'text'],
			[table.assessment.status, 'assessment_status'],
			[table.assessment.score, 'float8'],
			[table.assessment.submittedAt, 'timestamptz'],
			[table.assessment.submittedBy, 'uuid'],
			[table.assessment.reviewedAt, 'timestamptz'],
			[table.assessment.reviewedBy, 'uuid'],
			[table.assessment.reviewComment, 'text'],
			[table.assessment.createdAt, 'timestamptz'],
			[table.assessment.updatedAt, 'timestamptz']
		]),
		answers: new Bulk(table.answer, [
			[table.answer.assessmentId, 'uuid'],
			[table.answer.criterionId, 'text'],
			[table.answer.value, 'float8'],
			[table.answer.updatedAt, 'timestamptz'],
			[table.answer.updatedBy, 'uuid']
		]),
		practices: new Bulk(table.assessmentPractice, [
			[table.assessmentPractice.assessmentId, 'uuid'],
			[table.assessmentPractice.practiceId, 'text'],
			[table.assessmentPractice.phase, 'text'],
			[table.assessmentPractice.notApplicable, 'bool'],
			[table.assessmentPractice.notApplicableReason, 'text'],
			[table.assessmentPractice.target, 'int4'],
			[table.assessmentPractice.score, 'float8'],
			[table.assessmentPractice.achievedLevel, 'int4'],
			[table.assessmentPractice.levelScores, 'jsonb'],
			[table.assessmentPractice.version, 'int4'],
			[table.assessmentPractice.updatedAt, 'timestamptz'],
			[table.assessmentPractice.updatedBy, 'uuid']
		]),
		phases: new Bulk(table.assessmentPhase, [
			[table.assessmentPhase.assessmentId, 'uuid'],
			[table.assessmentPhase.phase, 'text'],
			[table.assessmentPhase.score, 'float8']
		])
	};
}

/** Writes the assessments of one chunk of teams for one cycle, with answers and stored scores. */
async function writeAssessments(
	tx: Tx,
	model: Model,
	criterionIds: readonly string[],
	cycle: CyclePlan,
	cycleIndex: number,
	teams: readonly TeamPlan[],
	reviewerId: string,
	now: number,
	nextId: () => string,
	w: AssessmentWriters
): Promise<void> {
	const planned = teams.map((team) => {
		const status: AssessmentStatus = cycle.open
			? openCycleStatus(random(team.index * 13 + 7))
			: 'approved';
		const unfinished = status === 'draft' || status === 'returned';
		const { values, rnd } = answerTeam(model, team, cycleIndex, unfinished);
		const span = cycle.due - cycle.start;
		const answeredAt = Math.min(now - 3_600_000, cycle.start + between(rnd, 0.2, 0.8) * span);
		const submittedAt = Math.min(now - 1_800_000, answeredAt + between(rnd, 1, 10) * DAY);
		const reviewedAt = Math.min(now - 600_000, submittedAt + between(rnd, 1, 5) * DAY);
		// Scores exactly as recomputeScores and recomputeAggregates store them.
		const practices = model.practices.map((p, pi) => {
			const naFrom = team.notApplicable.get(pi);
			const notApplicable = naFrom !== undefined && cycleIndex >= naFrom;
			return { p, pi, s: scorePractice(p.levels, values), notApplicable };
		});
		const byPractice = new Map(practices.map((x) => [x.p.id, x]));
		const phases = model.phases.map((phase) => ({
			phase: phase.id,
			score: scorePhase(
				phase.practices.map((p) => {
					const x = byPractice.get(p.id);
					return { score: x?.s.score ?? 0, notApplicable: x?.notApplicable ?? false };
				})
			)
		}));
		return {
			team,
			id: nextId(),
			status,
			values,
			answeredAt,
			submittedAt,
			reviewedAt,
			answeredBy: team.members[Math.floor(rnd() * team.members.length)]!.id,
			returnComment: status === 'returned' ? pick(rnd, returnComments) : '',
			practices,
			phases,
			score: scoreTeam(phases.map((p) => p.score))
		};
	});

	// The assessments go in first: answers and scores refer to them.
	for (const a of planned) {
		const lead = a.team.members[0]!.id;
		const reviewed = a.status === 'approved' || a.status === 'returned';
		const submitted = a.status !== 'draft';
		await w.assessments.add(
			tx,
			a.id,
			cycle.id,
			a.team.id,
			model.version,
			a.status,
			a.score,
			submitted ? isoTime(a.submittedAt) : null,
			submitted ? lead : null,
			reviewed ? isoTime(a.reviewedAt) : null,
			reviewed ? reviewerId : null,
			a.returnComment,
			isoTime(cycle.start + 9 * 3_600_000),
			isoTime(reviewed ? a.reviewedAt : submitted ? a.submittedAt : a.answeredAt)
		);
	}
	await w.assessments.flush(tx);

	for (const a of planned) {
		const lead = a.team.members[0]!.id;
		const at = isoTime(a.answeredAt);
		// In primary-key order, so the index grows at its right edge.
		for (const criterionId of criterionIds) {
			const value = a.values.get(criterionId);
			if (value !== undefined) await w.answers.add(tx, a.id, criterionId, value, at, a.answeredBy);
		}
		for (const { p, pi, s, notApplicable } of a.practices) {
			await w.practices.add(
				tx,
				a.id,
				p.id,
				p.phase,
				notApplicable,
				notApplicable ? naReasons[(a.team.index + pi) % naReasons.length]! : '',
				a.team.targets.has(pi) ? clamp(s.achievedLevel + 1, 1, 4) : null,
				s.score,
				s.achievedLevel,
				JSON.stringify(s.levelScores),
				1,
				at,
				lead
			);
		}
		for (const ph of a.phases) await w.phases.add(tx, a.id, ph.phase, ph.score);
	}
	await w.answers.flush(tx);
	await w.practices.flush(tx);
	await w.phases.flush(tx);
}

// ── Tools, responsibility, rotas, training ─────────────────────────────────

/** Categories most teams cover first; the rest are picked less often. */
const popularCategories = [
	'sast',
	'sca',
	'secret-detection',
	'container-scanning',
	'iac',
	'logging-siem',
	'dast',
	'secret-management',
	'iac-scanning',
	'vulnerability-management'
];
const ladder: AdoptionState[] = ['evaluating', 'adopted', 'enforced'];

async function writeTools(
	tx: Tx,
	catalogue: Catalogue,
	teams: readonly TeamPlan[],
	cycles: readonly CyclePlan[]
) {
	const byCategory = new Map<string, string[]>();
	for (const t of catalogue.tools)
		byCategory.set(t.category, [...(byCategory.get(t.category) ?? []), t.id]);
	const categories = [...byCategory.keys()];
	const adoption = new Bulk(table.toolAdoption, [
		[table.toolAdoption.teamId, 'uuid'],
		[table.toolAdoption.toolId, 'text'],
		[table.toolAdoption.state, 'adoption_state'],
		[table.toolAdoption.since, 'date'],
		[table.toolAdoption.note, 'text'],
		[table.toolAdoption.updatedAt, 'timestamptz'],
		[table.toolAdoption.updatedBy, 'uuid']
	]);
	const snapshots = new Bulk(table.adoptionSnapshot, [
		[table.adoptionSnapshot.cycleId, 'uuid'],
		[table.adoptionSnapshot.teamId, 'uuid'],
		[table.adoptionSnapshot.toolId, 'text'],
		[table.adoptionSnapshot.state, 'adoption_state']
	]);
	const last = cycles.length - 1;
	for (const team of teams) {
		const rnd = random(team.index * 31 + 5);
		const want = 8 + Math.floor(rnd() * 8);
		const chosen = new Set<string>();
		for (let guard = 0; chosen.size < want && guard < 200; guard++) {
			const category =
				guard < popularCategories.length && rnd() < 0.85
					? popularCategories[guard]!
					: pick(rnd, categories);
			const tools = byCategory.get(category);
			if (!tools) continue;
			// Earlier tools in a category are the popular ones.
			chosen.add(tools[Math.floor(rnd() ** 2 * tools.length)]!);
		}
		for (const toolId of chosen) {
			const start = Math.floor(between(rnd, -3, last + 1));
			const ceiling = rnd() < 0.1 ? 0 : rnd() < 0.65 ? 1 : 2;
			const dropped = rnd() < 0.05;
			const stateAt = (c: number): AdoptionState => ladder[Math.min(ceiling, c - start)]!;
			const sinceMs = cycles[0]!.start + (start * 91 + Math.floor(rnd() * 60)) * DAY;
			await adoption.add(
				tx,
				team.id,
				toolId,
				dropped ? 'not_used' : stateAt(last),
				isoDate(sinceMs),
				dropped ? 'Dropped after the evaluation.' : '',
				isoTime(Math.min(Date.now(), sinceMs + 30 * DAY)),
				team.members[0]!.id
			);
			for (let c = Math.max(0, start); c < last; c++) {
				await snapshots.add(tx, cycles[c]!.id, team.id, toolId, stateAt(c));
			}
		}
	}
	await adoption.flush(tx);
	await snapshots.flush(tx);
	return { adoption: adoption.inserted, snapshots: snapshots.inserted };
}

const partyWeights: [ResponsibleParty, number][] = [
	['delivery', 0.38],
	['shared', 0.2],
	['security', 0.15],
	['operations', 0.15],
	['nobody', 0.12]
];

async function writeResponsibilityAndRotas(
	tx: Tx,
	model: Model,
	teams: readonly TeamPlan[],
	now: Date
) {
	const responsibility = new Bulk(table.responsibility, [
		[table.responsibility.teamId, 'uuid'],
		[table.responsibility.practiceId, 'text'],
		[table.responsibility.party, 'responsible_party'],
		[table.responsibility.accountableUserId, 'uuid'],
		[table.responsibility.updatedBy, 'uuid']
	]);
	const rotas = new Bulk(table.rota, [
		[table.rota.teamId, 'uuid'],
		[table.rota.rotationWeeks, 'int4'],
		[table.rota.startsOn, 'date']
	]);
	const rotaMembers = new Bulk(table.rotaMember, [
		[table.rotaMember.teamId, 'uuid'],
		[table.rotaMember.position, 'int4'],
		[table.rotaMember.userId, 'uuid']
	]);
	const monday = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
	const thisMonday = monday - ((new Date(monday).getUTCDay() + 6) % 7) * DAY;
	for (const team of teams) {
		const rnd = random(team.index * 53 + 11);
		// A few teams leave many practices with nobody responsible.
		const careless = rnd() < 0.08;
		for (const [pi, p] of model.practices.entries()) {
			let r = rnd();
			let party: ResponsibleParty = 'nobody';
			if (!(careless && r < 0.5)) {
				for (const [candidate, weight] of partyWeights) {
					party = candidate;
					if ((r -= weight) <= 0) break;
				}
			}
			await responsibility.add(
				tx,
				team.id,
				p.id,
				party,
				party === 'nobody' ? null : team.members[pi % team.members.length]!.id,
				team.members[0]!.id
			);
		}
		if (rnd() < 0.8) {
			const weeks = rnd() < 0.6 ? 1 : 2;
			await rotas.add(tx, team.id, weeks, isoDate(thisMonday - Math.floor(rnd() * 20) * 7 * DAY));
			for (const [position, m] of team.members.entries())
				await rotaMembers.add(tx, team.id, position, m.id);
		}
	}
	await responsibility.flush(tx);
	await rotas.flush(tx);
	await rotaMembers.flush(tx);
	return { responsibility: responsibility.inserted, rotas: rotas.inserted };
}

function quizAnswers(module: TrainingModule, allRight: boolean): QuizAnswers {
	return Object.fromEntries(
		module.quiz.questions.map((q, i) => {
			const wrong = q.options.find((o) => !q.correct.includes(o.id))?.id;
			return [q.id, allRight || i % 2 === 0 || !wrong ? q.correct : [wrong]];
		})
	);
}

async function writeTraining(tx: Tx, training: Training, teams: readonly TeamPlan[], now: number) {
	const lessons = new Bulk(table.lessonProgress, [
		[table.lessonProgress.userId, 'uuid'],
		[table.lessonProgress.moduleId, 'text'],
		[table.lessonProgress.lessonId, 'text'],
		[table.lessonProgress.completedAt, 'timestamptz']
	]);
	const attempts = new Bulk(table.quizAttempt, [
		[table.quizAttempt.userId, 'uuid'],
		[table.quizAttempt.moduleId, 'text'],
		[table.quizAttempt.moduleVersion, 'int4'],
		[table.quizAttempt.score, 'float8'],
		[table.quizAttempt.passed, 'bool'],
		[table.quizAttempt.answers, 'jsonb'],
		[table.quizAttempt.startedAt, 'timestamptz'],
		[table.quizAttempt.submittedAt, 'timestamptz']
	]);
	const certificates = new Bulk(table.certificate, [
		[table.certificate.id, 'text'],
		[table.certificate.userId, 'uuid'],
		[table.certificate.trackId, 'text'],
		[table.certificate.holderName, 'text'],
		[table.certificate.trackTitle, 'text'],
		[table.certificate.issuedAt, 'timestamptz']
	]);
	const assignments = new Bulk(table.trainingAssignment, [
		[table.trainingAssignment.teamId, 'uuid'],
		[table.trainingAssignment.userId, 'uuid'],
		[table.trainingAssignment.moduleId, 'text'],
		[table.trainingAssignment.dueOn, 'date'],
		[table.trainingAssignment.assignedBy, 'uuid']
	]);
	const champion = training.trackById.get(CHAMPION_TRACK_ID)?.modules ?? [];
	const pipeline = training.trackById.get('pipeline-essentials')?.modules ?? [];
	const passedQuiz = new Map<string, string>();
	const passing = (m: TrainingModule) => {
		const given = quizAnswers(m, true);
		passedQuiz.set(m.id, JSON.stringify(given));
		return { given, mark: markQuiz(m.quiz, given) };
	};
	const failing = (m: TrainingModule) => {
		const given = quizAnswers(m, false);
		return { given, mark: markQuiz(m.quiz, given) };
	};

	for (const team of teams) {
		const rnd = random(team.index * 97 + 3);
		for (const member of team.members) {
			const r = rnd();
			let complete: string[] = [];
			let partial: string | undefined;
			if (member.champion) {
				if (r < 0.45) complete = champion;
				else if (r < 0.85) {
					const k = 1 + Math.floor(rnd() * (champion.length - 1));
					complete = champion.slice(0, k);
					partial = champion[k];
				}
			} else if (r < 0.05) complete = pipeline;
			else if (r < 0.3) partial = pick(rnd, training.modules).id;
			if (!complete.length && !partial) continue;

			let day = 20 + Math.floor(rnd() * 300);
			const at = () => now - Math.max(day--, 1) * DAY + Math.floor(rnd() * 8 * 3_600_000);
			let finished = 0;
			for (const id of complete) {
				const m = training.moduleById.get(id)!;
				for (const l of m.lessons) await lessons.add(tx, member.id, m.id, l.id, isoTime(at()));
				const tries = rnd() < 0.25 ? [failing(m), passing(m)] : [passing(m)];
				for (const t of tries) {
					finished = at();
					await attempts.add(
						tx,
						member.id,
						m.id,
						m.version,
						t.mark.score,
						t.mark.passed,
						JSON.stringify(t.given),
						isoTime(finished - 14 * 60_000),
						isoTime(finished)
					);
				}
			}
			if (partial) {
				const m = training.moduleById.get(partial)!;
				const read = 1 + Math.floor(rnd() * (m.lessons.length - 1));
				for (const l of m.lessons.slice(0, read))
					await lessons.add(tx, member.id, m.id, l.id, isoTime(at()));
			}
			// A certificate for every track now complete, as issueEarnedCertificates would issue.
			for (const track of training.tracks) {
				if (!track.modules.every((id) => complete.includes(id))) continue;
				await certificates.add(
					tx,
					newCertificateId(),
					member.id,
					track.id,
					member.name,
					track.title,
					isoTime(finished)
				);
			}
			if (partial && rnd() < 0.3) {
				const due = now + Math.floor(between(rnd, -20, 30)) * DAY;
				await assignments.add(tx, team.id, member.id, partial, isoDate(due), team.members[0]!.id);
			}
		}
	}
	await lessons.flush(tx);
	await attempts.flush(tx);
	await certificates.flush(tx);
	await assignments.flush(tx);
	return {
		lessons: lessons.inserted,
		attempts: attempts.inserted,
		certificates: certificates.inserted,
		assignments: assignments.inserted
	};
}

// ── Pipeline findings ───────────────────────────────────────────────────────

/** Open findings of the team the findings page is measured on (`FINDINGS_TEAM_INDEX`). */
export const FINDINGS_TEAM_OPEN = 5000;
/** The team with the most findings: the first in the plan. */
const FINDINGS_TEAM_INDEX = 0;

const findingRules = (
	[
		['codeql/sql-injection', 'critical'],
		['codeql/path-injection', 'high'],
		['codeql/xss', 'high'],
		['semgrep/hardcoded-secret', 'critical'],
		['semgrep/weak-hash', 'medium'],
		['semgrep/open-redirect', 'medium'],
		['semgrep/debug-enabled', 'low'],
		['grype/CVE-2021-44228', 'critical'],
		['grype/CVE-2022-22965', 'high'],
		['grype/CVE-2023-1234', 'medium'],
		['trivy/outdated-base-image', 'low'],
		['gitleaks/generic-api-key', 'none']
	] as const
).map(([id, severity]) => ({
	id,
	severity,
	// Help of a realistic length (scanners ship a page or two of markdown per rule).
	help: `## ${id}\n\n${'Untrusted data reaches a sensitive sink without validation. '.repeat(12)}\n\n### Recommendation\n\nValidate the input, use the framework's safe API and add a regression test.\n\n\`\`\`js\nconst rows = await db.query('select * from t where id = $1', [id]);\n\`\`\`\n\nSee [OWASP](https://owasp.org/www-community/attacks/) for more.`
}));
const findingFiles = Array.from(
	{ length: 40 },
	(_, i) => `src/${['api', 'db', 'auth', 'web', 'jobs'][i % 5]}/module-${i}.ts`
);
const scanners = ['CodeQL', 'Semgrep OSS', 'Grype', 'Trivy', 'Gitleaks'];

/**
 * Repositories, analyses, weekly scans and findings: the first team gets FINDINGS_TEAM_OPEN open
 * findings (plus suppressed, dismissed and fixed ones) over two repositories and six analyses;
 * about a third of the others get a repository with a few, and some of those stopped scanning.
 */
async function writeFindings(tx: Tx, teams: readonly TeamPlan[], now: number) {
	const repositories = new Bulk(table.codeRepository, [
		[table.codeRepository.id, 'uuid'],
		[table.codeRepository.teamId, 'uuid'],
		[table.codeRepository.name, 'text'],
		[table.codeRepository.webAddress, 'text']
	]);
	const analyses = new Bulk(table.analysis, [
		[table.analysis.id, 'uuid'],
		[table.analysis.teamId, 'uuid'],
		[table.analysis.repositoryId, 'uuid'],
		[table.analysis.toolName, 'text']
	]);
	const scans = new Bulk(table.scan, [
		[table.scan.uploadId, 'uuid'],
		[table.scan.analysisId, 'uuid'],
		[table.scan.teamId, 'uuid'],
		[table.scan.ref, 'text'],
		[table.scan.onDefaultBranch, 'bool'],
		[table.scan.uploadedAt, 'timestamptz'],
		[table.scan.format, 'scan_format'],
		[table.scan.results, 'int4'],
		[table.scan.newCount, 'int4'],
		[table.scan.fixedCount, 'int4'],
		[table.scan.unchangedCount, 'int4'],
		[table.scan.suppressedCount, 'int4']
	]);
	const findings = new Bulk(table.finding, [
		[table.finding.analysisId, 'uuid'],
		[table.finding.teamId, 'uuid'],
		[table.finding.repositoryId, 'uuid'],
		[table.finding.key, 'text'],
		[table.finding.ruleId, 'text'],
		[table.finding.ruleName, 'text'],
		[table.finding.severity, 'finding_severity'],
		[table.finding.message, 'text'],
		[table.finding.help, 'text'],
		[table.finding.path, 'text'],
		[table.finding.startLine, 'int4'],
		[table.finding.state, 'finding_state'],
		[table.finding.firstSeenAt, 'timestamptz'],
		[table.finding.lastSeenAt, 'timestamptz'],
		[table.finding.fixedAt, 'timestamptz'],
		[table.finding.suppressed, 'bool'],
		[table.finding.dismissedAt, 'timestamptz'],
		[table.finding.dismissedBy, 'uuid'],
		[table.finding.dismissedReason, 'text']
	]);
	let key = 0;
	const planned: {
		team: TeamPlan;
		rnd: Rnd;
		big: boolean;
		lastScan: number;
		open: number;
		weeks: number;
		made: { id: string; repositoryId: string }[];
	}[] = [];
	for (const team of teams) {
		const rnd = random(team.index * 71 + 13);
		const big = team.index === FINDINGS_TEAM_INDEX;
		if (!big && rnd() > 0.35) continue;
		// Most teams scan every week; some stopped a month or more ago.
		const lastScan = now - (big || rnd() < 0.85 ? rnd() * 7 : between(rnd, 35, 120)) * DAY;
		const repos = big ? ['payments/api', 'payments/web'] : [`${team.slug}/app`];
		const tools = big
			? [scanners.slice(0, 3), scanners.slice(1)]
			: [scanners.slice(0, 1 + Math.floor(rnd() * 2))];
		const open = big ? FINDINGS_TEAM_OPEN : Math.floor(between(rnd, 5, 60));
		const weeks = big ? 26 : 8;
		const made: { id: string; repositoryId: string }[] = [];
		planned.push({ team, rnd, big, lastScan, open, weeks, made });
		for (const [r, name] of repos.entries()) {
			const repositoryId = crypto.randomUUID();
			await repositories.add(
				tx,
				repositoryId,
				team.id,
				name,
				r === 0 ? `https://git.example.com/${name}` : null
			);
			for (const tool of tools[r]!) {
				const id = crypto.randomUUID();
				made.push({ id, repositoryId });
				await analyses.add(tx, id, team.id, repositoryId, tool);
			}
		}
	}
	// Parents first: without superuser rights the foreign keys are checked as rows arrive.
	await repositories.flush(tx);
	await analyses.flush(tx);
	for (const { team, rnd, big, lastScan, open, weeks, made } of planned) {
		for (const { id } of made) {
			for (let week = 0; week < weeks; week++)
				await scans.add(
					tx,
					crypto.randomUUID(),
					id,
					team.id,
					'refs/heads/main',
					true,
					isoTime(lastScan - week * 7 * DAY),
					'sarif',
					0,
					0,
					0,
					0,
					0
				);
		}
		// Beside the open ones: fixed (30 %), suppressed (8 %), dismissed (1 %).
		const total = Math.ceil(open / 0.61);
		let opened = 0;
		for (let i = 0; i < total; i++) {
			const a = made[i % made.length]!;
			const rule = findingRules[Math.floor(rnd() ** 1.5 * findingRules.length)]!;
			// First seen by one of the weekly scans (an upload's findings share the instant).
			const weeksAgo = Math.floor(rnd() ** 2 * weeks);
			const firstSeen = lastScan - weeksAgo * 7 * DAY;
			const r = rnd();
			const kind =
				opened < open && r < 0.61
					? 'open'
					: r < 0.91
						? 'fixed'
						: r < 0.99
							? 'suppressed'
							: 'dismissed';
			if (kind === 'open') opened++;
			// Fixed by a later scan.
			const fixedAt =
				kind === 'fixed'
					? Math.min(lastScan, firstSeen + (1 + Math.floor(rnd() * weeksAgo)) * 7 * DAY)
					: null;
			const line = 1 + Math.floor(rnd() * 900);
			await findings.add(
				tx,
				a.id,
				team.id,
				a.repositoryId,
				(key++).toString(16).padStart(64, '0'),
				rule.id,
				`Rule ${rule.id}`,
				rule.severity,
				`${rule.id} at line ${line}: untrusted input reaches a sensitive call.`,
				rule.help,
				findingFiles[Math.floor(rnd() * findingFiles.length)]!,
				line,
				kind === 'fixed' ? 'fixed' : 'open',
				isoTime(firstSeen),
				isoTime(fixedAt ?? lastScan),
				fixedAt === null ? null : isoTime(fixedAt),
				kind === 'suppressed',
				kind === 'dismissed' ? isoTime(Math.min(lastScan, firstSeen + DAY)) : null,
				kind === 'dismissed' ? team.members[0]!.id : null,
				kind === 'dismissed' ? 'A false positive: the input is validated upstream.' : null
			);
			// The big team gets exactly its open findings; the loop runs until it has them.
			if (big && i === total - 1 && opened < open) i--;
		}
	}
	await scans.flush(tx);
	await findings.flush(tx);
	return { scans: scans.inserted, findings: findings.inserted };
}

// ── The run ─────────────────────────────────────────────────────────────────

const fmt = (n: number) => n.toLocaleString('en-GB');

/**
 * Seeds the scale organisation into an empty database; returns null (and writes nothing) when
 * the database already has users.
 */
export async function seedScale(options: ScaleOptions): Promise<ScaleResult | null> {
	const log = options.log ?? ((line: string) => console.log(line));
	const started = performance.now();
	const elapsed = () => `${((performance.now() - started) / 1000).toFixed(1)} s`;
	const model = loadModel();
	const practiceIds = new Set(model.practiceById.keys());
	const catalogue = loadCatalogue(practiceIds);
	const training = loadTraining(practiceIds);
	const criterionIds = criterionIdsOf(model.practices).sort();

	const handle = await openDatabase({ url: options.url, dataDir: options.dataDir });
	try {
		await migrateDatabase(handle, options.url);
		const db = handle.db;
		if (await hasUsers(db)) {
			log(
				`The database ${options.url ? 'at DATABASE_URL' : `in ${options.dataDir}`} already has users: ` +
					'seed:scale only fills an empty database. Nothing was changed.'
			);
			return null;
		}
		await syncCatalogue(db, catalogue);
		log(`Migrated and synced the tool catalogue (${elapsed()}).`);

		const password = options.password ?? `scale-${randomBytes(12).toString('base64url')}`;
		const passwordHash = await hashPassword(password);
		const now = new Date();
		const cycles = planCycles(options.cycles, now);
		const org = planOrganisation(options.teams, model.practices.length);
		const staff = [
			{ id: crypto.randomUUID(), email: SCALE_ADMIN_EMAIL, name: 'Alex Admin', role: 'admin' },
			{
				id: crypto.randomUUID(),
				email: `security@${SCALE_DOMAIN}`,
				name: 'Sam Security',
				role: 'security'
			},
			{
				id: crypto.randomUUID(),
				email: `leadership@${SCALE_DOMAIN}`,
				name: 'Lee Leadership',
				role: 'leadership'
			}
		];
		const reviewerId = staff[1]!.id;
		// Bulk loading: skip per-row foreign-key triggers where we may (superuser, as on PGlite);
		// every reference is built in this script, so the data is consistent by construction.
		const fastLoad = await canSkipTriggers(db);
		const prepare = async (tx: Tx) => {
			if (fastLoad) await tx.execute(sql`set local session_replication_role = replica`);
		};

		const counts = await db.transaction(async (tx) => {
			await prepare(tx);
			const units = new Bulk(table.orgUnit, [
				[table.orgUnit.id, 'uuid'],
				[table.orgUnit.name, 'text'],
				[table.orgUnit.kind, 'org_unit_kind'],
				[table.orgUnit.parentId, 'uuid']
			]);
			for (const u of org.units.filter((x) => x.kind === 'department'))
				await units.add(tx, u.id, u.name, u.kind, u.parentId);
			await units.flush(tx);
			for (const u of org.units.filter((x) => x.kind === 'business_unit'))
				await units.add(tx, u.id, u.name, u.kind, u.parentId);
			await units.flush(tx);

			const users = new Bulk(table.user, [
				[table.user.id, 'uuid'],
				[table.user.email, 'text'],
				[table.user.name, 'text'],
				[table.user.passwordHash, 'text'],
				[table.user.role, 'global_role'],
				[table.user.createdAt, 'timestamptz']
			]);
			const joined = isoTime(cycles[0]!.start - 30 * DAY);
			for (const s of staff)
				await users.add(tx, s.id, s.email, s.name, passwordHash, s.role, joined);
			for (const t of org.teams)
				for (const m of t.members)
					await users.add(tx, m.id, m.email, m.name, passwordHash, 'member', joined);
			await users.flush(tx);

			const teams = new Bulk(table.team, [
				[table.team.id, 'uuid'],
				[table.team.slug, 'text'],
				[table.team.name, 'text'],
				[table.team.description, 'text'],
				[table.team.orgUnitId, 'uuid'],
				[table.team.createdAt, 'timestamptz']
			]);
			const members = new Bulk(table.teamMember, [
				[table.teamMember.teamId, 'uuid'],
				[table.teamMember.userId, 'uuid'],
				[table.teamMember.role, 'team_role'],
				[table.teamMember.champion, 'bool'],
				[table.teamMember.createdAt, 'timestamptz']
			]);
			for (const t of org.teams) {
				await teams.add(tx, t.id, t.slug, t.name, `Builds and runs ${t.name}.`, t.unitId, joined);
				for (const m of t.members)
					await members.add(tx, t.id, m.id, m.lead ? 'lead' : 'member', m.champion, joined);
			}
			await teams.flush(tx);
			await members.flush(tx);

			const cycleRows = new Bulk(table.cycle, [
				[table.cycle.id, 'uuid'],
				[table.cycle.name, 'text'],
				[table.cycle.startsOn, 'date'],
				[table.cycle.dueOn, 'date'],
				[table.cycle.status, 'cycle_status'],
				[table.cycle.createdAt, 'timestamptz'],
				[table.cycle.closedAt, 'timestamptz']
			]);
			for (const c of cycles) {
				await cycleRows.add(
					tx,
					c.id,
					c.name,
					isoDate(c.start),
					isoDate(c.due),
					c.open ? 'open' : 'closed',
					isoTime(c.start),
					c.open ? null : isoTime(c.due + 7 * DAY + 17 * 3_600_000)
				);
			}
			await cycleRows.flush(tx);
			const tools = await writeTools(tx, catalogue, org.teams, cycles);
			const resp = await writeResponsibilityAndRotas(tx, model, org.teams, now);
			const learning = await writeTraining(tx, training, org.teams, now.getTime());
			const pipeline = await writeFindings(tx, org.teams, now.getTime());
			return {
				users: users.inserted,
				members: members.inserted,
				...tools,
				...resp,
				...learning,
				...pipeline
			};
		});
		log(
			`Organisation: ${org.units.length} org units, ${fmt(options.teams)} teams, ${fmt(counts.users)} users, ` +
				`${fmt(counts.adoption)} tool adoptions (+${fmt(counts.snapshots)} snapshots), ` +
				`${fmt(counts.responsibility)} responsibilities, ${fmt(counts.rotas)} rotas, ` +
				`${fmt(counts.lessons)} lessons read, ${fmt(counts.attempts)} quiz attempts, ` +
				`${fmt(counts.certificates)} certificates, ${fmt(counts.scans)} scans, ` +
				`${fmt(counts.findings)} findings (${elapsed()}).`
		);

		const nextId = orderedIds();
		let totalAnswers = 0;
		for (const [ci, cycle] of cycles.entries()) {
			const cycleStarted = performance.now();
			const writers = assessmentWriters();
			for (let i = 0; i < org.teams.length; i += TEAMS_PER_TX) {
				const chunk = org.teams.slice(i, i + TEAMS_PER_TX);
				await db.transaction(async (tx) => {
					await prepare(tx);
					await writeAssessments(
						tx,
						model,
						criterionIds,
						cycle,
						ci,
						chunk,
						reviewerId,
						now.getTime(),
						nextId,
						writers
					);
				});
			}
			totalAnswers += writers.answers.inserted;
			log(
				`Cycle ${cycle.name} (${cycle.open ? 'open' : 'closed'}): ${fmt(writers.assessments.inserted)} assessments, ` +
					`${fmt(writers.answers.inserted)} answers in ${((performance.now() - cycleStarted) / 1000).toFixed(1)} s (${elapsed()}).`
			);
		}
		await audit(db, {
			actorId: null,
			action: 'scale.seeded',
			targetType: 'organisation',
			detail: { teams: options.teams, cycles: options.cycles, answers: totalAnswers }
		});
		// Planner statistics and the visibility map, so the first requests are not the slow ones.
		const vacuumStarted = performance.now();
		await db.execute(sql`vacuum analyze`);
		log(`Vacuumed and analysed in ${((performance.now() - vacuumStarted) / 1000).toFixed(1)} s.`);

		if (!options.url) {
			// eslint-disable-next-line security/detect-non-literal-fs-filename -- the data directory chosen on the command line
			writeFileSync(path.join(options.dataDir, SCALE_PASSWORD_FILE), `${password}\n`, {
				mode: 0o600
			});
		}
		const seconds = (performance.now() - started) / 1000;
		log(`Done: ${fmt(totalAnswers)} answers in ${seconds.toFixed(1)} s.`);
		return { password, seconds };
	} finally {
		await handle.close();
	}
}

// ── Command line ────────────────────────────────────────────────────────────

function positiveInt(value: string | undefined, fallback: number, name: string, max: number) {
	if (value === undefined) return fallback;
	const n = Number(value);
	if (!Number.isInteger(n) || n < 1 || n > max) {
		console.error(`--${name} must be a whole number from 1 to ${max}.`);
		process.exit(2);
	}
	return n;
}

async function main() {
	const { values } = parseArgs({
		options: {
			teams: { type: 'string' },
			cycles: { type: 'string' },
			'data-dir': { type: 'string' }
		}
	});
	const teams = positiveInt(values.teams, 2000, 'teams', 50_000);
	const cycles = positiveInt(values.cycles, 8, 'cycles', 40);
	const url = process.env.DATABASE_URL || undefined;
	const dataDir = path.resolve(
		values['data-dir'] ?? (process.env.DATA_DIR || defaultScaleDir(teams))
	);
	console.log(
		`Seeding ${fmt(teams)} teams × ${cycles} cycles into ${url ? 'PostgreSQL (DATABASE_URL)' : dataDir}…`
	);
	const result = await seedScale({
		teams,
		cycles,
		url,
		dataDir,
		password: process.env.SCALE_PASSWORD || undefined
	});
	if (!result) {
		process.exitCode = 1;
		return;
	}
	console.log(
		`\nSign in as ${SCALE_ADMIN_EMAIL} (or security@ / leadership@${SCALE_DOMAIN}, or any team member).`
	);
	console.log(`Password for everyone: ${result.password}`);
	if (!url) console.log(`Serve it with: DATA_DIR=${dataDir} npm start`);
}

const invokedDirectly =
	process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href;
if (invokedDirectly) await main();
