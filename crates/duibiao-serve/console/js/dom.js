// Building the page: elements and SVG from plain data, never from HTML text, so that nothing a
// unit's name or a standard's clause contains is read as markup (and the CSP needs no inline code).

const SVG = 'http://www.w3.org/2000/svg';

/** Appends `children` (nodes, text, arrays of them; null and false are skipped) to `node`. */
function append(node, children) {
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    node.append(c instanceof Node ? c : String(c));
  }
  return node;
}

/** Sets `attrs` on `node`: `on…` functions become listeners, `class` and the rest attributes. */
function attributes(node, attrs) {
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') {
      node.addEventListener(k.slice(2), v);
    } else if (k === 'value' && 'value' in node) {
      node.value = v;
    } else {
      node.setAttribute(k, v === true ? '' : String(v));
    }
  }
  return node;
}

/** An HTML element `tag` with `attrs` and `children`. */
export function h(tag, attrs, ...children) {
  return append(attributes(document.createElement(tag), attrs), children);
}

/** An SVG element `tag` with `attrs` and `children`. */
export function s(tag, attrs, ...children) {
  return append(attributes(document.createElementNS(SVG, tag), attrs), children);
}

/** Replaces what `node` holds with `children`. */
export function fill(node, ...children) {
  node.replaceChildren();
  return append(node, children);
}
