// Styles of the comparison widget, added once per document; colours from the theme's CSS
// variables (JupyterLab, then VS Code, then neutral), so light and dark themes both read.
const STYLE_ID = 'labtrack-compare-widget-styles';

const CSS = `
.lt-w-compare {
  --lt-w-fg: var(--jp-ui-font-color1, var(--vscode-editor-foreground, #1f1f1f));
  --lt-w-fg-muted: var(--jp-ui-font-color2, var(--vscode-descriptionForeground, #6b6b6b));
  --lt-w-bg: var(--jp-layout-color1, var(--vscode-editor-background, #ffffff));
  --lt-w-bg-alt: var(--jp-layout-color2, var(--vscode-editorWidget-background, #f3f3f3));
  --lt-w-border: var(--jp-border-color2, var(--vscode-editorWidget-border, #d0d0d0));
  --lt-w-accent: var(--jp-brand-color1, #1976d2);
  background: var(--lt-w-bg);
  border: 1px solid var(--lt-w-border);
  border-radius: 4px;
  box-sizing: border-box;
  color: var(--lt-w-fg);
  display: flex;
  flex-direction: column;
  font-family: var(--jp-ui-font-family, var(--vscode-font-family, system-ui, sans-serif));
  font-size: var(--jp-ui-font-size1, 13px);
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
.lt-w-cmp-table .lt-w-cmp-selected {
  background: color-mix(in srgb, var(--lt-w-accent) 16%, transparent);
}
/* plotly draws parcoords axes in black at 25% opacity: invisible on a dark background. */
.lt-w-compare .parcoords .axis .domain,
.lt-w-compare .parcoords .axis .tick > line {
  stroke: var(--lt-w-fg);
  stroke-opacity: 0.45;
}
`;

export function ensureCompareStyles(el: HTMLElement): void {
  const doc = el.ownerDocument;
  if (doc.getElementById(STYLE_ID)) {
    return;
  }
  const style = doc.createElement('style');
  style.id = STYLE_ID;
  style.textContent = CSS;
  doc.head.appendChild(style);
}
