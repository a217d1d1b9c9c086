/*
 * clause-qa chat page: plain DOM code in ES modules, no framework, no build.  This module wires the
 * parts together; each of the others has one job (see their headers).  Modules run after the document
 * is parsed, so the elements are there.
 */
import { setUpKeyDialog } from "./api.js";
import { setUpBrowse } from "./browse.js";
import { setUpClauseDialog } from "./clause.js";
import { setUpComposer } from "./chat.js";
import { setUpHistory } from "./history.js";
import { setUpAdmin } from "./admin.js";
import { setUpViews } from "./views.js";
import { loadDocumentViews, watchGeneration } from "./refresh.js";

async function start() {
  setUpViews();
  setUpKeyDialog();
  setUpClauseDialog();
  setUpComposer();
  setUpHistory();
  setUpAdmin();
  setUpBrowse();
  document.body.classList.add("is-ready");
  await loadDocumentViews();
  watchGeneration();
}

start();
