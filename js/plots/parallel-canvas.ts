// Parallel coordinates drawn on a 2D canvas, with axes, ticks, labels, the colour bar and the
// brushes in an SVG on top. Used instead of plotly's WebGL parcoords, which took 20+ s to draw
// 10k runs on a machine without a GPU (software WebGL); stroking 10k polylines on a canvas
// takes a fraction of a second there. Brushing works with the mouse (drag along an axis; drag a
// range to move it; click to clear) and the keyboard (each axis is focusable; see BRUSH_KEYS),
// and always tests every run. The host element says what was painted: `data-lines` (the
// polylines stroked in the last paint) and `data-selected`. This class lays out and holds
// the state; the lines are stroked by parallel-lines.ts, each axis's draggable, focusable
// area is parallel-hit.ts, and the other SVG parts are parallel-svg.ts.
import { axisLabels, labelRoom, LABEL_ANGLE, CROWDED_AXES } from './parallel';
import { MISSING_LABEL } from './parallel-axes';
import { axisHitArea } from './parallel-hit';
import { paintLines } from './parallel-lines';
import { axisPosition, Brush, drawOrder, IParallelModel, runsInside } from './parallel-model';
import { brushShapes, colourBar, describeBrush, el } from './parallel-svg';
import type { IPlotTheme } from './theme';

const MARGIN = { left: 70, right: 50, colourBar: 110, bottom: 24 };
/** Frames to wait for a host without a width to get one before leaving it to the caller. */
const RETRY_FRAMES = 30;

export interface IParallelCanvasOptions {
  /** Called with the runs inside every brush (null: no brush) when a brush is set or cleared. */
  onBrush?: (inside: Int32Array | null) => void;
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

  /** Stroke every run's polyline (parallel-lines.ts) and say on the host what was drawn. */
  private _paint(): void {
    const drawn = paintLines(this._canvas, () => this._contextLayer(), {
      model: this._model!,
      theme: this._theme!,
      order: this._order!,
      chosen: this._chosen,
      xs: this._axisX(),
      top: this._top(),
      plotHeight: this._plotHeight(),
      positions: this._positions,
      width: this._width,
      height: this._height
    });
    if (drawn === null) {
      return;
    }
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
      g.append(
        axisHitArea(doc, this._svg, column.label, column.axis, top, height, {
          brushOf: label => this._brushes.get(label) ?? null,
          setBrush: (label, brush, report) => this._setBrush(label, brush, report)
        })
      );
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

