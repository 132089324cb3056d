// Times the commitments filter of a built site in Chromium (used by scripts/list-bench.sh).
//
//   node scripts/list-bench.mjs PUBLIC [RUNS]
//
// Serves PUBLIC on 127.0.0.1 with `Content-Security-Policy: default-src 'self'`, opens
// /commitments/ and measures, in the page, the time from a click on a filter value to the list
// showing the result (`js/filter.js` marks `#commitment-browser` with
// data-filter-state="ready"): the first filter (Type: Policy, which also loads the facet data
// and the first item files), a second one combined with it (the transformation with the most
// Policy commitments), and clearing. Each is measured RUNS times (default 5) on a fresh page;
// prints one JSON line with the medians in milliseconds.
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "../node_modules/playwright-core/index.mjs";

const [root, runsArg] = process.argv.slice(2);
if (!root) {
  console.error("usage: node scripts/list-bench.mjs PUBLIC [RUNS]");
  process.exit(2);
}
const RUNS = Number(runsArg || 5);
const base = path.resolve(root);
const TYPES = { ".html": "text/html; charset=utf-8", ".css": "text/css", ".js": "text/javascript", ".svg": "image/svg+xml", ".json": "application/json" };
const server = http.createServer((req, res) => {
  let file = path.join(base, decodeURIComponent(new URL(req.url, "http://x").pathname));
  if (!file.startsWith(base)) { res.writeHead(403); return res.end(); }
  try {
    if (fs.statSync(file).isDirectory()) file = path.join(file, "index.html");
    const body = fs.readFileSync(file);
    res.writeHead(200, { "Content-Type": TYPES[path.extname(file)] || "application/octet-stream", "Content-Security-Policy": "default-src 'self'" });
    res.end(body);
  } catch {
    res.writeHead(404);
    res.end();
  }
});
await new Promise((r) => server.listen(0, "127.0.0.1", r));
const origin = `http://127.0.0.1:${server.address().port}`;
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu"] });
const errors = [];

// Clicks the option `sel` in the page and resolves with the milliseconds until the list is ready.
const timeClick = (page, sel) => page.evaluate((sel) => new Promise((resolve, reject) => {
  const browser = document.getElementById("commitment-browser");
  const a = document.querySelector(sel);
  if (!a) return reject(new Error(`no ${sel}`));
  const t0 = performance.now();
  const done = new MutationObserver(() => {
    if (browser.getAttribute("data-filter-state") === "ready") {
      done.disconnect();
      resolve({ ms: performance.now() - t0, listed: document.querySelectorAll("#commitment-list > li").length, status: document.getElementById("filter-status").textContent });
    }
  });
  done.observe(browser, { attributes: true, attributeFilter: ["data-filter-state"] });
  a.click();
}), sel);

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const times = { first: [], second: [], clear: [] };
let detail = {};
try {
  for (let i = 0; i < RUNS; i++) {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(origin + "/commitments/", { waitUntil: "load" });
    await page.waitForSelector('#commitment-browser[data-filter-state="ready"]');
    const first = await timeClick(page, '#facets a[data-facet="type"][data-value="policy"]');
    // The transformation with the most Policy commitments.
    const t = await page.$$eval('#facets a[data-facet="transformation"]', (as) => as
      .map((a) => ({ v: a.dataset.value, n: Number(a.querySelector(".count").textContent.replace(/\D/g, "")) }))
      .sort((x, y) => y.n - x.n)[0].v);
    const second = await timeClick(page, `#facets a[data-facet="transformation"][data-value="${t}"]`);
    const clear = await timeClick(page, "#facet-reset");
    times.first.push(first.ms);
    times.second.push(second.ms);
    times.clear.push(clear.ms);
    detail = { first: first.status, second: second.status };
    await page.close();
  }
} finally {
  await browser.close();
  server.close();
}
if (errors.length) {
  console.error("console errors:\n" + errors.join("\n"));
  process.exit(1);
}
console.log(JSON.stringify({ runs: RUNS, first_ms: median(times.first), second_ms: median(times.second), clear_ms: median(times.clear), ...detail }));
