/* Browsing: every clause by document and section, or one unit's tasks, filtered by document and text. */
import { $, el, fill } from "./dom.js";
import { api, asApiError, errorBlock } from "./api.js";
import { clauseLabel } from "./citations.js";
import { documentIdOf, documents, placeOf, places, unitLabel } from "./corpus.js";
import { openClause } from "./clause.js";
import { showView } from "./views.js";

let browseAbort = null;
let browseTimer = null;
const OTHER_GROUP = "其他";

/** The unit dropdown, grouped by the corpus's places (the cities of a paired-cooperation notice, say). */
export async function loadUnits() {
  const select = $("filter-unit");
  let units;
  try {
    units = await api("/api/units");
  } catch (err) {
    fill($("browse-status"), errorBlock(asApiError(err), "无法载入单位列表"));
    return [];
  }
  const groups = new Map();
  for (const unit of units) {
    const group = placeOf(unit.name) || OTHER_GROUP;
    if (!groups.has(group)) groups.set(group, []);
    groups.get(group).push(unit);
  }
  const order = [...places(), OTHER_GROUP].filter((label) => groups.has(label));
  const option = (u) => el("option", { value: u.name, title: `${u.name}：牵头 ${u.lead} 条，共 ${u.total} 条`, text: `${u.name}（${u.total}）` });
  const chosen = select.value;
  fill(select, el("option", { value: "", text: "全部单位" })); // loaded again after a rebuild
  for (const label of order) {
    const members = groups.get(label).sort((a, b) => a.name.localeCompare(b.name, "zh-CN"));
    // One group holding everything says nothing: then the options stand alone.
    select.append(...(groups.size > 1 ? [el("optgroup", { label }, members.map(option))] : members.map(option)));
  }
  if (units.some((u) => u.name === chosen)) select.value = chosen;
  return units;
}

/** The document dropdown, from /api/documents. */
export function fillDocuments() {
  const select = $("filter-document");
  const chosen = select.value;
  fill(select, el("option", { value: "", text: "全部文件" }),
    documents().map((d) => el("option", { value: d.document_id, title: d.title, text: d.title })));
  if (documents().some((d) => d.document_id === chosen)) select.value = chosen;
}

function clauseLink(clause, unit) {
  const isLead = unit && (clause.lead_units || []).includes(unit);
  const label = clauseLabel(clause);
  const button = el(
    "button",
    {
      type: "button",
      class: "clause-link",
      dataset: { clauseId: clause.clause_id },
      "aria-label": `${label}${isLead ? "（牵头）" : ""}：${clause.text.slice(0, 40)}`,
    },
    el("span", { class: "clause-link-head" },
      el("span", { class: "clause-link-marker", text: label }),
      isLead ? el("span", { class: "lead-tag", text: "牵头" }) : null,
    ),
    el("span", { class: "clause-link-text", text: clause.text }),
  );
  button.addEventListener("click", () => openClause(clause.clause_id, []));
  return el("li", { class: isLead ? "is-lead" : null }, button);
}

function byDocumentAndSection(clauses, open) {
  const fragment = document.createDocumentFragment();
  const byDocument = new Map();
  for (const clause of clauses) {
    const key = documentIdOf(clause);
    if (!byDocument.has(key)) byDocument.set(key, { title: clause.document, sections: new Map() });
    const top = clause.section[0] || "（未分节）";
    const sections = byDocument.get(key).sections;
    if (!sections.has(top)) sections.set(top, []);
    sections.get(top).push(clause);
  }
  for (const { title, sections } of byDocument.values()) {
    fragment.append(el("h3", { class: "doc-title", text: `《${title}》` }));
    for (const [top, members] of sections) {
      const details = el(
        "details",
        { class: "section-group", open },
        el("summary", {}, el("span", { text: top.replace(/[。．.]$/, "") }), el("span", { class: "count", text: `${members.length} 条` })),
      );
      let sub = null;
      let list = null;
      for (const clause of members) {
        const subTitle = clause.section.slice(1).join(" › ");
        if (!list || subTitle !== sub) {
          sub = subTitle;
          if (subTitle) details.append(el("h4", { class: "sub-title", text: subTitle.replace(/[。．.]$/, "") }));
          list = el("ul", { class: "clause-links" });
          details.append(list);
        }
        list.append(clauseLink(clause, null));
      }
      fragment.append(details);
    }
  }
  return fragment;
}

/** One unit's tasks: those it leads, then those it shares, under each document's own word for sharing. */
function byRole(clauses, unit) {
  const groups = new Map([["牵头的任务", { className: "role-lead", members: [] }]]);
  for (const clause of clauses) {
    const title = (clause.lead_units || []).includes(unit) ? "牵头的任务" : `参与（${unitLabel(clause)}）的任务`;
    if (!groups.has(title)) groups.set(title, { className: "role-shared", members: [] });
    groups.get(title).members.push(clause);
  }
  const fragment = document.createDocumentFragment();
  for (const [title, { className, members }] of groups) {
    if (!members.length) continue;
    fragment.append(
      el("h3", { class: `role-title ${className}`, text: `${title}（${members.length}）` }),
      el("ul", { class: "clause-links" }, members.map((c) => clauseLink(c, unit))),
    );
  }
  return fragment;
}

/** Load the clauses the filters ask for; resolves to them (or [] on failure). */
export async function loadClauses() {
  const unit = $("filter-unit").value;
  const documentId = $("filter-document").value;
  const q = $("filter-q").value.trim();
  const params = new URLSearchParams();
  if (unit) params.set("unit", unit);
  if (documentId) params.set("document", documentId);
  if (q) params.set("q", q);
  if (browseAbort) browseAbort.abort();
  const abort = (browseAbort = new AbortController());
  const status = $("browse-status");
  const list = $("browse-list");
  list.setAttribute("aria-busy", "true");
  status.textContent = "正在载入…";
  try {
    const query = params.toString();
    const data = await api(`/api/clauses${query ? `?${query}` : ""}`, { signal: abort.signal });
    const clauses = data.clauses || [];
    if (unit) {
      const lead = clauses.filter((c) => (c.lead_units || []).includes(unit)).length;
      status.textContent = `${unit}：共 ${data.count} 条，其中牵头 ${lead} 条`;
    } else {
      status.textContent = `共 ${data.count} 条`;
    }
    if (!clauses.length) fill(list, el("p", { class: "muted", text: "没有符合条件的条款。" }));
    else fill(list, unit ? byRole(clauses, unit) : byDocumentAndSection(clauses, Boolean(q || documentId)));
    return clauses;
  } catch (err) {
    if (err && err.name === "AbortError") return [];
    status.textContent = "";
    fill(list, errorBlock(asApiError(err), "无法载入条款"));
    return [];
  } finally {
    if (browseAbort === abort) list.removeAttribute("aria-busy");
  }
}

/** Everything one unit leads or shares: the other filters are cleared, or they would hide some of it. */
export function filterByUnit(unit) {
  const select = $("filter-unit");
  if (![...select.options].some((o) => o.value === unit)) select.append(el("option", { value: unit, text: unit }));
  select.value = unit;
  $("filter-document").value = "";
  $("filter-q").value = "";
  clearTimeout(browseTimer);
  showView("browse");
  loadClauses();
  $("browse").scrollIntoView({ block: "start" });
}

export function setUpBrowse() {
  $("filter-form").addEventListener("submit", (event) => event.preventDefault());
  $("filter-unit").addEventListener("change", loadClauses);
  $("filter-document").addEventListener("change", loadClauses);
  $("filter-q").addEventListener("input", () => {
    clearTimeout(browseTimer);
    browseTimer = setTimeout(loadClauses, 250);
  });
}
