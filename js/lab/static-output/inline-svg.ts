// The charts of a labtrack static output are SVG images (`<img src="data:image/svg+xml,…">`):
// every renderer shows an image, and no script can run in one. Inside JupyterLab they are
// put inline instead, so they take the theme's colours (`currentColor`, the dark palette in
// style/static-output.css). The SVG comes from the notebook, which may be untrusted: it is
// rebuilt element by element from an allow-list, never inserted as markup.

const SVG_NS = 'http://www.w3.org/2000/svg';
const DATA_PREFIX = 'data:image/svg+xml,';

const ELEMENTS = new Set(['svg', 'g', 'path', 'rect', 'circle', 'line', 'polyline', 'text', 'title']);
const ATTRIBUTES = new Set([
  'class',
  'width',
  'height',
  'viewBox',
  'color',
  'font-family',
  'font-size',
  'font-weight',
  'd',
  'x',
  'y',
  'x1',
  'x2',
  'y1',
  'y2',
  'cx',
  'cy',
  'r',
  'rx',
  'points',
  'fill',
  'fill-opacity',
  'stroke',
  'stroke-width',
  'stroke-opacity',
  'stroke-linejoin',
  'stroke-linecap',
  'text-anchor'
]);
// Values are plain numbers, colours, names and path data: nothing that can reference or load.
const UNSAFE_VALUE = /url\s*\(|javascript:|expression\s*\(|[<>]/i;

function rebuild(source: Element, doc: Document): Element | null {
  const tag = source.localName;
  if (!ELEMENTS.has(tag) || source.namespaceURI !== SVG_NS) {
    return null;
  }
  const copy = doc.createElementNS(SVG_NS, tag);
  for (const attribute of Array.from(source.attributes)) {
    if (ATTRIBUTES.has(attribute.name) && !UNSAFE_VALUE.test(attribute.value)) {
      copy.setAttribute(attribute.name, attribute.value);
    }
  }
  if (tag === 'text' || tag === 'title') {
    copy.textContent = source.textContent;
    return copy;
  }
  for (const child of Array.from(source.children)) {
    const rebuilt = rebuild(child, doc);
    if (rebuilt) {
      copy.appendChild(rebuilt);
    }
  }
  return copy;
}

/** The SVG element an `<img>` of a labtrack chart shows, rebuilt safely; null if it is not one. */
export function svgFromImage(img: HTMLImageElement, doc: Document): SVGSVGElement | null {
  const src = img.getAttribute('src') ?? '';
  if (!src.startsWith(DATA_PREFIX)) {
    return null;
  }
  let text: string;
  try {
    text = decodeURIComponent(src.slice(DATA_PREFIX.length));
  } catch {
    return null;
  }
  const parsed = new DOMParser().parseFromString(text, 'image/svg+xml');
  const root = parsed.documentElement;
  if (root.localName !== 'svg' || parsed.getElementsByTagName('parsererror').length) {
    return null;
  }
  const svg = rebuild(root, doc) as SVGSVGElement | null;
  if (svg) {
    svg.setAttribute('role', 'img');
    svg.setAttribute('aria-label', img.alt);
  }
  return svg;
}

/** Put every chart image under `host` inline; returns how many were. */
export function inlineCharts(host: HTMLElement): number {
  let count = 0;
  for (const img of Array.from(host.querySelectorAll<HTMLImageElement>('img.lt-static-img'))) {
    const svg = svgFromImage(img, host.ownerDocument);
    if (svg) {
      svg.classList.add('lt-static-inline');
      img.replaceWith(svg);
      count += 1;
    }
  }
  return count;
}
