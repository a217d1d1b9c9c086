/* One short message at a time at the foot of the page, with an optional action (撤销, say). */
import { $, el, fill } from "./dom.js";

const SHOW_MS = 10_000;
let timer = 0;

export function hideToast() {
  clearTimeout(timer);
  $("toast").hidden = true;
  fill($("toast"));
}

export function toast(message, action) {
  const box = $("toast");
  clearTimeout(timer);
  const parts = [el("span", { class: "toast-text", text: message })];
  if (action) {
    const button = el("button", { type: "button", class: "button button-small toast-action", text: action.label });
    button.addEventListener("click", () => {
      hideToast();
      action.run();
    });
    parts.push(button);
  }
  fill(box, ...parts);
  box.hidden = false;
  timer = setTimeout(hideToast, SHOW_MS);
}
