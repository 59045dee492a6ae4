import { describe, expect, it } from 'vitest';
import { idsByKind, labelOf, readableDetail, type NameLookup } from './audit-detail';

const ann = '11111111-1111-4111-8111-111111111111';
const bo = '22222222-2222-4222-8222-222222222222';
const gone = '33333333-3333-4333-8333-333333333333';
const unit = '44444444-4444-4444-8444-444444444444';
const team = '55555555-5555-4555-8555-555555555555';

const names: NameLookup = new Map([
	[
		'user',
		new Map([
			[ann, 'Ann'],
			[bo, 'Bo']
		])
	],
	['org_unit', new Map([[unit, 'Payments']])],
	['practice', new Map([['threat-modeling', 'Threat modeling']])]
]);

describe('reading audit entries', () => {
	it('collects the ids an entry names by kind: target, team, and ids in the detail', () => {
		const found = idsByKind([
			{ targetType: 'team', targetId: team, teamId: team, detail: { members: [ann, bo] } },
			{
				targetType: 'practice',
				targetId: 'threat-modeling',
				teamId: team,
				detail: { from: { accountableUserId: gone }, to: { accountableUserId: null } }
			},
			{ targetType: 'org_unit', targetId: unit, teamId: null, detail: { parentId: null } },
			// Not a uuid: never sent to a uuid column.
			{ targetType: 'user', targetId: 'user998a', teamId: null, detail: { userId: 42 } },
			{ targetType: 'certificate', targetId: 'abc', teamId: null, detail: {} }
		]);
		expect(Object.fromEntries([...found].map(([k, v]) => [k, [...v].sort()]))).toEqual({
			team: [team],
			user: [ann, bo, gone].sort(),
			practice: ['threat-modeling'],
			org_unit: [unit]
		});
	});

	it('shows changes as from → to with names, the ids kept, and unknown ids as they are', () => {
		expect(
			readableDetail(
				{
					from: { party: 'security', accountableUserId: gone },
					to: { party: 'delivery', accountableUserId: ann }
				},
				names
			)
		).toEqual([
			{ label: 'party', from: { text: 'security' }, value: { text: 'delivery' } },
			{
				label: 'accountable user',
				from: { text: gone, ids: gone },
				value: { text: 'Ann', ids: ann }
			}
		]);
		expect(readableDetail({ from: 'member', to: 'admin' }, names)).toEqual([
			{ label: '', from: { text: 'member' }, value: { text: 'admin' } }
		]);
	});

	it('lists other values plainly, lists of ids as names', () => {
		expect(
			readableDetail(
				{ rotationWeeks: 1, members: [bo, gone], champion: false, orgUnitId: unit, note: '' },
				names
			)
		).toEqual([
			{ label: 'rotation weeks', value: { text: '1' } },
			{ label: 'members', value: { text: `Bo, ${gone}`, ids: `${bo}, ${gone}` } },
			{ label: 'champion', value: { text: 'no' } },
			{ label: 'org unit', value: { text: 'Payments', ids: unit } },
			{ label: 'note', value: { text: '—' } }
		]);
		// Something created: no "from" side to show.
		expect(readableDetail({ from: null, to: { state: 'adopted' } }, names)).toEqual([
			{ label: 'state', value: { text: 'adopted' } }
		]);
	});

	it('reads keys as words', () => {
		expect(labelOf('accountableUserId')).toBe('accountable user');
		expect(labelOf('not_applicable')).toBe('not applicable');
	});
});
