/*
 * What the page knows of the loaded documents, all of it from GET /api/documents: the corpus title and
 * places (the page title, the unit groups), each document's title and its own word for shared units.
 * Nothing about one corpus is written in the page.
 */
import { $ } from "./dom.js";
import { api } from "./api.js";

const FALLBACK_UNIT_LABEL = "责任单位";
let info = { count: 0, corpus: { title: "", places: [] }, documents: [] };

/** The clause's document id: `document_id` (ids like 2023分工方案-18), else the id's document part. */
export function documentIdOf(clause) {
  if (clause.document_id) return clause.document_id;
  const cut = clause.clause_id.lastIndexOf("-");
  return cut > 0 ? clause.clause_id.slice(0, cut) : clause.clause_id;
}

export const documents = () => info.documents;
export const places = () => info.corpus.places || [];

export function documentOf(clause) {
  const id = documentIdOf(clause);
  return info.documents.find((d) => d.document_id === id) || null;
}

/** The document's own word for units that share a task (分工负责, 责任单位, 配合单位 …). */
export function unitLabel(clause) {
  const document = documentOf(clause);
  return clause.unit_label || (document && document.unit_label) || FALLBACK_UNIT_LABEL;
}

/** The place (a city, a district) a unit's name starts with, or null. */
export function placeOf(unitName) {
  return places().find((place) => unitName.startsWith(place)) || null;
}

export function pageTitle() {
  const title = (info.corpus.title || "").trim();
  return title ? `${title} 条款问答` : "条款问答";
}

function describe() {
  const n = info.documents.length;
  if (!n) return "依据文件原文作答，每个回答附条款出处";
  if (n <= 2) return `依据${info.documents.map((d) => `《${d.title}》`).join("与")}原文作答，每个回答附条款出处`;
  return `依据已载入的 ${n} 个文件原文作答，每个回答附条款出处`;
}

/** Load /api/documents and title the page; on failure the page keeps its generic title and says why. */
export async function loadCorpus() {
  try {
    const data = await api("/api/documents");
    info = {
      count: data.count,
      corpus: { title: data.corpus?.title || "", places: data.corpus?.places || [] },
      documents: data.documents || [],
    };
  } catch (err) {
    document.body.dataset.corpus = "failed";
    throw err;
  }
  document.title = pageTitle();
  $("corpus-title").textContent = pageTitle();
  $("corpus-sub").textContent = describe();
  document.body.dataset.corpus = "loaded";
  return info;
}
