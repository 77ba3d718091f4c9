// The frame every labtrack widget is drawn in: theme colours as custom properties
// (JupyterLab's, then VS Code's, then neutral ones, so light and dark themes both read)
// and the box around the widget. Each widget's stylesheet opens its root rule with these,
// and is added to the page by addStyleSheet.

export const THEME_VARIABLES = `
  --lt-w-fg: var(--jp-ui-font-color1, var(--vscode-editor-foreground, #1f1f1f));
  --lt-w-fg-muted: var(--jp-ui-font-color2, var(--vscode-descriptionForeground, #6b6b6b));
  --lt-w-bg: var(--jp-layout-color1, var(--vscode-editor-background, #ffffff));
  --lt-w-bg-alt: var(--jp-layout-color2, var(--vscode-editorWidget-background, #f3f3f3));
  --lt-w-border: var(--jp-border-color2, var(--vscode-editorWidget-border, #d0d0d0));
  --lt-w-accent: var(--jp-brand-color1, var(--vscode-focusBorder, #1976d2));`;

export const FRAME_RULES = `
  background: var(--lt-w-bg);
  border: 1px solid var(--lt-w-border);
  border-radius: 4px;
  box-sizing: border-box;
  color: var(--lt-w-fg);
  display: flex;
  flex-direction: column;
  font-family: var(--jp-ui-font-family, var(--vscode-font-family, system-ui, sans-serif));
  font-size: var(--jp-ui-font-size1, 13px);`;

/** Add the stylesheet `css` to the document holding `el`, once per `id`: the widget may be
 *  drawn in any document (JupyterLab's, VS Code's webview, a page of its own). */
export function addStyleSheet(el: HTMLElement, id: string, css: string): void {
  const doc = el.ownerDocument;
  if (doc.getElementById(id)) {
    return;
  }
  const style = doc.createElement('style');
  style.id = id;
  style.textContent = css;
  doc.head.appendChild(style);
}
