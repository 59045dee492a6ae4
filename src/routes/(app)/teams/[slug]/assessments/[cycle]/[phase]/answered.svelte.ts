import { getContext, setContext } from 'svelte';

const KEY = Symbol('answered criteria');

/**
 * Which criteria of the phase have an answer, shared by the page's progress and each criterion:
 * a save as you go updates the counts without reloading the page.
 */
export class AnsweredCriteria {
	#answered = $state<Record<string, boolean>>({});

	constructor(initial: Record<string, boolean>) {
		this.#answered = initial;
	}

	set(criterionId: string, answered: boolean) {
		this.#answered[criterionId] = answered;
	}

	/** How many of these criteria are answered. */
	count(ids: readonly string[]): number {
		return ids.filter((id) => this.#answered[id]).length;
	}

	/** The first of these criteria without an answer. */
	firstOpen(ids: readonly string[]): string | undefined {
		return ids.find((id) => !this.#answered[id]);
	}
}

export function provideAnswered(initial: Record<string, boolean>): AnsweredCriteria {
	return setContext(KEY, new AnsweredCriteria(initial));
}

export function answeredCriteria(): AnsweredCriteria | undefined {
	return getContext<AnsweredCriteria | undefined>(KEY);
}
