// Building the page's elements. Text only: every piece of data reaches the DOM through textContent,
// setAttribute or createElementNS, never as markup, so even a rendering bug could not run markup
// someone typed into an override's reason.

const SVG_NS = 'http://www.w3.org/2000/svg';

/** Attributes by name; `text` sets the text content; undefined, null and false leave it out; true is a bare attribute. */
export type Attrs = Record<string, string | number | boolean | null | undefined>;
export type Child = Node | string | number | null | undefined | false;

function setAttrs(e: Element, attrs: Attrs | null | undefined): void {
  if (!attrs) return;
  for (const k of Object.keys(attrs)) {
    const v = attrs[k];
    if (v === undefined || v === null || v === false) continue;
    if (k === 'text') e.textContent = String(v);
    else e.setAttribute(k, v === true ? '' : String(v));
  }
}

function add<E extends Element>(e: E, children: Child | Child[]): E {
  if (children === undefined || children === null) return e;
  const list = Array.isArray(children) ? children : [children];
  for (const c of list) {
    if (c === undefined || c === null || c === false) continue;
    e.appendChild(typeof c === 'object' ? c : document.createTextNode(String(c)));
  }
  return e;
}

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs?: Attrs | null,
  children?: Child | Child[],
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  setAttrs(e, attrs);
  return add(e, children);
}

export function sv<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attrs?: Attrs | null,
  children?: Child | Child[],
): SVGElementTagNameMap[K] {
  const e = document.createElementNS(SVG_NS, tag);
  setAttrs(e, attrs);
  return add(e, children);
}

/** An element of the page's shell (page/html.ts), by id. */
export function $<E extends HTMLElement = HTMLElement>(id: string): E {
  return document.getElementById(id) as E;
}
