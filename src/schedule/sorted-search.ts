/** Index of the first element of an ascending array that is `>= value` (the length when none is). */
export function lowerBound(sorted: readonly number[], value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Index of the first element of an ascending array of integers that is `> value`. */
export function upperBound(sorted: readonly number[], value: number): number {
  return lowerBound(sorted, value + 1);
}
