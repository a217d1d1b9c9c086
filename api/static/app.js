/*
 * clause-qa chat page: plain DOM code, no framework, no build.
 *
 * Rules kept throughout (see issue #5):
 *  - every piece of data (questions, answers, clause text, unit names) goes into
 *    the page through textContent / text nodes, never through innerHTML;
 *  - no inline scripts, handlers or style attributes, so a strict
 *    Content-Security-Policy (script-src 'self'; style-src 'self') holds;
 *  - every API call carries `Authorization: Bearer <key>` when a key is stored
 *    under localStorage["clause-qa-api-key"]; a 401 asks for the key once.
 */
"use strict";

(() => {
  const KEY_STORAGE = "clause-qa-api-key";
  const CONVERSATION_STORAGE = "clause-qa-conversation";
  const HISTORY_TURNS = 8; // earlier turns sent with a question (4 exchanges): enough for follow-ups
  const SOURCES_LIST_MAX = 6; // above this many citations the inline chips are the source list
  const EXAMPLES = [
    "中欧班列由哪些部门负责？",
    "每学年选派多少名教师赴临沂支教？",
    "飞机场有什么建设安排？",
    "历下区和哪个县结对？",
    "济南市教育局负责哪些任务？",
  ];
  // 〔分工方案第17条〕 as the answer text writes it.
  const MARKER_RE = /〔[^〔〕\n]{1,30}?第\d+条〕/g;

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
    unknown_unit: "没有找到这个责任单位。",
    unknown_clause: "没有找到这一条款。",
    unknown_document: "没有找到这个文件。",
    not_found: "请求的内容不存在。",
    network_error: "无法连接服务，请检查网络后重试。",
    internal_error: "服务内部出错，请稍后再试。",
  };
  const FRIENDLY_BY_STATUS = {
    401: "需要有效的访问密钥。",
    403: "没有访问权限。",
    404: "请求的内容不存在。",
    413: "提交的内容过长。",
    422: "请求内容有误，请修改后重试。",
    429: "请求过于频繁，请稍后再试。",
  };

  const $ = (id) => document.getElementById(id);

  // ---------------------------------------------------------------- DOM helper
  /**
   * el("p", {class: "x", "aria-label": "…"}, "text", otherNode)
   * Strings become text nodes; attributes are set with setAttribute, so no
   * value is ever parsed as HTML. Style and on* attributes are refused.
   */
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (name === "style" || name.startsWith("on")) throw new Error(`refusing attribute ${name}`);
      if (name === "text") node.textContent = value;
      else if (name === "class") node.className = value;
      else if (name === "dataset") Object.assign(node.dataset, value);
      else node.setAttribute(name, value === true ? "" : String(value));
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function clear(node) {
    node.replaceChildren();
  }

  // ---------------------------------------------------------------- API access
  class ApiError extends Error {
    constructor(status, code, message, retryAfter) {
      super(message);
      this.status = status;
      this.code = code;
      this.retryAfter = retryAfter;
    }
  }

  function storedKey() {
    try {
      return localStorage.getItem(KEY_STORAGE) || "";
    } catch {
      return "";
    }
  }

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
        if (key) {
          try {
            localStorage.setItem(KEY_STORAGE, key);
          } catch {
            /* private mode: the key lives for this call only */
          }
        }
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

  async function api(path, { method = "GET", body, signal } = {}, retried = false) {
    const headers = { Accept: "application/json" };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    const key = storedKey();
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
    if (response.status === 401 && !retried) {
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

  function friendly(error) {
    let text = FRIENDLY[error.code] || FRIENDLY_BY_STATUS[error.status];
    if (!text) text = error.status >= 500 ? FRIENDLY.internal_error : "请求未成功。";
    if (error.status === 429 && error.retryAfter) text += `（约 ${error.retryAfter} 秒后可重试）`;
    return text;
  }

  function errorBlock(error, title) {
    const technical = error.status
      ? `${error.status} ${error.code}：${error.message}`
      : `${error.code}：${error.message}`;
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

  function asApiError(err) {
    return err instanceof ApiError ? err : new ApiError(0, "client_error", String((err && err.message) || err));
  }

  // ---------------------------------------------------------------- citations
  function chipLabel(c) {
    return `〔${c.short_name} 第${c.number}条〕`;
  }

  function sectionText(section) {
    return section.map((s) => s.replace(/[。．.]$/, "")).join(" › ");
  }

  function citationChip(citation) {
    const chip = el("button", {
      type: "button",
      class: "chip",
      title: `${citation.document} ${sectionText(citation.section)} 第${citation.number}条`,
      "aria-label": `查看原文：${citation.short_name} 第${citation.number}条`,
      dataset: { clauseId: citation.clause_id },
      text: chipLabel(citation),
    });
    chip.addEventListener("click", () => openClause(citation.clause_id, citation.highlights || []));
    return chip;
  }

  /** The answer text, line by line, its 〔…第N条〕 markers turned into chips. */
  function answerText(text, citations) {
    const byMarker = new Map();
    for (const c of citations) byMarker.set(c.marker, c);
    const box = el("div", { class: "answer-text" });
    for (const line of text.split("\n")) {
      const p = el("p", { class: "answer-line" });
      let last = 0;
      for (const match of line.matchAll(MARKER_RE)) {
        if (match.index > last) p.append(document.createTextNode(line.slice(last, match.index)));
        const citation = byMarker.get(match[0]);
        p.append(citation ? citationChip(citation) : el("span", { class: "marker", text: match[0] }));
        last = match.index + match[0].length;
      }
      if (last < line.length) p.append(document.createTextNode(line.slice(last)));
      if (!line.trim()) p.classList.add("answer-gap");
      box.append(p);
    }
    return box;
  }

  function firstHighlight(citation) {
    const [start, end] = (citation.highlights && citation.highlights[0]) || [0, 0];
    const chars = Array.from(citation.text); // offsets count Unicode characters, not UTF-16 units
    const text = end > start ? chars.slice(start, end) : chars;
    return text.length > 90 ? `${text.slice(0, 90).join("")}…` : text.join("");
  }

  function relatedList(citations, className) {
    return el(
      "ul",
      { class: `related-list ${className || ""}` },
      citations.map((c) =>
        el(
          "li",
          { class: "related-item" },
          citationChip(c),
          el("span", { class: "related-section", text: sectionText(c.section) }),
          el("span", { class: "related-snippet", text: firstHighlight(c) }),
        ),
      ),
    );
  }

  // ---------------------------------------------------------------- conversation
  const conversation = []; // [{question, response?, error?}]
  let busy = false;

  function saveConversation() {
    try {
      sessionStorage.setItem(CONVERSATION_STORAGE, JSON.stringify(conversation));
    } catch {
      /* storage full or disabled: the page still holds the conversation */
    }
  }

  function loadConversation() {
    try {
      const saved = JSON.parse(sessionStorage.getItem(CONVERSATION_STORAGE) || "[]");
      return Array.isArray(saved) ? saved.filter((x) => x && typeof x.question === "string") : [];
    } catch {
      return [];
    }
  }

  function history() {
    const turns = [];
    for (const exchange of conversation) {
      if (!exchange.response) continue;
      turns.push({ role: "user", content: exchange.question });
      turns.push({ role: "assistant", content: exchange.response.answer });
    }
    return turns.slice(-HISTORY_TURNS);
  }

  function userMessage(question) {
    return el(
      "div",
      { class: "msg msg-user" },
      el("span", { class: "visually-hidden", text: "您的问题：" }),
      el("p", { class: "bubble", text: question }),
    );
  }

  function pendingMessage() {
    return el(
      "div",
      { class: "msg msg-bot pending", "aria-busy": "true" },
      el("span", { class: "spinner", "aria-hidden": "true" }),
      el("span", { text: "正在查找相关条款…" }),
    );
  }

  /** The refusal sentence without its trailing list of markers when the same clauses are listed below. */
  function refusalText(text, seeAlso) {
    const cut = text.indexOf("以下条款可能相关：");
    if (cut < 0 || !seeAlso.length) return text;
    const listed = new Set(seeAlso.map((c) => c.marker));
    const tail = Array.from(text.slice(cut).matchAll(MARKER_RE), (m) => m[0]);
    return tail.every((marker) => listed.has(marker)) ? text.slice(0, cut).trim() : text;
  }

  function answerMessage(response) {
    const citations = response.citations || [];
    const seeAlso = response.see_also || [];
    if (!response.answerable) {
      return el(
        "article",
        { class: "msg msg-bot refusal", "aria-label": "未找到依据" },
        el("header", { class: "msg-head" }, el("span", { class: "badge badge-refusal", text: "未找到依据" })),
        answerText(refusalText(response.answer, seeAlso), seeAlso),
        seeAlso.length
          ? el(
              "section",
              { class: "related", "aria-label": "相关条款" },
              el("h3", { class: "related-title", text: "相关条款" }),
              el("p", { class: "related-hint", text: "以下条款与问题最接近，但不足以作答，供参考：" }),
              relatedList(seeAlso),
            )
          : null,
      );
    }
    const inline = new Set(Array.from(response.answer.matchAll(MARKER_RE), (m) => m[0]));
    const listed = citations.filter((c) => !inline.has(c.marker) || citations.length <= SOURCES_LIST_MAX);
    const head = el(
      "header",
      { class: "msg-head" },
      el("span", { class: "badge badge-answer", text: "回答" }),
      el("span", { class: "msg-note", text: `依据 ${citations.length} 条条款` }),
      response.generated ? el("span", { class: "msg-note", text: "· 经模型改写，引文已核对" }) : null,
    );
    const article = el("article", { class: "msg msg-bot answer", "aria-label": "回答" }, head);
    article.append(answerText(response.answer, citations));
    if (listed.length) {
      article.append(
        el(
          "section",
          { class: "sources", "aria-label": "出处" },
          el("h3", { class: "sources-title", text: "出处" }),
          el(
            "ul",
            { class: "source-list" },
            listed.map((c) =>
              el(
                "li",
                { class: "source-item" },
                citationChip(c),
                el("span", { class: "source-section", text: sectionText(c.section) }),
              ),
            ),
          ),
        ),
      );
    }
    if (seeAlso.length) {
      article.append(
        el(
          "details",
          { class: "see-also" },
          el("summary", { text: `其他可能相关的条款（${seeAlso.length}）` }),
          relatedList(seeAlso),
        ),
      );
    }
    return article;
  }

  function errorMessage(error) {
    return el("div", { class: "msg msg-bot failed" }, errorBlock(error, "这个问题没有得到回答"));
  }

  function renderExchange(exchange) {
    const group = el("div", { class: "exchange" }, userMessage(exchange.question));
    if (exchange.response) group.append(answerMessage(exchange.response));
    else if (exchange.error) group.append(errorMessage(exchange.error));
    return group;
  }

  function updateWelcome() {
    $("welcome").hidden = conversation.length > 0 || busy;
  }

  function setBusy(value) {
    busy = value;
    const send = $("send");
    send.disabled = value;
    send.textContent = value ? "检索中…" : "发送";
    $("ask-form").setAttribute("aria-busy", String(value));
    $("log").setAttribute("aria-busy", String(value));
    document.body.classList.toggle("is-busy", value);
    for (const button of document.querySelectorAll(".example")) button.disabled = value;
    updateWelcome();
  }

  async function ask(question) {
    question = question.trim();
    if (busy) return;
    if (!question) {
      $("composer-hint").textContent = "请先输入问题（Enter 发送，Shift+Enter 换行）";
      $("question").focus();
      return;
    }
    $("composer-hint").textContent = "Enter 发送，Shift+Enter 换行";
    showView("chat");
    const exchange = { question };
    const group = el("div", { class: "exchange" }, userMessage(question));
    const pending = pendingMessage();
    group.append(pending);
    $("log").append(group);
    const turns = history();
    setBusy(true);
    pending.scrollIntoView({ block: "end", behavior: "smooth" });
    try {
      exchange.response = await api("/api/ask", { method: "POST", body: { question, history: turns } });
      pending.replaceWith(answerMessage(exchange.response));
    } catch (err) {
      const error = asApiError(err);
      exchange.error = { status: error.status, code: error.code, message: error.message, retryAfter: error.retryAfter };
      pending.replaceWith(errorMessage(exchange.error));
    } finally {
      conversation.push(exchange);
      saveConversation();
      setBusy(false);
      group.scrollIntoView({ block: "start", behavior: "smooth" });
    }
  }

  function newConversation() {
    if (busy) return;
    conversation.length = 0;
    saveConversation();
    clear($("log"));
    updateWelcome();
    showView("chat");
    const input = $("question");
    input.value = "";
    input.focus();
  }

  function setUpComposer() {
    const form = $("ask-form");
    const input = $("question");
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const question = input.value;
      if (busy || !question.trim()) {
        ask(question);
        return;
      }
      input.value = "";
      ask(question);
    });
    input.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing && event.keyCode !== 229) {
        event.preventDefault();
        form.requestSubmit();
      }
    });
    $("new-chat").addEventListener("click", newConversation);

    const examples = $("examples");
    for (const text of EXAMPLES) {
      const button = el("button", { type: "button", class: "example", text });
      button.addEventListener("click", () => {
        ask(text);
        input.focus();
      });
      examples.append(el("li", {}, button));
    }

    for (const exchange of loadConversation()) {
      conversation.push(exchange);
      $("log").append(renderExchange(exchange));
    }
    updateWelcome();
  }

  // ---------------------------------------------------------------- clause dialog
  const clauseCache = new Map();

  async function fetchClause(id) {
    if (!clauseCache.has(id)) {
      const promise = api(`/api/clauses/${encodeURIComponent(id)}`);
      clauseCache.set(id, promise);
      promise.catch(() => clauseCache.delete(id));
    }
    return clauseCache.get(id);
  }

  /** The clause text with highlighted spans in <mark>, the responsibility note set apart. */
  function clauseText(clause, highlights) {
    // The API's offsets count Unicode characters; JavaScript strings count UTF-16 units, which differ
    // for characters outside the BMP (rare Han in place names), so work on an array of characters.
    const text = Array.from(clause.text);
    const raw = Array.from(clause.responsibility_raw || "");
    const respStart = raw.length && clause.text.endsWith(clause.responsibility_raw) ? text.length - raw.length : text.length;
    const spans = (highlights || [])
      .map(([s, e]) => [Math.max(0, s), Math.min(text.length, e)])
      .filter(([s, e]) => e > s);
    const cuts = new Set([0, text.length, respStart]);
    for (const [s, e] of spans) {
      cuts.add(s);
      cuts.add(e);
    }
    const points = Array.from(cuts).sort((a, b) => a - b);
    const box = el("blockquote", { class: "clause-text" });
    for (let i = 0; i + 1 < points.length; i += 1) {
      const [a, b] = [points[i], points[i + 1]];
      if (b <= a) continue;
      const piece = text.slice(a, b).join("");
      const marked = spans.some(([s, e]) => s <= a && b <= e);
      const className = a >= respStart ? "resp" : null;
      if (marked) box.append(el("mark", { class: className, text: piece }));
      else if (className) box.append(el("span", { class: className, text: piece }));
      else box.append(document.createTextNode(piece));
    }
    return box;
  }

  function formalReference(clause) {
    const title = `《${clause.document.replace(/《/g, "〈").replace(/》/g, "〉")}》`;
    const section = clause.section.map((s) => s.replace(/[。．.]$/, "")).join(" ");
    return `${title} ${section} 第${clause.number}条：${clause.text}`;
  }

  async function copyText(text, container) {
    if (navigator.clipboard && window.isSecureContext) {
      try {
        await navigator.clipboard.writeText(text);
        return true;
      } catch {
        /* fall back below */
      }
    }
    // Plain-http deployments are not a secure context: use a hidden textarea.
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

  function unitList(clause) {
    const lead = clause.lead_units || [];
    const others = (clause.units || []).filter((u) => !lead.includes(u));
    const list = el("ul", { class: "unit-list" });
    for (const [unit, isLead] of [...lead.map((u) => [u, true]), ...others.map((u) => [u, false])]) {
      const button = el(
        "button",
        {
          type: "button",
          class: isLead ? "unit unit-lead" : "unit",
          title: `查看${unit}负责的全部条款`,
        },
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
        card.replaceChildren(
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
        card.replaceChildren(errorBlock(asApiError(err), `无法载入 ${id}`));
        card.removeAttribute("aria-busy");
      },
    );
    return card;
  }

  let openToken = 0;

  async function openClause(id, highlights) {
    const dialog = $("clause-dialog");
    const body = $("clause-body");
    const token = (openToken += 1);
    $("clause-document").textContent = "";
    $("clause-title").textContent = "正在载入…";
    body.replaceChildren(el("p", { class: "muted", text: "正在载入条款…" }));
    $("clause-actions").replaceChildren();
    dialog.setAttribute("aria-busy", "true");
    if (!dialog.open) dialog.showModal();
    let clause;
    try {
      clause = await fetchClause(id);
    } catch (err) {
      if (token !== openToken) return;
      $("clause-title").textContent = "无法载入条款";
      body.replaceChildren(errorBlock(asApiError(err)));
      dialog.removeAttribute("aria-busy");
      return;
    }
    if (token !== openToken) return;
    dialog.removeAttribute("aria-busy");
    $("clause-document").textContent = `《${clause.document}》`;
    $("clause-title").textContent = `${clause.short_name} 第${clause.number}条`;

    const copy = el("button", { type: "button", class: "button button-primary", id: "copy-citation", text: "复制引用" });
    const copied = el("span", { class: "copy-status", role: "status" });
    copy.addEventListener("click", async () => {
      const ok = await copyText(formalReference(clause), body);
      copied.textContent = ok ? "已复制引用" : "复制失败，请手动选择文字复制";
    });

    const nav = el("div", { class: "clause-nav" });
    for (const [label, target] of [["‹ 上一条", clause.previous], ["下一条 ›", clause.next]]) {
      const button = el("button", { type: "button", class: "button button-quiet button-small", text: label, disabled: !target });
      if (target) button.addEventListener("click", () => openClause(target, []));
      nav.append(button);
    }

    const lead = clause.lead_units || [];
    const related = clause.related || [];
    body.replaceChildren(
      el(
        "ol",
        { class: "breadcrumb", "aria-label": "所在章节" },
        clause.section.map((s) => el("li", { text: s.replace(/[。．.]$/, "") })),
      ),
      clauseText(clause, highlights),
      highlights && highlights.length ? el("p", { class: "legend" }, el("mark", { text: "底色" }), "标出的是回答所依据的原文。") : null,
      el(
        "section",
        { class: "dialog-section", "aria-labelledby": "units-title" },
        el("h3", { id: "units-title", text: "责任单位" }),
        lead.length ? null : el("p", { class: "muted", text: "本条未列明牵头单位。" }),
        unitList(clause),
        clause.responsibility_raw ? el("p", { class: "resp-raw", text: `原文：${clause.responsibility_raw}` }) : null,
      ),
      el(
        "section",
        { class: "dialog-section", "aria-labelledby": "linked-title" },
        el("h3", { id: "linked-title", text: "另一文件中的对应条款" }),
        related.length
          ? el("ul", { class: "linked-list" }, related.map(relatedCard))
          : el("p", { class: "muted", text: "另一文件中没有对应条款。" }),
      ),
    );
    $("clause-actions").replaceChildren(copy, copied, nav);
    body.scrollTop = 0;
    copy.focus();
  }

  function setUpDialogs() {
    const dialog = $("clause-dialog");
    $("clause-close").addEventListener("click", () => dialog.close());
    dialog.addEventListener("click", (event) => {
      if (event.target === dialog) dialog.close(); // a click on the backdrop
    });
    dialog.addEventListener("close", () => {
      openToken += 1; // a clause still loading must not reopen or fill the closed dialog
      $("clause-body").replaceChildren();
      $("clause-actions").replaceChildren();
      $("clause-title").textContent = "";
      $("clause-document").textContent = "";
    });
    const keyDialog = $("key-dialog");
    $("key-cancel").addEventListener("click", () => keyDialog.close(""));
  }

  // ---------------------------------------------------------------- browsing
  let browseAbort = null;
  let browseTimer = null;

  function unitGroup(name) {
    if (name.startsWith("济南")) return "济南";
    if (name.startsWith("临沂")) return "临沂";
    return "其他";
  }

  async function loadUnits() {
    const select = $("filter-unit");
    try {
      const units = await api("/api/units");
      const groups = new Map([["济南", []], ["临沂", []], ["其他", []]]);
      for (const unit of units) groups.get(unitGroup(unit.name)).push(unit);
      for (const [label, members] of groups) {
        if (!members.length) continue;
        members.sort((a, b) => a.name.localeCompare(b.name, "zh-CN"));
        select.append(
          el(
            "optgroup",
            { label },
            members.map((u) =>
              el("option", { value: u.name, text: `${u.name}（牵头 ${u.lead}，共 ${u.total}）` }),
            ),
          ),
        );
      }
    } catch (err) {
      $("browse-status").replaceChildren(errorBlock(asApiError(err), "无法载入单位列表"));
    }
  }

  function clauseLink(clause, unit) {
    const isLead = unit && (clause.lead_units || []).includes(unit);
    const button = el(
      "button",
      {
        type: "button",
        class: "clause-link",
        dataset: { clauseId: clause.clause_id },
        "aria-label": `${clause.short_name} 第${clause.number}条${isLead ? "（牵头）" : ""}：${clause.text.slice(0, 40)}`,
      },
      el("span", { class: "clause-link-head" },
        el("span", { class: "clause-link-marker", text: `${clause.short_name} 第${clause.number}条` }),
        isLead ? el("span", { class: "lead-tag", text: "牵头" }) : null,
      ),
      el("span", { class: "clause-link-text", text: clause.text }),
    );
    button.addEventListener("click", () => openClause(clause.clause_id, []));
    return el("li", { class: isLead ? "is-lead" : null }, button);
  }

  function byDocumentAndSection(clauses, open) {
    const fragment = document.createDocumentFragment();
    const documents = new Map();
    for (const clause of clauses) {
      if (!documents.has(clause.document)) documents.set(clause.document, new Map());
      const top = clause.section[0] || "（未分节）";
      const sections = documents.get(clause.document);
      if (!sections.has(top)) sections.set(top, []);
      sections.get(top).push(clause);
    }
    for (const [title, sections] of documents) {
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

  function byRole(clauses, unit) {
    const lead = clauses.filter((c) => (c.lead_units || []).includes(unit));
    const rest = clauses.filter((c) => !(c.lead_units || []).includes(unit));
    const fragment = document.createDocumentFragment();
    for (const [title, members, className] of [
      ["牵头的任务", lead, "role-lead"],
      ["参与（分工负责）的任务", rest, "role-shared"],
    ]) {
      if (!members.length) continue;
      fragment.append(
        el("h3", { class: `role-title ${className}`, text: `${title}（${members.length}）` }),
        el("ul", { class: "clause-links" }, members.map((c) => clauseLink(c, unit))),
      );
    }
    return fragment;
  }

  async function loadClauses() {
    const unit = $("filter-unit").value;
    const documentName = $("filter-document").value;
    const q = $("filter-q").value.trim();
    const params = new URLSearchParams();
    if (unit) params.set("unit", unit);
    if (documentName) params.set("document", documentName);
    if (q) params.set("q", q);
    if (browseAbort) browseAbort.abort();
    browseAbort = new AbortController();
    const status = $("browse-status");
    const list = $("browse-list");
    list.setAttribute("aria-busy", "true");
    status.textContent = "正在载入…";
    try {
      const query = params.toString();
      const data = await api(`/api/clauses${query ? `?${query}` : ""}`, { signal: browseAbort.signal });
      const clauses = data.clauses || [];
      if (unit) {
        const lead = clauses.filter((c) => (c.lead_units || []).includes(unit)).length;
        status.textContent = `${unit}：共 ${data.count} 条，其中牵头 ${lead} 条`;
      } else {
        status.textContent = `共 ${data.count} 条`;
      }
      if (!clauses.length) {
        list.replaceChildren(el("p", { class: "muted", text: "没有符合条件的条款。" }));
      } else {
        list.replaceChildren(unit ? byRole(clauses, unit) : byDocumentAndSection(clauses, Boolean(q || documentName)));
      }
    } catch (err) {
      if (err && err.name === "AbortError") return;
      status.textContent = "";
      list.replaceChildren(errorBlock(asApiError(err), "无法载入条款"));
    } finally {
      list.removeAttribute("aria-busy");
    }
  }

  function filterByUnit(unit) {
    const select = $("filter-unit");
    if (![...select.options].some((o) => o.value === unit)) {
      select.append(el("option", { value: unit, text: unit }));
    }
    select.value = unit;
    showView("browse");
    loadClauses();
    $("browse").scrollIntoView({ block: "start" });
  }

  function setUpBrowse() {
    $("filter-form").addEventListener("submit", (event) => event.preventDefault());
    $("filter-unit").addEventListener("change", loadClauses);
    $("filter-document").addEventListener("change", loadClauses);
    $("filter-q").addEventListener("input", () => {
      clearTimeout(browseTimer);
      browseTimer = setTimeout(loadClauses, 250);
    });
    loadUnits();
    loadClauses();
  }

  // ---------------------------------------------------------------- views (narrow screens)
  function showView(view) {
    $("layout").dataset.view = view;
    $("show-chat").setAttribute("aria-pressed", String(view === "chat"));
    $("show-browse").setAttribute("aria-pressed", String(view === "browse"));
  }

  function setUpViews() {
    $("show-chat").addEventListener("click", () => showView("chat"));
    $("show-browse").addEventListener("click", () => showView("browse"));
  }

  async function checkHealth() {
    const health = $("health");
    try {
      const data = await api("/healthz");
      health.textContent = `服务正常 · 已载入 ${data.clauses} 条条款`;
      health.className = "health-ok";
    } catch (err) {
      health.textContent = `服务暂不可用：${friendly(asApiError(err))}`;
      health.className = "health-bad";
    }
  }

  document.addEventListener("DOMContentLoaded", () => {
    setUpViews();
    setUpDialogs();
    setUpComposer();
    setUpBrowse();
    checkHealth();
    document.body.classList.add("is-ready");
  });
})();
