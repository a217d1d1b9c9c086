/*
 * Example questions, made from the loaded documents (never typed in for one corpus): the unit with the
 * most tasks, the unit that leads the most, and the topics of the largest sections.
 */

const MAX_EXAMPLES = 4;
// "（七）", "三、", "2." at the start of a heading: numbering, not topic.
const HEADING_NUMBER = /^\s*[（(]?[一二三四五六七八九十百零〇\d]+[)）、.．]\s*/;
const MAX_TOPIC_CHARS = 16;

function topics(clauses) {
  const counts = new Map();
  for (const clause of clauses) {
    const heading = clause.section[clause.section.length - 1];
    if (!heading) continue;
    const topic = heading.replace(HEADING_NUMBER, "").replace(/[。．.：:]$/, "").trim();
    if (topic.length < 2 || topic.length > MAX_TOPIC_CHARS) continue;
    counts.set(topic, (counts.get(topic) || 0) + 1);
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1]).map(([topic]) => topic);
}

/** Up to four questions staff could ask of these documents, or [] when there is nothing to go on. */
export function exampleQuestions(units, clauses) {
  const out = [];
  const byTotal = [...units].sort((a, b) => b.total - a.total);
  const byLead = [...units].filter((u) => u.lead > 0).sort((a, b) => b.lead - a.lead);
  if (byTotal[0]) out.push(`${byTotal[0].name}负责哪些任务？`);
  const [first, second] = topics(clauses);
  if (first) out.push(`${first}有哪些安排？`);
  if (byLead[0] && byLead[0].name !== (byTotal[0] && byTotal[0].name)) out.push(`${byLead[0].name}牵头哪些任务？`);
  if (second) out.push(`${second}由哪些部门负责？`);
  return out.slice(0, MAX_EXAMPLES);
}
