/*
 * A cited clause's text on hover (mouse), on keyboard focus, or on a tap (touch, where there is no
 * hover): the citation already carries the text and highlights, so nothing is fetched.  The preview sits
 * inside the chip's line and is positioned by CSS alone (no style attributes under the CSP); it stays
 * while the pointer is on it and Escape dismisses it.
 */
import { el, fill } from "./dom.js";
import { clauseLabel, clauseText, sectionText } from "./citations.js";
import { openClause } from "./clause.js";

const SHOW_DELAY_MS = 250;
const HIDE_DELAY_MS = 250;
const HOSTS = ".answer-line, .source-item, .related-item";

let box = null;
let owner = null; // the chip the preview belongs to
let showTimer = 0;
let hideTimer = 0;
let lastPointer = "mouse";

function previewBox() {
  if (box) return box;
  box = el("div", { id: "clause-preview", class: "preview", role: "tooltip", hidden: true });
  box.addEventListener("pointerenter", () => clearTimeout(hideTimer));
  box.addEventListener("pointerleave", (event) => {
    if (event.pointerType === "mouse") hideSoon();
  });
  box.addEventListener("focusout", (event) => {
    if (!box.contains(event.relatedTarget) && event.relatedTarget !== owner) hideSoon();
  });
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && !box.hidden) hidePreview();
  });
  return box;
}

export function hidePreview() {
  clearTimeout(showTimer);
  clearTimeout(hideTimer);
  if (!box || box.hidden) return;
  box.hidden = true;
  if (owner) {
    owner.removeAttribute("aria-describedby");
    owner.removeAttribute("aria-expanded");
  }
  owner = null;
}

function hideSoon() {
  clearTimeout(hideTimer);
  hideTimer = setTimeout(hidePreview, HIDE_DELAY_MS);
}

export function showPreview(chip, citation) {
  clearTimeout(showTimer);
  clearTimeout(hideTimer);
  const preview = previewBox();
  const open = el("button", { type: "button", class: "button button-small preview-open", text: "查看全文" });
  open.addEventListener("click", () => {
    hidePreview();
    openClause(citation.clause_id, citation.highlights || []);
  });
  fill(
    preview,
    el(
      "div",
      { class: "preview-head" },
      el("strong", { text: clauseLabel(citation) }),
      el("span", { class: "preview-section", text: sectionText(citation.section) }),
    ),
    clauseText(citation, citation.highlights || [], "div"),
    open,
  );
  if (owner && owner !== chip) {
    owner.removeAttribute("aria-describedby");
    owner.removeAttribute("aria-expanded");
  }
  (chip.closest(HOSTS) || chip.parentElement).append(preview);
  // Below the line, or above it when the line is low in the window.
  preview.classList.toggle("preview-above", chip.getBoundingClientRect().bottom > window.innerHeight * 0.6);
  owner = chip;
  chip.setAttribute("aria-describedby", preview.id);
  chip.setAttribute("aria-expanded", "true");
  preview.hidden = false;
}

/** Wire a chip: hover and keyboard focus preview; a click opens the viewer, a first tap previews. */
export function attachPreview(chip, citation) {
  chip.addEventListener("pointerdown", (event) => {
    lastPointer = event.pointerType;
  });
  chip.addEventListener("pointerenter", (event) => {
    if (event.pointerType !== "mouse") return;
    clearTimeout(hideTimer);
    clearTimeout(showTimer);
    showTimer = setTimeout(() => showPreview(chip, citation), SHOW_DELAY_MS);
  });
  chip.addEventListener("pointerleave", (event) => {
    if (event.pointerType !== "mouse") return;
    clearTimeout(showTimer);
    hideSoon();
  });
  chip.addEventListener("focus", () => {
    if (chip.matches(":focus-visible")) showPreview(chip, citation);
  });
  chip.addEventListener("blur", (event) => {
    if (!box || !box.contains(event.relatedTarget)) hideSoon();
  });
  chip.addEventListener("click", () => {
    const touched = lastPointer === "touch";
    lastPointer = "mouse";
    if (touched && owner !== chip) {
      showPreview(chip, citation);
      return;
    }
    hidePreview();
    openClause(citation.clause_id, citation.highlights || []);
  });
}
