import { sql } from 'drizzle-orm';
import {
	bigint,
	bigserial,
	boolean,
	date,
	doublePrecision,
	integer,
	index,
	jsonb,
	pgEnum,
	pgTable,
	primaryKey,
	text,
	timestamp,
	uniqueIndex,
	uuid,
	type AnyPgColumn
} from 'drizzle-orm/pg-core';

export const globalRoles = ['admin', 'security', 'leadership', 'member'] as const;
export type GlobalRole = (typeof globalRoles)[number];
export const globalRole = pgEnum('global_role', globalRoles);

export const teamRoles = ['lead', 'member'] as const;
export type TeamRole = (typeof teamRoles)[number];
export const teamRole = pgEnum('team_role', teamRoles);

export const orgUnitKinds = ['department', 'business_unit'] as const;
export type OrgUnitKind = (typeof orgUnitKinds)[number];
export const orgUnitKind = pgEnum('org_unit_kind', orgUnitKinds);

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();

export const user = pgTable(
	'user',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		// Stored lower-cased: emails are case-insensitive and unique.
		email: text('email').notNull(),
		name: text('name').notNull(),
		passwordHash: text('password_hash').notNull(),
		role: globalRole('role').notNull().default('member'),
		active: boolean('active').notNull().default(true),
		createdAt: createdAt()
	},
	(t) => [uniqueIndex('user_email_unique').on(t.email)]
);

export const session = pgTable(
	'session',
	{
		// SHA-256 of the token, hex: the token itself is never stored.
		id: text('id').primaryKey(),
		userId: uuid('user_id')
			.notNull()
			.references(() => user.id, { onDelete: 'cascade' }),
		createdAt: createdAt(),
		expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
		lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
		userAgent: text('user_agent').notNull().default(''),
		ip: text('ip').notNull().default(''),
		// How the session was signed in: 'password', 'password+totp', 'password+recovery_code'.
		authMethod: text('auth_method').notNull().default('password'),
		// When a second factor was last checked in this session; null: not yet (pending when the
		// user has one), and step-up asks again when it is old.
		secondFactorAt: timestamp('second_factor_at', { withTimezone: true })
	},
	(t) => [index('session_user_idx').on(t.userId)]
);

/** A user's TOTP authenticator (RFC 6238): one per user, its key encrypted at rest (auth/secret-box.ts). */
export const userTotp = pgTable('user_totp', {
	userId: uuid('user_id')
		.primaryKey()
		.references(() => user.id, { onDelete: 'cascade' }),
	encryptedKey: text('encrypted_key').notNull(),
	// The last time step a code was accepted for: a code of that step or earlier is refused.
	lastUsedStep: bigint('last_used_step', { mode: 'number' }).notNull().default(0),
	createdAt: createdAt()
});

/**
 * A user's passkeys and security keys (WebAuthn, ES256): a second factor, and a password-less
 * sign-in when the authenticator verified the user (PIN, biometrics) as it was registered.
 */
export const passkey = pgTable(
	'passkey',
	{
		// The credential id, base64url.
		id: text('id').primaryKey(),
		userId: uuid('user_id')
			.notNull()
			.references(() => user.id, { onDelete: 'cascade' }),
		name: text('name').notNull(),
		// The P-256 public key's coordinates, base64url (a JWK's x and y).
		publicKeyX: text('public_key_x').notNull(),
		publicKeyY: text('public_key_y').notNull(),
		// The authenticator's signature counter last seen (0: it keeps none); a lower one is a clone.
		signCount: bigint('sign_count', { mode: 'number' }).notNull().default(0),
		// The registration carried the user-verified flag: the key may sign in without a password.
		userVerified: boolean('user_verified').notNull().default(false),
		createdAt: createdAt()
	},
	(t) => [index('passkey_user_idx').on(t.userId)]
);

/**
 * WebAuthn challenges: single use, a few minutes, shared by every instance. A challenge is for
 * one user (second factor, registration) or, for a password-less sign-in, for one browser.
 */
export const webauthnChallenge = pgTable('webauthn_challenge', {
	// SHA-256 of the challenge, hex.
	id: text('id').primaryKey(),
	userId: uuid('user_id').references(() => user.id, { onDelete: 'cascade' }),
	// Password-less sign-in: SHA-256 of the random value in the asking browser's cookie, hex.
	browser: text('browser'),
	expiresAt: timestamp('expires_at', { withTimezone: true }).notNull()
});

/** Single-use recovery codes, stored as SHA-256 digests (each code is 80 random bits). */
export const recoveryCode = pgTable(
	'recovery_code',
	{
		id: bigserial('id', { mode: 'number' }).primaryKey(),
		userId: uuid('user_id')
			.notNull()
			.references(() => user.id, { onDelete: 'cascade' }),
		codeHash: text('code_hash').notNull(),
		usedAt: timestamp('used_at', { withTimezone: true })
	},
	(t) => [index('recovery_code_user_idx').on(t.userId)]
);

export const invitation = pgTable('invitation', {
	id: uuid('id').primaryKey().defaultRandom(),
	tokenHash: text('token_hash').notNull().unique(),
	email: text('email').notNull(),
	role: globalRole('role').notNull().default('member'),
	createdBy: uuid('created_by').references(() => user.id, { onDelete: 'set null' }),
	createdAt: createdAt(),
	expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
	acceptedAt: timestamp('accepted_at', { withTimezone: true }),
	revokedAt: timestamp('revoked_at', { withTimezone: true })
});

export const loginAttempt = pgTable(
	'login_attempt',
	{
		id: bigserial('id', { mode: 'number' }).primaryKey(),
		ip: text('ip').notNull(),
		email: text('email').notNull(),
		at: timestamp('at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		index('login_attempt_ip_idx').on(t.ip, t.at),
		index('login_attempt_email_idx').on(t.email, t.at)
	]
);

/**
 * Each client address's request budget: a token bucket shared by every instance (see
 * http/request-budget.ts). Unlogged on PostgreSQL (migration 0005): it is worth nothing after a crash.
 */
export const requestBudget = pgTable('request_budget', {
	address: text('address').primaryKey(),
	tokens: doublePrecision('tokens').notNull(),
	refilledAt: timestamp('refilled_at', { withTimezone: true }).notNull()
});

export const orgUnit = pgTable(
	'org_unit',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		name: text('name').notNull(),
		kind: orgUnitKind('kind').notNull(),
		parentId: uuid('parent_id').references((): AnyPgColumn => orgUnit.id, {
			onDelete: 'restrict'
		}),
		createdAt: createdAt()
	},
	(t) => [uniqueIndex('org_unit_name_unique').on(t.name)]
);

export const team = pgTable(
	'team',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		slug: text('slug').notNull(),
		name: text('name').notNull(),
		description: text('description').notNull().default(''),
		orgUnitId: uuid('org_unit_id').references(() => orgUnit.id, { onDelete: 'set null' }),
		active: boolean('active').notNull().default(true),
		createdAt: createdAt()
	},
	(t) => [uniqueIndex('team_slug_unique').on(t.slug), index('team_org_unit_idx').on(t.orgUnitId)]
);

export const teamMember = pgTable(
	'team_member',
	{
		teamId: uuid('team_id')
			.notNull()
			.references(() => team.id, { onDelete: 'cascade' }),
		userId: uuid('user_id')
			.notNull()
			.references(() => user.id, { onDelete: 'cascade' }),
		role: teamRole('role').notNull().default('member'),
		champion: boolean('champion').notNull().default(false),
		createdAt: createdAt()
	},
	(t) => [primaryKey({ columns: [t.teamId, t.userId] }), index('team_member_user_idx').on(t.userId)]
);

export const auditLog = pgTable(
	'audit_log',
	{
		id: bigserial('id', { mode: 'number' }).primaryKey(),
		at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
		actorId: uuid('actor_id').references(() => user.id, { onDelete: 'set null' }),
		action: text('action').notNull(),
		targetType: text('target_type').notNull(),
		targetId: text('target_id'),
		teamId: uuid('team_id'),
		detail: jsonb('detail')
			.$type<Record<string, unknown>>()
			.notNull()
			.default(sql`'{}'::jsonb`),
		ip: text('ip').notNull().default('')
	},
	(t) => [index('audit_log_at_idx').on(t.at), index('audit_log_team_idx').on(t.teamId)]
);

// ── Assessments ──────────────────────────────────────────────────────────────

export const cycleStatuses = ['open', 'closed'] as const;
export const cycleStatus = pgEnum('cycle_status', cycleStatuses);

/** A quarterly assessment round, such as 2026-Q4. */
export const cycle = pgTable(
	'cycle',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		name: text('name').notNull(),
		startsOn: date('starts_on').notNull(),
		dueOn: date('due_on').notNull(),
		status: cycleStatus('status').notNull().default('open'),
		/** The security team's executive summary for the report (markdown, rendered safely). */
		summary: text('summary').notNull().default(''),
		summaryUpdatedAt: timestamp('summary_updated_at', { withTimezone: true }),
		summaryUpdatedBy: uuid('summary_updated_by').references((): AnyPgColumn => user.id, {
			onDelete: 'set null'
		}),
		createdAt: createdAt(),
		closedAt: timestamp('closed_at', { withTimezone: true })
	},
	(t) => [uniqueIndex('cycle_name_unique').on(t.name), index('cycle_starts_idx').on(t.startsOn)]
);

export const assessmentStatuses = ['draft', 'submitted', 'approved', 'returned'] as const;
export type AssessmentStatus = (typeof assessmentStatuses)[number];
export const assessmentStatus = pgEnum('assessment_status', assessmentStatuses);

/** One team's assessment for one cycle, answered against one model version. */
export const assessment = pgTable(
	'assessment',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		cycleId: uuid('cycle_id')
			.notNull()
			.references(() => cycle.id, { onDelete: 'cascade' }),
		teamId: uuid('team_id')
			.notNull()
			.references(() => team.id, { onDelete: 'cascade' }),
		modelVersion: text('model_version').notNull(),
		status: assessmentStatus('status').notNull().default('draft'),
		/** Team score (mean of phase scores), stored when answers change. */
		score: doublePrecision('score'),
		submittedAt: timestamp('submitted_at', { withTimezone: true }),
		submittedBy: uuid('submitted_by').references(() => user.id, { onDelete: 'set null' }),
		/** Unanswered criteria the lead confirmed as "no" when submitting (null: none were). */
		submittedUnanswered: integer('submitted_unanswered'),
		reviewedAt: timestamp('reviewed_at', { withTimezone: true }),
		reviewedBy: uuid('reviewed_by').references(() => user.id, { onDelete: 'set null' }),
		reviewComment: text('review_comment').notNull().default(''),
		/** Reviewed by a member of the team, because nobody outside it could review (see policy.reviewRight). */
		selfReviewed: boolean('self_reviewed').notNull().default(false),
		createdAt: createdAt(),
		updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		uniqueIndex('assessment_cycle_team_unique').on(t.cycleId, t.teamId),
		index('assessment_team_idx').on(t.teamId)
	]
);

/**
 * One criterion's answer. Answers to criteria that later leave the model are kept; `version`
 * guards against two people overwriting each other.
 */
export const answer = pgTable(
	'answer',
	{
		assessmentId: uuid('assessment_id')
			.notNull()
			.references(() => assessment.id, { onDelete: 'cascade' }),
		criterionId: text('criterion_id').notNull(),
		/** 0, 0.25, 0.5 or 1; null when not answered yet. */
		value: doublePrecision('value'),
		comment: text('comment').notNull().default(''),
		evidence: jsonb('evidence')
			.$type<string[]>()
			.notNull()
			.default(sql`'[]'::jsonb`),
		version: integer('version').notNull().default(1),
		updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
		updatedBy: uuid('updated_by').references(() => user.id, { onDelete: 'set null' })
	},
	(t) => [primaryKey({ columns: [t.assessmentId, t.criterionId] })]
);

/** Per practice: not-applicable flag and reason, target level, and the stored scores. */
export const assessmentPractice = pgTable(
	'assessment_practice',
	{
		assessmentId: uuid('assessment_id')
			.notNull()
			.references(() => assessment.id, { onDelete: 'cascade' }),
		practiceId: text('practice_id').notNull(),
		phase: text('phase').notNull(),
		notApplicable: boolean('not_applicable').notNull().default(false),
		notApplicableReason: text('not_applicable_reason').notNull().default(''),
		/** The level the team aims for next cycle (1–4), if set. */
		target: integer('target'),
		score: doublePrecision('score').notNull().default(0),
		achievedLevel: integer('achieved_level').notNull().default(0),
		levelScores: jsonb('level_scores')
			.$type<number[]>()
			.notNull()
			.default(sql`'[]'::jsonb`),
		version: integer('version').notNull().default(1),
		updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
		updatedBy: uuid('updated_by').references(() => user.id, { onDelete: 'set null' })
	},
	(t) => [
		primaryKey({ columns: [t.assessmentId, t.practiceId] }),
		index('assessment_practice_practice_idx').on(t.practiceId)
	]
);

/** Stored phase scores of an assessment (null when every practice is not applicable). */
export const assessmentPhase = pgTable(
	'assessment_phase',
	{
		assessmentId: uuid('assessment_id')
			.notNull()
			.references(() => assessment.id, { onDelete: 'cascade' }),
		phase: text('phase').notNull(),
		score: doublePrecision('score')
	},
	(t) => [primaryKey({ columns: [t.assessmentId, t.phase] })]
);

// ── Tools, adoption and responsibility ──────────────────────────────────────

/** Tool categories: synced from content/tools/categories.yaml at start-up. */
export const toolCategory = pgTable('tool_category', {
	id: text('id').primaryKey(),
	name: text('name').notNull(),
	description: text('description').notNull().default(''),
	practices: jsonb('practices')
		.$type<string[]>()
		.notNull()
		.default(sql`'[]'::jsonb`)
});

export const toolLicences = ['open-source', 'commercial'] as const;

/** A security tool: from the starter catalogue or added by an admin; retired tools keep their history. */
export const tool = pgTable(
	'tool',
	{
		id: text('id').primaryKey(),
		name: text('name').notNull(),
		categoryId: text('category_id')
			.notNull()
			.references(() => toolCategory.id),
		homepage: text('homepage').notNull().default(''),
		licence: text('licence').notNull().default('open-source'),
		description: text('description').notNull().default(''),
		/** 'catalogue' for the shipped starter set, 'custom' for tools added in the app. */
		source: text('source').notNull().default('custom'),
		retiredAt: timestamp('retired_at', { withTimezone: true }),
		createdAt: createdAt()
	},
	(t) => [index('tool_category_idx').on(t.categoryId)]
);

export const adoptionStates = ['not_used', 'evaluating', 'adopted', 'enforced'] as const;
export type AdoptionState = (typeof adoptionStates)[number];
export const adoptionState = pgEnum('adoption_state', adoptionStates);

/** How far one team has taken one tool. */
export const toolAdoption = pgTable(
	'tool_adoption',
	{
		teamId: uuid('team_id')
			.notNull()
			.references(() => team.id, { onDelete: 'cascade' }),
		toolId: text('tool_id')
			.notNull()
			.references(() => tool.id),
		state: adoptionState('state').notNull(),
		since: date('since'),
		note: text('note').notNull().default(''),
		updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
		updatedBy: uuid('updated_by').references(() => user.id, { onDelete: 'set null' })
	},
	(t) => [
		primaryKey({ columns: [t.teamId, t.toolId] }),
		index('tool_adoption_tool_idx').on(t.toolId)
	]
);

/** Adoption as it stood when a cycle closed, so quarter-on-quarter trends are real history. */
export const adoptionSnapshot = pgTable(
	'adoption_snapshot',
	{
		cycleId: uuid('cycle_id')
			.notNull()
			.references(() => cycle.id, { onDelete: 'cascade' }),
		teamId: uuid('team_id')
			.notNull()
			.references(() => team.id, { onDelete: 'cascade' }),
		toolId: text('tool_id')
			.notNull()
			.references(() => tool.id),
		state: adoptionState('state').notNull()
	},
	(t) => [primaryKey({ columns: [t.cycleId, t.teamId, t.toolId] })]
);

export const responsibleParties = [
	'delivery',
	'security',
	'operations',
	'shared',
	'nobody'
] as const;
export type ResponsibleParty = (typeof responsibleParties)[number];
export const responsibleParty = pgEnum('responsible_party', responsibleParties);

/** Who holds responsibility for one practice in one team, and the accountable person. */
export const responsibility = pgTable(
	'responsibility',
	{
		teamId: uuid('team_id')
			.notNull()
			.references(() => team.id, { onDelete: 'cascade' }),
		practiceId: text('practice_id').notNull(),
		party: responsibleParty('party').notNull(),
		accountableUserId: uuid('accountable_user_id').references(() => user.id, {
			onDelete: 'set null'
		}),
		updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
		updatedBy: uuid('updated_by').references(() => user.id, { onDelete: 'set null' })
	},
	(t) => [primaryKey({ columns: [t.teamId, t.practiceId] })]
);

/** A team's security on-call rota: ordered members taking turns of 1 or 2 weeks from a start date. */
export const rota = pgTable('rota', {
	teamId: uuid('team_id')
		.primaryKey()
		.references(() => team.id, { onDelete: 'cascade' }),
	rotationWeeks: integer('rotation_weeks').notNull().default(1),
	startsOn: date('starts_on').notNull(),
	updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
});

export const rotaMember = pgTable(
	'rota_member',
	{
		teamId: uuid('team_id')
			.notNull()
			.references(() => team.id, { onDelete: 'cascade' }),
		position: integer('position').notNull(),
		userId: uuid('user_id')
			.notNull()
			.references(() => user.id, { onDelete: 'cascade' })
	},
	(t) => [primaryKey({ columns: [t.teamId, t.position] })]
);

/** A swapped turn: for the turn starting on `turnStart`, `userId` is on duty instead. */
export const rotaSwap = pgTable(
	'rota_swap',
	{
		teamId: uuid('team_id')
			.notNull()
			.references(() => team.id, { onDelete: 'cascade' }),
		turnStart: date('turn_start').notNull(),
		userId: uuid('user_id')
			.notNull()
			.references(() => user.id, { onDelete: 'cascade' }),
		createdBy: uuid('created_by').references(() => user.id, { onDelete: 'set null' }),
		createdAt: createdAt()
	},
	(t) => [primaryKey({ columns: [t.teamId, t.turnStart] })]
);

// ── Review questions and the improvement plan ────────────────────────────────

export const questionStatuses = ['open', 'answered', 'withdrawn'] as const;
export type QuestionStatus = (typeof questionStatuses)[number];
export const questionStatus = pgEnum('question_status', questionStatuses);

/**
 * A reviewer's question on one criterion of a submitted assessment. Open questions block
 * approval; the team's reply marks it answered, a reviewer's follow-up opens it again.
 */
export const reviewQuestion = pgTable(
	'review_question',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		assessmentId: uuid('assessment_id')
			.notNull()
			.references(() => assessment.id, { onDelete: 'cascade' }),
		criterionId: text('criterion_id').notNull(),
		status: questionStatus('status').notNull().default('open'),
		askedBy: uuid('asked_by').references(() => user.id, { onDelete: 'set null' }),
		createdAt: createdAt(),
		updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [index('review_question_assessment_idx').on(t.assessmentId, t.criterionId)]
);

/** One message in a question's thread (the first is the question itself). */
export const questionMessage = pgTable(
	'question_message',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		questionId: uuid('question_id')
			.notNull()
			.references(() => reviewQuestion.id, { onDelete: 'cascade' }),
		authorId: uuid('author_id').references(() => user.id, { onDelete: 'set null' }),
		body: text('body').notNull(),
		createdAt: createdAt()
	},
	(t) => [index('question_message_question_idx').on(t.questionId, t.createdAt)]
);

export const planStatuses = ['planned', 'in_progress', 'done', 'dropped'] as const;
export type PlanStatus = (typeof planStatuses)[number];
export const planStatus = pgEnum('plan_status', planStatuses);

/**
 * One item of a team's improvement plan: what will be done for a practice (or one criterion),
 * by whom and when. It belongs to the team, not to a cycle, so it carries over until done or
 * dropped; `version` guards against two people overwriting each other.
 */
export const planItem = pgTable(
	'plan_item',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		teamId: uuid('team_id')
			.notNull()
			.references(() => team.id, { onDelete: 'cascade' }),
		practiceId: text('practice_id').notNull(),
		criterionId: text('criterion_id'),
		action: text('action').notNull(),
		ownerId: uuid('owner_id').references(() => user.id, { onDelete: 'set null' }),
		dueOn: date('due_on').notNull(),
		status: planStatus('status').notNull().default('planned'),
		/** Where it came from: a next step, a target, a reviewer's question, or typed by hand. */
		source: text('source').notNull().default('manual'),
		questionId: uuid('question_id').references(() => reviewQuestion.id, { onDelete: 'set null' }),
		/** The cycle that was current when the item was made. */
		cycleId: uuid('cycle_id').references(() => cycle.id, { onDelete: 'set null' }),
		version: integer('version').notNull().default(1),
		createdBy: uuid('created_by').references(() => user.id, { onDelete: 'set null' }),
		createdAt: createdAt(),
		updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
		closedAt: timestamp('closed_at', { withTimezone: true })
	},
	(t) => [index('plan_item_team_idx').on(t.teamId, t.status)]
);

// ── Training ─────────────────────────────────────────────────────────────────

/** A lesson a learner marked as completed. */
export const lessonProgress = pgTable(
	'lesson_progress',
	{
		userId: uuid('user_id')
			.notNull()
			.references(() => user.id, { onDelete: 'cascade' }),
		moduleId: text('module_id').notNull(),
		lessonId: text('lesson_id').notNull(),
		completedAt: timestamp('completed_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [primaryKey({ columns: [t.userId, t.moduleId, t.lessonId] })]
);

/** One marked quiz attempt; answers are kept so the learner can review them. */
export const quizAttempt = pgTable(
	'quiz_attempt',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		userId: uuid('user_id')
			.notNull()
			.references(() => user.id, { onDelete: 'cascade' }),
		moduleId: text('module_id').notNull(),
		moduleVersion: integer('module_version').notNull(),
		score: doublePrecision('score').notNull(),
		passed: boolean('passed').notNull(),
		answers: jsonb('answers').$type<Record<string, string[]>>().notNull(),
		startedAt: timestamp('started_at', { withTimezone: true }),
		submittedAt: timestamp('submitted_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [index('quiz_attempt_user_module_idx').on(t.userId, t.moduleId)]
);

/** A track completed; the id is unguessable and verifies the certificate publicly. */
export const certificate = pgTable(
	'certificate',
	{
		id: text('id').primaryKey(),
		userId: uuid('user_id')
			.notNull()
			.references(() => user.id, { onDelete: 'cascade' }),
		trackId: text('track_id').notNull(),
		/** Name and track title as they were when issued. */
		holderName: text('holder_name').notNull(),
		trackTitle: text('track_title').notNull(),
		issuedAt: timestamp('issued_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [uniqueIndex('certificate_user_track_unique').on(t.userId, t.trackId)]
);

/** A module a team lead assigned to a team member, with a due date. */
export const trainingAssignment = pgTable(
	'training_assignment',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		teamId: uuid('team_id')
			.notNull()
			.references(() => team.id, { onDelete: 'cascade' }),
		userId: uuid('user_id')
			.notNull()
			.references(() => user.id, { onDelete: 'cascade' }),
		moduleId: text('module_id').notNull(),
		dueOn: date('due_on').notNull(),
		assignedBy: uuid('assigned_by').references(() => user.id, { onDelete: 'set null' }),
		createdAt: createdAt()
	},
	(t) => [
		uniqueIndex('training_assignment_unique').on(t.teamId, t.userId, t.moduleId),
		index('training_assignment_user_idx').on(t.userId)
	]
);

// ── Pipeline evidence: API tokens, repositories, scans and findings ─────────

/** What a team API token may do: upload scans, or read the team's figures. */
export const apiScopes = ['scans:write', 'read'] as const;
export type ApiScope = (typeof apiScopes)[number];

/**
 * A team's API token for its pipelines. Only the SHA-256 of the token is stored; `prefix` is
 * its first characters, shown so people can tell their tokens apart (and match a leaked one).
 */
export const apiToken = pgTable(
	'api_token',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		teamId: uuid('team_id')
			.notNull()
			.references(() => team.id, { onDelete: 'cascade' }),
		name: text('name').notNull(),
		scopes: jsonb('scopes').$type<ApiScope[]>().notNull(),
		prefix: text('prefix').notNull(),
		tokenHash: text('token_hash').notNull(),
		createdBy: uuid('created_by').references(() => user.id, { onDelete: 'set null' }),
		createdAt: createdAt(),
		expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
		lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
		lastUsedIp: text('last_used_ip'),
		revokedAt: timestamp('revoked_at', { withTimezone: true }),
		revokedBy: uuid('revoked_by').references(() => user.id, { onDelete: 'set null' })
	},
	(t) => [
		uniqueIndex('api_token_hash_unique').on(t.tokenHash),
		index('api_token_team_idx').on(t.teamId, t.createdAt)
	]
);

/** A repository a team's pipelines upload from (`payments/api`), made on its first upload. */
export const codeRepository = pgTable(
	'code_repository',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		teamId: uuid('team_id')
			.notNull()
			.references(() => team.id, { onDelete: 'cascade' }),
		name: text('name').notNull(),
		/** Uploads on this branch open and close findings; others only show that the tool ran. */
		defaultBranch: text('default_branch').notNull().default('main'),
		/** An http(s) address under which file locations become links; none until someone sets it. */
		webAddress: text('web_address'),
		createdAt: createdAt(),
		updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
		updatedBy: uuid('updated_by').references(() => user.id, { onDelete: 'set null' })
	},
	(t) => [uniqueIndex('code_repository_team_name_unique').on(t.teamId, t.name)]
);

/** One tool's analysis of one repository (per category, as GitHub's): findings belong to it. */
export const analysis = pgTable(
	'analysis',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		teamId: uuid('team_id')
			.notNull()
			.references(() => team.id, { onDelete: 'cascade' }),
		repositoryId: uuid('repository_id')
			.notNull()
			.references(() => codeRepository.id, { onDelete: 'cascade' }),
		/** The name the tool gives itself (SARIF `tool.driver.name`); mapped to the catalogue when read. */
		toolName: text('tool_name').notNull(),
		category: text('category').notNull().default(''),
		/**
		 * The upload whose findings are being written, and since when: a large upload is recorded in
		 * several short transactions, and another upload of the analysis waits until it is done (or
		 * the claim is old enough to belong to a process that stopped).
		 */
		recordingUploadId: uuid('recording_upload_id'),
		recordingSince: timestamp('recording_since', { withTimezone: true }),
		createdAt: createdAt()
	},
	(t) => [
		uniqueIndex('analysis_repository_tool_category_unique').on(
			t.repositoryId,
			t.toolName,
			t.category
		),
		index('analysis_team_idx').on(t.teamId)
	]
);

export const scanFormats = ['sarif', 'cyclonedx'] as const;
export const scanFormat = pgEnum('scan_format', scanFormats);

/** One upload's run of one analysis: evidence that the tool ran, and what it found. */
export const scan = pgTable(
	'scan',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		/** The scans of one upload share it (a log with two runs of two tools is two scans). */
		uploadId: uuid('upload_id').notNull(),
		analysisId: uuid('analysis_id')
			.notNull()
			.references(() => analysis.id, { onDelete: 'cascade' }),
		teamId: uuid('team_id')
			.notNull()
			.references(() => team.id, { onDelete: 'cascade' }),
		ref: text('ref').notNull(),
		commitSha: text('commit_sha'),
		/** Whether the ref was the repository's default branch when uploaded (findings changed). */
		onDefaultBranch: boolean('on_default_branch').notNull(),
		uploadedAt: timestamp('uploaded_at', { withTimezone: true }).notNull().defaultNow(),
		tokenId: uuid('token_id').references(() => apiToken.id, { onDelete: 'set null' }),
		format: scanFormat('format').notNull(),
		toolVersion: text('tool_version'),
		/** CycloneDX: how many components the SBOM lists. */
		components: integer('components'),
		results: integer('results').notNull(),
		newCount: integer('new_count').notNull(),
		fixedCount: integer('fixed_count').notNull(),
		unchangedCount: integer('unchanged_count').notNull(),
		suppressedCount: integer('suppressed_count').notNull()
	},
	(t) => [
		index('scan_analysis_idx').on(t.analysisId, t.uploadedAt),
		index('scan_team_idx').on(t.teamId, t.uploadedAt),
		index('scan_upload_idx').on(t.uploadId)
	]
);

export const findingSeverities = ['critical', 'high', 'medium', 'low', 'none'] as const;
export const findingSeverity = pgEnum('finding_severity', findingSeverities);
export const findingStates = ['open', 'fixed'] as const;
export type FindingState = (typeof findingStates)[number];
export const findingState = pgEnum('finding_state', findingStates);

/**
 * One problem an analysis reports, kept across scans by its key: opened when first reported on
 * the default branch, fixed when a default-branch scan no longer reports it, reopened when it
 * comes back. Suppressed (by the tool's own SARIF suppression) and dismissed (by the team, with
 * a reason) findings stay, and are not counted as open.
 */
export const finding = pgTable(
	'finding',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		analysisId: uuid('analysis_id')
			.notNull()
			.references(() => analysis.id, { onDelete: 'cascade' }),
		teamId: uuid('team_id')
			.notNull()
			.references(() => team.id, { onDelete: 'cascade' }),
		repositoryId: uuid('repository_id')
			.notNull()
			.references(() => codeRepository.id, { onDelete: 'cascade' }),
		key: text('key').notNull(),
		ruleId: text('rule_id').notNull(),
		ruleName: text('rule_name'),
		severity: findingSeverity('severity').notNull(),
		message: text('message').notNull(),
		/** Untrusted markdown: rendered only through the safe renderer. */
		help: text('help'),
		path: text('path'),
		startLine: integer('start_line'),
		endLine: integer('end_line'),
		state: findingState('state').notNull().default('open'),
		firstSeenAt: timestamp('first_seen_at', { withTimezone: true }).notNull(),
		lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull(),
		fixedAt: timestamp('fixed_at', { withTimezone: true }),
		suppressed: boolean('suppressed').notNull().default(false),
		suppressionKind: text('suppression_kind'),
		suppressionJustification: text('suppression_justification'),
		dismissedAt: timestamp('dismissed_at', { withTimezone: true }),
		dismissedBy: uuid('dismissed_by').references(() => user.id, { onDelete: 'set null' }),
		dismissedReason: text('dismissed_reason'),
		lastScanId: uuid('last_scan_id').references(() => scan.id, { onDelete: 'set null' })
	},
	(t) => [
		uniqueIndex('finding_analysis_key_unique').on(t.analysisId, t.key),
		// The team's findings page: open ones by severity, and its list in order (most severe,
		// oldest, then id: an upload's findings share their first-seen time).
		index('finding_team_open_idx')
			.on(t.teamId, t.severity, t.firstSeenAt, t.id)
			.where(sql`${t.state} = 'open'`),
		index('finding_team_first_seen_idx').on(t.teamId, t.firstSeenAt),
		index('finding_team_fixed_idx')
			.on(t.teamId, t.fixedAt)
			.where(sql`${t.fixedAt} is not null`)
	]
);

/**
 * The name a scanner gives itself in its output (lower-cased: "semgrep oss") and the catalogue
 * tool it is; read at query time, so mapping a name once maps every past scan too.
 */
export const toolScannerName = pgTable(
	'tool_scanner_name',
	{
		name: text('name').primaryKey(),
		toolId: text('tool_id')
			.notNull()
			.references(() => tool.id, { onDelete: 'cascade' }),
		createdAt: createdAt(),
		createdBy: uuid('created_by').references(() => user.id, { onDelete: 'set null' }),
		/** 'catalogue' for names content/tools/ claims (kept in step at start), 'admin' for an admin's own. */
		source: text('source').notNull().default('admin')
	},
	(t) => [index('tool_scanner_name_tool_idx').on(t.toolId)]
);

// ── Email: outbox, reminders sent, each person's choices, password resets ────

/**
 * An email waiting to be sent, queued in the transaction of the change that causes it and sent
 * by the background worker (mail/worker.ts). `sendAfter` is both the retry time and the lease of
 * the instance sending it, so one row is sent by one instance.
 */
export const emailOutbox = pgTable(
	'email_outbox',
	{
		id: bigserial('id', { mode: 'number' }).primaryKey(),
		kind: text('kind').notNull(),
		toAddress: text('to_address').notNull(),
		userId: uuid('user_id').references(() => user.id, { onDelete: 'cascade' }),
		subject: text('subject').notNull(),
		textBody: text('text_body').notNull(),
		htmlBody: text('html_body').notNull(),
		createdAt: createdAt(),
		sendAfter: timestamp('send_after', { withTimezone: true }).notNull().defaultNow(),
		attempts: integer('attempts').notNull().default(0),
		lastError: text('last_error'),
		sentAt: timestamp('sent_at', { withTimezone: true }),
		failedAt: timestamp('failed_at', { withTimezone: true })
	},
	(t) => [
		index('email_outbox_due_idx')
			.on(t.sendAfter, t.id)
			.where(sql`${t.sentAt} is null and ${t.failedAt} is null`)
	]
);

/** A scheduled reminder already queued (its key names the event and the person): sent once. */
export const reminderSent = pgTable('reminder_sent', {
	key: text('key').primaryKey(),
	at: timestamp('at', { withTimezone: true }).notNull().defaultNow()
});

/** A kind of email a person chose not to receive (absent: they receive it). */
export const notificationOptOut = pgTable(
	'notification_opt_out',
	{
		userId: uuid('user_id')
			.notNull()
			.references(() => user.id, { onDelete: 'cascade' }),
		kind: text('kind').notNull()
	},
	(t) => [primaryKey({ columns: [t.userId, t.kind] })]
);

/** A password reset link: only the SHA-256 of its token is stored; single use, short-lived. */
export const passwordReset = pgTable(
	'password_reset',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		tokenHash: text('token_hash').notNull().unique(),
		userId: uuid('user_id')
			.notNull()
			.references(() => user.id, { onDelete: 'cascade' }),
		createdAt: createdAt(),
		expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
		usedAt: timestamp('used_at', { withTimezone: true })
	},
	(t) => [index('password_reset_user_idx').on(t.userId)]
);

/**
 * A person's account at an OpenID provider (issuer and subject, as its ID tokens name them)
 * linked to a Rampart user: made when they first sign in through it, and from then on the only
 * way that provider's sign-ins find the user (never the email again).
 */
export const oidcIdentity = pgTable(
	'oidc_identity',
	{
		issuer: text('issuer').notNull(),
		subject: text('subject').notNull(),
		userId: uuid('user_id')
			.notNull()
			.references(() => user.id, { onDelete: 'cascade' }),
		createdAt: createdAt(),
		lastSignInAt: timestamp('last_sign_in_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		primaryKey({ columns: [t.issuer, t.subject] }),
		uniqueIndex('oidc_identity_user_issuer_unique').on(t.userId, t.issuer)
	]
);

// ── Chat: a team's incoming webhook, and messages waiting for it ─────────────

/** A team's Slack- or Teams-compatible incoming webhook (the URL is a secret: never shown whole). */
export const teamChatWebhook = pgTable('team_chat_webhook', {
	teamId: uuid('team_id')
		.primaryKey()
		.references(() => team.id, { onDelete: 'cascade' }),
	url: text('url').notNull(),
	updatedBy: uuid('updated_by').references(() => user.id, { onDelete: 'set null' }),
	updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
});

/** A chat message queued with the change it reports, posted by the background sender (like email_outbox). */
export const chatOutbox = pgTable(
	'chat_outbox',
	{
		id: bigserial('id', { mode: 'number' }).primaryKey(),
		teamId: uuid('team_id')
			.notNull()
			.references(() => team.id, { onDelete: 'cascade' }),
		kind: text('kind').notNull(),
		text: text('text').notNull(),
		createdAt: createdAt(),
		sendAfter: timestamp('send_after', { withTimezone: true }).notNull().defaultNow(),
		attempts: integer('attempts').notNull().default(0),
		lastError: text('last_error'),
		sentAt: timestamp('sent_at', { withTimezone: true }),
		failedAt: timestamp('failed_at', { withTimezone: true })
	},
	(t) => [
		index('chat_outbox_due_idx')
			.on(t.sendAfter, t.id)
			.where(sql`${t.sentAt} is null and ${t.failedAt} is null`)
	]
);
