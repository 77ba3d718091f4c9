import { delimiterOf, IDelimitedTable, parseDelimited } from './csv';

/** How an artifact file is shown, decided from its name alone (never from its bytes). */
export type PreviewKind = 'image' | 'text' | 'table' | 'html' | 'download';

/** Text previews stop here: a 2 GB log must not freeze the tab. */
export const TEXT_PREVIEW_BYTES = 256 * 1024;

// Raster formats only: the server serves these inline; SVG could carry script, so it is a download.
const IMAGE_EXTENSIONS = new Set(['png', 'jpg', 'jpeg', 'gif', 'webp']);
const TEXT_EXTENSIONS = new Set([
  'txt',
  'log',
  'json',
  'yaml',
  'yml',
  'py',
  'md',
  'toml',
  'ini',
  'cfg',
  'patch',
  'diff'
]);
// Files MLflow writes without an extension that are YAML or plain text.
const TEXT_NAMES = new Set(['MLmodel', 'requirements.txt', 'LICENSE', 'README']);

export function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
}

export function previewKindOf(name: string): PreviewKind {
  const extension = extensionOf(name);
  if (IMAGE_EXTENSIONS.has(extension)) {
    return 'image';
  }
  if (extension === 'csv' || extension === 'tsv') {
    return 'table';
  }
  if (extension === 'html' || extension === 'htm') {
    return 'html'; // in a sandboxed frame the server serves without script
  }
  if (TEXT_EXTENSIONS.has(extension) || TEXT_NAMES.has(name)) {
    return 'text';
  }
  return 'download';
}

/** What a text preview shows: the file (or its first bytes), JSON re-indented when whole. */
export interface ITextPreview {
  text: string;
  /** The file is longer than what is shown. */
  truncated: boolean;
  /** The JSON was parsed and pretty-printed. */
  pretty: boolean;
}

export async function readTextPreview(blob: Blob, name: string): Promise<ITextPreview> {
  const truncated = blob.size > TEXT_PREVIEW_BYTES;
  const text = await blob.slice(0, TEXT_PREVIEW_BYTES).text();
  if (!truncated && extensionOf(name) === 'json') {
    try {
      return { text: JSON.stringify(JSON.parse(text), null, 2), truncated, pretty: true };
    } catch {
      // Not valid JSON after all: show it as it is.
    }
  }
  return { text, truncated, pretty: false };
}

/** A table preview reads this much of the file: a thousand rows of a wide table fit. */
export const TABLE_PREVIEW_BYTES = 4 * 1024 * 1024;

export async function readTablePreview(blob: Blob, name: string): Promise<IDelimitedTable> {
  const text = await blob.slice(0, TABLE_PREVIEW_BYTES).text();
  return parseDelimited(text, delimiterOf(name), blob.size <= TABLE_PREVIEW_BYTES);
}

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB'];

export function formatBytes(size: number | null): string {
  if (size === null) {
    return '';
  }
  let value = size;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(value < 10 ? 1 : 0)} ${UNITS[unit]}`;
}

export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const rest = seconds % 60;
  if (hours) {
    return `${hours}h ${minutes}m ${rest}s`;
  }
  return minutes ? `${minutes}m ${rest}s` : `${rest}s`;
}
