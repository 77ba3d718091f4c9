// The SVG parts of the canvas parallel coordinates (parallel-canvas.ts): brushes, the colour
// bar, and the words that describe a brush. Every text is set as textContent, never markup.
import { formatNumber, IAxis, MISSING_LABEL } from './parallel-axes';
import { axisPosition, Brush, ILineColour, scaleColour } from './parallel-model';
import type { IPlotTheme } from './theme';

const SVG = 'http://www.w3.org/2000/svg';
export const BRUSH_WIDTH = 14;
let gradients = 0;

/** The drawn brush of an axis (inside its group, centred on x = 0) and, on a numeric axis, the
 *  values at its ends. `y` maps an axis position (0 bottom, 1 top) to pixels. */
export function brushShapes(
  doc: Document,
  axis: IAxis,
  brush: Brush,
  theme: IPlotTheme,
  small: number,
  y: (t: number) => number
): SVGElement[] {
  // A categorical brush (whole categories, half a category past each) is drawn from its
  // first category to its last, a little past them.
  const categorical = axis.kind === 'categorical';
  const [low, high] = axis.range;
  const top = categorical ? Math.floor(brush[1]) : Math.min(brush[1], high);
  const bottom = categorical ? Math.ceil(brush[0]) : Math.max(brush[0], low);
  const pad = categorical ? 5 : 0;
  const yTop = y(axisPosition(axis, top)) - pad;
  const yBottom = y(axisPosition(axis, bottom)) + pad;
  const shapes: SVGElement[] = [
    el(doc, 'rect', {
      class: 'lt-pc-brush', x: -BRUSH_WIDTH / 2, y: yTop, width: BRUSH_WIDTH, height: Math.max(2, yBottom - yTop),
      rx: 2, fill: theme.foreground, 'fill-opacity': 0.16, stroke: theme.foreground, 'stroke-opacity': 0.7
    })
  ];
  if (axis.kind !== 'categorical') {
    const show = (v: number) => formatNumber(axis.kind === 'log' ? 10 ** v : v);
    for (const [value, at, baseline] of [[brush[1], yTop - 4, 'auto'], [brush[0], yBottom + 4, 'hanging']] as const) {
      const t = el(doc, 'text', {
        class: 'lt-pc-range', x: BRUSH_WIDTH / 2 + 3, y: at, 'dominant-baseline': baseline, fill: theme.muted,
        stroke: theme.background, 'stroke-width': 3, 'paint-order': 'stroke', 'font-size': small
      });
      t.textContent = show(value);
      shapes.push(t);
    }
  }
  return shapes;
}

/** The colour bar of `colour` at `x`, over the plot's height, its title at `titleX`; a grey
 *  "missing" block below the scale when some runs lack the metric. */
export function colourBar(
  doc: Document,
  colour: ILineColour,
  theme: IPlotTheme,
  at: { x: number; top: number; height: number; small: number; titleX: number }
): SVGElement {
  const { x, top, height, small, titleX } = at;
  const barHeight = colour.missing ? height * 0.8 : height;
  const g = el(doc, 'g', { class: 'lt-pc-colourbar' });
  g.dataset.metric = colour.key;
  const id = `lt-pc-gradient-${++gradients}`;
  const defs = el(doc, 'defs');
  const gradient = el(doc, 'linearGradient', { id, x1: 0, x2: 0, y1: 1, y2: 0 });
  for (let s = 0; s <= 10; s++) {
    gradient.append(el(doc, 'stop', { offset: s / 10, 'stop-color': scaleColour(colour.scale, s / 10) }));
  }
  defs.append(gradient);
  g.append(defs, el(doc, 'rect', { x, y: top, width: 12, height: barHeight, fill: `url(#${id})` }));
  const text = (content: string, y: number, extra: Record<string, string | number> = {}) => {
    const t = el(doc, 'text', { x: x + 16, y, 'dominant-baseline': 'middle', fill: theme.foreground, ...extra });
    t.textContent = content;
    g.append(t);
  };
  for (const tick of colour.ticks) {
    const y = top + (1 - (tick - colour.low) / (colour.high - colour.low)) * barHeight;
    g.append(el(doc, 'line', { x1: x + 12, x2: x + 15, y1: y, y2: y, stroke: theme.foreground }));
    text(formatNumber(tick), y);
  }
  if (colour.missing) {
    const y = top + height * 0.9;
    g.append(el(doc, 'rect', { x, y, width: 12, height: height * 0.1, fill: theme.muted }));
    text(MISSING_LABEL, y + height * 0.05, { fill: theme.muted, 'font-style': 'italic' });
  }
  const title = el(doc, 'text', {
    class: 'lt-pc-colourbar-title', x: titleX, y: top + height / 2, 'text-anchor': 'middle',
    transform: `rotate(90 ${titleX} ${top + height / 2})`, fill: theme.foreground, 'font-size': small + 1
  });
  title.textContent = colour.key.length > 24 ? `${colour.key.slice(0, 23)}…` : colour.key;
  g.append(title);
  return g;
}

export function describeBrush(label: string, axis: IAxis, brush: Brush | null): string {
  if (!brush) {
    return `${label}: no range selected`;
  }
  const [low, high] = [Math.ceil(brush[0]), Math.floor(brush[1])].map((code, k) =>
    axis.kind === 'categorical' ? categoryAt(axis, code) : formatNumber(axis.kind === 'log' ? 10 ** brush[k] : brush[k])
  );
  return `${label}: ${low} to ${high} selected`;
}

function categoryAt(axis: IAxis, code: number): string {
  const k = axis.tickvals.indexOf(code);
  return k >= 0 && axis.ticktext[k] ? axis.ticktext[k] : code === -1 ? MISSING_LABEL : String(code);
}

export function el(doc: Document, name: string, attributes: Record<string, string | number> = {}): SVGElement {
  const node = doc.createElementNS(SVG, name) as SVGElement;
  for (const [key, value] of Object.entries(attributes)) {
    node.setAttribute(key, String(value));
  }
  return node;
}
