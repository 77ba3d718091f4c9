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

/** At most `max` characters, cut in the middle: keys like `encoder.layer_03.hidden_size`
 * differ in the middle or at the end, rarely only at the start. */
export function shortenMiddle(text: string, max: number): string {
  if (text.length <= max) {
    return text;
  }
  const head = Math.ceil((max - 1) / 2);
  return `${text.slice(0, head)}…${text.slice(text.length - (max - 1 - head))}`;
}
