// Styles of the comparison widget, added once per document; colours from the theme's CSS
// variables (JupyterLab, then VS Code, then neutral), so light and dark themes both read.
import { addStyleSheet, FRAME_RULES, THEME_VARIABLES } from './frame-styles';

const STYLE_ID = 'labtrack-compare-widget-styles';

const CSS = `
.lt-w-compare {${THEME_VARIABLES}${FRAME_RULES}
  gap: 6px;
  max-width: 100%;
  padding: 8px 12px;
}
.lt-w-cmp-header, .lt-w-cmp-section-header {
  align-items: center;
  display: flex;
  flex-wrap: wrap;
  gap: 12px;
}
.lt-w-cmp-title, .lt-w-cmp-section-title { font-weight: 600; }
.lt-w-cmp-selection { color: var(--lt-w-fg-muted); flex: 1; }
.lt-w-cmp-section-header { border-top: 1px solid var(--lt-w-border); margin-top: 6px; padding-top: 8px; }
.lt-w-cmp-control { align-items: center; color: var(--lt-w-fg-muted); display: inline-flex; gap: 4px; }
.lt-w-cmp-select {
  background: var(--lt-w-bg);
  border: 1px solid var(--lt-w-border);
  border-radius: 3px;
  color: var(--lt-w-fg);
  font: inherit;
  padding: 2px 4px;
}
.lt-w-cmp-scroll { overflow-x: auto; }
.lt-w-cmp-parallel { min-height: 380px; }
.lt-w-cmp-overlay { min-height: 280px; }
.lt-w-cmp-overlay[hidden], .lt-w-cmp-note[hidden] { display: none; }
.lt-w-cmp-note { color: var(--lt-w-fg-muted); font-size: 0.92em; margin: 0; }
.lt-w-cmp-table-scroll { max-height: 320px; overflow: auto; }
.lt-w-cmp-table { border-collapse: collapse; font-variant-numeric: tabular-nums; }
.lt-w-cmp-table th, .lt-w-cmp-table td {
  border: 1px solid var(--lt-w-border);
  max-width: 220px;
  overflow: hidden;
  padding: 3px 8px;
  text-align: left;
  text-overflow: ellipsis;
  white-space: nowrap;
}
.lt-w-cmp-table thead th { background: var(--lt-w-bg-alt); position: sticky; top: 0; }
.lt-w-cmp-table tbody th { font-weight: 600; }
.lt-w-cmp-table .lt-w-cmp-missing { color: var(--lt-w-fg-muted); }
.lt-w-cmp-curve-controls { align-items: center; display: flex; flex-wrap: wrap; gap: 6px 14px; }
.lt-w-cmp-curve-controls label[hidden], .lt-w-cmp-media[hidden] { display: none; }
.lt-w-cmp-number { color: var(--lt-w-fg-muted); font-variant-numeric: tabular-nums; min-width: 2.5em; }
.lt-w-cmp-step { width: 6em; }
.lt-w-cmp-media-grid { display: grid; gap: 8px; grid-template-columns: repeat(auto-fill, minmax(120px, 1fr)); padding-top: 4px; }
.lt-w-cmp-media-cell { margin: 0; min-width: 0; }
.lt-w-cmp-media-cell figcaption { display: flex; flex-direction: column; }
.lt-w-cmp-media-run { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.lt-w-cmp-media-frame {
  align-items: center; aspect-ratio: 1; background: var(--lt-w-bg-alt); border: 1px solid var(--lt-w-border);
  border-radius: 3px; color: var(--lt-w-fg-muted); display: flex; justify-content: center;
}
.lt-w-cmp-media-frame img { height: 100%; image-rendering: pixelated; object-fit: contain; width: 100%; }
.lt-w-cmp-table tr[data-metric-at-step] th { font-style: italic; }
.lt-w-cmp-table .lt-w-cmp-selected {
  background: color-mix(in srgb, var(--lt-w-accent) 16%, transparent);
}
`;

export function ensureCompareStyles(el: HTMLElement): void {
  addStyleSheet(el, STYLE_ID, CSS);
}
