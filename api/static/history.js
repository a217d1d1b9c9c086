/* Past conversations (open, delete with undo), a new conversation with undo, and export as Markdown. */
import { $, download, el, fill, localTime } from "./dom.js";
import { pageTitle } from "./corpus.js";
import { conversationMarkdown } from "./exporting.js";
import {
  MAX_CONVERSATIONS,
  deleteConversation,
  findConversation,
  listConversations,
  restoreConversation,
  titleOf,
} from "./conversations.js";
import { currentConversation, isBusy, onConversationChange, showConversation } from "./chat.js";
import { hideToast, toast } from "./toast.js";

const BUSY = "正在回答问题，请稍候再切换对话。";

function open(id) {
  const conversation = findConversation(id);
  if (!conversation) return;
  if (!showConversation(conversation)) {
    toast(BUSY);
    return;
  }
  $("history-dialog").close();
  $("question").focus();
}

let deleted = null; // {conversation, wasCurrent}: the last deletion, which the list offers to undo

function remove(id) {
  const removed = deleteConversation(id);
  if (!removed) return;
  const wasCurrent = currentConversation().id === id;
  if (wasCurrent) showConversation();
  deleted = { conversation: removed, wasCurrent };
  renderHistory();
  $("history-list").querySelector(".history-undo button").focus();
}

function undoDelete() {
  if (!deleted) return;
  const { conversation, wasCurrent } = deleted;
  deleted = null;
  restoreConversation(conversation);
  if (wasCurrent) showConversation(conversation);
  renderHistory();
}

/** The undo of a deletion sits in the list itself: the dialog is modal, a toast behind it cannot be reached. */
function undoItem() {
  const undo = el("button", { type: "button", class: "button button-small", text: "撤销" });
  undo.addEventListener("click", undoDelete);
  return el(
    "li",
    { class: "history-undo", role: "status" },
    el("span", { text: `已删除对话“${titleOf(deleted.conversation)}”。` }),
    undo,
  );
}

function renderHistory() {
  const list = $("history-list");
  const conversations = listConversations();
  const current = currentConversation().id;
  if (!conversations.length) {
    fill(list, deleted ? undoItem() : null, el("li", { class: "muted", text: "还没有保存的对话。" }));
    return;
  }
  fill(
    list,
    deleted ? undoItem() : null,
    conversations.map((c) => {
      const isCurrent = c.id === current;
      const openButton = el(
        "button",
        { type: "button", class: "history-open", "aria-current": isCurrent ? "true" : null, dataset: { conversationId: c.id } },
        el("span", { class: "history-title", text: titleOf(c) }),
        el("span", { class: "history-meta", text: `${localTime(c.updated)} · ${c.exchanges.length} 个问题${isCurrent ? " · 当前" : ""}` }),
      );
      openButton.addEventListener("click", () => open(c.id));
      const deleteButton = el("button", {
        type: "button",
        class: "button button-quiet button-small history-delete",
        "aria-label": `删除对话：${titleOf(c)}`,
        text: "删除",
      });
      deleteButton.addEventListener("click", () => remove(c.id));
      return el("li", { class: "history-item" }, openButton, deleteButton);
    }),
  );
}

/** Start afresh; the old conversation stays in the list and 撤销 brings it straight back. */
function startNew() {
  const previous = currentConversation();
  if (isBusy()) {
    toast(BUSY);
    return;
  }
  showConversation();
  $("question").value = "";
  $("question").focus();
  if (!previous.exchanges.length) return;
  toast("已开始新对话，之前的对话保存在“历史对话”中。", {
    label: "撤销",
    run: () => {
      if (showConversation(findConversation(previous.id) || previous)) $("question").focus();
    },
  });
}

function exportCurrent() {
  const conversation = currentConversation();
  if (!conversation.exchanges.length) return;
  const stamp = localTime(new Date()).replace(/[-: ]/g, "").slice(0, 12);
  download(`对话记录-${stamp}.md`, conversationMarkdown(conversation, pageTitle()), "text/markdown;charset=utf-8");
  toast("已导出为 Markdown 文件。");
}

export function setUpHistory() {
  const dialog = $("history-dialog");
  $("history-note").textContent = `对话只保存在本浏览器中（最近 ${MAX_CONVERSATIONS} 个）。`;
  $("open-history").addEventListener("click", () => {
    renderHistory();
    dialog.showModal();
  });
  $("history-close").addEventListener("click", () => dialog.close());
  dialog.addEventListener("close", () => {
    deleted = null;
  });
  dialog.addEventListener("click", (event) => {
    if (event.target === dialog) dialog.close();
  });
  $("new-chat").addEventListener("click", startNew);
  $("export-chat").addEventListener("click", exportCurrent);
  onConversationChange(() => {
    if (dialog.open) renderHistory();
  });
  // Another tab saved or deleted a conversation.
  window.addEventListener("storage", () => {
    if (dialog.open) renderHistory();
  });
  hideToast();
}
