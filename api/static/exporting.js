/* An answer as plain text (for the clipboard) and a conversation as Markdown, both with their citations. */
import { localTime } from "./dom.js";
import { reference, whereIs } from "./citations.js";

/** The answer, then every cited clause in full: 〔marker〕《title》 section 第N条：text. */
export function plainAnswer(exchange) {
  const response = exchange.response;
  const citations = response.citations || [];
  const lines = [response.answer.trim()];
  if (citations.length) lines.push("", "出处：", ...citations.map((c) => `${c.marker} ${reference(c)}`));
  return lines.join("\n");
}

// CommonMark lets any ASCII punctuation be escaped: these would otherwise make markup (or raw HTML).
const escapeMarkdown = (text) => text.replace(/[\\`*_[\]<>#|~]/g, "\\$&");

function quote(text) {
  return text.split("\n").map((line) => `> ${escapeMarkdown(line)}`).join("\n");
}

function citationLines(citations) {
  return citations.flatMap((c) => [`- **${escapeMarkdown(c.marker)}** ${escapeMarkdown(whereIs(c))}`, "", quote(c.text).replace(/^/gm, "  "), ""]);
}

/** The whole conversation as a Markdown document. */
export function conversationMarkdown(conversation, title, now = new Date()) {
  const out = [`# ${escapeMarkdown(title)} · 对话记录`, "", `导出时间：${localTime(now)}`, ""];
  conversation.exchanges.forEach((exchange, index) => {
    out.push(`## ${index + 1}. ${escapeMarkdown(exchange.question.replace(/\s+/g, " "))}`, "");
    const response = exchange.response;
    if (!response) {
      out.push(`*没有得到回答：${escapeMarkdown((exchange.error && exchange.error.message) || "请求未成功")}*`, "");
      return;
    }
    if (!response.answerable) out.push("**未找到依据**", "");
    for (const line of response.answer.split("\n").filter((l) => l.trim())) out.push(escapeMarkdown(line), "");
    const citations = response.citations || [];
    if (citations.length) out.push("**出处**", "", ...citationLines(citations));
    const related = response.answerable ? [] : response.see_also || [];
    if (related.length) out.push("**可能相关的条款**（不足以作答）", "", ...citationLines(related));
    if (exchange.feedback) out.push(`*反馈：${exchange.feedback.rating === "up" ? "有帮助" : "没有帮助"}*`, "");
  });
  return `${out.join("\n").trimEnd()}\n`;
}
