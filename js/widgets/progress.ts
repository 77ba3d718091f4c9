// The progress bar of a live plot: steps done of the known total, and an ETA while the run
// goes on. Shown only when the number of steps is known (--steps N, or a tqdm bar's total).
import type { AnyModel } from '@anywidget/types';

import { node } from './dom';
import { formatDuration } from './format';

interface IProgressTraits {
  steps_total: number | null;
  steps_done: number | null;
  start_time_ms: number | null;
  status: string;
}

export class ProgressBar {
  readonly el: HTMLElement;
  private readonly fill: HTMLElement;
  private readonly text: HTMLElement;

  constructor(doc: Document) {
    this.el = node(doc, 'div', 'lt-w-progress', 'labtrack-progress');
    const bar = node(doc, 'div', 'lt-w-progress-bar');
    this.fill = node(doc, 'div', 'lt-w-progress-fill');
    this.text = node(doc, 'span', 'lt-w-progress-text', 'labtrack-progress-text');
    bar.append(this.fill);
    bar.setAttribute('role', 'progressbar');
    this.el.append(bar, this.text);
  }

  show(model: AnyModel<IProgressTraits>): void {
    const total = model.get('steps_total');
    const done = model.get('steps_done');
    if (typeof total !== 'number' || total <= 0) {
      this.el.hidden = true;
      return;
    }
    this.el.hidden = false;
    const count = typeof done === 'number' ? Math.min(done, total) : 0;
    this.fill.style.width = `${((count / total) * 100).toFixed(1)}%`;
    this.el.dataset.done = String(count);
    this.el.dataset.total = String(total);
    let text = `${count.toLocaleString()} / ${total.toLocaleString()} steps`;
    const start = model.get('start_time_ms');
    if (model.get('status') === 'RUNNING' && typeof start === 'number' && count > 0 && count < total) {
      const elapsed = Date.now() - start;
      text += ` · ETA ${formatDuration((elapsed / count) * (total - count))}`;
    }
    this.text.textContent = text;
  }
}
