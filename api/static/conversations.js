/*
 * Past conversations, kept in this browser only (localStorage), newest first.  Each tab remembers which
 * one it shows (sessionStorage), so a reload continues it and a new tab starts afresh.  When storage is
 * full the oldest conversations give way.
 */

const STORE = "clause-qa-conversations";
const CURRENT = "clause-qa-current-conversation";
export const MAX_CONVERSATIONS = 30;

function randomId() {
  const bytes = crypto.getRandomValues(new Uint8Array(6)); // randomUUID needs a secure context; this does not
  return `c${Date.now().toString(36)}${Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("")}`;
}

export function newConversation() {
  const now = new Date().toISOString();
  return { id: randomId(), created: now, updated: now, exchanges: [] };
}

function valid(c) {
  return c && typeof c.id === "string" && Array.isArray(c.exchanges)
    && c.exchanges.every((x) => x && typeof x.question === "string");
}

export function listConversations() {
  try {
    const saved = JSON.parse(localStorage.getItem(STORE) || "[]");
    return Array.isArray(saved) ? saved.filter(valid) : [];
  } catch {
    return [];
  }
}

function store(list) {
  let kept = list.slice(0, MAX_CONVERSATIONS);
  while (kept.length) {
    try {
      localStorage.setItem(STORE, JSON.stringify(kept));
      return true;
    } catch {
      kept = kept.slice(0, -1); // full: drop the oldest and try again
    }
  }
  return false;
}

/** Save (or replace) a conversation with at least one exchange; it moves to the top of the list. */
export function saveConversation(conversation) {
  if (!conversation.exchanges.length) {
    deleteConversation(conversation.id);
    return false;
  }
  conversation.updated = new Date().toISOString();
  const others = listConversations().filter((c) => c.id !== conversation.id);
  return store([conversation, ...others]);
}

/** Remove a conversation; returns it (for an undo), or null. */
export function deleteConversation(id) {
  const list = listConversations();
  const removed = list.find((c) => c.id === id) || null;
  if (removed) store(list.filter((c) => c.id !== id));
  return removed;
}

/** Put a removed conversation back where its last change puts it. */
export function restoreConversation(conversation) {
  const list = [...listConversations().filter((c) => c.id !== conversation.id), conversation];
  list.sort((a, b) => String(b.updated).localeCompare(String(a.updated)));
  return store(list);
}

export function findConversation(id) {
  return listConversations().find((c) => c.id === id) || null;
}

export function currentId() {
  try {
    return sessionStorage.getItem(CURRENT);
  } catch {
    return null;
  }
}

export function setCurrentId(id) {
  try {
    sessionStorage.setItem(CURRENT, id);
  } catch {
    /* storage disabled: the page still holds the conversation */
  }
}

export function titleOf(conversation) {
  const first = conversation.exchanges[0];
  const text = first ? first.question.replace(/\s+/g, " ").trim() : "新对话";
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
