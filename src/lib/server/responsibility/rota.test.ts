import { describe, expect, it } from 'vitest';
import { onDuty, turns } from './rota';

const plan = { startsOn: '2026-11-02', rotationWeeks: 1, members: ['ann', 'bo', 'cy'] };

describe('security on-call rota', () => {
	it('rotates through the members in order, one turn per week', () => {
		expect(onDuty(plan, '2026-11-02')).toMatchObject({
			now: { userId: 'ann', start: '2026-11-02', end: '2026-11-09' },
			next: { userId: 'bo' }
		});
		expect(onDuty(plan, '2026-11-08').now?.userId).toBe('ann');
		expect(onDuty(plan, '2026-11-09').now?.userId).toBe('bo');
		expect(onDuty(plan, '2026-11-23').now?.userId).toBe('ann');
	});

	it('supports two-week turns', () => {
		const two = { ...plan, rotationWeeks: 2 };
		expect(onDuty(two, '2026-11-15').now?.userId).toBe('ann');
		expect(onDuty(two, '2026-11-16').now?.userId).toBe('bo');
		expect(turns(two, '2026-11-16', 3).map((t) => t.start)).toEqual([
			'2026-11-16',
			'2026-11-30',
			'2026-12-14'
		]);
	});

	it('has nobody on duty before it starts, and the first member next', () => {
		expect(onDuty(plan, '2026-10-30')).toEqual({
			now: undefined,
			next: expect.objectContaining({ userId: 'ann', start: '2026-11-02' })
		});
	});

	it('restarts from the new start date after a rotation change', () => {
		// Weekly from 2 November (ann, bo, cy), then two-week turns anchored on 16 November.
		expect(onDuty(plan, '2026-11-16').now?.userId).toBe('cy');
		const changed = {
			...plan,
			rotationWeeks: 2,
			startsOn: '2026-11-16',
			members: ['cy', 'ann', 'bo']
		};
		expect(onDuty(changed, '2026-11-16').now?.userId).toBe('cy');
		expect(onDuty(changed, '2026-11-29').now?.userId).toBe('cy');
		expect(onDuty(changed, '2026-11-30').now?.userId).toBe('ann');
	});

	it('carries on without a member who left the team', () => {
		const left = { ...plan, members: ['ann', 'cy'] };
		expect(turns(left, '2026-11-02', 4).map((t) => t.userId)).toEqual(['ann', 'cy', 'ann', 'cy']);
	});

	it('honours a swapped week, unless the stand-in has left the rota', () => {
		const swaps = new Map([['2026-11-09', 'cy']]);
		expect(onDuty({ ...plan, swaps }, '2026-11-10').now).toMatchObject({
			userId: 'cy',
			swapped: true
		});
		expect(onDuty({ ...plan, members: ['ann', 'bo'], swaps }, '2026-11-10').now).toMatchObject({
			userId: 'bo',
			swapped: false
		});
	});

	it('is empty with no members', () => {
		expect(onDuty({ ...plan, members: [] }, '2026-11-10')).toEqual({
			now: undefined,
			next: undefined
		});
	});
});
