// The focusable, draggable area of one axis of the canvas parallel coordinates: dragging
// along it brushes a range, dragging a range moves it, a click clears it, and the keys of
// BRUSH_KEYS do the same from the keyboard. It is an ARIA slider whose value the canvas keeps.
import { IAxis } from './parallel-axes';
import { axisValue, Brush, BRUSH_KEYS, brushAfterKey, brushBetween } from './parallel-model';
import { el } from './parallel-svg';

const HIT_WIDTH = 28;
/** Pointer travel (px) below which a press on an axis is a click (clears its brush). */
const CLICK_PX = 3;

/** The brushes the hit areas read and set (`report`: tell the listeners, at the end of a
 *  drag or on a key; not while dragging). */
export interface IAxisBrushes {
  brushOf(label: string): Brush | null;
  setBrush(label: string, brush: Brush | null, report: boolean): void;
}

/** The hit area of the axis `label` (inside its group, centred on x = 0), spanning the plot
 *  from `top` for `height` pixels. */
export function axisHitArea(
  doc: Document,
  svg: SVGSVGElement,
  label: string,
  axis: IAxis,
  top: number,
  height: number,
  brushes: IAxisBrushes
): SVGElement {
  const hit = el(doc, 'rect', {
    class: 'lt-pc-hit', x: -HIT_WIDTH / 2, y: top - 6, width: HIT_WIDTH, height: height + 12,
    fill: 'transparent', tabindex: 0, role: 'slider', 'aria-label': `Select a range of ${label}`,
    'aria-valuemin': 0, 'aria-valuemax': 100, 'aria-orientation': 'vertical', 'aria-description': BRUSH_KEYS
  });
  hit.dataset.hit = label;
  const valueAtPointer = (event: PointerEvent): number => {
    const box = svg.getBoundingClientRect();
    const y = event.clientY - box.top;
    return axisValue(axis, 1 - (y - top) / height);
  };
  hit.addEventListener('pointerdown', event => {
    event.preventDefault();
    (hit as SVGElement).focus?.();
    hit.setPointerCapture?.(event.pointerId);
    const startY = event.clientY;
    const from = valueAtPointer(event);
    const original = brushes.brushOf(label);
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
        brushes.setBrush(label, [original[0] + snapped, original[1] + snapped], false);
      } else {
        brushes.setBrush(label, brushBetween(axis, from, to), false);
      }
    };
    const up = () => {
      hit.removeEventListener('pointermove', move);
      hit.removeEventListener('pointerup', up);
      hit.removeEventListener('pointercancel', up);
      // A click clears the axis's brush; a drag sets it.
      brushes.setBrush(label, dragged ? brushes.brushOf(label) : null, true);
    };
    hit.addEventListener('pointermove', move);
    hit.addEventListener('pointerup', up);
    hit.addEventListener('pointercancel', up);
  });
  hit.addEventListener('keydown', event => {
    const next = brushAfterKey(axis, brushes.brushOf(label), event.key, event.shiftKey);
    if (next !== undefined) {
      event.preventDefault();
      brushes.setBrush(label, next, true);
    }
  });
  return hit;
}
