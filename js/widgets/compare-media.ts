// The comparison widget's image grid: one `log_image` key across the first 20 compared
// runs at a chosen step, each run's image at its nearest logged step, as the kernel reads
// them (the `media_*` traits of src/labtrack/widgets/compare_extras.py). Hidden when no
// run logged stepped images.
import type { AnyModel } from '@anywidget/types';

import { node } from './dom';

interface IMediaCell {
  run_id: string;
  step: number | null;
  timestamp: number | null;
  mime: string;
  data: DataView | ArrayBuffer | null;
}

export const MEDIA_EVENTS = 'change:media_keys change:media_key change:media_steps change:media_step change:media_cells';

export class MediaGrid {
  readonly el: HTMLElement;
  private readonly key: HTMLSelectElement;
  private readonly slider: HTMLInputElement;
  private readonly stepValue: HTMLElement;
  private readonly grid: HTMLElement;
  private urls: string[] = [];

  constructor(
    private readonly doc: Document,
    private readonly model: AnyModel
  ) {
    this.el = node(doc, 'div', 'lt-w-cmp-media', 'labtrack-compare-media');
    const header = node(doc, 'div', 'lt-w-cmp-section-header');
    const title = node(doc, 'span', 'lt-w-cmp-section-title');
    title.textContent = 'Images';
    const keyLabel = node(doc, 'label', 'lt-w-cmp-control');
    this.key = node(doc, 'select', 'lt-w-cmp-select', 'labtrack-compare-media-key') as HTMLSelectElement;
    keyLabel.append('Key ', this.key);
    const stepLabel = node(doc, 'label', 'lt-w-cmp-control');
    this.slider = node(doc, 'input', '', 'labtrack-compare-media-step') as HTMLInputElement;
    this.slider.type = 'range';
    this.slider.min = '0';
    this.slider.step = '1';
    this.stepValue = node(doc, 'output', 'lt-w-cmp-number', 'labtrack-compare-media-step-value');
    stepLabel.append('Step ', this.slider, this.stepValue);
    header.append(title, keyLabel, stepLabel);
    this.grid = node(doc, 'div', 'lt-w-cmp-media-grid', 'labtrack-compare-media-grid');
    this.el.append(header, this.grid);
    this.key.addEventListener('change', () => this.save('media_key', this.key.value));
    this.slider.addEventListener('input', () => {
      const steps: number[] = this.model.get('media_steps') ?? [];
      this.stepValue.textContent = String(steps[Number(this.slider.value)] ?? '');
    });
    this.slider.addEventListener('change', () => {
      const steps: number[] = this.model.get('media_steps') ?? [];
      this.save('media_step', steps[Number(this.slider.value)] ?? null);
    });
  }

  private save(name: string, value: unknown): void {
    this.model.set(name, value);
    this.model.save_changes();
  }

  show(labelOf: (runId: string) => string): void {
    const keys: string[] = this.model.get('media_keys') ?? [];
    this.el.hidden = keys.length === 0;
    if (!keys.length) {
      return;
    }
    this.key.replaceChildren(
      ...keys.map(key => {
        const option = this.doc.createElement('option');
        option.value = key;
        option.textContent = key;
        return option;
      })
    );
    this.key.value = this.model.get('media_key') ?? keys[0];
    const steps: number[] = this.model.get('media_steps') ?? [];
    const step: number | null = this.model.get('media_step');
    this.slider.max = String(Math.max(0, steps.length - 1));
    this.slider.value = String(Math.max(0, step === null ? 0 : steps.indexOf(step)));
    this.stepValue.textContent = step === null ? '' : String(step);
    this.urls.forEach(url => URL.revokeObjectURL(url));
    this.urls = [];
    const cells: IMediaCell[] = this.model.get('media_cells') ?? [];
    this.grid.replaceChildren(
      ...cells.map(cell => {
        const figure = node(this.doc, 'figure', 'lt-w-cmp-media-cell', 'labtrack-compare-media-cell');
        figure.dataset.runId = cell.run_id;
        figure.dataset.step = cell.step === null ? '' : String(cell.step);
        const frame = node(this.doc, 'div', 'lt-w-cmp-media-frame');
        if (cell.data && cell.step !== null) {
          const bytes =
            cell.data instanceof ArrayBuffer
              ? new Uint8Array(cell.data)
              : new Uint8Array(cell.data.buffer, cell.data.byteOffset, cell.data.byteLength);
          const url = URL.createObjectURL(new Blob([bytes.slice()], { type: cell.mime || 'image/webp' }));
          this.urls.push(url);
          const img = this.doc.createElement('img');
          img.src = url;
          img.alt = `${labelOf(cell.run_id)}: ${this.key.value} at step ${cell.step}`;
          frame.append(img);
        } else {
          frame.textContent = 'no image';
        }
        const caption = this.doc.createElement('figcaption');
        const name = node(this.doc, 'span', 'lt-w-cmp-media-run');
        name.textContent = labelOf(cell.run_id);
        const where = node(this.doc, 'span', 'lt-w-cmp-note');
        where.textContent = cell.step === null ? '' : `step ${cell.step}${cell.step !== step ? ' (nearest)' : ''}`;
        caption.append(name, where);
        figure.append(frame, caption);
        return figure;
      })
    );
  }

  dispose(): void {
    this.urls.forEach(url => URL.revokeObjectURL(url));
    this.el.remove();
  }
}
