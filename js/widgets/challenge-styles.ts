// Styles of the champion–challenger view; theme variables first (JupyterLab, then VS Code).
import { FRAME_RULES, THEME_VARIABLES } from './frame-styles';

const STYLE_ID = 'labtrack-challenge-widget-styles';

const CSS = `
.lt-w-chal {${THEME_VARIABLES}${FRAME_RULES}
  gap: 10px;
  max-width: 980px;
  padding: 10px 12px;
  --lt-w-champion: var(--lt-w-plot-0, #1f77b4);
  --lt-w-challenger: var(--lt-w-plot-1, #ff7f0e);
}
.lt-w-chal-header { align-items: baseline; display: flex; flex-wrap: wrap; gap: 10px; }
.lt-w-chal-title { font-size: 1.1em; font-weight: 600; }
.lt-w-chal-role { border-bottom: 3px solid; padding-bottom: 1px; }
.lt-w-chal-role-champion { border-color: var(--lt-w-champion); }
.lt-w-chal-role-challenger { border-color: var(--lt-w-challenger); }
.lt-w-chal-verdict {
  border: 1px solid;
  border-radius: 10px;
  font-size: 0.85em;
  font-weight: 600;
  padding: 1px 8px;
  text-transform: uppercase;
}
.lt-w-chal-passed { color: var(--jp-success-color1, #2e7d32); }
.lt-w-chal-failed { color: var(--jp-error-color1, #d32f2f); }
.lt-w-chal-muted { color: var(--lt-w-fg-muted); }
.lt-w-chal-failures { color: var(--jp-error-color1, #d32f2f); margin: 0; padding-left: 18px; }
.lt-w-chal-table { border-collapse: collapse; font-variant-numeric: tabular-nums; }
.lt-w-chal-table th {
  border-bottom: 1px solid var(--lt-w-border);
  color: var(--lt-w-fg-muted);
  font-weight: 600;
  text-align: left;
}
.lt-w-chal-table th, .lt-w-chal-table td { padding: 3px 14px 3px 0; }
.lt-w-chal-table td.lt-w-chal-num { text-align: right; }
.lt-w-chal-table tr + tr td { border-top: 1px solid var(--lt-w-border); }
.lt-w-chal-win { font-weight: 700; }
.lt-w-chal-win-champion { color: var(--lt-w-champion); }
.lt-w-chal-win-challenger { color: var(--lt-w-challenger); }
.lt-w-chal-bar { border-radius: 3px; display: flex; height: 10px; overflow: hidden; width: 100%; }
.lt-w-chal-bar > span { display: block; height: 100%; }
.lt-w-chal-plots { display: grid; gap: 8px; grid-template-columns: repeat(auto-fit, minmax(280px, 1fr)); }
.lt-w-chal-plot { min-height: 260px; min-width: 0; }
.lt-w-chal-actions { align-items: center; display: flex; flex-wrap: wrap; gap: 8px; }
.lt-w-chal-button {
  background: var(--lt-w-bg);
  border: 1px solid var(--lt-w-border);
  border-radius: 3px;
  color: var(--lt-w-fg);
  cursor: pointer;
  font: inherit;
  padding: 2px 8px;
}
.lt-w-chal-button:hover { border-color: var(--lt-w-accent); }
.lt-w-chal-notice { color: var(--jp-success-color1, #2e7d32); }
.lt-w-chal-error { color: var(--jp-error-color1, #d32f2f); }
`;

export function ensureChallengeStyles(el: HTMLElement): void {
  const doc = el.ownerDocument;
  if (doc.getElementById(STYLE_ID)) {
    return;
  }
  const style = doc.createElement('style');
  style.id = STYLE_ID;
  style.textContent = CSS;
  doc.head.appendChild(style);
}
