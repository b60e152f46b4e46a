/**
 * What text a person typed may hold. Stored text is shown to every participant, in lists, exports and
 * audit replays, so it must read as what it is: no control characters, not blank to the eye, and (in
 * titles, which are shown inline among other people's text) nothing that reorders or hides what follows.
 */

/** C0 and C1 controls, DEL included; tab, line feed and carriage return are ordinary text. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is this pattern's purpose
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/u;

/**
 * Characters that show nothing on their own: white space, default-ignorable and format characters (zero
 * width space, soft hyphen, joiners), combining marks without a base, the braille blank and the Hangul
 * fillers (some of which Unicode does not class as ignorable).
 */
const INVISIBLE =
  /^[\p{White_Space}\p{Default_Ignorable_Code_Point}\p{Cf}\p{Cc}\p{M}\u2800\u115F\u1160\u3164\uFFA0]*$/u;

/**
 * Half of a surrogate pair on its own: not a character, and JSON writes it as a six-byte escape, so text
 * made of them would take six bytes a character in every view and frame that carries it.
 */
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

/** Controls that reorder the text after them (U+202E shows `txt.exe` as `exe.txt`). */
const BIDI_CONTROL = /\p{Bidi_Control}/u;
/** Tag characters, invisible ASCII look-alikes; allowed only inside an emoji flag (🏴 + tags + cancel tag). */
const TAG = /[\u{E0000}-\u{E007F}]/u;
const FLAG_SEQUENCE = /\u{1F3F4}[\u{E0020}-\u{E007E}]+\u{E007F}/gu;

function at(text: string, pattern: RegExp, what: string): string | undefined {
  const match = pattern.exec(text);
  if (!match) return undefined;
  const codePoint = match[0].codePointAt(0) ?? 0;
  const where = [...text.slice(0, match.index)].length + 1;
  return `must not contain ${what} U+${codePoint.toString(16).toUpperCase().padStart(4, '0')} (character ${where})`;
}

/** Why a piece of free text (already NFC-normalised and trimmed) is refused, or undefined. */
export function textProblem(text: string): string | undefined {
  return (
    at(text, CONTROL, 'the control character') ??
    at(text, LONE_SURROGATE, 'the unpaired surrogate') ??
    (INVISIBLE.test(text) ? 'must not be blank' : undefined)
  );
}

/** Why a title (or a person's name) is refused: as any text, and no bidirectional controls or stray tags. */
export function titleProblem(text: string): string | undefined {
  // A flag is replaced by as many stand-in characters, so that positions stay right.
  const withoutFlags = text.replace(FLAG_SEQUENCE, (flag) => 'x'.repeat([...flag].length));
  return (
    textProblem(text) ??
    at(text, BIDI_CONTROL, 'the bidirectional control') ??
    at(withoutFlags, TAG, 'the tag character')
  );
}
