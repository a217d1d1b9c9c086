/*
 * What the page takes from the documents (the title, the document filter, the unit groups, the clause
 * list, the example questions, the clause count in the footer), loaded at start and again whenever the
 * index answering is a new generation: after an upload or a removal in the admin panel, or after a
 * rebuild someone else started (checked when the page comes back into view).
 */
import { $ } from "./dom.js";
import { api, asApiError, friendly } from "./api.js";
import { loadCorpus } from "./corpus.js";
import { fillDocuments, loadClauses, loadUnits } from "./browse.js";
import { setExamples } from "./chat.js";
import { exampleQuestions } from "./examples.js";

let generation = null; // the index generation the page's lists come from

export async function checkHealth() {
  const health = $("health");
  try {
    const data = await api("/healthz");
    health.textContent = `服务正常 · 已载入 ${data.clauses} 条条款`;
    health.className = "health-ok";
    return data;
  } catch (err) {
    health.textContent = `服务暂不可用：${friendly(asApiError(err))}`;
    health.className = "health-bad";
    return null;
  }
}

/** Load everything the page shows from the documents; resolves when the lists are filled. */
export async function loadDocumentViews() {
  const healthy = checkHealth().then((health) => {
    if (health) generation = health.index_generation;
  });
  // The documents first: the unit groups, the document filter and the labels of shared units come from them.
  try {
    await loadCorpus();
    fillDocuments();
  } catch (err) {
    $("corpus-sub").textContent = `无法载入文件信息：${friendly(asApiError(err))}`;
  }
  const [units, clauses] = await Promise.all([loadUnits(), loadClauses(), healthy]);
  setExamples(exampleQuestions(units, clauses));
  document.body.dataset.examples = "ready";
  document.body.dataset.generation = generation || "";
}

/** Reload the page's lists if ``answering`` (a generation) is not the one they come from. */
export async function followGeneration(answering) {
  if (!answering || answering === generation) return false;
  await loadDocumentViews();
  return true;
}

/** When the page comes back into view, ask which generation answers: a rebuild may have happened. */
export function watchGeneration() {
  document.addEventListener("visibilitychange", async () => {
    if (document.visibilityState !== "visible") return;
    try {
      const status = await api("/api/index/status");
      await followGeneration(status.generation);
    } catch {
      /* the footer's health line says when the service is unreachable */
    }
  });
}
