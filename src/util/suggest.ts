/**
 * "Did you mean": the closest known name to a misspelt one. The input comes from the user, so its
 * cost is bounded whatever its size: long inputs are never compared, and a comparison stops as
 * soon as the distance is known to exceed what would count as a typo.
 */

/** Inputs longer than this are not typos of a known name (the longest known names are ~30 characters). */
export const SUGGEST_MAX_LENGTH = 64;

/**
 * Edit distance (insertions, deletions, substitutions, adjacent transpositions) between `a` and
 * `b`; once it is certain to exceed `limit`, returns `limit + 1` without finishing.
 */
export function editDistance(a: string, b: string, limit = Number.POSITIVE_INFINITY): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  const cols = b.length + 1;
  let beforePrevious = new Array<number>(cols).fill(0);
  let previous = Array.from({ length: cols }, (_, j) => j);
  let current = new Array<number>(cols).fill(0);
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    let rowMin = i;
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let distance = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) distance = Math.min(distance, beforePrevious[j - 2] + 1);
      current[j] = distance;
      if (distance < rowMin) rowMin = distance;
    }
    // No cell of a later row is below this row's minimum, so once it exceeds the limit the answer is known.
    if (rowMin > limit) return limit + 1;
    [beforePrevious, previous, current] = [previous, current, beforePrevious];
  }
  return Math.min(previous[cols - 1], limit + 1);
}

/**
 * The candidate closest to `input`, when it is close enough to be a likely typo: at most a third
 * of the input's length away (and at least one edit allowed). Ties go to the earlier candidate.
 */
export function closest(input: string, candidates: readonly string[]): string | undefined {
  if (input.length > SUGGEST_MAX_LENGTH) return undefined;
  const needle = input.toLowerCase();
  const limit = Math.max(1, Math.floor(needle.length / 3));
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = editDistance(needle, candidate.toLowerCase(), best ? best.distance - 1 : limit);
    if (distance <= limit && (!best || distance < best.distance)) best = { candidate, distance };
  }
  return best?.candidate;
}

/** `did you mean "x"? ` when a close candidate exists, else the empty string. */
export function didYouMean(input: string, candidates: readonly string[]): string {
  const match = closest(input, candidates);
  return match ? ` — did you mean "${match}"?` : "";
}
