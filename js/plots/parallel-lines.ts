// The lines of the canvas parallel coordinates (parallel-canvas.ts draws the rest): every
// run's polyline stroked on a 2D canvas, selected runs by colour bucket on top of the
// unselected ones, which are muted on a layer of their own.
import { unselectedLine } from './parallel';
import { bucketColour, COLOUR_BUCKETS, IParallelModel } from './parallel-model';
import type { IPlotTheme } from './theme';

/** What to stroke, and where: the layout is the canvas's (css pixels). */
export interface ILinePaint {
  model: IParallelModel;
  theme: IPlotTheme;
  /** Runs in drawing order, and where each colour bucket starts in it (`drawOrder`). */
  order: { order: Uint32Array; starts: number[] };
  /** Per run, 1 when inside every brush; null when nothing is brushed. */
  chosen: Uint8Array | null;
  /** The x of each axis, the y of the plot's top and its height. */
  xs: number[];
  top: number;
  plotHeight: number;
  /** Per axis, per run: where the run's value sits on the axis (0 bottom, 1 top). */
  positions: Float32Array[];
  width: number;
  height: number;
}

/** How opaque one line is: few lines fully, many lines thinner so dense regions show. */
export function lineAlpha(lines: number): number {
  return lines <= 100 ? 0.9 : Math.max(0.1, 0.9 * Math.sqrt(100 / lines));
}

/** A few lines are easier to follow a little thicker; thousands stay one pixel. */
export function lineWidth(lines: number): number {
  return lines <= 200 ? 1.5 : 1;
}

/** Stroke every run's polyline: unselected runs first (muted), then the others by colour
 *  bucket from worst to best, so the best lie on top. Returns how many lines were stroked
 *  (null: the canvas has no 2D context). */
export function paintLines(
  canvas: HTMLCanvasElement,
  layerCanvas: () => HTMLCanvasElement,
  paint: ILinePaint
): number | null {
  const { model, theme, xs, top, chosen } = paint;
  const ctx = canvas.getContext('2d');
  if (!ctx) {
    return null;
  }
  const ratio = canvas.width / paint.width;
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  ctx.clearRect(0, 0, paint.width, paint.height);
  const height = paint.plotHeight;
  const ys = paint.positions.map(p => {
    const y = new Float32Array(p.length);
    for (let r = 0; r < p.length; r++) {
      y[r] = top + (1 - p[r]) * height;
    }
    return y;
  });
  const alpha = lineAlpha(model.runs);
  const width = lineWidth(model.runs);
  ctx.lineWidth = width;
  ctx.lineJoin = 'round';
  let drawn = 0;
  const stroke = (runs: ArrayLike<number>, from: number, to: number, keep: (r: number) => boolean, target = ctx) => {
    target.beginPath();
    for (let k = from; k < to; k++) {
      const r = runs[k];
      if (!keep(r)) {
        continue;
      }
      target.moveTo(xs[0], ys[0][r]);
      for (let a = 1; a < xs.length; a++) {
        target.lineTo(xs[a], ys[a][r]);
      }
      drawn++;
    }
    target.stroke();
  };
  const { order, starts } = paint.order;
  if (chosen) {
    // Unselected runs are stroked opaque on a layer of their own, laid under the others at
    // the muted opacity: where thousands share a segment it stays as faint as one line
    // (1 px lines add up their opacity even within one path, which turned them white).
    const muted = unselectedLine(theme);
    const [rgb, colourAlpha] = opaqueColour(ctx, muted.color);
    const layer = layerCanvas();
    const lctx = layer.getContext('2d')!;
    lctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    lctx.clearRect(0, 0, paint.width, paint.height);
    lctx.lineWidth = width;
    lctx.lineJoin = 'round';
    lctx.strokeStyle = rgb;
    stroke(order, 0, order.length, r => !chosen[r], lctx);
    ctx.save();
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.globalAlpha = muted.opacity * colourAlpha;
    ctx.drawImage(layer, 0, 0);
    ctx.restore();
  }
  ctx.globalAlpha = alpha;
  const colour = model.colour;
  for (let slot = 0; slot < starts.length - 1; slot++) {
    const b = colour ? slot - (colour.missing ? 1 : 0) : 0;
    ctx.strokeStyle = !colour
      ? theme.colorway[0]
      : b < 0
        ? theme.muted
        : bucketColour(colour.scale, colour.lowerIsBetter ? COLOUR_BUCKETS - 1 - b : b);
    strokeInChunks(starts[slot], starts[slot + 1], (from, to) =>
      stroke(order, from, to, r => !chosen || chosen[r] === 1)
    );
  }
  ctx.globalAlpha = 1;
  return drawn;
}

/** Lines per stroked path: overlapping lines in one path do not add up their opacity, so
 *  short paths let dense regions show darker; long ones are faster to stroke. */
const LINES_PER_PATH = 64;

function strokeInChunks(from: number, to: number, stroke: (from: number, to: number) => void): void {
  for (let k = from; k < to; k += LINES_PER_PATH) {
    stroke(k, Math.min(to, k + LINES_PER_PATH));
  }
}

/** `colour` without its alpha, and that alpha (a theme's muted colour may be translucent). */
function opaqueColour(ctx: CanvasRenderingContext2D, colour: string): [string, number] {
  ctx.fillStyle = '#000';
  ctx.fillStyle = colour;
  const normal = String(ctx.fillStyle);
  const rgba = /^rgba\((\d+),\s*(\d+),\s*(\d+),\s*([\d.]+)\)$/.exec(normal);
  return rgba ? [`rgb(${rgba[1]}, ${rgba[2]}, ${rgba[3]})`, Number(rgba[4])] : [normal, 1];
}

