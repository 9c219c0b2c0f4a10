/**
 * "Did you mean ...?" for config errors: the known name closest to a misspelt one, when it is close enough to be the
 * likely intent (a typo or a case slip), never a guess among unrelated names.
 */

/** Optimal string alignment distance (Levenshtein plus adjacent transpositions), case-insensitive. */
export function editDistance(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  const rows = Array.from({ length: x.length + 1 }, (_, i) => Array.from({ length: y.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= x.length; i++) {
    for (let j = 1; j <= y.length; j++) {
      const cost = x[i - 1] === y[j - 1] ? 0 : 1;
      const row = rows[i]!;
      row[j] = Math.min(rows[i - 1]![j]! + 1, row[j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && x[i - 1] === y[j - 2] && x[i - 2] === y[j - 1]) row[j] = Math.min(row[j]!, rows[i - 2]![j - 2]! + 1);
    }
  }
  return rows[x.length]![y.length]!;
}

/**
 * The candidate `input` most likely meant: equal ignoring case and punctuation, or within an edit distance of 1 (up to
 * 4 characters), 2 (up to 12) or 3. `undefined` when nothing is that close or two candidates tie.
 */
export function closest(input: string, candidates: readonly string[]): string | undefined {
  const squash = (text: string) => text.toLowerCase().replace(/[-_.\s]/g, "");
  const same = candidates.filter((candidate) => squash(candidate) === squash(input));
  if (same.length === 1) return same[0];
  const limit = input.length <= 4 ? 1 : input.length <= 12 ? 2 : 3;
  const scored = candidates.map((candidate) => ({ candidate, distance: editDistance(input, candidate) })).filter(({ distance }) => distance <= limit);
  if (scored.length === 0) return undefined;
  const best = Math.min(...scored.map(({ distance }) => distance));
  const winners = scored.filter(({ distance }) => distance === best);
  return winners.length === 1 ? winners[0]!.candidate : undefined;
}
