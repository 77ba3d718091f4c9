// Styles of the registry widget; theme variables first (JupyterLab, then VS Code).
import { addStyleSheet, FRAME_RULES, THEME_VARIABLES } from './frame-styles';

const STYLE_ID = 'labtrack-registry-widget-styles';

const CSS = `
.lt-w-reg {${THEME_VARIABLES}${FRAME_RULES}
  gap: 8px;
  max-width: 820px;
  padding: 10px 12px;
}
.lt-w-reg-header { align-items: center; display: flex; gap: 12px; }
.lt-w-reg-title { font-size: 1.1em; font-weight: 600; }
.lt-w-reg-subtitle { color: var(--lt-w-fg-muted); font-weight: 600; margin-top: 4px; }
.lt-w-reg-input, .lt-w-reg-button {
  background: var(--lt-w-bg);
  border: 1px solid var(--lt-w-border);
  border-radius: 3px;
  color: var(--lt-w-fg);
  font: inherit;
  padding: 2px 6px;
}
.lt-w-reg-button { cursor: pointer; margin-right: 4px; }
.lt-w-reg-button:hover { border-color: var(--lt-w-accent); }
.lt-w-reg-aliases { align-items: center; display: flex; flex-wrap: wrap; gap: 6px; }
.lt-w-reg-chip {
  background: var(--lt-w-bg-alt);
  border: 1px solid var(--lt-w-accent);
  border-radius: 10px;
  padding: 1px 8px;
}
.lt-w-reg-confirm {
  align-items: center;
  background: var(--lt-w-bg-alt);
  border-left: 3px solid var(--lt-w-accent);
  display: flex;
  flex-wrap: wrap;
  gap: 8px;
  padding: 6px 8px;
}
.lt-w-reg-check { align-items: center; display: inline-flex; gap: 2px; }
.lt-w-reg-table { border-collapse: collapse; width: 100%; }
.lt-w-reg-table th {
  border-bottom: 1px solid var(--lt-w-border);
  color: var(--lt-w-fg-muted);
  font-weight: 600;
  text-align: left;
}
.lt-w-reg-table th, .lt-w-reg-table td { padding: 4px 8px 4px 0; }
.lt-w-reg-table tr + tr td { border-top: 1px solid var(--lt-w-border); }
.lt-w-reg-num { font-weight: 600; }
.lt-w-reg-mono { font-family: var(--jp-code-font-family, monospace); }
.lt-w-reg-stage-Production { color: var(--jp-success-color1, #2e7d32); font-weight: 600; }
.lt-w-reg-stage-Staging { color: var(--jp-warn-color1, #ef6c00); }
.lt-w-reg-stage-Archived { color: var(--lt-w-fg-muted); }
.lt-w-reg-error { color: var(--jp-error-color1, #d32f2f); }
.lt-w-reg-notice { color: var(--jp-success-color1, #2e7d32); }
.lt-w-reg-history { color: var(--lt-w-fg-muted); margin: 0; overflow-wrap: anywhere; padding-left: 18px; }
.lt-w-reg-reason { font-style: italic; }
.lt-w-reg-user {
  display: inline-block;
  max-width: 14ch;
  overflow: hidden;
  text-overflow: ellipsis;
  vertical-align: bottom;
  white-space: nowrap;
}
.lt-w-reg-actions { white-space: nowrap; }
.lt-w-reg-approvals .lt-w-reg-user { max-width: 12ch; }
.lt-w-reg-runid { font-size: 0.92em; user-select: all; }
.lt-w-reg-copy { font-size: 0.85em; margin-left: 6px; padding: 0 5px; }
.lt-w-reg-table tr.lt-w-reg-lineageRow td { border-top: none; padding-top: 0; }
.lt-w-reg-lineage { color: var(--lt-w-fg-muted); font-size: 0.92em; overflow-wrap: anywhere; }
.lt-w-reg-warning {
  align-items: center;
  background: var(--lt-w-bg-alt);
  border-left: 3px solid var(--jp-warn-color1, #ef6c00);
  display: flex;
  flex-wrap: wrap;
  gap: 6px;
  padding: 6px 8px;
}
.lt-w-reg-unverified {
  border: 1px solid var(--jp-warn-color1, #ef6c00);
  border-radius: 3px;
  color: var(--jp-warn-color1, #ef6c00);
  font-size: 0.8em;
  padding: 0 4px;
  text-transform: uppercase;
}
.lt-w-reg-ignored { color: var(--lt-w-fg-muted); text-decoration: line-through; }
`;

export function ensureRegistryStyles(el: HTMLElement): void {
  addStyleSheet(el, STYLE_ID, CSS);
}
