// The state of a run's Media section: the image index (keys with their steps, read from
// names only: GET runs/{id}/media), the image shown per key, and the images fetched so far.
// Images are fetched a page at a time (the page holding the image shown) with Jupyter's
// auth and kept as object URLs, at most MAX_URLS of them: a run with 1,000 images never
// loads them all.
import { ISignal, Signal } from '@lumino/signaling';

import { messageOf } from '../../common/errors';
import type { ILabtrackService, IMediaIndex, IMediaItem, IMediaKey } from '../tokens';

export const PAGE_SIZE = 12;
const MAX_URLS = 120;

/** A key of the index as shown: which image, and the page of thumbnails around it. */
export interface IMediaView {
  group: IMediaKey;
  position: number;
  /** The page holding `position`, once fetched. */
  page: IMediaItem[] | null;
  pageStart: number;
  error: string | null;
}

function groupId(group: IMediaKey): string {
  return `${group.kind}\u0000${group.key}`;
}

export class MediaModel {
  constructor(
    private readonly service: ILabtrackService,
    readonly runId: string
  ) {}

  get changed(): ISignal<this, void> {
    return this._changed;
  }

  get index(): IMediaIndex | null {
    return this._index;
  }

  get error(): string | null {
    return this._error;
  }

  get views(): IMediaView[] {
    return (this._index?.keys ?? []).map(group => this._view(group));
  }

  /** Read the index (again); the images shown stay where they were. */
  async load(): Promise<void> {
    try {
      const index = await this.service.getMediaIndex(this.runId);
      if (this._disposed) {
        return;
      }
      const before = JSON.stringify(this._index?.keys.map(k => [k.key, k.count]));
      this._index = index;
      this._error = null;
      if (before !== JSON.stringify(index.keys.map(k => [k.key, k.count]))) {
        this._pages.clear(); // new images: pages are fetched again
      }
      this._emit();
      await Promise.all(index.keys.map(group => this._fetchPage(group)));
    } catch (reason) {
      this._error = messageOf(reason);
      this._emit();
    }
  }

  /** Show the image at `position` of the group (clamped), fetching its page if needed. */
  show(group: IMediaKey, position: number): void {
    const clamped = Math.max(0, Math.min(group.count - 1, Math.round(position)));
    this._positions.set(groupId(group), clamped);
    this._emit();
    void this._fetchPage(group);
  }

  /** The object URL of an image path once fetched (fetched on first ask). */
  url(path: string | null | undefined): string | null {
    if (!path) {
      return null;
    }
    const url = this._urls.get(path);
    if (url) {
      this._urls.delete(path); // most recently used last
      this._urls.set(path, url);
      return url;
    }
    if (!this._fetching.has(path)) {
      this._fetching.add(path);
      void this.service
        .fetchArtifact(this.runId, path)
        .then(blob => {
          if (!this._disposed) {
            this._keep(path, URL.createObjectURL(blob));
            this._emit();
          }
        })
        .catch(() => undefined)
        .finally(() => this._fetching.delete(path));
    }
    return null;
  }

  dispose(): void {
    this._disposed = true;
    for (const url of this._urls.values()) {
      URL.revokeObjectURL(url);
    }
    this._urls.clear();
  }

  private _view(group: IMediaKey): IMediaView {
    const id = groupId(group);
    const position = Math.min(this._positions.get(id) ?? group.count - 1, group.count - 1);
    const pageStart = Math.floor(position / PAGE_SIZE) * PAGE_SIZE;
    return {
      group,
      position,
      pageStart,
      page: this._pages.get(`${id}\u0000${pageStart}`) ?? null,
      error: this._pageErrors.get(id) ?? null
    };
  }

  private async _fetchPage(group: IMediaKey): Promise<void> {
    const { pageStart } = this._view(group);
    const id = `${groupId(group)}\u0000${pageStart}`;
    if (this._pages.has(id) || this._pending.has(id)) {
      return;
    }
    this._pending.add(id);
    try {
      const page = await this.service.getMediaPage(this.runId, {
        key: group.key,
        kind: group.kind,
        offset: pageStart,
        limit: PAGE_SIZE
      });
      this._pages.set(id, page.items);
      this._pageErrors.delete(groupId(group));
    } catch (reason) {
      this._pageErrors.set(groupId(group), messageOf(reason));
    } finally {
      this._pending.delete(id);
    }
    if (!this._disposed) {
      this._emit();
    }
  }

  private _keep(path: string, url: string): void {
    this._urls.set(path, url);
    while (this._urls.size > MAX_URLS) {
      const [oldest, oldUrl] = this._urls.entries().next().value as [string, string];
      URL.revokeObjectURL(oldUrl);
      this._urls.delete(oldest);
    }
  }

  private _emit(): void {
    if (!this._disposed) {
      this._changed.emit(void 0);
    }
  }

  private _index: IMediaIndex | null = null;
  private _error: string | null = null;
  private _disposed = false;
  private readonly _positions = new Map<string, number>();
  private readonly _pages = new Map<string, IMediaItem[]>();
  private readonly _pageErrors = new Map<string, string>();
  private readonly _pending = new Set<string>();
  private readonly _fetching = new Set<string>();
  private readonly _urls = new Map<string, string>();
  private readonly _changed = new Signal<this, void>(this);
}
