/*
 * Thumbs up / down on an answer, with an optional note, stored by the service (POST /api/feedback).
 * A vote is sent once the voter confirms (the note is optional); the exchange then remembers it, so a
 * restored conversation shows what was voted and does not vote twice.
 */
import { el, fill, icon } from "./dom.js";
import { api, asApiError, friendly } from "./api.js";

const CHOICES = {
  up: { label: "有帮助", placeholder: "可选：哪里有帮助？", thanks: "已记录：有帮助。谢谢！" },
  down: { label: "没有帮助", placeholder: "可选：哪里不对，或缺了什么？", thanks: "已记录：没有帮助。谢谢，我们会改进。" },
};
const MAX_NOTE_CHARS = 2000;

function vote(exchange, rating, note) {
  const response = exchange.response;
  return {
    rating,
    question: exchange.question,
    history: exchange.history || [],
    answer: response.answer,
    answerable: response.answerable,
    question_type: response.question_type,
    citations: (response.citations || []).map((c) => c.clause_id),
    note,
  };
}

/** The vote buttons of one answered exchange; ``saved()`` is called once a vote is stored. */
export function feedbackBar(exchange, saved) {
  const bar = el("div", { class: "feedback", role: "group", "aria-label": "这个回答有帮助吗？" });
  const status = el("p", { class: "feedback-status", role: "status" });
  const form = el("form", { class: "feedback-form", hidden: true });
  const buttons = {};
  let submit = null; // the open form's sender
  for (const [rating, choice] of Object.entries(CHOICES)) {
    buttons[rating] = el(
      "button",
      { type: "button", class: `icon-button vote vote-${rating}`, "aria-pressed": "false", title: choice.label },
      icon(rating),
      el("span", { class: "visually-hidden", text: choice.label }),
    );
  }

  function showVoted(record) {
    for (const [rating, button] of Object.entries(buttons)) {
      button.setAttribute("aria-pressed", String(rating === record.rating));
      button.disabled = true;
    }
    form.hidden = true;
    status.textContent = CHOICES[record.rating].thanks;
  }

  function openForm(rating) {
    for (const [other, button] of Object.entries(buttons)) button.setAttribute("aria-pressed", String(other === rating));
    const note = el("textarea", {
      class: "feedback-note",
      rows: "2",
      maxlength: String(MAX_NOTE_CHARS),
      "aria-label": "补充说明（可选）",
      placeholder: CHOICES[rating].placeholder,
    });
    const send = el("button", { type: "submit", class: "button button-primary button-small", text: "提交反馈" });
    const cancel = el("button", { type: "button", class: "button button-quiet button-small", text: "取消" });
    cancel.addEventListener("click", () => {
      form.hidden = true;
      status.textContent = "";
      for (const button of Object.values(buttons)) button.setAttribute("aria-pressed", "false");
    });
    submit = async () => {
      send.disabled = true;
      status.textContent = "正在提交…";
      try {
        const stored = await api("/api/feedback", { method: "POST", body: vote(exchange, rating, note.value.trim()) });
        exchange.feedback = { id: stored.id, rating, note: stored.note };
        showVoted(exchange.feedback);
        saved();
      } catch (err) {
        send.disabled = false;
        status.textContent = `提交失败：${friendly(asApiError(err))}`;
      }
    };
    fill(form, note, el("div", { class: "feedback-actions" }, send, cancel));
    form.hidden = false;
    status.textContent = "";
    note.focus();
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    if (submit) submit();
  });
  for (const [rating, button] of Object.entries(buttons)) button.addEventListener("click", () => openForm(rating));
  bar.append(buttons.up, buttons.down);
  if (exchange.feedback) showVoted(exchange.feedback);
  return [bar, form, status];
}
