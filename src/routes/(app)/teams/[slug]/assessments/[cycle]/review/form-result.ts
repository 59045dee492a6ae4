/** What a question form's action answered (ask, follow-up, withdraw), as the page's `form`. */
export type QuestionFormResult =
	| {
			action: string;
			target?: string;
			errors?: Record<string, string>;
			values?: Record<string, string>;
			notice?: string;
	  }
	| null
	| undefined;

/** What the question forms take from the page: the last result, and the filters to keep. */
export interface QuestionForms {
	result?: QuestionFormResult;
	/** The filters' query (`phase=build&show=all`): a form posted without JavaScript comes back to the same view. */
	query: string;
}

/** A named action of this page that keeps the filters in the address. */
export function actionUrl(forms: QuestionForms | undefined, name: string): string {
	return `?${forms?.query ? `${forms.query}&` : ''}/${name}`;
}
