/** Tiny DOM helpers for the webviews: every text goes through textContent, never through innerHTML. */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string> = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  for (const c of children) node.append(typeof c === 'string' ? document.createTextNode(c) : c);
  return node;
}

/** A table with a caption and header row, readable by screen readers. */
export function table(caption: string, head: string[], rows: string[][]): HTMLTableElement {
  return el(
    'table',
    {},
    el('caption', {}, caption),
    el('thead', {}, el('tr', {}, ...head.map((h) => el('th', { scope: 'col' }, h)))),
    el('tbody', {}, ...rows.map((r) => el('tr', {}, ...r.map((c) => el('td', {}, c))))),
  );
}

/** Text with `code spans` (as the report's titles write them) as text and <code> nodes; never parsed as markup. */
export function withCode(text: string): (Node | string)[] {
  const parts = text.split('`');
  // An odd count of backticks leaves the text as it is.
  if (parts.length % 2 === 0) return [text];
  return parts.map((p, i) => (i % 2 === 1 ? el('code', {}, p) : p)).filter((p) => p !== '');
}
