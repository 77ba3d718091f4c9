// The Compare panel's image grid: one `log_image` key across the compared runs (at most
// MAX_GRID_RUNS) at a chosen step, each run showing its image at the logged step nearest
// it. Each run's index is read once (names only); an image is fetched when shown.
import { ISignal, Signal } from '@lumino/signaling';

import { messageOf } from '../../common/errors';
import type { ILabtrackService, IMediaIndex, IMediaItem } from '../tokens';

export const MAX_GRID_RUNS = 20;

export interface IGridCell {
  runId: string;
  label: string;
  /** The image at the nearest logged step; null: the run has no image of this key. */
  item: IMediaItem | null;
  url: string | null;
  loading: boolean;
}

export class MediaGridModel {
  constructor(
    private readonly service: ILabtrackService,
    runs: readonly { runId: string; label: string }[]
  ) {
    this.runs = runs.slice(0, MAX_GRID_RUNS);
    this.more = Math.max(0, runs.length - MAX_GRID_RUNS);
  }

  readonly runs: readonly { runId: string; label: string }[];
  /** Compared runs beyond the grid's limit (not shown). */
  readonly more: number;

  get changed(): ISignal<this, void> {
    return this._changed;
  }

  get error(): string | null {
    return this._error;
  }

  /** The stepped keys any of the runs logged, sorted. */
  get keys(): string[] {
    const keys = new Set<string>();
    for (const index of this._indexes.values()) {
      index.keys.filter(k => k.kind === 'stepped').forEach(k => keys.add(k.key));
    }
    return [...keys].sort();
  }

  get key(): string | null {
    return this._key ?? this.keys[0] ?? null;
  }

  /** Every step any run logged an image of the key at, ascending. */
  get steps(): number[] {
    const key = this.key;
    const steps = new Set<number>();
    for (const index of this._indexes.values()) {
      index.keys.find(k => k.kind === 'stepped' && k.key === key)?.steps.forEach(s => steps.add(s));
    }
    return [...steps].sort((a, b) => a - b);
  }

  get step(): number | null {
    const steps = this.steps;
    return this._step !== null && steps.includes(this._step) ? this._step : (steps[steps.length - 1] ?? null);
  }

  get cells(): IGridCell[] {
    return this.runs.map(({ runId, label }) => {
      const id = this._cellId(runId);
      const item = this._items.get(id);
      const path = item ? (item.thumbnail_path ?? item.path) : null;
      return {
        runId,
        label,
        item: item ?? null,
        url: path ? (this._urls.get(`${runId}\u0000${path}`) ?? null) : null,
        loading: !this._items.has(id) || (path !== null && !this._urls.has(`${runId}\u0000${path}`))
      };
    });
  }

  async load(): Promise<void> {
    try {
      const indexes = await Promise.all(this.runs.map(run => this.service.getMediaIndex(run.runId)));
      indexes.forEach((index, i) => this._indexes.set(this.runs[i].runId, index));
      this._error = null;
    } catch (reason) {
      this._error = messageOf(reason);
    }
    this._emit();
    await this._fetchCells();
  }

  choose(change: { key?: string; step?: number }): void {
    if (change.key !== undefined && change.key !== this._key) {
      this._key = change.key;
      this._step = null;
    }
    if (change.step !== undefined) {
      this._step = change.step;
    }
    this._emit();
    void this._fetchCells();
  }

  dispose(): void {
    this._disposed = true;
    this._urls.forEach(url => URL.revokeObjectURL(url));
    this._urls.clear();
  }

  private _cellId(runId: string): string {
    return `${runId}\u0000${this.key}\u0000${this.step}`;
  }

  private async _fetchCells(): Promise<void> {
    const key = this.key;
    const step = this.step;
    if (key === null || step === null) {
      return;
    }
    await Promise.all(
      this.runs.map(async ({ runId }) => {
        const id = this._cellId(runId);
        const has = this._indexes.get(runId)?.keys.some(k => k.kind === 'stepped' && k.key === key);
        if (this._items.has(id)) {
          return;
        }
        if (!has) {
          this._items.set(id, null);
          return;
        }
        try {
          const page = await this.service.getMediaPage(runId, { key, step, limit: 1 });
          const item = page.items[0] ?? null;
          this._items.set(id, item);
          this._emit();
          const path = item ? (item.thumbnail_path ?? item.path) : null;
          if (path && !this._urls.has(`${runId}\u0000${path}`)) {
            const blob = await this.service.fetchArtifact(runId, path);
            if (!this._disposed) {
              this._urls.set(`${runId}\u0000${path}`, URL.createObjectURL(blob));
            }
          }
        } catch (reason) {
          this._error = messageOf(reason);
        }
        this._emit();
      })
    );
  }

  private _emit(): void {
    if (!this._disposed) {
      this._changed.emit(void 0);
    }
  }

  private _indexes = new Map<string, IMediaIndex>();
  private _items = new Map<string, IMediaItem | null>();
  private _urls = new Map<string, string>();
  private _key: string | null = null;
  private _step: number | null = null;
  private _error: string | null = null;
  private _disposed = false;
  private readonly _changed = new Signal<this, void>(this);
}
