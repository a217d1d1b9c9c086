/*
 * Calls to the service.  Every call carries `Authorization: Bearer <key>` when a key is stored under
 * localStorage["clause-qa-api-key"]; a 401 asks for that key once.  Admin calls carry the admin key,
 * kept in sessionStorage only (it dies with the tab), and leave a 401 / 403 to the admin panel.
 */
import { $, el } from "./dom.js";

const KEY_STORAGE = "clause-qa-api-key";
const ADMIN_KEY_STORAGE = "clause-qa-admin-key";

const FRIENDLY = {
  empty_question: "问题不能为空，请输入要查询的内容。",
  question_too_long: "问题太长了，请精简后再问。",
  history_too_long: "本次对话轮次过多，请点击“新对话”重新开始。",
  invalid_request: "请求内容有误，请修改后重试。",
  body_too_large: "提交的内容过长。",
  rate_limited: "请求过于频繁，请稍后再试。",
  too_many_requests: "请求过于频繁，请稍后再试。",
  unauthorized: "需要有效的访问密钥。",
  invalid_api_key: "访问密钥无效。",
  missing_admin_key: "需要管理员密钥。",
  invalid_admin_key: "管理员密钥无效。",
  not_admin: "这个密钥不是管理员密钥。",
  admin_disabled: "服务未开启管理功能（未配置 CLAUSE_QA_ADMIN_KEYS）。",
  unknown_unit: "没有找到这个责任单位。",
  unknown_clause: "没有找到这一条款。",
  unknown_document: "没有找到这个文件。",
  feedback_unavailable: "反馈暂时无法保存，请稍后再试。",
  upload_too_large: "文件超过了服务允许的大小。",
  unsupported_file_type: "不支持这种文件类型，请上传 .txt、.md、.docx、.pdf 或 .html 文件。",
  unreadable_file: "文件无法读取：可能已损坏、不是所标明的格式，或是没有文字层的扫描件。",
  empty_file: "文件是空的。",
  no_items: "文件中没有找到编号的任务条目，看起来不是任务分工方案。",
  duplicate_document: "内容相同的文件已经存在。",
  missing_file: "请选择要上传的文件。",
  not_multipart: "请通过上传表单提交文件。",
  invalid_multipart: "上传内容不完整，请重试。",
  read_only_document: "这是内置文件，只能移除上传的文件。",
  last_document: "这是最后一个文件，不能移除。",
  already_removed: "该文件已移除，正在重建索引。",
  storage_unavailable: "服务暂时无法保存文件，请稍后再试。",
  not_found: "请求的内容不存在。",
  network_error: "无法连接服务，请检查网络后重试。",
  internal_error: "服务内部出错，请稍后再试。",
};
const FRIENDLY_BY_STATUS = {
  401: "需要有效的访问密钥。",
  403: "没有访问权限。",
  404: "请求的内容不存在。",
  413: "提交的内容过长。",
  415: "不支持这种文件类型。",
  409: "与已有内容冲突。",
  422: "请求内容有误，请修改后重试。",
  429: "请求过于频繁，请稍后再试。",
};

export class ApiError extends Error {
  constructor(status, code, message, retryAfter) {
    super(message);
    this.status = status;
    this.code = code;
    this.retryAfter = retryAfter;
  }
}

function read(storage, key) {
  try {
    return storage.getItem(key) || "";
  } catch {
    return "";
  }
}

function write(storage, key, value) {
  try {
    if (value) storage.setItem(key, value);
    else storage.removeItem(key);
  } catch {
    /* private mode: the key lives for this page only */
  }
}

export const storedKey = () => read(localStorage, KEY_STORAGE);
export const adminKey = () => read(sessionStorage, ADMIN_KEY_STORAGE);
export const setAdminKey = (key) => write(sessionStorage, ADMIN_KEY_STORAGE, key);

let keyPrompt = null; // one prompt shared by calls that fail together

function askForKey() {
  if (keyPrompt) return keyPrompt;
  const dialog = $("key-dialog");
  const input = $("key-input");
  keyPrompt = new Promise((resolve) => {
    input.value = storedKey();
    const done = () => {
      dialog.removeEventListener("close", done);
      const key = dialog.returnValue === "save" ? input.value.trim() : "";
      if (key) write(localStorage, KEY_STORAGE, key);
      resolve(key);
    };
    dialog.returnValue = "";
    dialog.addEventListener("close", done);
    dialog.showModal();
    input.focus();
  }).finally(() => {
    keyPrompt = null;
  });
  return keyPrompt;
}

export function setUpKeyDialog() {
  const dialog = $("key-dialog");
  $("key-cancel").addEventListener("click", () => dialog.close(""));
}

export async function api(path, { method = "GET", body, signal, admin = false } = {}, retried = false) {
  const headers = { Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const key = (admin && adminKey()) || storedKey();
  if (key) headers.Authorization = `Bearer ${key}`;
  let response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal,
      credentials: "same-origin",
    });
  } catch (err) {
    if (err && err.name === "AbortError") throw err;
    throw new ApiError(0, "network_error", "network error");
  }
  if (response.status === 401 && !retried && !admin) {
    const newKey = await askForKey();
    if (newKey) return api(path, { method, body, signal }, true);
  }
  const raw = await response.text();
  let data = null;
  if (raw) {
    try {
      data = JSON.parse(raw);
    } catch {
      data = null;
    }
  }
  if (!response.ok) {
    const error = data && typeof data.error === "object" && data.error ? data.error : {};
    throw new ApiError(
      response.status,
      String(error.code || `http_${response.status}`),
      String(error.message || response.statusText || "request failed"),
      response.headers.get("Retry-After"),
    );
  }
  return data;
}

export function friendly(error) {
  let text = FRIENDLY[error.code] || FRIENDLY_BY_STATUS[error.status];
  if (!text) text = error.status >= 500 ? FRIENDLY.internal_error : "请求未成功。";
  if (error.status === 429 && error.retryAfter) text += `（约 ${error.retryAfter} 秒后可重试）`;
  return text;
}

export function asApiError(err) {
  return err instanceof ApiError ? err : new ApiError(0, "client_error", String((err && err.message) || err));
}

export function errorBlock(error, title) {
  const technical = error.status ? `${error.status} ${error.code}：${error.message}` : `${error.code}：${error.message}`;
  const block = el(
    "div",
    { class: "error-box", role: "alert" },
    el("p", { class: "error-title", text: title || "请求未成功" }),
    el("p", { class: "error-text", text: friendly(error) }),
    el("p", { class: "error-detail", text: technical }),
  );
  if (error.status === 401) {
    const button = el("button", { type: "button", class: "button button-small", text: "输入访问密钥" });
    button.addEventListener("click", () => askForKey());
    block.append(button);
  }
  return block;
}
