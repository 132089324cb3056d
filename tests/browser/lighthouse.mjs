// Lighthouse on a built pactgen site, in Debian's Chromium: one Node process, one Chrome.
//
//   node tests/browser/lighthouse.mjs SITE
//
// Serves SITE on 127.0.0.1 (random port; the theme's promised CSP, `default-src 'self'`, and
// gzip as any web host does) and runs Lighthouse (npm `lighthouse`, pinned in package.json) on
// home, a commitment, transformation 3A, the commitments index and a funding table, with the
// desktop preset and the default (mobile: simulated slow 4G and a 4x slower CPU). Every page
// and preset must score at least 95 for accessibility, best practices and SEO and 90 for
// performance. Prints one line per run with its four scores and, under a failing score, the
// audits that cost points; ends with "N passed, N failed" and exits 1 on any failure.
// `LIGHTHOUSE_JSON=DIR` also writes each run's full JSON report to DIR.

import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import zlib from "node:zlib";
import * as chromeLauncher from "chrome-launcher";
import lighthouse, { desktopConfig } from "lighthouse";

const [siteArg] = process.argv.slice(2);
if (!siteArg) {
  console.error("usage: node tests/browser/lighthouse.mjs SITE");
  process.exit(2);
}
const site = path.resolve(siteArg);
const CHROMIUM = process.env.CHROMIUM || process.env.CHROME_PATH || "/usr/bin/chromium";
const jsonDir = process.env.LIGHTHOUSE_JSON ? path.resolve(process.env.LIGHTHOUSE_JSON) : null;

const PAGES = [
  { name: "home", url: "/" },
  { name: "commitment", url: "/commitments/200003/" },
  { name: "transformation 3A", url: "/transformations/3a/" },
  { name: "commitments index", url: "/commitments/" },
  { name: "funding table", url: "/funding/southern-africa/" },
];
const PRESETS = [
  { name: "desktop", config: desktopConfig },
  { name: "mobile", config: undefined },
];
const MINIMUM = { performance: 90, accessibility: 95, "best-practices": 95, seo: 95 };

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".json": "application/json",
  ".xml": "application/xml",
  ".txt": "text/plain; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
};
const COMPRESSIBLE = new Set([".html", ".css", ".js", ".json", ".xml", ".txt", ".svg"]);

function serve(root) {
  const server = http.createServer((req, res) => {
    const send = (status, body, ext, extra = {}) => {
      const headers = {
        "Content-Type": TYPES[ext] || "application/octet-stream",
        "Content-Security-Policy": "default-src 'self'",
        "Cache-Control": "no-cache",
        ...extra,
      };
      if (COMPRESSIBLE.has(ext) && /\bgzip\b/.test(req.headers["accept-encoding"] || "")) {
        body = zlib.gzipSync(body);
        headers["Content-Encoding"] = "gzip";
        headers["Vary"] = "Accept-Encoding";
      }
      res.writeHead(status, headers);
      res.end(req.method === "HEAD" ? undefined : body);
    };
    let pathname;
    try {
      pathname = decodeURIComponent(new URL(req.url, "http://127.0.0.1").pathname);
    } catch {
      return send(400, "bad request", ".txt");
    }
    let file = path.join(root, pathname);
    if (!file.startsWith(root + path.sep) && file !== root) return send(403, "forbidden", ".txt");
    try {
      if (fs.statSync(file).isDirectory()) {
        if (!pathname.endsWith("/")) return send(301, "", ".txt", { Location: pathname + "/" });
        file = path.join(file, "index.html");
      }
      return send(200, fs.readFileSync(file), path.extname(file));
    } catch {
      const notFound = path.join(root, "404.html");
      return fs.existsSync(notFound) ? send(404, fs.readFileSync(notFound), ".html") : send(404, "not found", ".txt");
    }
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

// The audits that cost a category points, worst first.
function losses(lhr, category) {
  return lhr.categories[category].auditRefs
    .filter((ref) => ref.weight > 0)
    .map((ref) => ({ ref, audit: lhr.audits[ref.id] }))
    .filter(({ audit }) => audit.score !== null && audit.score < 1)
    .sort((a, b) => b.ref.weight * (1 - b.audit.score) - a.ref.weight * (1 - a.audit.score))
    .map(({ audit }) => `${audit.id} (${Math.round(audit.score * 100)}${audit.displayValue ? `, ${audit.displayValue}` : ""}): ${audit.title}`);
}

const started = Date.now();
const server = await serve(site);
const origin = `http://127.0.0.1:${server.address().port}`;
console.log(`serving ${site} on ${origin}`);
const chrome = await chromeLauncher.launch({
  chromePath: CHROMIUM,
  chromeFlags: ["--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  logLevel: "silent",
});
let passed = 0;
let failed = 0;
const table = [];
try {
  for (const preset of PRESETS) {
    for (const p of PAGES) {
      const t0 = Date.now();
      const result = await lighthouse(
        origin + p.url,
        { port: chrome.port, output: "json", logLevel: "error", onlyCategories: Object.keys(MINIMUM), disableFullPageScreenshot: true },
        preset.config,
      );
      const lhr = result.lhr;
      if (jsonDir) {
        fs.mkdirSync(jsonDir, { recursive: true });
        fs.writeFileSync(path.join(jsonDir, `${preset.name}-${p.url.replace(/[^a-z0-9]+/gi, "-").replace(/^-|-$/g, "") || "home"}.json`), result.report);
      }
      const scores = {};
      const problems = [];
      if (lhr.runtimeError) problems.push(`runtime error: ${lhr.runtimeError.code} ${lhr.runtimeError.message}`);
      for (const w of lhr.runWarnings || []) console.log(`    warning: ${w}`);
      for (const [category, minimum] of Object.entries(MINIMUM)) {
        const score = lhr.categories[category].score;
        scores[category] = score === null ? null : Math.round(score * 100);
        if (scores[category] === null || scores[category] < minimum) {
          problems.push(`${category} ${scores[category]} < ${minimum}:`);
          for (const l of losses(lhr, category).slice(0, 8)) problems.push(`  ${l}`);
        }
      }
      const line = `${preset.name} ${p.name} ${p.url}: performance ${scores.performance}, accessibility ${scores.accessibility}, best practices ${scores["best-practices"]}, SEO ${scores.seo}`;
      table.push({ preset: preset.name, page: p.name, ...scores, seconds: (Date.now() - t0) / 1000 });
      if (problems.length) {
        failed++;
        console.log(`not ok - ${line}`);
        for (const l of problems) console.log(`    ${l}`);
      } else {
        passed++;
        console.log(`ok - ${line} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
      }
    }
  }
} finally {
  await chrome.kill();
  server.close();
}
console.log(`# Lighthouse ${lighthouse.version || JSON.parse(fs.readFileSync(new URL("../../node_modules/lighthouse/package.json", import.meta.url), "utf8")).version}, ${table.length} runs in ${((Date.now() - started) / 1000).toFixed(1)} s`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
