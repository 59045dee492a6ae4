import { and, asc, eq, max, sql } from 'drizzle-orm';
import type { Database, Tx } from '$lib/server/db';
import * as table from '$lib/server/db/schema';
import { audit } from '$lib/server/audit/audit-log';

/** A repository as an upload is recorded against it. */
export interface RepositoryRow {
	id: string;
	name: string;
	defaultBranch: string;
}

/** The team's repository of this name, made (default branch `main`) on its first upload. */
export async function ensureRepository(
	tx: Tx,
	teamId: string,
	name: string
): Promise<RepositoryRow> {
	const [row] = await tx
		.insert(table.codeRepository)
		.values({ teamId, name })
		.onConflictDoUpdate({
			target: [table.codeRepository.teamId, table.codeRepository.name],
			// Writes its creation time again, so the existing row comes back in one statement. Not
			// the name: updating a column of a unique index locks the row against the foreign-key
			// checks of findings being written for it (FOR UPDATE), and two uploads deadlocked.
			set: { createdAt: sql`${table.codeRepository.createdAt}` }
		})
		.returning({
			id: table.codeRepository.id,
			name: table.codeRepository.name,
			defaultBranch: table.codeRepository.defaultBranch
		});
	return row!;
}

/** The repositories a team's pipelines have uploaded from, with their last upload. */
export async function listRepositories(db: Database, teamId: string) {
	return db
		.select({
			id: table.codeRepository.id,
			name: table.codeRepository.name,
			defaultBranch: table.codeRepository.defaultBranch,
			webAddress: table.codeRepository.webAddress,
			lastUploadAt: max(table.scan.uploadedAt)
		})
		.from(table.codeRepository)
		.leftJoin(table.analysis, eq(table.analysis.repositoryId, table.codeRepository.id))
		.leftJoin(table.scan, eq(table.scan.analysisId, table.analysis.id))
		.where(eq(table.codeRepository.teamId, teamId))
		.groupBy(table.codeRepository.id)
		.orderBy(asc(table.codeRepository.name));
}

/** Sets a repository's default branch and web address; false when the team has no such repository. */
export async function updateRepository(
	db: Database,
	ctx: { actorId: string; ip: string },
	teamId: string,
	input: { repositoryId: string; defaultBranch: string; webAddress: string | null }
): Promise<boolean> {
	return db.transaction(async (tx) => {
		const [before] = await tx
			.select()
			.from(table.codeRepository)
			.where(
				and(
					eq(table.codeRepository.id, input.repositoryId),
					eq(table.codeRepository.teamId, teamId)
				)
			)
			.for('update');
		if (!before) return false;
		if (before.defaultBranch === input.defaultBranch && before.webAddress === input.webAddress)
			return true;
		await tx
			.update(table.codeRepository)
			.set({
				defaultBranch: input.defaultBranch,
				webAddress: input.webAddress,
				updatedAt: new Date(),
				updatedBy: ctx.actorId
			})
			.where(eq(table.codeRepository.id, before.id));
		await audit(tx, {
			actorId: ctx.actorId,
			action: 'repository.updated',
			targetType: 'code_repository',
			targetId: before.id,
			teamId,
			detail: {
				name: before.name,
				defaultBranch: [before.defaultBranch, input.defaultBranch],
				webAddress: [before.webAddress, input.webAddress]
			},
			ip: ctx.ip
		});
		return true;
	});
}
