// Min/max bucket reduction, mirrored from src/labtrack/widgets/reduction.py: a curve of any
// length is drawn with at most MAX_POINTS points. Each bucket keeps its lowest and highest
// point in their original order; the first and last points are always kept, so spikes and
// the current value survive. NaN is neither low nor high; an all-NaN bucket keeps its first
// point so the gap still shows.

export const MAX_POINTS = 2000;

/** Ascending indices of the points of `values[0..count)` to draw. */
export function minmaxIndices(
  values: ArrayLike<number>,
  count: number = values.length,
  maxPoints: number = MAX_POINTS
): Uint32Array {
  if (count <= maxPoints) {
    const all = new Uint32Array(count);
    for (let i = 0; i < count; i++) {
      all[i] = i;
    }
    return all;
  }
  const buckets = Math.floor((maxPoints - 2) / 2);
  const keep = new Uint32Array(2 * buckets + 2);
  let kept = 0;
  keep[kept++] = 0;
  const width = (count - 2) / buckets;
  for (let b = 0; b < buckets; b++) {
    const start = Math.floor(1 + b * width);
    const end = b === buckets - 1 ? count - 1 : Math.floor(1 + (b + 1) * width);
    let low = start;
    let high = start;
    let lowValue = Infinity;
    let highValue = -Infinity;
    for (let i = start; i < end; i++) {
      const v = values[i];
      if (v < lowValue) {
        lowValue = v;
        low = i;
      }
      if (v > highValue) {
        highValue = v;
        high = i;
      }
    }
    if (low === high) {
      keep[kept++] = low;
    } else {
      keep[kept++] = Math.min(low, high);
      keep[kept++] = Math.max(low, high);
    }
  }
  keep[kept++] = count - 1;
  return keep.subarray(0, kept);
}

/** `source` at `indices`, as a new Float64Array. */
export function pick(source: ArrayLike<number>, indices: Uint32Array): Float64Array {
  const out = new Float64Array(indices.length);
  for (let i = 0; i < indices.length; i++) {
    out[i] = source[indices[i]];
  }
  return out;
}
