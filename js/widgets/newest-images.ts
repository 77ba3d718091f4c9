// The live plot's newest image per `mlflow.log_image` key, as the kernel sends them (the
// `images` trait: MLflow's ≤ 256 px copy of each key's newest image; see
// src/labtrack/live/newest_images.py). Each key shows its image, step and time; the
// browser sizes the image.
import type { AnyModel } from '@anywidget/types';

import { node } from './dom';
import { addStyleSheet } from './frame-styles';

interface INewestImage {
  run: string;
  step: number;
  timestamp: number;
  mime: string;
  data: DataView | ArrayBuffer;
}

const CSS = `
.lt-w-images { display: flex; flex-wrap: wrap; gap: 10px; padding: 6px 8px; border-top: 1px solid var(--lt-w-border); }
.lt-w-images[hidden] { display: none; }
.lt-w-image { margin: 0; display: flex; flex-direction: column; gap: 2px; max-width: 180px; }
.lt-w-image img { width: 160px; height: 160px; object-fit: contain; image-rendering: pixelated; background: var(--lt-w-bg-alt); border: 1px solid var(--lt-w-border); border-radius: 3px; }
.lt-w-image figcaption { color: var(--lt-w-fg-muted); font-size: 0.9em; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.lt-w-image-key { color: var(--lt-w-fg); font-weight: 600; }
`;

export class NewestImages {
  readonly el: HTMLElement;
  private readonly urls = new Map<string, string>();
  private readonly onChange = (): void => this.show();

  constructor(
    private readonly doc: Document,
    private readonly model: AnyModel
  ) {
    this.el = node(doc, 'div', 'lt-w-images', 'labtrack-newest-images');
    addStyleSheet(this.el, 'labtrack-newest-images-styles', CSS);
    model.on('change:images', this.onChange);
    this.show();
  }

  private show(): void {
    const images = (this.model.get('images') ?? {}) as Record<string, INewestImage>;
    const keys = Object.keys(images).sort();
    this.el.hidden = keys.length === 0;
    this.el.dataset.keys = String(keys.length);
    const figures = keys.map(key => {
      const image = images[key];
      const bytes =
        image.data instanceof ArrayBuffer
          ? new Uint8Array(image.data)
          : new Uint8Array(image.data.buffer, image.data.byteOffset, image.data.byteLength);
      const previous = this.urls.get(key);
      if (previous) {
        URL.revokeObjectURL(previous);
      }
      const url = URL.createObjectURL(new Blob([bytes.slice()], { type: image.mime || 'image/webp' }));
      this.urls.set(key, url);
      const figure = node(this.doc, 'figure', 'lt-w-image', 'labtrack-newest-image');
      figure.dataset.key = key;
      figure.dataset.step = String(image.step);
      const img = this.doc.createElement('img');
      img.src = url;
      img.alt = `${key} at step ${image.step}`;
      const caption = this.doc.createElement('figcaption');
      const name = node(this.doc, 'span', 'lt-w-image-key');
      name.textContent = key; // text: keys are user input
      caption.append(name, ` · step ${image.step} · ${new Date(image.timestamp).toLocaleTimeString()}`);
      figure.append(img, caption);
      return figure;
    });
    this.el.replaceChildren(...figures);
  }

  dispose(): void {
    this.model.off('change:images', this.onChange);
    this.urls.forEach(url => URL.revokeObjectURL(url));
    this.el.remove();
  }
}
