import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import type { Database } from '$lib/server/db';
import { rowsOf } from '$lib/server/db/rows';
import * as table from '$lib/server/db/schema';
import { audit } from '$lib/server/audit/audit-log';
import type { ActorContext } from '$lib/server/users/accounts';
import { scannerKey } from './scanner-key';

/** A scanner name seen in uploads that no tool claims, with where it ran. */
export interface UnmappedScanner {
	/** The mapping key (trimmed, lower-case). */
	key: string;
	/** The spellings the uploads used. */
	names: string[];
	teams: { name: string; slug: string }[];
	repositories: string[];
	lastUpload: Date | null;
}

type Row = {
	tool_name: string;
	team: string;
	slug: string;
	repository: string;
	last: string | Date | null;
};

/**
 * Scanner names of past uploads that map to no tool: no tool_scanner_name row and no tool of that
 * name (ignoring case), as findings/tool-mapping.ts and evidence/runs.ts resolve them. Newest
 * first. One row per analysis is read; the unmapped ones are few.
 */
export async function unmappedScanners(db: Database): Promise<UnmappedScanner[]> {
	const rows = rowsOf<Row>(
		await db.execute(sql`
			select a.tool_name, t.name as team, t.slug, r.name as repository,
				(select max(s.uploaded_at) from scan s where s.analysis_id = a.id) as last
			from analysis a
			join team t on t.id = a.team_id
			join code_repository r on r.id = a.repository_id
			where not exists (select 1 from tool_scanner_name m where m.name = lower(btrim(a.tool_name)))
				and not exists (select 1 from tool k where lower(k.name) = lower(btrim(a.tool_name)))`)
	);
	const byKey = new Map<string, UnmappedScanner>();
	for (const r of rows) {
		const key = scannerKey(r.tool_name);
		const entry = byKey.get(key) ?? {
			key,
			names: [],
			teams: [],
			repositories: [],
			lastUpload: null
		};
		byKey.set(key, entry);
		if (!entry.names.includes(r.tool_name)) entry.names.push(r.tool_name);
		if (!entry.teams.some((t) => t.slug === r.slug))
			entry.teams.push({ name: r.team, slug: r.slug });
		if (!entry.repositories.includes(r.repository)) entry.repositories.push(r.repository);
		const last = r.last === null ? null : new Date(r.last);
		if (last && (!entry.lastUpload || last > entry.lastUpload)) entry.lastUpload = last;
	}
	for (const e of byKey.values()) {
		e.names.sort();
		e.teams.sort((a, b) => a.name.localeCompare(b.name));
		e.repositories.sort();
	}
	return [...byKey.values()].sort(
		(a, b) =>
			(b.lastUpload?.getTime() ?? 0) - (a.lastUpload?.getTime() ?? 0) || a.key.localeCompare(b.key)
	);
}

/** Every mapping, admins' then the catalogue's, with the tool and who made it. */
export async function scannerMappings(db: Database) {
	return db
		.select({
			name: table.toolScannerName.name,
			source: table.toolScannerName.source,
			createdAt: table.toolScannerName.createdAt,
			toolId: table.tool.id,
			toolName: table.tool.name,
			byName: table.user.name,
			byEmail: table.user.email
		})
		.from(table.toolScannerName)
		.innerJoin(table.tool, eq(table.tool.id, table.toolScannerName.toolId))
		.leftJoin(table.user, eq(table.user.id, table.toolScannerName.createdBy))
		.orderBy(
			// An admin's own first: those are the ones this page can remove.
			sql`${table.toolScannerName.source} = 'catalogue'`,
			asc(table.tool.name),
			asc(table.toolScannerName.name)
		);
}

/** The tools a name can be mapped to: the catalogue's tools in use (not retired), by name. */
export async function mappableTools(db: Database) {
	return db
		.select({ id: table.tool.id, name: table.tool.name })
		.from(table.tool)
		.where(isNull(table.tool.retiredAt))
		.orderBy(asc(table.tool.name));
}

export type MappingResult =
	{ ok: true; toolName: string } | { ok: false; field: 'scanner' | 'toolId'; message: string };

/** Maps a scanner name to a tool; every past and future scan of that name follows. */
export async function mapScanner(
	db: Database,
	ctx: ActorContext,
	input: { scanner: string; toolId: string }
): Promise<MappingResult> {
	const key = scannerKey(input.scanner);
	return db.transaction(async (tx) => {
		const [tool] = await tx
			.select({ id: table.tool.id, name: table.tool.name })
			.from(table.tool)
			.where(and(eq(table.tool.id, input.toolId), isNull(table.tool.retiredAt)));
		if (!tool) return { ok: false, field: 'toolId', message: 'Choose a tool from the list.' };
		const [named] = await tx
			.select({ name: table.tool.name })
			.from(table.tool)
			.where(eq(sql`lower(${table.tool.name})`, key))
			.limit(1);
		if (named)
			return { ok: false, field: 'scanner', message: `This is the name of ${named.name} already.` };
		const inserted = await tx
			.insert(table.toolScannerName)
			.values({ name: key, toolId: tool.id, createdBy: ctx.actorId, source: 'admin' })
			.onConflictDoNothing()
			.returning({ name: table.toolScannerName.name });
		if (!inserted.length)
			return { ok: false, field: 'scanner', message: 'This name is mapped already.' };
		await audit(tx, {
			actorId: ctx.actorId,
			action: 'scanner.mapped',
			targetType: 'tool',
			targetId: tool.id,
			detail: { scanner: key, toolId: tool.id },
			ip: ctx.ip
		});
		return { ok: true, toolName: tool.name };
	});
}

/** Removes an admin's own mapping; the catalogue's are changed in content/tools/, not here. */
export async function unmapScanner(
	db: Database,
	ctx: ActorContext,
	scanner: string
): Promise<{ ok: true } | { ok: false; message: string }> {
	const key = scannerKey(scanner);
	return db.transaction(async (tx) => {
		const [removed] = await tx
			.delete(table.toolScannerName)
			.where(and(eq(table.toolScannerName.name, key), eq(table.toolScannerName.source, 'admin')))
			.returning({ toolId: table.toolScannerName.toolId });
		if (!removed) {
			const [kept] = await tx
				.select({ name: table.toolScannerName.name })
				.from(table.toolScannerName)
				.where(eq(table.toolScannerName.name, key));
			return {
				ok: false as const,
				message: kept
					? 'This name comes with the tool catalogue (content/tools/); change it there.'
					: 'This name is not mapped.'
			};
		}
		await audit(tx, {
			actorId: ctx.actorId,
			action: 'scanner.unmapped',
			targetType: 'tool',
			targetId: removed.toolId,
			detail: { scanner: key, toolId: removed.toolId },
			ip: ctx.ip
		});
		return { ok: true as const };
	});
}
