/** The most paragraphs a declaration holds: an outcome declaration is a few paragraphs, never a report. */
export const MAX_PARAGRAPHS = 200;
/** The longest paragraph: a drafted one is a proposal's title (200) and text (20,000) and the blank line between. */
export const PARAGRAPH_MAX = 20_202;
/** How far ahead a silence procedure must end: the member entities need time to read the text. */
export const SILENCE_MIN_MS = 60 * 60 * 1000;
