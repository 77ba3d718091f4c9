// Plotly draws trace names, axis labels and tick text as SVG with its own pseudo-HTML
// (`<b>`, `<br>`, `<a href>`…). Server strings (run names, param values) must show as typed,
// so the characters that start markup or entities are written as entities, which plotly
// turns back into the plain characters when it draws them.

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };

/** `text` as plotly should show it: literally, never as markup. */
export function plotText(text: string): string {
  return text.replace(/[&<>]/g, c => ENTITIES[c]);
}

/** At most `max` characters, with an ellipsis when cut (axis labels must not overlap). */
export function shorten(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(1, max - 1))}…`;
}
