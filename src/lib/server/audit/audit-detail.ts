/**
 * Pure helpers for reading audit entries: which ids an entry mentions, and its detail as
 * labelled values with names in place of ids. No database here: the names come in a lookup.
 */

/** The kinds of record an audit entry can name by id. */
export type RecordKind =
	'user' | 'team' | 'cycle' | 'org_unit' | 'assessment' | 'tool' | 'invitation' | 'practice';

/** Names found for ids, by kind; an id missing here is shown as it is. */
export type NameLookup = ReadonlyMap<RecordKind, ReadonlyMap<string, string>>;

/** What the detail's keys hold, where they hold ids (`members` is a list of user ids). */
const keyKinds: Record<string, RecordKind> = {
	userId: 'user',
	accountableUserId: 'user',
	members: 'user',
	teamId: 'team',
	cycleId: 'cycle',
	orgUnitId: 'org_unit',
	parentId: 'org_unit',
	assessmentId: 'assessment',
	toolId: 'tool',
	invitationId: 'invitation',
	practiceId: 'practice'
};

const targetKinds: Record<string, RecordKind> = {
	user: 'user',
	team: 'team',
	cycle: 'cycle',
	org_unit: 'org_unit',
	assessment: 'assessment',
	tool: 'tool',
	invitation: 'invitation',
	practice: 'practice'
};

/** The kinds whose ids are uuids: anything else under their keys is not looked up. */
export const UUID_KINDS: ReadonlySet<RecordKind> = new Set([
	'user',
	'team',
	'cycle',
	'org_unit',
	'assessment',
	'invitation'
]);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether an id could be a record of this kind (a uuid for uuid kinds, any text otherwise). */
export function isIdOf(kind: RecordKind, id: unknown): id is string {
	return typeof id === 'string' && id !== '' && (!UUID_KINDS.has(kind) || UUID.test(id));
}

/** The kind of record an entry's target is, if it is one whose name can be looked up. */
export function targetKind(targetType: string): RecordKind | null {
	return targetKinds[targetType] ?? null;
}

export interface EntryIds {
	targetType: string;
	targetId: string | null;
	teamId: string | null;
	detail: Record<string, unknown>;
}

/** Every id the entries mention, by kind: their targets, their teams, and ids in their detail. */
export function idsByKind(entries: readonly EntryIds[]): Map<RecordKind, Set<string>> {
	const found = new Map<RecordKind, Set<string>>();
	const add = (kind: RecordKind | null, id: unknown) => {
		if (!kind || !isIdOf(kind, id)) return;
		let ids = found.get(kind);
		if (!ids) found.set(kind, (ids = new Set()));
		ids.add(id);
	};
	const walk = (value: unknown) => {
		if (!isObject(value)) return;
		for (const [key, inner] of Object.entries(value)) {
			const kind = keyKinds[key];
			if (kind && Array.isArray(inner)) for (const id of inner) add(kind, id);
			else if (kind) add(kind, inner);
			else walk(inner);
		}
	};
	for (const e of entries) {
		add(targetKind(e.targetType), e.targetId);
		add('team', e.teamId);
		walk(e.detail);
	}
	return found;
}

/** A value as shown: text with names in place of ids, and the ids behind them (for a tooltip). */
export interface ShownValue {
	text: string;
	ids?: string;
}

/** One line of an entry's detail: a label and a value, or what it changed from and to. */
export interface DetailLine {
	label: string;
	from?: ShownValue;
	value: ShownValue;
}

/** An entry's detail as lines to read: changes as "from → to", ids as names. */
export function readableDetail(detail: Record<string, unknown>, names: NameLookup): DetailLine[] {
	const { from, to, ...rest } = detail;
	const lines: DetailLine[] = [];
	if ('from' in detail || 'to' in detail) {
		if (isObject(from) || isObject(to)) {
			const before = isObject(from) ? from : {};
			const after = isObject(to) ? to : {};
			for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
				if (JSON.stringify(before[key]) === JSON.stringify(after[key])) continue;
				lines.push({
					label: labelOf(key),
					...(isObject(from) ? { from: shown(key, before[key], names) } : {}),
					value: shown(key, after[key], names)
				});
			}
		} else {
			lines.push({ label: '', from: shown('', from, names), value: shown('', to, names) });
		}
	}
	for (const [key, value] of Object.entries(rest))
		lines.push({ label: labelOf(key), value: shown(key, value, names) });
	return lines;
}

/** A name for an id of a kind, or the id itself when nothing (any more) has it. */
export function nameOf(names: NameLookup, kind: RecordKind, id: string): string | null {
	return names.get(kind)?.get(id) ?? null;
}

function shown(key: string, value: unknown, names: NameLookup): ShownValue {
	const kind = keyKinds[key];
	if (kind && (typeof value === 'string' || Array.isArray(value))) {
		const ids = (Array.isArray(value) ? value : [value]).map(String);
		return {
			text: ids.map((id) => nameOf(names, kind, id) ?? id).join(', '),
			ids: ids.join(', ')
		};
	}
	return { text: plain(value) };
}

function plain(value: unknown): string {
	if (value === null || value === undefined || value === '') return '—';
	if (typeof value === 'boolean') return value ? 'yes' : 'no';
	if (Array.isArray(value)) return value.length ? value.map(plain).join(', ') : '—';
	if (isObject(value))
		return Object.entries(value)
			.map(([k, v]) => `${labelOf(k)}: ${plain(v)}`)
			.join(', ');
	return String(value);
}

/** `accountableUserId` → "accountable user": keys read as words, without the id suffix. */
export function labelOf(key: string): string {
	return key
		.replace(/Id$/, '')
		.replace(/([a-z0-9])([A-Z])/g, '$1 $2')
		.replace(/_/g, ' ')
		.toLowerCase();
}

function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}
