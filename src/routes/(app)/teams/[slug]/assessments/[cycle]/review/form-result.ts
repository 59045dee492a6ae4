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
