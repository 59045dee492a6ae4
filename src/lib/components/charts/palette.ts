/** Okabe–Ito colours: distinguishable with the common kinds of colour blindness. */
export const palette = [
	'#0072B2',
	'#E69F00',
	'#009E73',
	'#CC79A7',
	'#D55E00',
	'#56B4E9',
	'#999999',
	'#F0E442'
];
/** Dash patterns as a second cue besides colour, for line and radar charts. */
export const dashes = [[], [6, 4], [2, 3], [8, 3, 2, 3], [1, 2], [10, 5]];
