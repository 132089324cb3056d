// The search relevance set through the real search page, in Debian's Chromium.
//
//   node tests/browser/search-relevance.mjs SITE SET.json [RESULTS.json]
//
// SITE is a built site; SET.json the queries of tests/search-relevance.yaml as JSON (the Rust
// test converts it). Each query opens /search/?q=... in a fresh page under
// `Content-Security-Policy: default-src 'self'`, waits until the search has answered and reads
// the links of the results in order. Prints a line per query and the figures:
//   top-1  the first result is one of the expected pages
//   top-3  every expected page is among the first three
//   MRR    mean over the queries of 1/rank of the best-ranked expected page (0 when it is not
//          among the first 20 results)
// and passes when at least 90% of the queries are top-3 hits and every id, code and acronym
// query lists its page first (exit 1 otherwise). RESULTS.json receives every ranking and the
// figures.

import fs from "node:fs";
import path from "node:path";
import { chromium } from "playwright-core";
import { CHROMIUM, CHROMIUM_ARGS, serve } from "./static-server.mjs";

const [siteArg, setArg, outArg] = process.argv.slice(2);
if (!siteArg || !setArg) {
  console.error("usage: node tests/browser/search-relevance.mjs SITE SET.json [RESULTS.json]");
  process.exit(2);
}
const site = path.resolve(siteArg);
const queries = JSON.parse(fs.readFileSync(setArg, "utf8"));
const FIRST = new Set(["id", "code", "acronym"]);
const SHOWN = 20;

const server = await serve(site);
const origin = `http://127.0.0.1:${server.address().port}`;
const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
const problems = [];
const rows = [];
try {
  const context = await browser.newContext();
  const page = await context.newPage();
  // The bundled site has no favicon: the browser's own request for one is not the search's.
  page.on("console", (m) => m.type() === "error" && !/favicon\.ico$/.test(m.location().url || "") && problems.push(`console error: ${m.text()} (${m.location().url})`));
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  for (const q of queries) {
    await page.goto(`${origin}/search/?q=${encodeURIComponent(q.query)}`, { waitUntil: "load" });
    // Answered: the page marks the query it has answered (data-answered), or, before that
    // attribute existed, its status says how many records were found.
    await page.waitForFunction((query) => {
      const status = document.getElementById("search-status");
      const answered = document.getElementById("search-results").getAttribute("data-answered");
      return answered === query || (answered === null && status && /found/.test(status.textContent));
    }, q.query, { timeout: 10000 });
    const ranked = await page.$$eval("#search-results > li", (lis) =>
      lis.map((li) => {
        const a = li.querySelector("a");
        return a ? new URL(a.href).pathname.replace(/^\//, "").replace(/index\.html$/, "") : "";
      }));
    const top = ranked.slice(0, SHOWN);
    const ranks = q.expect.map((p) => top.indexOf(p) + 1);
    const found = ranks.filter((r) => r > 0);
    const best = found.length ? Math.min(...found) : 0;
    const row = {
      ...q,
      ranks,
      top1: q.expect.includes(top[0]),
      top3: ranks.every((r) => r > 0 && r <= 3),
      rr: best ? 1 / best : 0,
      first: top[0] === q.expect[0],
      results: top.slice(0, 5),
    };
    row.pass = FIRST.has(q.kind) ? row.first && row.top3 : row.top3;
    rows.push(row);
    console.log(`${row.pass ? "ok" : "not ok"} - [${q.kind}] ${JSON.stringify(q.query)}: expected at ${ranks.map((r) => r || "-").join(", ")}; top: ${top.slice(0, 3).join(" ") || "(nothing)"}`);
  }
} finally {
  await browser.close();
  server.close();
}

const n = rows.length;
const count = (f) => rows.filter(f).length;
const pct = (k) => `${((100 * k) / n).toFixed(1)}%`;
const firstRows = rows.filter((r) => FIRST.has(r.kind));
const figures = {
  queries: n,
  top1: count((r) => r.top1),
  top3: count((r) => r.top3),
  mrr: Number((rows.reduce((s, r) => s + r.rr, 0) / n).toFixed(3)),
  first_required: firstRows.length,
  first_ok: firstRows.filter((r) => r.first).length,
  by_kind: {},
};
for (const r of rows) {
  const k = (figures.by_kind[r.kind] ||= { queries: 0, top3: 0 });
  k.queries++;
  if (r.top3) k.top3++;
}
console.log(`# by kind: ${Object.entries(figures.by_kind).map(([k, v]) => `${k} ${v.top3}/${v.queries}`).join(", ")}`);
console.log(`relevance: ${n} queries, top-1 ${figures.top1}/${n} (${pct(figures.top1)}), top-3 ${figures.top3}/${n} (${pct(figures.top3)}), MRR ${figures.mrr.toFixed(3)}; id/code/acronym first ${figures.first_ok}/${figures.first_required}`);
if (problems.length) console.log(`problems:\n  ${problems.join("\n  ")}`);
if (outArg) fs.writeFileSync(outArg, JSON.stringify({ figures, rows }, null, 2) + "\n");
const ok = figures.top3 >= 0.9 * n && figures.first_ok === figures.first_required && problems.length === 0;
console.log(ok ? "relevance set passed" : "relevance set FAILED (needs top-3 >= 90% and every id/code/acronym query first, no page error)");
process.exit(ok ? 0 : 1);
