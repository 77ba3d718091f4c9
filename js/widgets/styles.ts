// Styles of the widget bundle, added once per document. Every colour reads a JupyterLab theme
// variable, then a VS Code one, then a neutral fallback, so cards are readable in light and
// dark themes of any notebook front end.
import { addStyleSheet, FRAME_RULES, THEME_VARIABLES } from './frame-styles';

const STYLE_ID = 'labtrack-widget-styles';

const CSS = `
.lt-w-card {
  --lt-w-fg: var(--jp-ui-font-color1, var(--vscode-editor-foreground, #1f1f1f));
  --lt-w-fg-muted: var(--jp-ui-font-color2, var(--vscode-descriptionForeground, #6b6b6b));
  --lt-w-bg: var(--jp-layout-color1, var(--vscode-editor-background, #ffffff));
  --lt-w-border: var(--jp-border-color2, var(--vscode-editorWidget-border, #d0d0d0));
  --lt-w-mono: var(--jp-code-font-family, var(--vscode-editor-font-family, monospace));
  align-items: center;
  background: var(--lt-w-bg);
  border: 1px solid var(--lt-w-border);
  border-radius: 4px;
  box-sizing: border-box;
  color: var(--lt-w-fg);
  column-gap: 12px;
  display: inline-grid;
  font-family: var(--jp-ui-font-family, var(--vscode-font-family, system-ui, sans-serif));
  font-size: var(--jp-ui-font-size1, 13px);
  grid-template-columns: minmax(0, 1fr) auto;
  max-width: 100%;
  min-width: 280px;
  padding: 8px 12px;
  row-gap: 4px;
}
.lt-w-card-name {
  font-size: 1.1em;
  font-weight: 600;
  overflow: hidden;
  text-overflow: ellipsis;
  white-space: nowrap;
}
.lt-w-card-meta {
  color: var(--lt-w-fg-muted);
  grid-column: 1 / 2;
  overflow: hidden;
  text-overflow: ellipsis;
  white-space: nowrap;
}
.lt-w-card-id {
  font-family: var(--lt-w-mono);
}
.lt-w-card-elapsed {
  color: var(--lt-w-fg-muted);
  font-variant-numeric: tabular-nums;
  justify-self: end;
}
.lt-w-badge {
  --lt-w-status: var(--jp-ui-font-color2, #757575);
  align-items: center;
  background: color-mix(in srgb, var(--lt-w-status) 14%, transparent);
  border: 1px solid var(--lt-w-status);
  border-radius: 10px;
  display: inline-flex;
  font-size: 0.85em;
  font-weight: 600;
  gap: 5px;
  justify-self: end;
  letter-spacing: 0.3px;
  padding: 1px 8px;
}
.lt-w-badge::before {
  background: var(--lt-w-status);
  border-radius: 50%;
  content: '';
  height: 7px;
  width: 7px;
}
.lt-w-badge[data-status='RUNNING'] { --lt-w-status: var(--jp-brand-color1, #2196f3); }
.lt-w-badge[data-status='RUNNING']::before { animation: lt-w-pulse 1.2s ease-in-out infinite; }
.lt-w-badge[data-status='FINISHED'] { --lt-w-status: var(--jp-success-color1, #4caf50); }
.lt-w-badge[data-status='FAILED'] { --lt-w-status: var(--jp-error-color1, #f44336); }
.lt-w-badge[data-status='KILLED'] { --lt-w-status: var(--jp-warn-color1, #ff9800); }
@keyframes lt-w-pulse { 50% { opacity: 0.3; } }
@media (prefers-reduced-motion: reduce) {
  .lt-w-badge[data-status='RUNNING']::before { animation: none; }
}
.lt-w-live {${THEME_VARIABLES}${FRAME_RULES}
  gap: 6px;
  max-width: 100%;
  padding: 8px 12px;
}
.lt-w-live .lt-w-card {
  border: none;
  display: grid;
  min-width: 0;
  padding: 0;
}
.lt-w-live-toolbar {
  align-items: center;
  display: flex;
  gap: 12px;
}
.lt-w-live-toolbar .lt-w-toggle {
  margin-left: auto;
}
.lt-w-toggle {
  border: 1px solid var(--lt-w-border);
  border-radius: 4px;
  display: inline-flex;
  overflow: hidden;
}
.lt-w-toggle-button {
  background: transparent;
  border: none;
  color: var(--lt-w-fg-muted);
  cursor: pointer;
  font: inherit;
  font-size: 0.9em;
  padding: 1px 8px;
}
.lt-w-toggle-button[aria-pressed='true'] {
  background: color-mix(in srgb, var(--lt-w-accent) 18%, transparent);
  color: var(--lt-w-fg);
  font-weight: 600;
}
.lt-w-toggle-button:focus-visible {
  outline: 2px solid var(--lt-w-accent);
  outline-offset: -2px;
}
.lt-w-progress {
  align-items: center;
  display: flex;
  flex: 1;
  gap: 10px;
}
.lt-w-progress[hidden] { display: none; }
.lt-w-progress-bar {
  background: color-mix(in srgb, var(--lt-w-border) 60%, transparent);
  border-radius: 3px;
  flex: 1;
  height: 6px;
  overflow: hidden;
}
.lt-w-progress-fill {
  background: var(--lt-w-accent);
  height: 100%;
  transition: width 0.2s linear;
  width: 0;
}
.lt-w-progress-text {
  color: var(--lt-w-fg-muted);
  font-variant-numeric: tabular-nums;
  white-space: nowrap;
}
.lt-w-charts {
  display: grid;
  gap: 8px;
  grid-template-columns: repeat(auto-fill, minmax(300px, 1fr));
}
.lt-w-chart {
  border: 1px solid var(--lt-w-border);
  border-radius: 3px;
  min-width: 0;
  padding: 4px 6px 2px;
}
.lt-w-chart-title {
  align-items: baseline;
  display: flex;
  flex-wrap: wrap;
  gap: 4px 12px;
}
.lt-w-chart-name {
  font-weight: 600;
  overflow: hidden;
  text-overflow: ellipsis;
  white-space: nowrap;
}
.lt-w-chart-current, .lt-w-chart-best {
  color: var(--lt-w-fg-muted);
  font-variant-numeric: tabular-nums;
}
.lt-w-chart-plot {
  min-height: 180px;
  width: 100%;
}
.lt-w-chart[data-kind='value'] .lt-w-chart-plot { display: none; }
.lt-w-chart[data-kind='chart'] .lt-w-chart-tile { display: none; }
.lt-w-chart-tile { padding: 6px 0 8px; }
.lt-w-tile-row {
  align-items: baseline;
  display: flex;
  gap: 8px;
  justify-content: space-between;
}
.lt-w-tile-label {
  color: var(--lt-w-fg-muted);
  overflow: hidden;
  text-overflow: ellipsis;
  white-space: nowrap;
}
.lt-w-tile-value {
  font-size: 1.6em;
  font-variant-numeric: tabular-nums;
  font-weight: 600;
}
.lt-w-empty {
  color: var(--lt-w-fg-muted);
  font-style: italic;
}
.lt-w-empty[hidden] { display: none; }
.lt-w-sweep {
  border: 1px solid var(--jp-border-color2, var(--vscode-editorWidget-border, #d0d0d0));
  border-radius: 4px;
  margin: 6px 0;
  padding: 6px 8px;
}
.lt-w-sweep[hidden] { display: none; }
.lt-w-sweep-summary { font-weight: 600; }
.lt-w-sweep-toggle {
  background: none;
  border: 1px solid var(--lt-w-border);
  border-radius: 3px;
  color: var(--lt-w-fg-muted);
  cursor: pointer;
  font: inherit;
  padding: 0 6px;
}
.lt-w-sweep-toggle:focus-visible { outline: 2px solid var(--jp-brand-color1, #1976d2); }
.lt-w-sweep-toggle[hidden] { display: none; }
.lt-w-sweep-scroll { overflow-x: auto; }
.lt-w-sweep .parcoords .axis .domain,
.lt-w-sweep .parcoords .axis .tick > line {
  stroke: var(--jp-ui-font-color1, currentColor);
  stroke-opacity: 0.45;
}
.lt-w-error {
  color: var(--jp-error-color1, #d32f2f);
  font-family: var(--jp-ui-font-family, system-ui, sans-serif);
}
`;

/** Add the bundle's styles to the document holding `el`, once. */
export function ensureStyles(el: HTMLElement): void {
  addStyleSheet(el, STYLE_ID, CSS);
}
