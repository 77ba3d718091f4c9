/** An element with a class and, for tests and styling hooks, a `data-testid`. */
export function node(doc: Document, tag: string, className: string, testid?: string): HTMLElement {
  const el = doc.createElement(tag);
  el.className = className;
  if (testid) {
    el.dataset.testid = testid;
  }
  return el;
}
