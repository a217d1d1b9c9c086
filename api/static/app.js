/*
 * clause-qa chat page: plain DOM code in ES modules, no framework, no build.  This module wires the
 * parts together; each of the others has one job (see their headers).  Modules run after the document
 * is parsed, so the elements are there.
 */
import { $ } from "./dom.js";
import { api, asApiError, friendly, setUpKeyDialog } from "./api.js";
import { loadCorpus } from "./corpus.js";
import { fillDocuments, loadClauses, loadUnits, setUpBrowse } from "./browse.js";
import { setUpClauseDialog } from "./clause.js";
import { setExamples, setUpComposer } from "./chat.js";
import { exampleQuestions } from "./examples.js";
import { setUpHistory } from "./history.js";
import { setUpAdmin } from "./admin.js";
import { setUpViews } from "./views.js";

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

async function start() {
  setUpViews();
  setUpKeyDialog();
  setUpClauseDialog();
  setUpComposer();
  setUpHistory();
  setUpAdmin();
  setUpBrowse();
  document.body.classList.add("is-ready");
  checkHealth();
  // The documents first: the unit groups, the document filter and the labels of shared units come from them.
  try {
    await loadCorpus();
    fillDocuments();
  } catch (err) {
    $("corpus-sub").textContent = `无法载入文件信息：${friendly(asApiError(err))}`;
  }
  const [units, clauses] = await Promise.all([loadUnits(), loadClauses()]);
  setExamples(exampleQuestions(units, clauses));
  document.body.dataset.examples = "ready";
}

start();
