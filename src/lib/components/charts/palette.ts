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

/**
 * Achieved levels 0–4 on one blue scale, light to dark (heatmap.css holds the same): readable
 * with every kind of colour blindness, and the level is always written beside it.
 */
export const levelColours = ['#f7fbff', '#c6dbef', '#6baed6', '#2171b5', '#08306b'];

/** The colour of series `i` among `colours` (or the palette). */
export const colourOf = (i: number, colours: readonly string[] = palette) =>
	colours[i % colours.length]!;
