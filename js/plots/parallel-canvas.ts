// Parallel coordinates drawn on a 2D canvas, with axes, ticks, labels, the colour bar and the
// brushes in an SVG on top. Used instead of plotly's WebGL parcoords, which took 20+ s to draw
// 10k runs on a machine without a GPU (software WebGL); stroking 10k polylines on a canvas
// takes a fraction of a second there. Brushing works with the mouse (drag along an axis; drag a
// range to move it; click to clear) and the keyboard (each axis is focusable; see BRUSH_KEYS),
// and always tests every run. The host element says what was painted: `data-lines` (the
// polylines stroked in the last paint) and `data-selected`.
import { MISSING_LABEL } from './parallel-axes';
import { axisLabels, labelRoom, LABEL_ANGLE, CROWDED_AXES, unselectedLine } from './parallel';
import {
  axisPosition,
  axisValue,
  Brush,
  BRUSH_KEYS,
  brushAfterKey,
  brushBetween,
  bucketColour,
  COLOUR_BUCKETS,
  drawOrder,
  IParallelModel,
  runsInside
} from './parallel-model';
import { brushShapes, colourBar, describeBrush, el } from './parallel-svg';
import type { IPlotTheme } from './theme';

const MARGIN = { left: 70, right: 50, colourBar: 110, bottom: 24 };
const HIT_WIDTH = 28;
/** Frames to wait for a host without a width to get one before leaving it to the caller. */
const RETRY_FRAMES = 30;
/** Pointer travel (px) below which a press on an axis is a click (clears its brush). */
const CLICK_PX = 3;

export interface IParallelCanvasOptions {
  /** Called with the runs inside every brush (null: no brush) when a brush is set or cleared. */
  onBrush?: (inside: Int32Array | null) => void;
}

/** How opaque one line is: few lines fully, many lines thinner so dense regions show. */
export function lineAlpha(lines: number): number {
  return lines <= 100 ? 0.9 : Math.max(0.1, 0.9 * Math.sqrt(100 / lines));
}

/** A few lines are easier to follow a little thicker; thousands stay one pixel. */
export function lineWidth(lines: number): number {
  return lines <= 200 ? 1.5 : 1;
}

export class ParallelCanvas {
  constructor(host: HTMLElement, options: IParallelCanvasOptions = {}) {
    this._host = host;
    this._options = options;
    const doc = host.ownerDocument;
    host.classList.add('lt-pc');
    host.style.position = 'relative';
    this._canvas = doc.createElement('canvas');
    this._canvas.setAttribute('aria-hidden', 'true');
    this._canvas.style.cssText = 'position:absolute;left:0;top:0;';
    this._svg = el(doc, 'svg') as SVGSVGElement;
    this._svg.style.cssText = 'position:absolute;left:0;top:0;overflow:visible;';
    host.replaceChildren(this._canvas, this._svg);
  }

  /** The brushes by axis label (the runs they select are `selected`). */
  get brushes(): ReadonlyMap<string, Brush> {
    return this._brushes;
  }

  /** Draw `model`. Brushes of axes that are still there (same label and kind) are kept unless
   *  `keepBrushes` is false; a change of what is selected is reported through `onBrush`. */
  update(model: IParallelModel, theme: IPlotTheme, height: number, keepBrushes = true): void {
    const before = this._selectionKey();
    const kinds = new Map(model.columns.map(c => [c.label, c.axis.kind]));
    const old = this._model ? new Map(this._model.columns.map(c => [c.label, c.axis.kind])) : new Map();
    for (const label of [...this._brushes.keys()]) {
      if (!keepBrushes || kinds.get(label) !== old.get(label)) {
        this._brushes.delete(label);
      }
    }
    this._model = model;
    this._theme = theme;
    this._height = height;
    this._positions = model.columns.map(({ axis }) => {
      const [low, high] = axis.range;
      const span = high - low || 1;
      const positions = new Float32Array(axis.values.length);
      for (let r = 0; r < positions.length; r++) {
        positions[r] = high === low ? 0.5 : (axis.values[r] - low) / span;
      }
      return positions;
    });
    this._order = drawOrder(model);
    this._select();
    this.resize();
    if (this._selectionKey() !== before) {
      this._options.onBrush?.(this._inside);
    }
  }

  /** Paint if the host's width changed or a paint is owed (call from a ResizeObserver). */
  fit(): void {
    const width = this._host.clientWidth;
    if (width > 0 && (this._owed || width !== this._width)) {
      this.resize();
    }
  }

  /** Lay out again for the host's current width and paint. A host without a width is painted
   *  later: on the next frames (JupyterLab swapping theme stylesheets collapses the layout for
   *  a moment, too briefly for a ResizeObserver to report), else when the caller's
   *  ResizeObserver sees it get one (a hidden panel shown). */
  resize(): void {
    const width = this._host.clientWidth;
    if (!this._model || !this._theme) {
      return;
    }
    if (width < 1) {
      this._owed = true;
      if (this._retry === null && this._retries < RETRY_FRAMES) {
        this._retry = requestAnimationFrame(() => {
          this._retry = null;
          this._retries++;
          this.fit();
        });
      }
      return;
    }
    this._owed = false;
    this._retries = 0;
    this._width = width;
    this._host.style.height = `${this._height}px`;
    const ratio = this._host.ownerDocument.defaultView?.devicePixelRatio || 1;
    this._canvas.width = Math.round(width * ratio);
    this._canvas.height = Math.round(this._height * ratio);
    this._canvas.style.width = `${width}px`;
    this._canvas.style.height = `${this._height}px`;
    this._svg.setAttribute('width', String(width));
    this._svg.setAttribute('height', String(this._height));
    this._drawAxes();
    this._paint();
  }

  dispose(): void {
    if (this._frame !== null) {
      cancelAnimationFrame(this._frame);
    }
    if (this._retry !== null) {
      cancelAnimationFrame(this._retry);
    }
    this._host.replaceChildren();
  }

  // --- layout -------------------------------------------------------------------------------

  private _top(): number {
    return labelRoom(this._model!, this._theme!.fontSize);
  }

  private _plotHeight(): number {
    return Math.max(40, this._height - this._top() - MARGIN.bottom);
  }

  private _axisX(): number[] {
    const count = this._model!.columns.length;
    const left = MARGIN.left;
    const right = this._width - (this._model!.colour ? MARGIN.colourBar : MARGIN.right);
    if (count === 1) {
      return [(left + right) / 2];
    }
    return this._model!.columns.map((_, i) => left + ((right - left) * i) / (count - 1));
  }

  private _y(t: number): number {
    return this._top() + (1 - t) * this._plotHeight();
  }

  // --- selection ------------------------------------------------------------------------------

  private _select(): void {
    const model = this._model!;
    const brushes = model.columns.map(c => this._brushes.get(c.label) ?? null);
    this._inside = runsInside(model.columns, brushes, model.runs);
    this._chosen = null;
    if (this._inside) {
      this._chosen = new Uint8Array(model.runs);
      for (const r of this._inside) {
        this._chosen[r] = 1;
      }
    }
  }

  private _selectionKey(): string {
    return this._inside ? `${this._inside.length}:${this._inside.join(',')}` : 'none';
  }

  private _setBrush(label: string, brush: Brush | null, report: boolean): void {
    if (brush) {
      this._brushes.set(label, brush);
    } else {
      this._brushes.delete(label);
    }
    this._select();
    this._drawBrush(label);
    this._schedulePaint();
    if (report) {
      this._options.onBrush?.(this._inside);
    }
  }

  // --- lines ----------------------------------------------------------------------------------

  private _schedulePaint(): void {
    if (this._frame === null) {
      const view = this._host.ownerDocument.defaultView!;
      this._frame = view.requestAnimationFrame(() => {
        this._frame = null;
        this._paint();
      });
    }
  }

  /** Stroke every run's polyline: unselected runs first (muted), then the others by colour
   *  bucket from worst to best, so the best lie on top. */
  private _paint(): void {
    const model = this._model!;
    const theme = this._theme!;
    const ctx = this._canvas.getContext('2d');
    if (!ctx) {
      return;
    }
    const ratio = this._canvas.width / this._width;
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.clearRect(0, 0, this._width, this._height);
    const xs = this._axisX();
    const top = this._top();
    const height = this._plotHeight();
    const ys = this._positions.map(p => {
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
    const chosen = this._chosen;
    const { order, starts } = this._order!;
    if (chosen) {
      // Unselected runs are stroked opaque on a layer of their own, laid under the others at
      // the muted opacity: where thousands share a segment it stays as faint as one line
      // (1 px lines add up their opacity even within one path, which turned them white).
      const muted = unselectedLine(theme);
      const [rgb, colourAlpha] = opaqueColour(ctx, muted.color);
      const layer = this._contextLayer();
      const lctx = layer.getContext('2d')!;
      lctx.setTransform(ratio, 0, 0, ratio, 0, 0);
      lctx.clearRect(0, 0, this._width, this._height);
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
    this._host.dataset.lines = String(drawn);
    this._host.dataset.selected = String(this._inside ? this._inside.length : 0);
  }

  private _contextLayer(): HTMLCanvasElement {
    const layer = (this._layer ??= this._host.ownerDocument.createElement('canvas'));
    if (layer.width !== this._canvas.width || layer.height !== this._canvas.height) {
      layer.width = this._canvas.width;
      layer.height = this._canvas.height;
    }
    return layer;
  }

  // --- axes, ticks, labels, brushes, colour bar -------------------------------------------------

  private _drawAxes(): void {
    const model = this._model!;
    const theme = this._theme!;
    const doc = this._host.ownerDocument;
    const xs = this._axisX();
    const top = this._top();
    const height = this._plotHeight();
    const small = Math.max(9, theme.fontSize - 2);
    const crowded = model.columns.length > CROWDED_AXES;
    const labels = axisLabels(model);
    const svg = this._svg;
    const focused = (doc.activeElement as Element | null)?.getAttribute?.('data-hit') ?? null;
    svg.replaceChildren();
    this._axisGroups.clear();
    svg.setAttribute('font-family', theme.fontFamily);
    svg.setAttribute('font-size', String(small));
    const style = el(doc, 'style');
    style.textContent =
      '.lt-pc-hit{cursor:crosshair;outline:none}' +
      `.lt-pc-hit:focus-visible{stroke:${theme.foreground};stroke-width:1.5;stroke-dasharray:3 2}` +
      '.lt-pc-brush{cursor:ns-resize;pointer-events:none}';
    svg.append(style);
    model.columns.forEach((column, i) => {
      const { axis } = column;
      const g = el(doc, 'g', { class: 'lt-pc-axis', transform: `translate(${xs[i]},0)` });
      g.dataset.axis = column.label;
      g.dataset.kind = axis.kind;
      g.append(
        el(doc, 'line', {
          class: 'lt-pc-domain', x1: 0, x2: 0, y1: top, y2: top + height,
          stroke: theme.foreground, 'stroke-opacity': 0.55, 'stroke-width': 1
        })
      );
      axis.tickvals.forEach((value, k) => {
        const y = this._y(axisPosition(axis, value));
        g.append(el(doc, 'line', { x1: -4, x2: 0, y1: y, y2: y, stroke: theme.foreground, 'stroke-opacity': 0.55 }));
        const text = axis.ticktext[k];
        if (text) {
          const t = el(doc, 'text', {
            class: 'lt-pc-tick', x: -7, y, 'text-anchor': 'end', 'dominant-baseline': 'middle',
            fill: text === MISSING_LABEL ? theme.muted : theme.foreground,
            'font-style': text === MISSING_LABEL ? 'italic' : 'normal',
            stroke: theme.background, 'stroke-width': 3, 'stroke-linejoin': 'round', 'paint-order': 'stroke'
          });
          t.textContent = text;
          g.append(t);
        }
      });
      const label = el(doc, 'text', {
        class: 'lt-pc-label', x: 0, y: top - 12, fill: theme.foreground, 'font-size': theme.fontSize,
        'font-weight': 600, 'text-anchor': crowded ? 'start' : 'middle',
        ...(crowded ? { transform: `rotate(${LABEL_ANGLE} 0 ${top - 12})` } : {})
      });
      label.textContent = labels[i];
      if (labels[i] !== column.label) {
        const title = el(doc, 'title');
        title.textContent = column.label;
        label.append(title);
      }
      g.append(label);
      g.append(el(doc, 'g', { class: 'lt-pc-brushes' }));
      g.append(this._hitArea(doc, column.label, i, top, height));
      svg.append(g);
      this._axisGroups.set(column.label, g);
      this._drawBrush(column.label);
    });
    if (model.colour) {
      svg.append(
        colourBar(doc, model.colour, theme, {
          x: this._width - MARGIN.colourBar + 34, top, height, small, titleX: this._width - 12
        })
      );
    }
    if (focused !== null) {
      (svg.querySelector(`[data-hit="${CSS.escape(focused)}"]`) as SVGElement | null)?.focus();
    }
  }

  /** The brush of one axis, its range labels and what it tells assistive technology; the
   *  axis's focusable hit area stays (it holds the pointer capture while dragging). */
  private _drawBrush(label: string): void {
    const g = this._axisGroups.get(label);
    const column = this._model!.columns.find(c => c.label === label);
    if (!g || !column) {
      return;
    }
    const brush = this._brushes.get(label) ?? null;
    const layer = g.querySelector('.lt-pc-brushes')!;
    const small = Math.max(9, this._theme!.fontSize - 2);
    layer.replaceChildren(
      ...(brush ? brushShapes(g.ownerDocument, column.axis, brush, this._theme!, small, t => this._y(t)) : [])
    );
    g.dataset.brush = brush ? `${brush[0]},${brush[1]}` : '';
    const hit = g.querySelector('.lt-pc-hit');
    hit?.setAttribute('aria-valuetext', describeBrush(label, column.axis, brush));
    // A slider's value: where the top of the brush sits on the axis, in percent.
    const top = brush ? Math.max(0, Math.min(1, axisPosition(column.axis, brush[1]))) : 0;
    hit?.setAttribute('aria-valuenow', String(Math.round(top * 100)));
  }

  private _hitArea(doc: Document, label: string, index: number, top: number, height: number): SVGElement {
    const axis = this._model!.columns[index].axis;
    const hit = el(doc, 'rect', {
      class: 'lt-pc-hit', x: -HIT_WIDTH / 2, y: top - 6, width: HIT_WIDTH, height: height + 12,
      fill: 'transparent', tabindex: 0, role: 'slider', 'aria-label': `Select a range of ${label}`,
      'aria-valuemin': 0, 'aria-valuemax': 100, 'aria-orientation': 'vertical', 'aria-description': BRUSH_KEYS
    });
    hit.dataset.hit = label;
    const valueAtPointer = (event: PointerEvent): number => {
      const box = this._svg.getBoundingClientRect();
      const y = event.clientY - box.top;
      return axisValue(axis, 1 - (y - top) / height);
    };
    hit.addEventListener('pointerdown', event => {
      event.preventDefault();
      (hit as SVGElement).focus?.();
      hit.setPointerCapture?.(event.pointerId);
      const startY = event.clientY;
      const from = valueAtPointer(event);
      const original = this._brushes.get(label) ?? null;
      const moving = original !== null && from >= original[0] && from <= original[1];
      let dragged = false;
      const move = (e: PointerEvent) => {
        if (!dragged && Math.abs(e.clientY - startY) < CLICK_PX) {
          return;
        }
        dragged = true;
        const to = valueAtPointer(e);
        if (moving && original) {
          const [low, high] = axis.range;
          const edge = axis.kind === 'categorical' ? 0.5 : 0;
          const shift = Math.max(low - edge - original[0], Math.min(high + edge - original[1], to - from));
          const snapped = axis.kind === 'categorical' ? Math.round(shift) : shift;
          this._setBrush(label, [original[0] + snapped, original[1] + snapped], false);
        } else {
          this._setBrush(label, brushBetween(axis, from, to), false);
        }
      };
      const up = () => {
        hit.removeEventListener('pointermove', move);
        hit.removeEventListener('pointerup', up);
        hit.removeEventListener('pointercancel', up);
        // A click clears the axis's brush; a drag sets it.
        this._setBrush(label, dragged ? this._brushes.get(label) ?? null : null, true);
      };
      hit.addEventListener('pointermove', move);
      hit.addEventListener('pointerup', up);
      hit.addEventListener('pointercancel', up);
    });
    hit.addEventListener('keydown', event => {
      const next = brushAfterKey(axis, this._brushes.get(label) ?? null, event.key, event.shiftKey);
      if (next !== undefined) {
        event.preventDefault();
        this._setBrush(label, next, true);
      }
    });
    return hit;
  }

  private _host: HTMLElement;
  private _options: IParallelCanvasOptions;
  private _canvas: HTMLCanvasElement;
  private _svg: SVGSVGElement;
  private _model: IParallelModel | null = null;
  private _theme: IPlotTheme | null = null;
  private _height = 380;
  private _width = 0;
  private _positions: Float32Array[] = [];
  private _order: { order: Uint32Array; starts: number[] } | null = null;
  private _brushes = new Map<string, Brush>();
  private _axisGroups = new Map<string, SVGElement>();
  private _inside: Int32Array | null = null;
  private _chosen: Uint8Array | null = null;
  private _frame: number | null = null;
  private _owed = false;
  private _layer: HTMLCanvasElement | null = null;
  private _retry: number | null = null;
  private _retries = 0;
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

