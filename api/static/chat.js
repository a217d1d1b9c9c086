/* The conversation: asking, the answers with their chips, copy and vote, and the conversation's storage. */
import { $, copyText, el, fill, icon } from "./dom.js";
import { api, asApiError, errorBlock } from "./api.js";
import { answerText, chipLabel, markersIn, sectionText, snippet } from "./citations.js";
import { attachPreview, hidePreview } from "./preview.js";
import { feedbackBar } from "./feedback.js";
import { plainAnswer } from "./exporting.js";
import { currentId, findConversation, newConversation, saveConversation, setCurrentId } from "./conversations.js";
import { showView } from "./views.js";

const HISTORY_TURNS = 8; // earlier turns sent with a question (4 exchanges): enough for follow-ups
const SOURCES_LIST_MAX = 6; // above this many citations the inline chips are the source list
const HINT = "Enter 发送，Shift+Enter 换行";

let conversation = newConversation();
let busy = false;
const listeners = new Set(); // told when the conversation changes (the history list, the export button)

export const currentConversation = () => conversation;
export const isBusy = () => busy;
export function onConversationChange(listener) {
  listeners.add(listener);
}

function changed() {
  $("export-chat").disabled = !conversation.exchanges.length;
  for (const listener of listeners) listener(conversation);
}

function persist() {
  saveConversation(conversation);
  changed();
}

function citationChip(citation) {
  const chip = el("button", {
    type: "button",
    class: "chip",
    title: `${citation.document} ${sectionText(citation.section)}`,
    "aria-label": `查看原文：${chipLabel(citation)}`,
    dataset: { clauseId: citation.clause_id },
    text: chipLabel(citation),
  });
  attachPreview(chip, citation);
  return chip;
}

function relatedList(citations) {
  return el(
    "ul",
    { class: "related-list" },
    citations.map((c) =>
      el(
        "li",
        { class: "related-item" },
        citationChip(c),
        el("span", { class: "related-section", text: sectionText(c.section) }),
        el("span", { class: "related-snippet", text: snippet(c) }),
      ),
    ),
  );
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
  return markersIn(text.slice(cut)).every((marker) => listed.has(marker)) ? text.slice(0, cut).trim() : text;
}

/** Copy (the answer with its citations) and the vote buttons, under an answer or a refusal. */
function actions(exchange) {
  const copied = el("span", { class: "copy-status", role: "status" });
  const copy = el(
    "button",
    { type: "button", class: "icon-button copy-answer", title: "复制回答及出处" },
    icon("copy"),
    el("span", { text: "复制" }),
  );
  copy.addEventListener("click", async () => {
    const ok = await copyText(plainAnswer(exchange), copy.parentElement);
    copied.textContent = ok ? "已复制回答及出处" : "复制失败，请手动选择文字复制";
  });
  const [votes, form, status] = feedbackBar(exchange, persist);
  return [el("div", { class: "msg-actions" }, copy, votes, copied), form, status];
}

function answerMessage(exchange) {
  const response = exchange.response;
  const citations = response.citations || [];
  const seeAlso = response.see_also || [];
  if (!response.answerable) {
    return el(
      "article",
      { class: "msg msg-bot refusal", "aria-label": "未找到依据" },
      el("header", { class: "msg-head" }, el("span", { class: "badge badge-refusal", text: "未找到依据" })),
      answerText(refusalText(response.answer, seeAlso), seeAlso, citationChip),
      seeAlso.length
        ? el(
            "section",
            { class: "related", "aria-label": "相关条款" },
            el("h3", { class: "related-title", text: "相关条款" }),
            el("p", { class: "related-hint", text: "以下条款与问题最接近，但不足以作答，供参考：" }),
            relatedList(seeAlso),
          )
        : null,
      actions(exchange),
    );
  }
  const inline = new Set(markersIn(response.answer));
  const listed = citations.filter((c) => !inline.has(c.marker) || citations.length <= SOURCES_LIST_MAX);
  return el(
    "article",
    { class: "msg msg-bot answer", "aria-label": "回答" },
    el(
      "header",
      { class: "msg-head" },
      el("span", { class: "badge badge-answer", text: "回答" }),
      el("span", { class: "msg-note", text: `依据 ${citations.length} 条条款` }),
      response.generated ? el("span", { class: "msg-note", text: "· 经模型改写，引文已核对" }) : null,
    ),
    answerText(response.answer, citations, citationChip),
    listed.length
      ? el(
          "section",
          { class: "sources", "aria-label": "出处" },
          el("h3", { class: "sources-title", text: "出处" }),
          el(
            "ul",
            { class: "source-list" },
            listed.map((c) =>
              el("li", { class: "source-item" }, citationChip(c), el("span", { class: "source-section", text: sectionText(c.section) })),
            ),
          ),
        )
      : null,
    seeAlso.length
      ? el("details", { class: "see-also" }, el("summary", { text: `其他可能相关的条款（${seeAlso.length}）` }), relatedList(seeAlso))
      : null,
    actions(exchange),
  );
}

function errorMessage(error) {
  return el("div", { class: "msg msg-bot failed" }, errorBlock(error, "这个问题没有得到回答"));
}

function renderExchange(exchange) {
  const group = el("div", { class: "exchange" }, userMessage(exchange.question));
  if (exchange.response) group.append(answerMessage(exchange));
  else if (exchange.error) group.append(errorMessage(exchange.error));
  return group;
}

function updateWelcome() {
  $("welcome").hidden = conversation.exchanges.length > 0 || busy;
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

function historyTurns() {
  const turns = [];
  for (const exchange of conversation.exchanges) {
    if (!exchange.response) continue;
    turns.push({ role: "user", content: exchange.question });
    turns.push({ role: "assistant", content: exchange.response.answer });
  }
  return turns.slice(-HISTORY_TURNS);
}

export async function ask(question) {
  question = question.trim();
  if (busy) return;
  if (!question) {
    $("composer-hint").textContent = `请先输入问题（${HINT}）`;
    $("question").focus();
    return;
  }
  $("composer-hint").textContent = HINT;
  showView("chat");
  const turns = historyTurns();
  const exchange = { question, history: turns.filter((t) => t.role === "user").map((t) => t.content) };
  const group = el("div", { class: "exchange" }, userMessage(question));
  const pending = pendingMessage();
  group.append(pending);
  $("log").append(group);
  setBusy(true);
  pending.scrollIntoView({ block: "end", behavior: "smooth" });
  try {
    exchange.response = await api("/api/ask", { method: "POST", body: { question, history: turns } });
  } catch (err) {
    const error = asApiError(err);
    exchange.error = { status: error.status, code: error.code, message: error.message, retryAfter: error.retryAfter };
  }
  // No other conversation can be shown meanwhile: showConversation waits while busy.
  conversation.exchanges.push(exchange);
  pending.replaceWith(exchange.response ? answerMessage(exchange) : errorMessage(exchange.error));
  setBusy(false);
  persist();
  group.scrollIntoView({ block: "start", behavior: "smooth" });
}

/** Show a conversation (a new, empty one by default) in place of the current one. */
export function showConversation(next = newConversation()) {
  if (busy) return false;
  hidePreview();
  conversation = next;
  setCurrentId(conversation.id);
  fill($("log"), conversation.exchanges.map(renderExchange));
  updateWelcome();
  changed();
  return true;
}

export function setExamples(questions) {
  const input = $("question");
  const list = $("examples");
  fill(
    list,
    questions.map((text) => {
      const button = el("button", { type: "button", class: "example", text, disabled: busy });
      button.addEventListener("click", () => {
        ask(text);
        input.focus();
      });
      return el("li", {}, button);
    }),
  );
  if (questions.length) input.placeholder = `请输入您的问题，例如：${questions[0]}`;
}

export function setUpComposer() {
  const form = $("ask-form");
  const input = $("question");
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const question = input.value;
    if (!busy && question.trim()) input.value = "";
    ask(question);
  });
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing && event.keyCode !== 229) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
  const saved = currentId() && findConversation(currentId());
  showConversation(saved || newConversation());
}
