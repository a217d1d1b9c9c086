/*
 * DOM helpers.  Every piece of data (questions, answers, clause text, unit names) enters the page as
 * text nodes or attributes, never through innerHTML; no inline scripts, handlers or style attributes, so
 * a strict Content-Security-Policy (script-src 'self'; style-src 'self') holds.
 */

export const $ = (id) => document.getElementById(id);

function append(node, children) {
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/**
 * el("p", {class: "x", "aria-label": "…"}, "text", otherNode)
 * Strings become text nodes, null / undefined / false children are skipped; attributes are set with
 * setAttribute, so no value is ever parsed as HTML.  Style and on* attributes are refused.
 */
export function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name === "style" || name.startsWith("on")) throw new Error(`refusing attribute ${name}`);
    if (name === "text") node.textContent = value;
    else if (name === "class") node.className = value;
    else if (name === "dataset") Object.assign(node.dataset, value);
    else node.setAttribute(name, value === true ? "" : String(value));
  }
  return append(node, children);
}

/** node.replaceChildren with el's rule for children: null, undefined and false are skipped, not "null". */
export function fill(node, ...children) {
  node.replaceChildren();
  return append(node, children);
}

const SVG = "http://www.w3.org/2000/svg";
// Drawn for this page on a 24-unit grid, stroked with the text colour.
const ICONS = {
  up: ["M7 10v10H3V10z", "M7 10l4.5-7a2 2 0 0 1 3.3 2.1L13.5 9H19a2 2 0 0 1 2 2.4l-1.5 7A2 2 0 0 1 17.5 20H7"],
  copy: ["M9 9h11v11H9z", "M5 15H4V4h11v1"],
  check: ["M4 12.5l5 5L20 6.5"],
};

/** A decorative icon (aria-hidden); "down" is "up" turned over. */
export function icon(name) {
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("aria-hidden", "true");
  svg.setAttribute("focusable", "false");
  svg.setAttribute("class", `icon icon-${name}`);
  const group = document.createElementNS(SVG, "g");
  if (name === "down") group.setAttribute("transform", "rotate(180 12 12)");
  for (const d of ICONS[name === "down" ? "up" : name]) {
    const path = document.createElementNS(SVG, "path");
    path.setAttribute("d", d);
    group.append(path);
  }
  svg.append(group);
  return svg;
}

/** Copy text to the clipboard; plain-http deployments are not a secure context, so fall back to execCommand. */
export async function copyText(text, container) {
  if (navigator.clipboard && window.isSecureContext) {
    try {
      await navigator.clipboard.writeText(text);
      return true;
    } catch {
      /* fall back below */
    }
  }
  const area = el("textarea", { class: "clipboard-helper", readonly: true, "aria-hidden": "true" });
  area.value = text;
  container.append(area);
  area.select();
  let ok = false;
  try {
    ok = document.execCommand("copy");
  } catch {
    ok = false;
  }
  area.remove();
  return ok;
}

/** Offer text as a file download (a conversation's Markdown, say). */
export function download(filename, text, type) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = el("a", { href: url, download: filename, class: "visually-hidden" });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** "2026-12-01 17:05" in local time. */
export function localTime(value) {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return "";
  const pad = (n) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}`;
}
