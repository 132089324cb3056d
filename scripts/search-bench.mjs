// The search's cost per query in Chromium, on a built site (scripts/search-bench.sh runs it on
// the generated benchmark corpus):
//
//   node scripts/search-bench.mjs SITE [RUNS] [QUERY ...]
//
// For each query, in a fresh browser context (nothing cached), opens /search/?q=QUERY under
// `Content-Security-Policy: default-src 'self'` and counts the bytes of the search index the
// query loads (every file under /search/ but the page itself: meta.js, postings shards,
// vocabularies, the records shown; not the page, its CSS or js/search.js). Then it answers the
// same query RUNS more times with every file loaded and reads the time search.js measures
// (`performance.measure("pactgen-search")`: matching, ranking, snippets and the list drawn,
// after the files are there). Prints a Markdown table.

import path from "node:path";
import { chromium } from "playwright-core";
import { CHROMIUM, CHROMIUM_ARGS, serve } from "../tests/browser/static-server.mjs";

const [siteArg, runsArg, ...rest] = process.argv.slice(2);
if (!siteArg) {
  console.error("usage: node scripts/search-bench.mjs SITE [RUNS] [QUERY ...]");
  process.exit(2);
}
const RUNS = Number(runsArg || 5);
const QUERIES = rest.length ? rest : ["205000", "2B", "displaced", "durable solutions", "cash transfers women girls", "prepar", "humanitrian"];
let counting = null;
const server = await serve(path.resolve(siteArg), {
  onSend: (p, bytes) => {
    if (counting && p.startsWith("/search/") && p !== "/search/" && p !== "/search/index.html") {
      counting.bytes += bytes;
      counting.files += 1;
      counting.largest = Math.max(counting.largest, bytes);
    }
  },
});
const origin = `http://127.0.0.1:${server.address().port}`;
const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor((s.length - 1) / 2)]; };
console.log(`Chromium ${browser.version()}, ${RUNS} runs per query after loading`);
console.log("");
console.log("| query | records found | index loaded (KB) | files | largest file (KB) | first answer (ms) | answer, files loaded (ms, median) |");
console.log("|---|---:|---:|---:|---:|---:|---:|");
let failed = false;
try {
  for (const q of QUERIES) {
    const context = await browser.newContext();
    const page = await context.newPage();
    counting = { bytes: 0, files: 0, largest: 0 };
    await page.goto(`${origin}/search/?q=${encodeURIComponent(q)}`, { waitUntil: "load" });
    await page.waitForFunction((q) => document.getElementById("search-results").getAttribute("data-answered") === q, q, { timeout: 30000 });
    await page.waitForTimeout(200); // let the measure of the first answer land
    const loaded = counting;
    counting = null;
    const first = await page.evaluate(() => performance.getEntriesByName("pactgen-search").map((e) => e.duration));
    const times = [];
    for (let i = 0; i < RUNS; i++) {
      const before = await page.evaluate(() => performance.getEntriesByName("pactgen-search").length);
      await page.evaluate(() => document.getElementById("search-input").form.requestSubmit());
      await page.waitForFunction((n) => performance.getEntriesByName("pactgen-search").length > n, before, { timeout: 30000 });
      times.push(await page.evaluate(() => { const e = performance.getEntriesByName("pactgen-search"); return e[e.length - 1].duration; }));
    }
    const found = await page.$eval("#search-status", (e) => e.textContent);
    const n = (found.match(/^[\d,]+/) || ["0"])[0];
    console.log(`| \`${q}\` | ${n} | ${(loaded.bytes / 1024).toFixed(1)} | ${loaded.files} | ${(loaded.largest / 1024).toFixed(1)} | ${first.length ? first[0].toFixed(1) : "?"} | ${median(times).toFixed(1)} |`);
    await context.close();
  }
} catch (e) {
  console.error(e);
  failed = true;
} finally {
  await browser.close();
  server.close();
}
process.exit(failed ? 1 : 0);
