import type { RequestEvent } from '@sveltejs/kit';
import { uploadQuerySchema } from '$lib/schemas/integrations';
import { apiError } from '$lib/server/http/api';
import { recordUpload, type RecordedUpload } from '$lib/server/findings/record';
import { AnalysisBusyError } from '$lib/server/findings/recording-claim';
import { ScanFormatError, type ScanReport } from '$lib/server/findings/scan-report';
import { catalogueToolsFor, scannerKey } from '$lib/server/findings/tool-mapping';
import type { ApiCaller } from './tokens';
import { headerRefusal, readBody, uploadGate, type BodyRefusal } from './upload-body';
import { spendUpload } from './upload-rate';

/** What an upload route takes: its media types and the reader of its format. */
export interface UploadFormat {
	mediaTypes: readonly string[];
	read(json: unknown, options: { checkout: string | null }): ScanReport | Promise<ScanReport>;
}

type Event = Pick<RequestEvent, 'request' | 'url' | 'locals'>;

const refused = (r: BodyRefusal) =>
	apiError(r.status, r.message, {}, r.retryAfter ? { 'Retry-After': String(r.retryAfter) } : {});

/**
 * Takes one upload from a pipeline whose token is already verified: checks the headers and the
 * query, spends the token's and the team's upload rate, reads the body within its limits,
 * parses it, reads the format and records it. Every refusal comes before anything is stored.
 */
export async function receiveUpload(
	event: Event,
	caller: ApiCaller,
	format: UploadFormat
): Promise<Response> {
	const headers = headerRefusal(event.request, format.mediaTypes);
	if (headers) return refused(headers);
	const query = uploadQuerySchema.safeParse(Object.fromEntries(event.url.searchParams));
	if (!query.success) {
		const issue = query.error.issues[0]!;
		return apiError(400, `${issue.path.join('.') || 'query'}: ${issue.message}`, {
			field: issue.path.join('.')
		});
	}
	const rate = await spendUpload(event.locals.db, caller);
	if (!rate.ok)
		return apiError(
			429,
			`Too many uploads from this ${rate.by}: wait ${rate.retryAfter} s (see Retry-After).`,
			{},
			{ 'Retry-After': String(rate.retryAfter) }
		);
	const lease = uploadGate.lease();
	try {
		const body = await readBody(event.request, lease);
		if (!body.ok) return refused(body);
		let json: unknown;
		try {
			json = JSON.parse(body.text);
		} catch (e) {
			return apiError(400, `The body is not JSON: ${String((e as Error).message).slice(0, 200)}`);
		}
		let report: ScanReport;
		try {
			report = await format.read(json, { checkout: query.data.checkout ?? null });
		} catch (e) {
			if (e instanceof ScanFormatError) return apiError(400, `The body is ${e.message}`);
			throw e;
		}
		json = undefined;
		let recorded: RecordedUpload;
		try {
			recorded = await recordUpload(event.locals.db, {
				teamId: caller.teamId,
				tokenId: caller.tokenId,
				repository: query.data.repository,
				ref: query.data.ref ?? null,
				commit: query.data.commit ?? null,
				category: query.data.category ?? null,
				report
			});
		} catch (e) {
			if (!(e instanceof AnalysisBusyError)) throw e;
			return apiError(
				503,
				`${e.message} Nothing was stored; send it again in a minute.`,
				{},
				{
					'Retry-After': '30'
				}
			);
		}
		const answer = await uploadAnswer(event, report, recorded);
		return Response.json(answer, {
			status: recorded.uploadId ? 201 : 200,
			headers: {
				'Cache-Control': 'no-store',
				...(answer.url ? { Location: answer.url } : {})
			}
		});
	} finally {
		lease.release();
	}
}

/** The 201 answer: the upload's id and address, the tools and what changed. */
async function uploadAnswer(event: Event, report: ScanReport, recorded: RecordedUpload) {
	const catalogue = await catalogueToolsFor(
		event.locals.db,
		report.tools.map((t) => t.name)
	);
	const toolJson = (t: { name: string; version: string | null }) => ({
		name: t.name,
		version: t.version,
		catalogueTool: catalogue.get(scannerKey(t.name)) ?? null
	});
	return {
		id: recorded.uploadId,
		url: recorded.uploadId ? `${event.url.origin}/api/v1/scans/${recorded.uploadId}` : null,
		format: report.format,
		repository: recorded.repository?.name ?? null,
		ref: recorded.ref,
		defaultBranch: recorded.onDefaultBranch,
		tools: report.tools.map(toolJson),
		counts: recorded.counts,
		file: { results: report.results, skipped: report.skipped, components: report.components },
		scans: recorded.scans.map((s) => ({
			id: s.id,
			tool: toolJson(s.tool),
			category: s.category,
			counts: s.counts
		}))
	};
}
