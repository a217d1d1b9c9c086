/*
 * The admin panel: 文件 (the loaded documents and their parse reports; upload and remove, admin key) and
 * 反馈 (the votes staff gave, GET /api/feedback with an admin key).  The key is asked for inside the panel
 * and kept for this tab only.  An upload or a removal rebuilds the index in the background: the panel
 * follows GET /api/index/status and, once the new generation answers, the page's lists follow it.
 */
import { $, el, fill, localTime } from "./dom.js";
import { ApiError, adminKey, api, asApiError, errorBlock, friendly, setAdminKey } from "./api.js";
import { followGeneration } from "./refresh.js";

const PAGE = 50;
const POLL_MS = 800;
const CONFIRM_MS = 6000;
const STAGES = { loading: "读取文件", indexing: "建立索引", warming_up: "准备问答" };
let feedbackOffset = 0;
let feedbackToken = 0;
let afterKey = null; // what to do once an admin key is entered
let polling = 0;

// ---------------------------------------------------------------- 文件
function warningList(warnings, open) {
  if (!warnings.length) return null;
  return el(
    "details",
    { class: "document-warnings", open },
    el("summary", { text: `解析提示（${warnings.length}）` }),
    el(
      "ul",
      {},
      warnings.map((w) => el("li", { text: `${w.file}${w.line ? ` 第 ${w.line} 行` : ""}：${w.message}` })),
    ),
  );
}

function counts(d) {
  const report = d.report || {};
  return el(
    "p",
    { class: "document-counts" },
    `任务条款 ${d.clause_count} 条`,
    d.passage_count ? `，其他段落 ${d.passage_count} 段` : "",
    report.items !== undefined ? `；识别事项 ${report.items} 项，其中未写明责任单位 ${report.items_without_responsibility || 0} 项` : "",
  );
}

function documentItem(d) {
  const upload = d.origin === "upload";
  const meta = [d.document_id, d.number, d.date, d.source && `${d.source.file}（${d.source.format}）`].filter(Boolean);
  if (upload && d.uploaded_at) meta.push(`上传于 ${localTime(d.uploaded_at)}`);
  const item = el(
    "li",
    { class: `document-item${upload ? " is-upload" : ""}`, dataset: { documentId: d.document_id } },
    el(
      "div",
      { class: "document-head" },
      el("h3", { class: "document-title", text: d.title }),
      el("span", { class: `badge ${upload ? "badge-answer" : "badge-quiet"}`, text: upload ? "上传" : "内置" }),
    ),
    el("p", { class: "document-meta", text: meta.join(" · ") }),
    counts(d),
    warningList((d.report || {}).warnings || [], false),
  );
  if (upload) item.append(removeControls(d, item));
  return item;
}

// ---------------------------------------------------------------- 文件: remove
function removeControls(d, item) {
  const box = el("div", { class: "document-actions" });
  const ask = el("button", { type: "button", class: "button button-small remove-document", text: "移除" });
  let timer = 0;
  const reset = () => {
    clearTimeout(timer);
    fill(box, ask);
  };
  ask.addEventListener("click", () => {
    const confirm = el("button", { type: "button", class: "button button-small button-danger confirm-remove", text: "确认移除" });
    const cancel = el("button", { type: "button", class: "button button-small button-quiet", text: "取消" });
    confirm.addEventListener("click", () => removeDocument(d, item, box));
    cancel.addEventListener("click", reset);
    fill(box, el("span", { class: "small", text: "移除后将不再依据此文件作答。" }), confirm, cancel);
    confirm.focus();
    timer = setTimeout(reset, CONFIRM_MS);
  });
  fill(box, ask);
  return box;
}

async function removeDocument(d, item, box) {
  if (!adminKey()) {
    askForAdminKey("移除文件需要管理员密钥。", () => removeDocument(d, item, box));
    return;
  }
  fill(box, el("span", { class: "small", text: "正在移除…" }));
  try {
    const data = await api(`/api/documents/${encodeURIComponent(d.document_id)}`, { method: "DELETE", admin: true });
    item.classList.add("is-removing");
    fill(box, el("span", { class: "small", text: `已移除 ${data.document_ids.join("、")}，正在重建索引…` }));
    watchRebuild(data.status);
  } catch (err) {
    const error = asApiError(err);
    if (keyRefused(error)) {
      askForAdminKey(friendly(error), () => removeDocument(d, item, box));
      fill(box);
      return;
    }
    fill(box, errorBlock(error, "无法移除"));
  }
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

// ---------------------------------------------------------------- 文件: upload
const keyRefused = (error) => error.status === 401 || (error.status === 403 && error.code !== "admin_disabled");

/** POST /api/documents with XMLHttpRequest: fetch cannot report upload progress. */
function sendFile(file, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", "/api/documents");
    xhr.setRequestHeader("Accept", "application/json");
    xhr.setRequestHeader("Authorization", `Bearer ${adminKey()}`);
    xhr.upload.addEventListener("progress", (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    });
    xhr.addEventListener("load", () => {
      let data = null;
      try {
        data = JSON.parse(xhr.responseText);
      } catch {
        data = null;
      }
      if (xhr.status >= 200 && xhr.status < 300) {
        resolve(data);
        return;
      }
      const error = (data && data.error) || {};
      reject(new ApiError(xhr.status, String(error.code || `http_${xhr.status}`), String(error.message || xhr.statusText)));
    });
    xhr.addEventListener("error", () => reject(new ApiError(0, "network_error", "network error")));
    const form = new FormData();
    form.append("file", file, file.name);
    xhr.send(form);
  });
}

function uploadReport(data) {
  const documents = data.documents || [];
  return el(
    "div",
    { class: "upload-report", role: "status" },
    el("p", { class: "upload-title", text: `已接收 ${data.file}，正在重建索引；完成后即可就其内容提问。` }),
    data.sent_name && data.file.slice(data.file.lastIndexOf("/") + 1) !== data.sent_name
      ? el("p", { class: "small muted", text: `文件名已整理：${data.sent_name} → ${data.file}` })
      : null,
    documents.map((d) =>
      el(
        "div",
        { class: "upload-document", dataset: { documentId: d.document_id } },
        el("p", { class: "document-title", text: `${d.title}（${d.document_id}）` }),
        counts(d),
        warningList((d.report || {}).warnings || [], true),
      ),
    ),
    (data.renamed || []).length
      ? el("p", { class: "small", text: `为区分同名文件，已有文件的编号将改为：${data.renamed.map((r) => `${r.document_id} → ${r.becomes}`).join("；")}` })
      : null,
  );
}

async function upload() {
  const input = $("upload-input");
  const file = input.files && input.files[0];
  if (!file) return;
  if (!adminKey()) {
    askForAdminKey("上传文件需要管理员密钥。", upload);
    return;
  }
  const bar = $("upload-progress");
  const result = $("upload-result");
  const send = $("upload-send");
  bar.hidden = false;
  bar.value = 0;
  send.disabled = true;
  fill(result, el("p", { class: "small", text: `正在上传 ${file.name}…` }));
  try {
    const data = await sendFile(file, (done) => {
      bar.value = Math.round(done * 100);
    });
    input.value = "";
    fill(result, uploadReport(data));
    watchRebuild(data.status);
  } catch (err) {
    bar.hidden = true;
    const error = asApiError(err);
    if (keyRefused(error)) {
      fill(result);
      askForAdminKey(friendly(error), upload);
      return;
    }
    fill(result, errorBlock(error, `未能添加 ${file.name}`));
  } finally {
    send.disabled = !(input.files && input.files.length);
  }
}

// ---------------------------------------------------------------- 文件: the rebuild
function showStatus(status, startBuilds) {
  const box = $("index-status");
  const text = $("index-status-text");
  const bar = $("index-progress");
  box.hidden = false;
  box.dataset.state = status.building ? "building" : status.last_error ? "failed" : "done";
  if (status.building) {
    const stage = STAGES[status.stage] || "准备中";
    const percent = Math.round((status.progress || 0) * 100);
    text.textContent = `正在重建索引（${stage}，${percent}%）。期间仍按原有文件作答。`;
    bar.hidden = false;
    bar.value = percent;
    return;
  }
  bar.hidden = true;
  if (status.last_error && status.builds > startBuilds) {
    text.textContent = `重建索引失败：${status.last_error}。仍按上一版文件作答。`;
  } else {
    text.textContent = `索引已更新：共 ${status.documents} 个文件、${status.clauses} 条任务条款。`;
  }
}

/** Follow the rebuild until it is done, then reload the list and the page's lists. */
function watchRebuild(first) {
  const startBuilds = first ? first.builds : 0;
  const token = (polling += 1);
  if (first) showStatus(first, startBuilds);
  const tick = async () => {
    if (token !== polling) return;
    let status;
    try {
      status = await api("/api/index/status");
    } catch {
      setTimeout(tick, POLL_MS * 3);
      return;
    }
    if (token !== polling) return;
    showStatus(status, startBuilds);
    if (status.building) {
      setTimeout(tick, POLL_MS);
      return;
    }
    await Promise.all([loadDocuments(), followGeneration(status.generation)]);
  };
  setTimeout(tick, POLL_MS);
}

// ---------------------------------------------------------------- 反馈
function askForAdminKey(reason, then = () => loadFeedback(true)) {
  $("feedback-view").hidden = true;
  $("admin-key-form").hidden = false;
  $("admin-key-reason").textContent = reason;
  afterKey = then;
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
  $("admin-key-form").hidden = true; // asked for again by what needs it
  if (name === "documents") {
    loadDocuments();
    api("/api/index/status").then((status) => status.building && watchRebuild(status), () => {});
  } else loadFeedback(true);
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
    $("admin-key-form").hidden = true;
    const then = afterKey || (() => loadFeedback(true));
    afterKey = null;
    then();
  });
  $("upload-input").addEventListener("change", () => {
    $("upload-send").disabled = !$("upload-input").files.length;
    fill($("upload-result"));
  });
  $("upload-form").addEventListener("submit", (event) => {
    event.preventDefault();
    upload();
  });
  $("feedback-rating").addEventListener("change", () => loadFeedback(true));
  $("feedback-more").addEventListener("click", () => loadFeedback(false));
  $("admin-forget").addEventListener("click", () => {
    setAdminKey("");
    fill($("feedback-list"));
    askForAdminKey("已退出管理。");
  });
}
