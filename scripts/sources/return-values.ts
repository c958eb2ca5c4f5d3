/**
 * Pure: the values a call returns and what each one means, from the docs' prose of one API ("If the key is present
 * ... return 1. If the key is missing ... return 0. On error ... return -1."). What a value means is recorded in
 * this project's words, as one of a few kinds; the docs' sentences are not kept.
 *
 *   success  the call did what it does
 *   error    it failed (the prose speaks of an error, a failure or an exception)
 *   yes      the condition the call tests holds (found, true, contained, a subtype...)
 *   no       it does not (otherwise, missing, false, not...)
 */
export type ReturnMeaning = 'success' | 'error' | 'yes' | 'no';

export interface ReturnValue {
  /** As the docs write it: '1', '0', '-1', 'NULL', 'true', 'false'. */
  readonly value: string;
  readonly means: ReturnMeaning;
}

const VALUE = String.raw`(-1|0|1|NULL|true|false)`;
/**
 * "return 1", "returns -1", "1 is returned", and a value listed after one ("return 1 if ..., and 0 otherwise";
 * "-1 on error, 0 if ..., 1 otherwise").
 */
const RETURN_VALUE = new RegExp(String.raw`\breturns?\s+${VALUE}\b|(?<![\w-])${VALUE}\s+is\s+returned\b|(?:,\s*(?:and\s+|or\s+)?|\band\s+|\bor\s+)${VALUE}(?=\s+(?:if|otherwise|on|when)\b)`, 'gi');
/** A sentence's leading condition: "If the key is missing, ...", "On error, ...", "When ..., ...". */
const LEAD = /^(?:if|when|on|in case|unless)\b[^,]*,/i;
/** A failure: the error words, an exception raised or named (TypeError), an invalid or impossible request. */
const ERROR_WORDS = /\b(errors?|fail\w*|exceptions?|raises?|raised|\w+Error|out of bounds|overflows?|cannot|unable|invalid|insufficient)\b/i;
const SUCCESS_WORDS = /\b(on success|success|successful|successfully|succeeds?)\b/i;

/** The clause of a sentence around a position: from the previous clause break to the next one. */
function clauseAround(sentence: string, start: number, end: number): { before: string; after: string } {
  const breaks = /[,;:.]|\band\b|\bor\b|\botherwise\b/gi;
  let from = 0;
  let to = sentence.length;
  for (const m of sentence.matchAll(breaks)) {
    if (m.index! + m[0].length <= start) from = m.index! + (m[0].toLowerCase() === 'otherwise' ? 0 : m[0].length);
    else if (m.index! >= end && to === sentence.length) to = m.index! + (m[0].toLowerCase() === 'otherwise' ? m[0].length : 0);
  }
  return { before: sentence.slice(from, start), after: sentence.slice(end, to) };
}

/** Phrases that name an error without one happening: "the error indicator", "does not set an error". */
const NOT_AN_ERROR = /\berror indicator\b|\b(?:not|without|never)\s+(?:set|setting|raise|raising)\s+(?:an?\s+)?(?:error|exception)\b/gi;

/** `returnType` picks the values that can be meant: NULL for a pointer, numbers and true/false otherwise. */
export function findReturnValues(markedProse: string, returnType: string): ReturnValue[] {
  const pointer = returnType.trim().endsWith('*');
  const prose = markedProse.replace(/⟦(\w+)⟧/g, '$1').replace(NOT_AN_ERROR, 'quietly');
  const found: ReturnValue[] = [];
  let lastCondition: ReturnMeaning | null = null;
  // "...: If the key is present, ..." starts a sentence of its own.
  for (const sentence of prose.split(/(?<=[.!?:])\s+(?=[A-Z])/)) {
    if (!/\breturn/i.test(sentence)) continue;
    // A sentence's leading "If ..." or "On error, ..." governs a value whose own clause says nothing.
    const lead = LEAD.exec(sentence)?.[0] ?? '';
    for (const m of sentence.matchAll(RETURN_VALUE)) {
      const value = (m[1] ?? m[2] ?? m[3])!;
      const normalised = /^(true|false)$/i.test(value) ? value.toLowerCase() : value.toUpperCase() === 'NULL' ? 'NULL' : value;
      if ((normalised === 'NULL') !== pointer) continue; // a value of another call the sentence mentions
      // The clause is the value's own: a listed value ("..., 0 if ...") starts after the comma before it.
      const valueStart = m.index! + m[0].toLowerCase().lastIndexOf(value.toLowerCase());
      const { before, after } = clauseAround(sentence, valueStart, m.index! + m[0].length);
      const own = `${before} ${after}`;
      const context = /\b(if|when|on|otherwise|unless|error|fail\w*|success\w*)\b/i.test(own) ? own : `${lead} ${own}`;
      // An error indicator (NULL, -1) in a sentence about failing is the error return, whatever clause it sits in.
      const indicator = normalised === 'NULL' || normalised === '-1';
      let means: ReturnMeaning;
      if (ERROR_WORDS.test(context) || (indicator && ERROR_WORDS.test(sentence))) means = 'error';
      else if (SUCCESS_WORDS.test(context)) means = 'success';
      else if (/\botherwise\b/i.test(context)) {
        // "Otherwise" answers a condition this reading recorded; after one it did not (return -2 if ...), it says nothing.
        if (lastCondition === null) continue;
        means = lastCondition === 'no' ? 'yes' : 'no';
      }
      // A value under a condition answers it: 1 and true say it holds, 0, false, NULL and -1 that it does not.
      else if (/\b(if|when|whether|unless)\b/i.test(context)) means = normalised === '1' || normalised === 'true' ? 'yes' : 'no';
      else continue; // a value with no condition said: nothing to record
      if (means === 'yes' || means === 'no') lastCondition = means;
      if (!found.some((f) => f.value === normalised)) found.push({ value: normalised, means });
    }
  }
  return found;
}
