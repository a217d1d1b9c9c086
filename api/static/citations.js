/*
 * Citations: markers in answer text (〔2023分工方案第18条〕, 〔工作要点第2.3条〕), the chips they become, and
 * the clause text with its highlights.  Labels come from each citation's own `marker`, never from a
 * document name written here.
 */
import { el } from "./dom.js";

// Any 〔…〕 on one line.  It is a citation only when it is one of the answer's markers: the 〔2023〕 of a
// 文号 stays text.
export const BRACKET_RE = /〔[^〔〕\n]{1,60}〕/g;
// 〔2023分工方案第18条〕, 〔2024青禾区分工方案第2.3条〕, 〔2023分工方案·说明3〕 (a passage outside the items).
const MARKER_PARTS = /^〔(.+?)(?:第(\d+(?:\.\d+)*(?:_\d+)?)条|·说明(\d+))〕$/;

function markerParts(clause) {
  const parts = MARKER_PARTS.exec(clause.marker || "");
  if (!parts) return null;
  return { document: parts[1], position: parts[2] ? `第${parts[2]}条` : `说明${parts[3]}` };
}

/** "2023分工方案 第18条": the marker's words with a space before the position; else the marker or id itself. */
export function clauseLabel(clause) {
  const parts = markerParts(clause);
  if (parts) return `${parts.document} ${parts.position}`;
  return clause.marker ? clause.marker.slice(1, -1) : clause.clause_id;
}

export const chipLabel = (clause) => `〔${clauseLabel(clause)}〕`;

export function sectionText(section, separator = " › ") {
  return (section || []).map((s) => s.replace(/[。．.]$/, "")).join(separator);
}

/** 《title》 section 第N条: where a clause stands. */
export function whereIs(clause) {
  const title = `《${clause.document.replace(/《/g, "〈").replace(/》/g, "〉")}》`;
  const section = sectionText(clause.section, " ");
  const parts = markerParts(clause);
  return [title, section, parts && parts.position].filter(Boolean).join(" ");
}

/** 《title》 section 第N条：text — what a person pastes into a report. */
export const reference = (clause) => `${whereIs(clause)}：${clause.text}`;

/** The markers in text that have a marker's shape, in order (whether or not they are cited). */
export function markersIn(text) {
  return Array.from(text.matchAll(BRACKET_RE), (m) => m[0]).filter((m) => MARKER_PARTS.test(m));
}

/**
 * The answer text, line by line, its markers turned into chips by ``chip(citation)``; a marker-shaped
 * bracket without a citation is shown muted, any other bracket as text.
 */
export function answerText(text, citations, chip) {
  const byMarker = new Map(citations.map((c) => [c.marker, c]));
  const box = el("div", { class: "answer-text" });
  for (const line of text.split("\n")) {
    const p = el("div", { class: "answer-line" });
    let last = 0;
    for (const match of line.matchAll(BRACKET_RE)) {
      const citation = byMarker.get(match[0]);
      const isMarker = MARKER_PARTS.test(match[0]);
      if (!citation && !isMarker) continue;
      if (match.index > last) p.append(line.slice(last, match.index));
      p.append(citation ? chip(citation) : el("span", { class: "marker", text: match[0] }));
      last = match.index + match[0].length;
    }
    if (last < line.length) p.append(line.slice(last));
    if (!line.trim()) p.classList.add("answer-gap");
    box.append(p);
  }
  return box;
}

/** The clause text with highlighted spans in <mark>, the responsibility note set apart. */
export function clauseText(clause, highlights, tag = "blockquote") {
  // The API's offsets count Unicode characters; JavaScript strings count UTF-16 units, which differ for
  // characters outside the BMP (rare Han in place names), so work on an array of characters.
  const text = Array.from(clause.text);
  const raw = Array.from(clause.responsibility_raw || "");
  const respStart =
    raw.length && clause.text.endsWith(clause.responsibility_raw) ? text.length - raw.length : text.length;
  const spans = (highlights || [])
    .map(([s, e]) => [Math.max(0, s), Math.min(text.length, e)])
    .filter(([s, e]) => e > s);
  const cuts = new Set([0, text.length, respStart]);
  for (const [s, e] of spans) {
    cuts.add(s);
    cuts.add(e);
  }
  const points = Array.from(cuts).sort((a, b) => a - b);
  const box = el(tag, { class: "clause-text" });
  for (let i = 0; i + 1 < points.length; i += 1) {
    const [a, b] = [points[i], points[i + 1]];
    if (b <= a) continue;
    const piece = text.slice(a, b).join("");
    const marked = spans.some(([s, e]) => s <= a && b <= e);
    const className = a >= respStart ? "resp" : null;
    if (marked) box.append(el("mark", { class: className, text: piece }));
    else if (className) box.append(el("span", { class: className, text: piece }));
    else box.append(piece);
  }
  return box;
}

/** The first highlighted span (else the start) of a citation, for one-line lists. */
export function snippet(citation, max = 90) {
  const [start, end] = (citation.highlights && citation.highlights[0]) || [0, 0];
  const chars = Array.from(citation.text);
  const text = end > start ? chars.slice(start, end) : chars;
  return text.length > max ? `${text.slice(0, max).join("")}…` : text.join("");
}
