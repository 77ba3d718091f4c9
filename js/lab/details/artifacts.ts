import { ISignal, Signal } from '@lumino/signaling';
import { IDisposable } from '@lumino/disposable';

import { messageOf } from '../../common/errors';
import { IArtifactEntry, ILabtrackService } from '../tokens';
import { IDelimitedTable } from './csv';
import {
  ITextPreview,
  PreviewKind,
  previewKindOf,
  readTablePreview,
  readTextPreview
} from './preview';

/** One directory level as far as it is known. */
export interface IArtifactDir {
  entries: IArtifactEntry[] | null;
  loading: boolean;
  error: string | null;
  /** The token of the directory's next page (big folders are listed in pages). */
  next: string | null;
}

/** The file shown in the preview pane. */
export interface IArtifactPreview {
  path: string;
  name: string;
  kind: PreviewKind;
  phase: 'loading' | 'ready' | 'failed';
  /** A blob object URL for images; revoked when the preview changes or the model goes. */
  objectUrl: string | null;
  text: ITextPreview | null;
  /** CSV/TSV: the header and first rows. */
  table: IDelimitedTable | null;
  /** HTML: where the sandboxed frame loads it from (served inline without script). */
  frameUrl: string | null;
  /** Where the file downloads from (every kind offers the download). */
  downloadUrl: string;
  error: string | null;
}

/** A visible row of the tree, in display order. */
export interface IArtifactRow {
  entry: IArtifactEntry;
  depth: number;
  parent: string;
  /** Set on the "Show more" row that ends a directory listed only in part. */
  more?: boolean;
}

/** A run's artifact tree: directories listed when first expanded, one file previewed. */
export class ArtifactTreeModel implements IDisposable {
  constructor(
    private readonly _service: ILabtrackService,
    readonly runId: string
  ) {}

  get changed(): ISignal<this, void> {
    return this._changed;
  }

  get isDisposed(): boolean {
    return this._disposed;
  }

  dir(path: string): IArtifactDir | undefined {
    return this._dirs.get(path);
  }

  isExpanded(path: string): boolean {
    return this._expanded.has(path);
  }

  get focused(): string | null {
    return this._focused;
  }

  get preview(): IArtifactPreview | null {
    return this._preview;
  }

  /** The rows a person sees: root entries, and the children of expanded directories. */
  rows(): IArtifactRow[] {
    const rows: IArtifactRow[] = [];
    const walk = (path: string, depth: number): void => {
      const dir = this._dirs.get(path);
      for (const entry of dir?.entries ?? []) {
        rows.push({ entry, depth, parent: path });
        if (entry.is_dir && this._expanded.has(entry.path)) {
          walk(entry.path, depth + 1);
        }
      }
      if (dir?.next) {
        const shown = dir.entries?.length ?? 0;
        const name = `Show more (${shown} shown)…`;
        const entry = { path: `${path}\u0000more`, name, is_dir: false, size: null };
        rows.push({ entry, depth, parent: path, more: true });
      }
    };
    walk('', 0);
    return rows;
  }

  /** List one directory level (again, when `force`). */
  async load(path = '', force = false): Promise<void> {
    const known = this._dirs.get(path);
    if (known && (known.loading || (known.entries && !force))) {
      return;
    }
    await this._list(path, known?.entries ?? null, null, known?.next ?? null);
  }

  /** The next page of a directory listed in part. */
  async loadMore(path: string): Promise<void> {
    const known = this._dirs.get(path);
    if (!known || known.loading || !known.next) {
      return;
    }
    await this._list(path, known.entries, known.next, known.next);
  }

  private async _list(
    path: string,
    shown: IArtifactEntry[] | null,
    token: string | null,
    pending: string | null
  ): Promise<void> {
    this._dirs.set(path, { entries: shown, loading: true, error: null, next: pending });
    this._emit();
    let next: IArtifactDir;
    try {
      const listing = await this._service.listArtifacts(this.runId, path, token ?? undefined);
      const entries = token ? [...(shown ?? []), ...listing.entries] : listing.entries;
      next = { entries, loading: false, error: null, next: listing.next_page_token ?? null };
    } catch (reason) {
      next = { entries: shown, loading: false, error: messageOf(reason), next: pending };
    }
    if (!this._disposed) {
      this._dirs.set(path, next);
      this._emit();
    }
  }

  async toggle(path: string): Promise<void> {
    if (this._expanded.delete(path)) {
      this._emit();
      return;
    }
    this._expanded.add(path);
    this._emit();
    await this.load(path);
  }

  focus(path: string | null): void {
    if (this._focused !== path) {
      this._focused = path;
      this._emit();
    }
  }

  /** Open a file by path: expand its folders, focus it, and preview it. */
  async reveal(path: string): Promise<void> {
    const parts = path.split('/');
    for (let i = 1; i < parts.length; i++) {
      const folder = parts.slice(0, i).join('/');
      this._expanded.add(folder);
      await this.load(folder);
    }
    this.focus(path);
    await this.select(path);
  }

  /** Preview a file; images become object URLs, text is read as text, never as HTML. */
  async select(path: string): Promise<void> {
    const name = path.slice(path.lastIndexOf('/') + 1);
    const kind = previewKindOf(name);
    const downloadUrl = this._service.artifactUrl(this.runId, path);
    const framed = kind === 'html';
    this._setPreview({
      path,
      name,
      kind,
      phase: kind === 'download' || framed ? 'ready' : 'loading',
      objectUrl: null,
      text: null,
      table: null,
      frameUrl: framed ? `${downloadUrl}&preview=html` : null,
      downloadUrl,
      error: null
    });
    if (kind === 'download' || framed) {
      return;
    }
    const token = ++this._selection;
    let update: Partial<IArtifactPreview>;
    try {
      const blob = await this._service.fetchArtifact(this.runId, path);
      update =
        kind === 'image'
          ? { phase: 'ready', objectUrl: URL.createObjectURL(blob) }
          : kind === 'table'
            ? { phase: 'ready', table: await readTablePreview(blob, name) }
            : { phase: 'ready', text: await readTextPreview(blob, name) };
    } catch (reason) {
      update = { phase: 'failed', error: messageOf(reason) };
    }
    if (this._disposed || token !== this._selection || this._preview?.path !== path) {
      // Another file was chosen meanwhile: this answer is stale.
      if (update.objectUrl) {
        URL.revokeObjectURL(update.objectUrl);
      }
      return;
    }
    this._setPreview({ ...this._preview, ...update });
  }

  dispose(): void {
    if (this._disposed) {
      return;
    }
    this._disposed = true;
    this._revoke();
    Signal.clearData(this);
  }

  private _setPreview(preview: IArtifactPreview): void {
    if (this._preview?.objectUrl && this._preview.objectUrl !== preview.objectUrl) {
      this._revoke();
    }
    this._preview = preview;
    this._emit();
  }

  private _revoke(): void {
    if (this._preview?.objectUrl) {
      URL.revokeObjectURL(this._preview.objectUrl);
    }
  }

  private _emit(): void {
    if (!this._disposed) {
      this._changed.emit();
    }
  }

  private _changed = new Signal<this, void>(this);
  private _disposed = false;
  private _dirs = new Map<string, IArtifactDir>();
  private _expanded = new Set<string>();
  private _focused: string | null = null;
  private _preview: IArtifactPreview | null = null;
  private _selection = 0;
}
