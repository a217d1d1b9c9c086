/*
 * The admin panel: 文件 (the loaded documents and their parse reports) and 反馈 (the votes staff gave,
 * GET /api/feedback with an admin key).  The key is asked for inside the panel and kept for this tab only.
 */
import { $, el, fill, localTime } from "./dom.js";
import { adminKey, api, asApiError, errorBlock, friendly, setAdminKey } from "./api.js";

const PAGE = 50;
let feedbackOffset = 0;
let feedbackToken = 0;

// ---------------------------------------------------------------- 文件
function documentItem(d) {
  const report = d.report || {};
  const warnings = report.warnings || [];
  const meta = [d.document_id, d.number, d.date, d.source && `${d.source.file}（${d.source.format}）`].filter(Boolean);
  return el(
    "li",
    { class: "document-item", dataset: { documentId: d.document_id } },
    el("h3", { class: "document-title", text: d.title }),
    el("p", { class: "document-meta", text: meta.join(" · ") }),
    el(
      "p",
      { class: "document-counts" },
      `任务条款 ${d.clause_count} 条`,
      d.passage_count ? `，其他段落 ${d.passage_count} 段` : "",
      report.items !== undefined ? `；识别事项 ${report.items} 项，其中未写明责任单位 ${report.items_without_responsibility || 0} 项` : "",
    ),
    warnings.length
      ? el(
          "details",
          { class: "document-warnings" },
          el("summary", { text: `解析提示（${warnings.length}）` }),
          el(
            "ul",
            {},
            warnings.map((w) => el("li", { text: `${w.file}${w.line ? ` 第 ${w.line} 行` : ""}：${w.message}` })),
          ),
        )
      : null,
  );
}

async function loadDocuments() {
  const status = $("documents-status");
  const list = $("documents-list");
  status.textContent = "正在载入…";
  try {
    const data = await api("/api/documents");
    const unreadable = data.unreadable || [];
    status.textContent = `已载入 ${data.count} 个文件${unreadable.length ? `，${unreadable.length} 个无法读取` : ""}`;
    fill(
      list,
      (data.documents || []).map(documentItem),
      unreadable.map((u) =>
        el("li", { class: "document-item is-unreadable" },
          el("h3", { class: "document-title", text: u.file }),
          el("p", { class: "error-text", text: `无法读取：${u.problem}` })),
      ),
    );
  } catch (err) {
    status.textContent = "";
    fill(list, el("li", {}, errorBlock(asApiError(err), "无法载入文件列表")));
  }
}

// ---------------------------------------------------------------- 反馈
function askForAdminKey(reason) {
  $("feedback-view").hidden = true;
  $("admin-key-form").hidden = false;
  $("admin-key-reason").textContent = reason;
  const input = $("admin-key-input");
  input.value = "";
  input.focus();
}

function feedbackItem(f) {
  const up = f.rating === "up";
  return el(
    "li",
    { class: `feedback-item ${up ? "is-up" : "is-down"}`, dataset: { feedbackId: String(f.id) } },
    el(
      "p",
      { class: "feedback-meta" },
      el("span", { class: `badge ${up ? "badge-answer" : "badge-refusal"}`, text: up ? "有帮助" : "没有帮助" }),
      el("span", { text: `${localTime(f.created_at)} · #${f.id}${f.answerable ? "" : " · 未找到依据的回答"}` }),
    ),
    f.history.length ? el("p", { class: "feedback-history", text: `接续：${f.history.join(" → ")}` }) : null,
    el("p", { class: "feedback-question", text: f.question }),
    f.note ? el("blockquote", { class: "feedback-note-text", text: f.note }) : null,
    el(
      "details",
      { class: "feedback-answer" },
      el("summary", { text: f.citations.length ? `回答（引用 ${f.citations.join("、")}）` : "回答" }),
      el("p", { class: "feedback-answer-text", text: f.answer }),
    ),
  );
}

async function loadFeedback(reset) {
  if (!adminKey()) {
    askForAdminKey("查看反馈需要管理员密钥。");
    return;
  }
  const token = (feedbackToken += 1);
  if (reset) {
    feedbackOffset = 0;
    fill($("feedback-list"));
  }
  const params = new URLSearchParams({ limit: String(PAGE), offset: String(feedbackOffset) });
  const rating = $("feedback-rating").value;
  if (rating) params.set("rating", rating);
  const status = $("feedback-status");
  status.textContent = "正在载入…";
  let data;
  try {
    data = await api(`/api/feedback?${params}`, { admin: true });
  } catch (err) {
    if (token !== feedbackToken) return;
    const error = asApiError(err);
    if (error.status === 401 || error.status === 403) {
      if (error.code !== "admin_disabled") setAdminKey("");
      askForAdminKey(friendly(error));
    } else {
      status.textContent = "";
      $("feedback-list").append(el("li", {}, errorBlock(error, "无法载入反馈")));
    }
    return;
  }
  if (token !== feedbackToken) return;
  $("admin-key-form").hidden = true;
  $("feedback-view").hidden = false;
  $("feedback-list").append(...data.feedback.map(feedbackItem));
  feedbackOffset += data.feedback.length;
  status.textContent = data.count ? `共 ${data.count} 条反馈，已显示 ${feedbackOffset} 条` : "还没有反馈。";
  $("feedback-more").hidden = feedbackOffset >= data.count;
}

// ---------------------------------------------------------------- the panel
function showTab(name) {
  for (const tab of ["documents", "feedback"]) {
    $(`admin-tab-${tab}`).setAttribute("aria-pressed", String(tab === name));
    $(`admin-${tab}`).hidden = tab !== name;
  }
  if (name === "documents") loadDocuments();
  else loadFeedback(true);
}

export function setUpAdmin() {
  const dialog = $("admin-dialog");
  $("open-admin").addEventListener("click", () => {
    dialog.showModal();
    showTab($("admin-tab-feedback").getAttribute("aria-pressed") === "true" ? "feedback" : "documents");
  });
  $("admin-close").addEventListener("click", () => dialog.close());
  dialog.addEventListener("click", (event) => {
    if (event.target === dialog) dialog.close();
  });
  $("admin-tab-documents").addEventListener("click", () => showTab("documents"));
  $("admin-tab-feedback").addEventListener("click", () => showTab("feedback"));
  $("admin-key-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const key = $("admin-key-input").value.trim();
    if (!key) return;
    setAdminKey(key);
    loadFeedback(true);
  });
  $("feedback-rating").addEventListener("change", () => loadFeedback(true));
  $("feedback-more").addEventListener("click", () => loadFeedback(false));
  $("admin-forget").addEventListener("click", () => {
    setAdminKey("");
    fill($("feedback-list"));
    askForAdminKey("已退出管理。");
  });
}
