/**
 * The improvement plan's rules, without a database: which items are open, when an item counts as
 * overdue or carried over, what a status change does to `closed_at`, which due dates are allowed,
 * and the order the plan is shown in.
 */
import type { PlanStatus } from '$lib/server/db/schema';

export const openStatuses: readonly PlanStatus[] = ['planned', 'in_progress'];

/** Planned or in progress: still to be done, so it carries into the next cycle. */
export function isOpen(status: PlanStatus): boolean {
	return openStatuses.includes(status);
}

/** Today's date as `YYYY-MM-DD` (UTC), the form due dates are stored in. */
export const today = (now = new Date()) => now.toISOString().slice(0, 10);

/** Open and due before `on`. */
export function isOverdue(item: { status: PlanStatus; dueOn: string }, on: string): boolean {
	return isOpen(item.status) && item.dueOn < on;
}

export type DueDateProblem = 'dueInPast';

/**
 * A new item may not be due in the past; an edited one may keep the past date it already has
 * (it is overdue, not wrong) but may not be moved to another past date.
 */
export function dueDateProblem(
	dueOn: string,
	on: string,
	stored: string | null = null
): DueDateProblem | null {
	if (dueOn >= on || dueOn === stored) return null;
	return 'dueInPast';
}

/**
 * What a status change writes to `closed_at`: set when the item becomes done or dropped (kept
 * if it was already closed, so done → dropped keeps the day it closed), cleared when reopened.
 */
export function closedAtAfter(
	to: PlanStatus,
	closedAt: Date | null,
	now: Date = new Date()
): Date | null {
	if (isOpen(to)) return null;
	return closedAt ?? now;
}

/**
 * The cycle an open item came from, when that is not the team's current cycle (the item was
 * carried over); null for items made in the current cycle, closed items and items with no cycle.
 */
export function carriedFrom(
	item: { status: PlanStatus; cycleName: string | null; cycleStartsOn: string | null },
	current: { startsOn: string } | null
): string | null {
	if (!isOpen(item.status) || !item.cycleName || !item.cycleStartsOn || !current) return null;
	return item.cycleStartsOn < current.startsOn ? item.cycleName : null;
}

interface Orderable {
	id: string;
	status: PlanStatus;
	dueOn: string;
	closedAt: Date | string | null;
}

/** Open items first, soonest due first; then closed ones, most recently closed first. */
export function comparePlanItems(a: Orderable, b: Orderable): number {
	const open = Number(isOpen(b.status)) - Number(isOpen(a.status));
	if (open) return open;
	if (isOpen(a.status)) return a.dueOn.localeCompare(b.dueOn) || a.id.localeCompare(b.id);
	const closed = String(b.closedAt ?? '').localeCompare(String(a.closedAt ?? ''));
	return closed || a.id.localeCompare(b.id);
}

/**
 * Items grouped by practice: practices with open items first, each group in the model's order
 * otherwise, items in each group ordered by `comparePlanItems`.
 */
export function groupByPractice<T extends Orderable & { practiceId: string }>(
	items: readonly T[],
	practiceOrder: readonly string[]
): { practiceId: string; items: T[] }[] {
	const groups = new Map<string, T[]>();
	for (const item of [...items].sort(comparePlanItems)) {
		groups.set(item.practiceId, [...(groups.get(item.practiceId) ?? []), item]);
	}
	const rank = (id: string) => {
		const i = practiceOrder.indexOf(id);
		return i < 0 ? practiceOrder.length : i;
	};
	return [...groups.entries()]
		.map(([practiceId, list]) => ({ practiceId, items: list }))
		.sort(
			(a, b) =>
				Number(isOpen(b.items[0]!.status)) - Number(isOpen(a.items[0]!.status)) ||
				rank(a.practiceId) - rank(b.practiceId) ||
				a.practiceId.localeCompare(b.practiceId)
		);
}

export const statusFilters = ['open', 'planned', 'in_progress', 'done', 'dropped', 'all'] as const;
export type StatusFilter = (typeof statusFilters)[number];

/** The filter named in the query string; open items when none (or an unknown one) is named. */
export function statusFilterOf(value: string | null): StatusFilter {
	return (statusFilters as readonly string[]).includes(value ?? '')
		? (value as StatusFilter)
		: 'open';
}

/** Whether an item passes a status filter. */
export function passesFilter(status: PlanStatus, filter: StatusFilter): boolean {
	if (filter === 'all') return true;
	if (filter === 'open') return isOpen(status);
	return status === filter;
}
