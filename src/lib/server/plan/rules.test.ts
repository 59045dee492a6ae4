import { describe, expect, it } from 'vitest';
import type { PlanStatus } from '$lib/server/db/schema';
import {
	carriedFrom,
	closedAtAfter,
	dueDateProblem,
	groupByPractice,
	isOverdue,
	passesFilter,
	statusFilterOf
} from './rules';

describe('due dates', () => {
	it('refuses a new item due in the past and accepts today or later', () => {
		expect(dueDateProblem('2026-11-28', '2026-11-29')).toBe('dueInPast');
		expect(dueDateProblem('2026-11-29', '2026-11-29')).toBeNull();
		expect(dueDateProblem('2027-01-01', '2026-11-29')).toBeNull();
	});

	it('lets an edit keep the past date an item has, but not move it to another past date', () => {
		expect(dueDateProblem('2026-10-01', '2026-11-29', '2026-10-01')).toBeNull();
		expect(dueDateProblem('2026-10-02', '2026-11-29', '2026-10-01')).toBe('dueInPast');
	});

	it('flags open items due before today as overdue, never closed ones', () => {
		expect(isOverdue({ status: 'planned', dueOn: '2026-11-28' }, '2026-11-29')).toBe(true);
		expect(isOverdue({ status: 'in_progress', dueOn: '2026-11-28' }, '2026-11-29')).toBe(true);
		expect(isOverdue({ status: 'planned', dueOn: '2026-11-29' }, '2026-11-29')).toBe(false);
		expect(isOverdue({ status: 'done', dueOn: '2026-01-01' }, '2026-11-29')).toBe(false);
		expect(isOverdue({ status: 'dropped', dueOn: '2026-01-01' }, '2026-11-29')).toBe(false);
	});
});

describe('status changes', () => {
	const now = new Date('2026-11-29T10:00:00Z');
	const earlier = new Date('2026-11-01T10:00:00Z');
	it('closes an item when it is done or dropped, keeping the day it first closed', () => {
		expect(closedAtAfter('done', null, now)).toEqual(now);
		expect(closedAtAfter('dropped', null, now)).toEqual(now);
		expect(closedAtAfter('dropped', earlier, now)).toEqual(earlier);
	});
	it('reopens an item when it is planned or in progress again', () => {
		expect(closedAtAfter('planned', earlier, now)).toBeNull();
		expect(closedAtAfter('in_progress', null, now)).toBeNull();
	});
});

describe('carry-over', () => {
	const current = { startsOn: '2026-10-01' };
	const item = (status: PlanStatus, cycleStartsOn: string | null) => ({
		status,
		cycleName: cycleStartsOn ? `from ${cycleStartsOn}` : null,
		cycleStartsOn
	});
	it('names the earlier cycle an open item came from', () => {
		expect(carriedFrom(item('planned', '2026-07-01'), current)).toBe('from 2026-07-01');
		expect(carriedFrom(item('in_progress', '2026-04-01'), current)).toBe('from 2026-04-01');
	});
	it('says nothing for items of the current cycle, closed items or items without a cycle', () => {
		expect(carriedFrom(item('planned', '2026-10-01'), current)).toBeNull();
		expect(carriedFrom(item('done', '2026-07-01'), current)).toBeNull();
		expect(carriedFrom(item('planned', null), current)).toBeNull();
		expect(carriedFrom(item('planned', '2026-07-01'), null)).toBeNull();
	});
});

describe('the order of the plan', () => {
	const it_ = (id: string, practiceId: string, status: PlanStatus, dueOn: string, closed = '') => ({
		id,
		practiceId,
		status,
		dueOn,
		closedAt: closed || null
	});
	it('groups by practice: practices with open items first, open items first and soonest due first', () => {
		const groups = groupByPractice(
			[
				it_('1', 'sast', 'done', '2026-01-01', '2026-02-01'),
				it_('2', 'threat', 'done', '2026-01-01', '2026-03-01'),
				it_('3', 'sast', 'planned', '2026-12-20'),
				it_('4', 'sast', 'in_progress', '2026-12-01'),
				it_('5', 'dast', 'dropped', '2026-01-01', '2026-01-05'),
				it_('6', 'threat', 'dropped', '2026-01-01', '2026-04-01'),
				it_('7', 'secrets', 'planned', '2027-01-01')
			],
			['threat', 'secrets', 'sast', 'dast']
		);
		expect(groups.map((g) => [g.practiceId, g.items.map((i) => i.id)])).toEqual([
			['secrets', ['7']],
			['sast', ['4', '3', '1']],
			['threat', ['6', '2']],
			['dast', ['5']]
		]);
	});
});

describe('status filters', () => {
	it('reads the filter from the query string, open items by default', () => {
		expect(statusFilterOf(null)).toBe('open');
		expect(statusFilterOf('done')).toBe('done');
		expect(statusFilterOf('everything')).toBe('open');
	});
	it('lets through what each filter names', () => {
		expect(passesFilter('planned', 'open')).toBe(true);
		expect(passesFilter('in_progress', 'open')).toBe(true);
		expect(passesFilter('done', 'open')).toBe(false);
		expect(passesFilter('dropped', 'dropped')).toBe(true);
		expect(passesFilter('done', 'planned')).toBe(false);
		expect(passesFilter('done', 'all')).toBe(true);
	});
});
