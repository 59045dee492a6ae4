import { describe, expect, it } from 'vitest';
import { emptyProgress, moduleProgress, trackProgress, type ModuleProgress } from './completion';
import type { Training, TrainingModule } from './types';

function module(id: string, lessons: string[]): TrainingModule {
	const list = lessons.map((l) => ({
		id: l,
		title: l,
		file: '',
		html: '',
		headings: [],
		minutes: 1
	}));
	return {
		id,
		title: id,
		summary: '',
		phase: 'plan',
		practices: [],
		minutes: 10,
		prerequisites: [],
		version: 1,
		introHtml: '',
		lessons: list,
		lessonById: new Map(list.map((l) => [l.id, l])),
		quiz: { passMark: 0.8, questions: [] },
		assets: new Map()
	};
}

const alpha = module('alpha', ['01-a', '02-b', '03-c']);
const beta = module('beta', ['01-x']);
const passed = { attempts: 2, passed: true, bestScore: 0.9 };
const failed = { attempts: 1, passed: false, bestScore: 0.5 };

describe('moduleProgress', () => {
	it('is complete only with every lesson completed and the quiz passed', () => {
		expect(moduleProgress(alpha, ['01-a', '02-b', '03-c'], passed).complete).toBe(true);
		expect(moduleProgress(alpha, ['01-a', '02-b', '03-c'], failed).complete).toBe(false);
		expect(moduleProgress(alpha, ['01-a', '02-b', '03-c']).complete).toBe(false);
		expect(moduleProgress(alpha, ['01-a', '03-c'], passed).complete).toBe(false);
	});

	it('ignores lessons that are no longer in the module and keeps lesson order', () => {
		const p = moduleProgress(alpha, ['03-c', 'old-lesson', '01-a'], passed);
		expect(p.completedLessons).toEqual(['01-a', '03-c']);
		expect(p.lessonsTotal).toBe(3);
	});

	it('counts a module as started after a lesson or a quiz attempt', () => {
		expect(moduleProgress(alpha, []).started).toBe(false);
		expect(moduleProgress(alpha, ['02-b']).started).toBe(true);
		expect(moduleProgress(alpha, [], failed).started).toBe(true);
	});
});

describe('trackProgress', () => {
	const track = { id: 't', title: 'T', description: '', modules: ['alpha', 'beta'] };
	const progress = (a: ModuleProgress, b: ModuleProgress) =>
		new Map([
			['alpha', a],
			['beta', b]
		]);
	const done = (m: TrainingModule) =>
		moduleProgress(
			m,
			m.lessons.map((l) => l.id),
			passed
		);

	it('is complete when every module of the track is', () => {
		expect(trackProgress(track, progress(done(alpha), done(beta)))).toEqual({
			modulesDone: 2,
			modulesTotal: 2,
			started: true,
			complete: true,
			nextModuleId: null
		});
	});

	it('is not complete while one module misses its quiz, and points to it', () => {
		const p = trackProgress(track, progress(done(alpha), moduleProgress(beta, ['01-x'], failed)));
		expect(p).toMatchObject({ modulesDone: 1, complete: false, nextModuleId: 'beta' });
	});

	it('starts at the first module for a new learner', () => {
		const training = { modules: [alpha, beta] } as unknown as Training;
		expect(trackProgress(track, emptyProgress(training))).toMatchObject({
			modulesDone: 0,
			started: false,
			complete: false,
			nextModuleId: 'alpha'
		});
	});
});
