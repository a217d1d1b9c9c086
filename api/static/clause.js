/* The clause viewer: one clause in context, its units, its neighbours and the clauses that continue it. */
import { $, copyText, el, fill } from "./dom.js";
import { api, asApiError, errorBlock } from "./api.js";
import { chipLabel, clauseLabel, clauseText, reference, sectionText } from "./citations.js";
import { unitLabel } from "./corpus.js";
import { filterByUnit } from "./browse.js";

const clauseCache = new Map();

export function fetchClause(id) {
  if (!clauseCache.has(id)) {
    const promise = api(`/api/clauses/${encodeURIComponent(id)}`);
    clauseCache.set(id, promise);
    promise.catch(() => clauseCache.delete(id));
  }
  return clauseCache.get(id);
}

function unitList(clause) {
  const lead = clause.lead_units || [];
  const others = (clause.units || []).filter((u) => !lead.includes(u));
  const list = el("ul", { class: "unit-list" });
  for (const [unit, isLead] of [...lead.map((u) => [u, true]), ...others.map((u) => [u, false])]) {
    const button = el(
      "button",
      { type: "button", class: isLead ? "unit unit-lead" : "unit", title: `查看${unit}负责的全部条款` },
      isLead ? el("span", { class: "lead-tag", text: "牵头" }) : null,
      el("span", { class: "unit-name", text: unit }),
    );
    button.addEventListener("click", () => {
      $("clause-dialog").close();
      filterByUnit(unit);
    });
    list.append(el("li", {}, button));
  }
  return list;
}

function relatedCard(id) {
  const card = el("li", { class: "linked", "aria-busy": "true" }, el("p", { class: "muted", text: `正在载入 ${id}…` }));
  fetchClause(id).then(
    (other) => {
      const open = el("button", { type: "button", class: "button button-small", text: "查看此条" });
      open.addEventListener("click", () => openClause(other.clause_id, []));
      fill(
        card,
        el(
          "div",
          { class: "linked-head" },
          el("span", { class: "chip chip-static", text: chipLabel(other) }),
          el("span", { class: "linked-doc", text: other.document }),
        ),
        el("p", { class: "linked-section", text: sectionText(other.section) }),
        el("p", { class: "linked-text", text: other.text }),
        open,
      );
      card.removeAttribute("aria-busy");
    },
    (err) => {
      fill(card, errorBlock(asApiError(err), `无法载入 ${id}`));
      card.removeAttribute("aria-busy");
    },
  );
  return card;
}

let openToken = 0;

/** Open the viewer on a clause; ``highlights`` are the [start, end) spans an answer rests on ([] for none). */
export async function openClause(id, highlights) {
  const dialog = $("clause-dialog");
  const body = $("clause-body");
  const token = (openToken += 1);
  $("clause-document").textContent = "";
  $("clause-title").textContent = "正在载入…";
  fill(body, el("p", { class: "muted", text: "正在载入条款…" }));
  fill($("clause-actions"));
  dialog.setAttribute("aria-busy", "true");
  if (!dialog.open) dialog.showModal();
  let clause;
  try {
    clause = await fetchClause(id);
  } catch (err) {
    if (token !== openToken) return;
    $("clause-title").textContent = "无法载入条款";
    fill(body, errorBlock(asApiError(err)));
    dialog.removeAttribute("aria-busy");
    return;
  }
  if (token !== openToken) return;
  dialog.removeAttribute("aria-busy");
  $("clause-document").textContent = `《${clause.document}》`;
  $("clause-title").textContent = clauseLabel(clause);

  const copy = el("button", { type: "button", class: "button button-primary", id: "copy-citation", text: "复制引用" });
  const copied = el("span", { class: "copy-status", role: "status" });
  copy.addEventListener("click", async () => {
    const ok = await copyText(reference(clause), body);
    copied.textContent = ok ? "已复制引用" : "复制失败，请手动选择文字复制";
  });

  const nav = el("div", { class: "clause-nav" });
  for (const [label, target] of [["‹ 上一条", clause.previous], ["下一条 ›", clause.next]]) {
    const button = el("button", { type: "button", class: "button button-quiet button-small", text: label, disabled: !target });
    if (target) button.addEventListener("click", () => openClause(target, []));
    nav.append(button);
  }

  const lead = clause.lead_units || [];
  const shared = (clause.units || []).filter((u) => !lead.includes(u));
  const related = clause.related || [];
  const marked = Boolean(highlights && highlights.length);
  fill(
    body,
    el(
      "ol",
      { class: "breadcrumb", "aria-label": "所在章节" },
      clause.section.map((s) => el("li", { text: s.replace(/[。．.]$/, "") })),
    ),
    clauseText(clause, highlights),
    marked ? el("p", { class: "legend" }, el("mark", { text: "底色" }), "标出的是回答所依据的原文。") : null,
    el(
      "section",
      { class: "dialog-section", "aria-labelledby": "units-title" },
      el("h3", { id: "units-title", text: "责任单位" }),
      lead.length ? null : el("p", { class: "muted", text: "本条未列明牵头单位。" }),
      shared.length ? el("p", { class: "muted small", text: `未标“牵头”的为${unitLabel(clause)}。` }) : null,
      unitList(clause),
      clause.responsibility_raw ? el("p", { class: "resp-raw", text: `原文：${clause.responsibility_raw}` }) : null,
    ),
    el(
      "section",
      { class: "dialog-section", "aria-labelledby": "linked-title" },
      el("h3", { id: "linked-title", text: "其他文件中的对应条款" }),
      related.length
        ? el("ul", { class: "linked-list" }, related.map(relatedCard))
        : el("p", { class: "muted", text: "其他文件中没有对应条款。" }),
    ),
  );
  fill($("clause-actions"), copy, copied, nav);
  body.scrollTop = 0;
  copy.focus();
}

export function setUpClauseDialog() {
  const dialog = $("clause-dialog");
  $("clause-close").addEventListener("click", () => dialog.close());
  dialog.addEventListener("click", (event) => {
    if (event.target === dialog) dialog.close(); // a click on the backdrop
  });
  dialog.addEventListener("close", () => {
    openToken += 1; // a clause still loading must not reopen or fill the closed dialog
    fill($("clause-body"));
    fill($("clause-actions"));
    $("clause-title").textContent = "";
    $("clause-document").textContent = "";
  });
}
