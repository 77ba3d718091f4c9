// Plot colours from JupyterLab's CSS variables (then VS Code's, then neutral fallbacks), so
// figures match the light or dark theme. Read again whenever the theme changes.

export interface IPlotTheme {
  foreground: string;
  muted: string;
  background: string;
  grid: string;
  fontFamily: string;
  fontSize: number;
  dark: boolean;
  colorway: string[];
}

// Category10, and lighter versions of the same hues that keep contrast on dark backgrounds.
const LIGHT_COLORWAY = [
  '#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd',
  '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'
];
const DARK_COLORWAY = [
  '#6cb4ee', '#ffa64d', '#6fd36f', '#ff7b7b', '#c3a3f7',
  '#d2aa9e', '#f7a8d8', '#c7c7c7', '#e0e070', '#6fe0ee'
];

function cssVariable(style: CSSStyleDeclaration, names: string[], fallback: string): string {
  for (const name of names) {
    const value = style.getPropertyValue(name).trim();
    if (value) {
      return value;
    }
  }
  return fallback;
}

/** Whether the page shows a dark theme (JupyterLab's body attribute, else VS Code's class). */
export function isDarkTheme(doc: Document): boolean {
  const light = doc.body?.dataset.jpThemeLight;
  if (light !== undefined) {
    return light === 'false';
  }
  return doc.body?.classList.contains('vscode-dark') ?? false;
}

/** The theme as seen from `el` (CSS variables are inherited, so read them where the plot is). */
export function readPlotTheme(el: Element): IPlotTheme {
  const style = getComputedStyle(el);
  const dark = isDarkTheme(el.ownerDocument);
  const fontSize = parseFloat(cssVariable(style, ['--jp-ui-font-size1'], '13px'));
  return {
    foreground: cssVariable(
      style,
      ['--jp-ui-font-color1', '--vscode-editor-foreground'],
      dark ? '#e0e0e0' : '#1f1f1f'
    ),
    muted: cssVariable(
      style,
      ['--jp-ui-font-color2', '--vscode-descriptionForeground'],
      dark ? '#a0a0a0' : '#616161'
    ),
    background: cssVariable(
      style,
      ['--jp-layout-color1', '--vscode-editor-background'],
      dark ? '#111111' : '#ffffff'
    ),
    grid: cssVariable(
      style,
      ['--jp-border-color2', '--vscode-editorWidget-border'],
      dark ? '#424242' : '#e0e0e0'
    ),
    fontFamily: cssVariable(
      style,
      ['--jp-ui-font-family', '--vscode-font-family'],
      'system-ui, sans-serif'
    ),
    fontSize: Number.isFinite(fontSize) ? fontSize : 13,
    dark,
    colorway: dark ? DARK_COLORWAY : LIGHT_COLORWAY
  };
}
