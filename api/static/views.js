/* Narrow screens show one view at a time: the chat or the clause list. */
import { $ } from "./dom.js";

export function showView(view) {
  $("layout").dataset.view = view;
  $("show-chat").setAttribute("aria-pressed", String(view === "chat"));
  $("show-browse").setAttribute("aria-pressed", String(view === "browse"));
}

export function setUpViews() {
  $("show-chat").addEventListener("click", () => showView("chat"));
  $("show-browse").addEventListener("click", () => showView("browse"));
}
