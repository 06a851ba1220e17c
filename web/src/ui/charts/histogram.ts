// Counting values into bins for a histogram. Bins are half-open, [from, to), except the last,
// which holds its upper edge too, so a confidence of exactly 1 is counted.

export interface Bin {
  from: number;
  to: number;
  count: number;
}

/** `n` equal bins' edges from `min` to `max` (n + 1 numbers). */
export function evenEdges(min: number, max: number, n: number): number[] {
  if (!(n >= 1) || !(max > min)) throw new Error(`evenEdges: bad range ${min}..${max} in ${n} bins`);
  // Computed from the index, not by adding steps, so 0.1-wide edges come out as 0.3, not 0.30000000000000004.
  return Array.from({ length: n + 1 }, (_, i) => Number((min + ((max - min) * i) / n).toPrecision(12)));
}

/** The values counted into the bins between consecutive `edges` (ascending). Values below the
 * first edge or above the last are clamped into the first or last bin; values that are not
 * finite numbers are left out. */
export function histogram(values: readonly number[], edges: readonly number[]): Bin[] {
  if (edges.length < 2) throw new Error('histogram: needs at least two edges');
  const bins: Bin[] = [];
  for (let i = 0; i + 1 < edges.length; i++) bins.push({ from: edges[i]!, to: edges[i + 1]!, count: 0 });
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    let i = bins.findIndex((b) => v < b.to);
    if (i < 0) i = bins.length - 1;
    bins[i]!.count++;
  }
  return bins;
}

/** "0.9–1" style labels, each edge through `format`. */
export function binLabel(bin: Bin, format: (n: number) => string = String): string {
  return `${format(bin.from)}–${format(bin.to)}`;
}
