// Browser tests of a built pactgen site, in Debian's Chromium driven by playwright-core.
//
//   node tests/browser/run.mjs SITE [RELATIVE_SITE] [SCREENSHOT_DIR] [BUNDLE]
//
// SITE is a site built normally (root-relative links); RELATIVE_SITE one built with
// `--relative`, opened from file://; screenshots and a PDF go to SCREENSHOT_DIR; BUNDLE an
// unpacked `pactgen bundle`, crawled from file:// (every page reachable from its home page),
// with a filter, a search and an embed tried there. The script
// builds nothing. It serves SITE on 127.0.0.1 (random port) with
// `Content-Security-Policy: default-src 'self'` and checks, on one page of every kind:
// axe-core (WCAG 2.0/2.1 A and AA) finds no violation; no console error, page error, CSP
// violation, failed request or request to another host; no horizontal overflow at 320 px.
// From the records in content/ ($PACTGEN_CONTENT): the first commitment on the first screen
// of /transformations/3a/ and /commitments/, 3A's self-report questions labelled, commitments
// and reports linked both ways, no slug in any heading; no console error on one page of every
// kind. Then keyboard use (skip link, focus outline), filtering, search, table sorting, embeds,
// file:// browsing, HTML validity (the Nu HTML Checker, npm vnu-jar) and screenshots of nine
// page kinds at 1280 and 375 px.
// Prints one line per check and ends with "N passed, N failed"; exits 1 on any failure.

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { chromium } from "playwright-core";
import { CHROMIUM, CHROMIUM_ARGS, serve } from "./static-server.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, "../..");
const [siteArg, relativeArg, shotArg, bundleArg] = process.argv.slice(2);
if (!siteArg) {
  console.error("usage: node tests/browser/run.mjs SITE [RELATIVE_SITE] [SCREENSHOT_DIR] [BUNDLE]");
  process.exit(2);
}
const site = path.resolve(siteArg);
const relativeSite = relativeArg ? path.resolve(relativeArg) : null;
const shotDir = shotArg ? path.resolve(shotArg) : null;
const bundleSite = bundleArg ? path.resolve(bundleArg) : null;
const AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];
const axeSource = fs.readFileSync(path.join(repo, "node_modules/axe-core/axe.min.js"), "utf8");

// One page of every kind. `status` is the HTTP status the page is served with.
const PAGES = [
  { name: "home", url: "/" },
  { name: "commitments index", url: "/commitments/" },
  { name: "commitment", url: "/commitments/200003/" },
  { name: "facet page", url: "/commitments/type/policy/" },
  { name: "transformation 3A", url: "/transformations/3a/" },
  { name: "transformations index", url: "/transformations/" },
  { name: "core responsibility", url: "/core-responsibilities/3/" },
  { name: "core commitment", url: "/core-commitments/cc-01/" },
  { name: "report 2017/3A", url: "/reports/2017/3a/" },
  { name: "initiative dtm", url: "/initiatives/dtm/" },
  { name: "initiative hdx", url: "/initiatives/hdx/" },
  { name: "action plan", url: "/action-plans/sg-action-agenda-internal-displacement/" },
  { name: "funding table", url: "/funding/southern-africa/" },
  { name: "funding index", url: "/funding/" },
  { name: "glossary", url: "/glossary/migration-initiatives-2019/" },
  { name: "document", url: "/documents/migration-initiatives-2019/" },
  { name: "document section", url: "/documents/migration-initiatives-2019/principle-1-global-compact-for-migration/" },
  { name: "organisation", url: "/organisations/iom/" },
  { name: "about page", url: "/about/" },
  { name: "keywords index", url: "/keywords/" },
  { name: "keyword page", url: "/keywords/displacement/" },
  { name: "search with a query", url: "/search/?q=displacement", ready: "#search-results li" },
  { name: "embed", url: "/embed/commitment/200003/" },
  { name: "404", url: "/no-such-page/", status: 404 },
];

// ---------------------------------------------------------------------------------------------
// What the site is built from: the checks below derive their expectations from the records in
// CONTENT (`$PACTGEN_CONTENT`, else the `content/` folder beside SITE), read with a reader for
// the few YAML shapes records use at their top level (scalars, flow and block lists).

const contentDir = path.resolve(process.env.PACTGEN_CONTENT || path.join(site, "..", "content"));

function topLevel(file) {
  let text = fs.readFileSync(file, "utf8").replace(/\r\n/g, "\n");
  if (file.endsWith(".md")) {
    const m = /^---\n([\s\S]*?)\n---/.exec(text);
    text = m ? m[1] : "";
  }
  const unquote = (v) => v.trim().replace(/^(["'])(.*)\1$/, "$2");
  const out = {};
  let listKey = null;
  for (const line of text.split("\n")) {
    const key = /^([A-Za-z_][A-Za-z0-9_]*):(.*)$/.exec(line);
    if (key) {
      const value = key[2].trim();
      listKey = null;
      if (value.startsWith("[")) out[key[1]] = value.replace(/^\[|\]\s*$/g, "").split(",").map(unquote).filter(Boolean);
      else if (value === "" || value === "|" || value === ">") { out[key[1]] = value === "" ? [] : ""; listKey = key[1]; }
      else out[key[1]] = unquote(value);
    } else if (listKey && Array.isArray(out[listKey]) && /^\s*- /.test(line)) {
      out[listKey].push(unquote(line.replace(/^\s*- /, "")));
    } else if (listKey && typeof out[listKey] === "string" && line.trim()) {
      out[listKey] += line.trim() + "\n";
    }
  }
  return out;
}

function records(kind) {
  const dir = path.join(contentDir, kind);
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { recursive: true })
    .filter((f) => /\.(ya?ml|md)$/.test(f))
    .sort()
    .map((f) => ({ file: path.join(dir, f), ...topLevel(path.join(dir, f)) }));
}

const contentCommitments = records("commitments").map((c) => ({ id: String(c.id), transformations: (c.transformations || []).map(String) }));
const contentReports = records("reports").map((r) => ({ year: Number(r.year), transformation: String(r.transformation), fields: r }));
const reportUrl = (r) => `/reports/${r.year}/${r.transformation.toLowerCase()}/`;

// Every record's slug (its file name and its `id`) that is no word: lowercase, with a hyphen or
// a digit, not a bare number (commitment IDs are what readers call commitments).
const contentSlugs = new Set();
for (const f of fs.readdirSync(contentDir, { recursive: true })) {
  if (!/\.(ya?ml|md)$/.test(f) || f === "site.yaml") continue;
  const names = [path.basename(f).replace(/\.(ya?ml|md)$/, "")];
  try {
    const id = topLevel(path.join(contentDir, f)).id;
    if (typeof id === "string") names.push(id);
  } catch {}
  for (const n of names) if (/^[a-z0-9-]+$/.test(n) && /[a-z]/.test(n) && /[-0-9]/.test(n)) contentSlugs.add(n);
}

// The self-report form's questions, as the theme labels them (macros.html, report_answers),
// by the record field that holds the answer.
const REPORT_META = new Set(["year", "transformation", "organisation", "keywords", "source", "title", "aliases", "links"]);
const REPORT_LABELS = {
  actions: (y) => `Q1 · Concrete actions taken in ${y}`,
  progress_measures: () => "Q2a · How progress is measured",
  progress_assessment: () => "Q2b · Whether progress leads toward the transformation",
  challenges: () => "Q3a · Key challenges",
  challenges_impact: () => "Q3b · How the challenges affect the transformation",
  plans: (y) => `Q4 · Actions planned for ${y + 1}`,
  collective_steps: () => "Q5 · Steps needed for collective progress",
  good_practice: () => "Q6 · Good practice and innovation",
};

// One page of every kind of the built site: its folders grouped by top-level folder and depth
// (and the second folder under embed/ and below the second level).
function pageKinds(root) {
  const kinds = new Map();
  for (const f of fs.readdirSync(root, { recursive: true }).sort()) {
    if (path.basename(f) !== "index.html") continue;
    const segs = path.dirname(f).split(path.sep).filter((s) => s && s !== ".");
    const key = segs.length >= 3 || segs[0] === "embed" ? `${segs[0]}/${segs[1]}/${segs.length}` : `${segs[0] || ""}/${segs.length}`;
    if (!kinds.has(key)) kinds.set(key, "/" + segs.map((s) => s + "/").join(""));
  }
  return [...kinds.values()];
}

// ---------------------------------------------------------------------------------------------
// Reporting

let passed = 0;
let failed = 0;
const started = Date.now();

async function check(name, fn) {
  const t0 = Date.now();
  try {
    await fn();
    passed++;
    console.log(`ok - ${name} (${Date.now() - t0} ms)`);
  } catch (err) {
    failed++;
    console.log(`not ok - ${name}`);
    const where = err && err.stack ? err.stack.split("\n").find((l) => l.includes("run.mjs")) : "";
    for (const line of `${err && err.message ? err.message : err}\n${where || ""}`.trim().split("\n")) {
      console.log(`    ${line}`);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// A tiny static server with the theme's promised CSP

// Pages the tests add beside the site, under a path no site uses.
const TEST_PAGES = {
  "/__browser-test/embed.html":
    '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Embed test</title></head>' +
    '<body><h1>An intranet page</h1><iframe src="/embed/commitment/200003/" title="Commitment 200003" width="640" height="480"></iframe></body></html>',
};


// ---------------------------------------------------------------------------------------------
// Browser plumbing: every problem a page causes is collected in `problems`.

const allowed = (u) => ["file:", "data:", "about:", "blob:"].includes(u.protocol) || u.hostname === "127.0.0.1";

function watch(context, origin) {
  const problems = [];
  context.route("**/*", (route) => {
    const u = new URL(route.request().url());
    if (allowed(u)) return route.continue();
    problems.push(`request to another host: ${u.href}`);
    return route.abort();
  });
  context.exposeBinding("__pactgenCsp", ({ page }, v) => problems.push(`CSP violation on ${page.url()}: ${v}`));
  context.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => {
      window.__pactgenCsp(`${e.violatedDirective} blocked ${e.blockedURI || "inline"} (${e.sourceFile || ""}:${e.lineNumber || ""})`);
    });
  });
  context.on("page", (page) => attach(page, problems, origin));
  return problems;
}

function attach(page, problems, origin) {
  // A 404 page is expected to log its own 404; nothing else may log an error.
  page.on("console", (msg) => {
    if (msg.type() !== "error") return;
    const loc = msg.location();
    if (/status of 404/.test(msg.text()) && loc.url === page.__expect404) return;
    problems.push(`console error on ${page.url()}: ${msg.text()} ${loc.url ? `(${loc.url}:${loc.lineNumber})` : ""}`);
  });
  page.on("pageerror", (err) => problems.push(`page error on ${page.url()}: ${err.message}`));
  page.on("requestfailed", (req) => {
    if (!allowed(new URL(req.url()))) return; // already reported by the route
    // Chromium cancels what a page is still loading (its icon, search result files) when the
    // test moves on: net::ERR_ABORTED. A missing file is not that: it shows as an HTTP error
    // below, or as net::ERR_FILE_NOT_FOUND from file://.
    const failure = req.failure() && req.failure().errorText;
    if (failure === "net::ERR_ABORTED") return;
    problems.push(`request failed on ${page.url()}: ${req.url()} ${req.failure() && req.failure().errorText}`);
  });
  page.on("response", (res) => {
    if (res.status() >= 400 && res.url() !== page.__expect404) {
      problems.push(`HTTP ${res.status()} for ${res.url()} (on ${page.url()})`);
    }
  });
}

function drain(problems) {
  const out = problems.splice(0, problems.length);
  assert.deepEqual(out, [], "problems:\n" + out.join("\n"));
}

async function open(page, url, { status = 200, ready } = {}) {
  page.__expect404 = status === 404 ? url : null;
  const res = await page.goto(url, { waitUntil: "load" });
  assert.equal(res.status(), status, `${url}: HTTP ${res.status()}`);
  if (ready) await page.waitForSelector(ready, { timeout: 5000 });
  return res;
}

async function runAxe(page) {
  // Runtime evaluation is not subject to the page's CSP (a <script> tag would be).
  const loaded = await page.evaluate(() => typeof window.axe !== "undefined");
  if (!loaded) await page.evaluate(axeSource);
  return page.evaluate(
    (tags) => window.axe.run(document, { runOnly: { type: "tag", values: tags }, resultTypes: ["violations"] }),
    AXE_TAGS,
  );
}

function describeViolations(violations) {
  return violations
    .map((v) => `${v.id} (${v.impact}): ${v.help}\n` + v.nodes.map((n) => `      ${n.target.join(" ")}: ${n.failureSummary.replace(/\n/g, " ")}`).join("\n"))
    .join("\n");
}

// ---------------------------------------------------------------------------------------------

const server = await serve(site, { pages: TEST_PAGES });
const origin = `http://127.0.0.1:${server.address().port}`;
console.log(`serving ${site} on ${origin}`);
const browser = await chromium.launch({
  executablePath: CHROMIUM,
  args: CHROMIUM_ARGS,
});
console.log(`chromium ${browser.version()}`);

try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const problems = watch(context, origin);
  const page = await context.newPage();

  await check("the CSP listener sees a violation (sanity check of the harness)", async () => {
    await open(page, origin + "/");
    await page.evaluate(() => {
      const s = document.createElement("script");
      s.textContent = "window.__inline = 1";
      document.body.appendChild(s);
    });
    await page.waitForTimeout(100);
    const seen = problems.splice(0, problems.length);
    assert.ok(seen.some((p) => p.startsWith("CSP violation")), `no violation seen: ${seen.join("; ")}`);
  });

  let totalViolations = 0;
  for (const p of PAGES) {
    await check(`${p.name} ${p.url}: axe (${AXE_TAGS.join(", ")}), no console error, CSP violation or outside request`, async () => {
      await open(page, origin + p.url, p);
      const result = await runAxe(page);
      totalViolations += result.violations.length;
      const problemsHere = problems.splice(0, problems.length);
      assert.ok(result.violations.length === 0 && problemsHere.length === 0,
        [result.violations.length ? `${result.violations.length} axe violation(s):\n    ${describeViolations(result.violations)}` : "", ...problemsHere].filter(Boolean).join("\n"));
    });
  }
  console.log(`# axe violations on ${PAGES.length} pages: ${totalViolations}`);

  // Where on the page a link to a commitment (any of `ids`, or any commitment) first appears:
  // the bottom of the earliest one in <main>, in CSS pixels from the top of the page.
  const firstCommitment = (p, ids) => p.evaluate((ids) => {
    const links = [...document.querySelectorAll("main a[href]")].filter((a) => {
      const m = /\/commitments\/([^/]+)\/(index\.html)?$/.exec(new URL(a.href).pathname);
      return m && (ids ? ids.includes(m[1]) : /^\d+$/.test(m[1])) && a.getClientRects().length > 0;
    });
    if (!links.length) return null;
    const r = links[0].getBoundingClientRect();
    return { text: links[0].textContent.trim(), bottom: Math.round(r.bottom + scrollY), screen: innerHeight };
  }, ids);

  await check("first screen: the first IOM commitment on /transformations/3a/ and the first on /commitments/ are on the first screen at 1280x900, within two screens at 375x740", async () => {
    const ids3a = contentCommitments.filter((c) => c.transformations.includes("3A")).map((c) => c.id);
    assert.ok(ids3a.length > 0, `no commitment of 3A in ${contentDir}`);
    const late = [];
    const measured = [];
    for (const [w, h, screens] of [[1280, 900, 1], [375, 740, 2]]) {
      const p = await context.newPage();
      await p.setViewportSize({ width: w, height: h });
      for (const [url, ids] of [["/transformations/3a/", ids3a], ["/commitments/", null]]) {
        await open(p, origin + url);
        const first = await firstCommitment(p, ids);
        if (!first) { late.push(`${url} at ${w}x${h}: no commitment link`); continue; }
        measured.push(`${url} ${w}px: "${first.text}" ends at ${first.bottom} px`);
        if (first.bottom > h * screens) late.push(`${url} at ${w}x${h}: the first commitment ("${first.text}") ends at ${first.bottom} px, below ${h * screens} px`);
      }
      await p.close();
    }
    console.log(`    ${measured.join("; ")}`);
    assert.deepEqual(late, []);
    drain(problems);
  });

  await check("transformation 3A: every self-report question answered in content/ appears with its label and its answer", async () => {
    const reports = contentReports.filter((r) => r.transformation.toUpperCase() === "3A");
    assert.ok(reports.length > 0, `no report on 3A in ${contentDir}`);
    await open(page, origin + "/transformations/3a/");
    const missing = [];
    let questions = 0;
    for (const r of reports) {
      for (const [field, value] of Object.entries(r.fields)) {
        if (field === "file" || REPORT_META.has(field) || (Array.isArray(value) ? value.length === 0 : !String(value).trim())) continue;
        const label = REPORT_LABELS[field];
        if (!label) { missing.push(`${r.fields.file}: answer field \`${field}\` has no label in this test (add the theme's label)`); continue; }
        questions++;
        const found = await page.evaluate(({ id, label }) => {
          const h = document.getElementById(id);
          if (!h) return `no heading #${id}`;
          if (!/^H[1-6]$/.test(h.tagName)) return `#${id} is a ${h.tagName}, not a heading`;
          if (h.textContent.trim() !== label) return `#${id} says "${h.textContent.trim()}", not "${label}"`;
          if (!h.getClientRects().length) return `#${id} is not shown`;
          // The question's own wording, then the answer, before the next question.
          const parts = [];
          for (let e = h.nextElementSibling; e && !/^H[1-6]$/.test(e.tagName); e = e.nextElementSibling) parts.push(e);
          const answer = parts.filter((e) => !e.classList.contains("question"));
          if (!parts.some((e) => e.classList.contains("question"))) return `#${id} has no question text`;
          return { text: answer.map((e) => e.textContent).join(" ").trim(), items: answer.reduce((n, e) => n + (e.tagName === "UL" ? e.children.length : 0), 0) };
        }, { id: `r${r.year}-${field.replace(/_/g, "-")}`, label: label(r.year) });
        if (typeof found === "string") missing.push(`${r.year} ${field}: ${found}`);
        else if (!found.text) missing.push(`${r.year} ${field}: the answer is empty`);
        else if (Array.isArray(value) && found.items !== value.length) missing.push(`${r.year} ${field}: ${found.items} items shown, ${value.length} in content`);
      }
    }
    assert.deepEqual(missing, []);
    assert.ok(questions >= 6, `only ${questions} answers found in content`);
    console.log(`    ${questions} answers of ${reports.length} report(s) labelled`);
    drain(problems);
  });

  await check("commitments and reports: every commitment page links to the report of each of its transformations, every report page to its commitments", async () => {
    assert.ok(contentCommitments.length > 0 && contentReports.length > 0, `records in ${contentDir}`);
    const hrefs = async (url) => {
      await open(page, origin + url);
      return new Set(await page.$$eval("main a[href]", (as) => as.map((a) => new URL(a.href).pathname)));
    };
    const missing = [];
    let links = 0;
    for (const c of contentCommitments) {
      const have = await hrefs(`/commitments/${c.id}/`);
      for (const r of contentReports.filter((r) => c.transformations.includes(r.transformation))) {
        links++;
        if (!have.has(reportUrl(r))) missing.push(`/commitments/${c.id}/ does not link to ${reportUrl(r)}`);
      }
    }
    for (const r of contentReports) {
      const have = await hrefs(reportUrl(r));
      for (const c of contentCommitments.filter((c) => c.transformations.includes(r.transformation))) {
        links++;
        if (!have.has(`/commitments/${c.id}/`)) missing.push(`${reportUrl(r)} does not link to /commitments/${c.id}/`);
      }
    }
    assert.deepEqual(missing, []);
    assert.ok(links > 0, "no commitment has a report");
    console.log(`    ${links} links both ways (${contentCommitments.length} commitments, ${contentReports.length} reports)`);
    drain(problems);
  });

  await check("no heading (h1-h6) on any page shows a slug", async () => {
    const decode = (t) => t.replace(/<[^>]*>/g, "").replace(/&(amp|lt|gt|quot|#39|#x27|nbsp);/g, (m, e) => ({ amp: "&", lt: "<", gt: ">", quot: '"', "#39": "'", "#x27": "'", nbsp: " " })[e]);
    const bad = [];
    let headings = 0;
    let pages = 0;
    for (const f of fs.readdirSync(site, { recursive: true }).sort()) {
      if (!f.endsWith(".html")) continue;
      pages++;
      const html = fs.readFileSync(path.join(site, f), "utf8");
      for (const m of html.matchAll(/<h([1-6])\b[^>]*>([\s\S]*?)<\/h\1\s*>/gi)) {
        headings++;
        const text = decode(m[2]).trim();
        // A slug is lowercase; one with a digit or two hyphens is never a word, one like
        // `grand-bargain` only when it is the whole heading.
        const slugs = text.split(/[^A-Za-z0-9-]+/).filter((t) => (contentSlugs.has(t) && (/\d|-.*-/.test(t) || t === text)) || /^[a-z]{1,5}-\d+$/.test(t));
        if (slugs.length) bad.push(`${f}: <h${m[1]}>${text}</h${m[1]}> (${slugs.join(", ")})`);
      }
    }
    assert.ok(contentSlugs.has("cc-13") || contentSlugs.size > 20, `slugs from ${contentDir}: ${contentSlugs.size}`);
    assert.deepEqual(bad.slice(0, 30), [], `${bad.length} headings show a slug`);
    console.log(`    ${headings} headings on ${pages} pages; ${contentSlugs.size} slugs looked for`);
  });

  await check("no console error, page error or failed request on one page of every kind of the built site", async () => {
    const urls = [...new Set([...pageKinds(site), ...PAGES.filter((p) => !p.status).map((p) => p.url)])];
    const bad = [];
    for (const url of urls) {
      const p = PAGES.find((p) => p.url === url) || {};
      await open(page, origin + url, p);
      await page.waitForTimeout(50);
      for (const problem of problems.splice(0, problems.length)) bad.push(problem);
    }
    await open(page, origin + "/no-such-page/", { status: 404 });
    for (const problem of problems.splice(0, problems.length)) bad.push(problem);
    assert.deepEqual(bad, []);
    assert.ok(urls.length > 40, `${urls.length} page kinds`);
    console.log(`    ${urls.length + 1} pages (one per kind and the 404 page)`);
  });

  await check("keyboard: first Tab focuses a visible skip link; Enter moves focus to main; links show an outline", async () => {
    await open(page, origin + "/commitments/200003/");
    await page.keyboard.press("Tab");
    const skip = await page.evaluate(() => {
      const a = document.activeElement;
      const r = a.getBoundingClientRect();
      return { cls: a.className, text: a.textContent, href: a.getAttribute("href"), left: r.left, top: r.top, width: r.width, height: r.height, vw: innerWidth, vh: innerHeight };
    });
    assert.equal(skip.cls, "skip", `first Tab focused ${JSON.stringify(skip)}`);
    assert.ok(skip.left >= 0 && skip.top >= 0 && skip.left + skip.width <= skip.vw && skip.top + skip.height <= skip.vh && skip.width > 20 && skip.height > 10,
      `skip link not visible when focused: ${JSON.stringify(skip)}`);
    await page.keyboard.press("Enter");
    await page.waitForTimeout(50);
    const focused = await page.evaluate(() => document.activeElement.id || document.activeElement.tagName);
    assert.equal(focused, "main", "Enter on the skip link should move focus to <main>");
    // The next Tab continues inside main: a link, with a visible outline.
    await page.keyboard.press("Tab");
    const link = await page.evaluate(() => {
      const a = document.activeElement, s = getComputedStyle(a);
      return { tag: a.tagName, inMain: !!a.closest("main"), style: s.outlineStyle, width: parseFloat(s.outlineWidth), color: s.outlineColor };
    });
    assert.equal(link.tag, "A", JSON.stringify(link));
    assert.ok(link.inMain, `Tab after the skip link left main: ${JSON.stringify(link)}`);
    assert.ok(link.style !== "none" && link.width >= 2, `focused link has no visible outline: ${JSON.stringify(link)}`);
    // And a header link, reached from the top.
    await open(page, origin + "/commitments/200003/");
    await page.keyboard.press("Tab");
    await page.keyboard.press("Tab");
    const brand = await page.evaluate(() => {
      const a = document.activeElement, s = getComputedStyle(a);
      return { cls: a.className, style: s.outlineStyle, width: parseFloat(s.outlineWidth) };
    });
    assert.ok(brand.style !== "none" && brand.width >= 2, `focused header link has no visible outline: ${JSON.stringify(brand)}`);
    drain(problems);
  });

  await check("320 px: no page scrolls sideways", async () => {
    const narrow = await context.newPage();
    await narrow.setViewportSize({ width: 320, height: 640 });
    const wide = [];
    for (const p of PAGES) {
      await open(narrow, origin + p.url, p);
      const w = await narrow.evaluate(() => {
        const se = document.scrollingElement;
        const culprits = [];
        if (se.scrollWidth > 320) {
          for (const el of document.body.querySelectorAll("*")) {
            const r = el.getBoundingClientRect();
            if (r.right > 321 && !el.closest(".table-wrap")) culprits.push(`${el.tagName.toLowerCase()}${el.className && typeof el.className === "string" ? "." + el.className.split(" ").join(".") : ""} (right ${Math.round(r.right)})`);
          }
        }
        return { width: se.scrollWidth, culprits: culprits.slice(0, 5) };
      });
      if (w.width > 320) wide.push(`${p.url}: scrollWidth ${w.width}; ${w.culprits.join(", ")}`);
    }
    await narrow.close();
    assert.deepEqual(wide, []);
    drain(problems);
  });

  // The commitments each facet value's own page lists (no JavaScript, paginated): the oracle
  // the filter's counts and lists are compared with.
  async function facetOracle(links) {
    const sets = {};
    for (const l of links) {
      const ids = new Set();
      let url = origin + l.href;
      while (url) {
        const html = await (await fetch(url)).text();
        // The HTML is minified: attribute values may be unquoted.
        for (const m of html.matchAll(/<li>\s*<a href="?[^" >]*\/commitments\/([^/" >]+)\/"?>Commitment /g)) ids.add(m[1]);
        const next = html.match(/<a href="?([^" >]+)"? rel="?next/);
        url = next ? new URL(next[1], url).href : null;
      }
      sets[`${l.facet}=${l.value}`] = ids;
    }
    return sets;
  }
  const filterState = (p) => p.waitForSelector('#commitment-browser[data-filter-state="ready"]', { timeout: 5000 }).then(() => p.evaluate(() => {
    const ids = [...document.querySelectorAll("#commitment-list > li > a:first-child")].map((a) => a.getAttribute("href").match(/commitments\/([^/]+)\//)[1]);
    return {
      search: location.search,
      ids,
      options: [...document.querySelectorAll("#facets a[data-facet]")].map((a) => ({
        key: `${a.dataset.facet}=${a.dataset.value}`,
        facet: a.dataset.facet,
        count: Number(a.querySelector(".count").textContent.replace(/\D/g, "")),
        pressed: a.getAttribute("aria-pressed") === "true",
        disabled: a.getAttribute("aria-disabled") === "true",
      })),
      status: document.getElementById("filter-status").textContent,
      empty: document.getElementById("filter-empty").hidden ? null : document.getElementById("filter-empty").textContent,
      resetShown: !document.querySelector(".facet-reset").hidden,
    };
  }));

  await check("filters: Policy, then a transformation, state in the URL, restored on reload, cleared", async () => {
    await open(page, origin + "/commitments/");
    const all = await filterState(page);
    assert.ok(all.ids.length > 10 && !all.resetShown, JSON.stringify(all));
    await page.click('#facets a[data-facet="type"][data-value="policy"]');
    const policy = await filterState(page);
    assert.equal(policy.search, "?type=policy");
    assert.ok(policy.ids.length > 0 && policy.ids.length < all.ids.length, JSON.stringify(policy));
    assert.match(policy.status, new RegExp(`^Showing ${policy.ids.length} commitments? with Type: Policy`));
    assert.ok(policy.resetShown, "Clear filters is shown once a filter is on");
    // A transformation that has Policy commitments.
    const t = policy.options.find((o) => o.facet === "transformation" && !o.disabled).key.split("=")[1];
    await page.click(`#facets a[data-facet="transformation"][data-value="${t}"]`);
    const both = await filterState(page);
    const params = new URLSearchParams(both.search);
    assert.equal(params.get("type"), "policy", both.search);
    assert.equal(params.get("transformation"), t, both.search);
    assert.ok(both.ids.length > 0 && both.ids.every((id) => policy.ids.includes(id)), JSON.stringify(both));
    await page.reload({ waitUntil: "load" });
    const reloaded = await filterState(page);
    assert.deepEqual(reloaded, both, "reloading the URL restores the same state");
    await page.goBack({ waitUntil: "load" });
    await page.waitForFunction(() => location.search === "?type=policy");
    assert.deepEqual((await filterState(page)).ids, policy.ids, "Back returns to Policy alone");
    await page.goForward({ waitUntil: "load" });
    await page.waitForFunction(() => location.search.includes("transformation"));
    await page.click("#facet-reset");
    const cleared = await filterState(page);
    assert.equal(cleared.search, "");
    assert.deepEqual(cleared.ids, all.ids);
    assert.deepEqual(cleared.options.filter((o) => o.pressed), []);
    assert.ok(!cleared.resetShown);
    drain(problems);
  });

  await check("filters: facet combinations — every count, list, disabled option and the empty state agree with the facet pages", async () => {
    await open(page, origin + "/commitments/");
    const links = await page.$$eval("#facets a[data-facet]", (as) => as.map((a) => ({ facet: a.dataset.facet, value: a.dataset.value, href: a.getAttribute("href") })));
    assert.ok(!links.some((l) => l.facet === "organisation"), "a facet with one value (the organisation) is not offered");
    const oracle = await facetOracle(links);
    const everyId = new Set((await filterState(page)).ids);
    const expected = (chosen) => [...everyId].filter((id) => chosen.every((k) => oracle[k].has(id)));
    // Compares a state with the oracle: the list, the status and every option's count
    // (what the list would show with that option chosen instead, its facet's other choice
    // replaced), disabled exactly when that is zero.
    const verify = (st, chosen, what) => {
      const want = expected(chosen);
      assert.deepEqual([...st.ids].sort(), [...want].sort(), `${what}: listed commitments`);
      if (chosen.length) assert.match(st.status, want.length ? new RegExp(`\\b${want.length}\\b`) : /^No commitment/, `${what}: status "${st.status}"`);
      for (const o of st.options) {
        const others = chosen.filter((k) => k.split("=")[0] !== o.facet);
        const n = expected([...others, o.key]).length;
        assert.equal(o.count, n, `${what}: count of ${o.key}`);
        assert.equal(o.pressed, chosen.includes(o.key), `${what}: ${o.key} pressed`);
        assert.equal(o.disabled, n === 0 && !o.pressed, `${what}: ${o.key} disabled`);
      }
      assert.equal(st.empty !== null, want.length === 0, `${what}: empty state`);
    };
    const combos = [
      ["type=policy", "transformation=3a"],
      ["type=policy", "transformation=2d"],
      ["transformation=3a", "type=operational"],
      ["core-responsibility=2", "keyword=psea"],
      ["keyword=displacement", "type=operational", "core-responsibility=3"],
      ["initiative=dtm", "transformation=4b"],
      ["type=advocacy", "keyword=gender"],
    ];
    let checked = 0;
    for (const combo of combos) {
      await open(page, origin + "/commitments/");
      const chosen = [];
      for (const key of combo) {
        if (!oracle[key]) continue; // not a value of this site
        const [facet, value] = key.split("=");
        const sel = `#facets a[data-facet="${facet}"][data-value="${value}"]`;
        const before = await filterState(page);
        const option = before.options.find((o) => o.key === key);
        if (option.disabled) {
          // A dead end is not offered: clicking a disabled option changes nothing.
          await page.click(sel, { force: true });
          assert.deepEqual(await filterState(page), before, `${combo}: clicking disabled ${key}`);
          continue;
        }
        await page.click(sel);
        chosen.push(key);
        const st = await filterState(page);
        assert.equal(st.ids.length, option.count, `${combo}: ${key} offered (${option.count}) but listed ${st.ids.length}`);
        verify(st, chosen, `${chosen.join(" + ")}`);
        checked++;
        assert.deepEqual([...new URLSearchParams(st.search).entries()].map(([f, v]) => `${f}=${v}`), chosen, "the URL holds the state");
      }
    }
    assert.ok(checked >= 10, `${checked} states checked`);
    // Every enabled option of one state lists exactly as many commitments as its count says.
    await open(page, origin + "/commitments/?type=operational");
    const st = await filterState(page);
    for (const o of st.options.filter((o) => o.facet === "transformation" && !o.disabled)) {
      await open(page, origin + `/commitments/?type=operational&${o.key}`);
      assert.equal((await filterState(page)).ids.length, o.count, `Operational + ${o.key}`);
    }
    // The explicit empty state, reached from a URL: it offers to remove the last filter.
    const dead = combos.map((c) => c.filter((k) => oracle[k])).find((c) => c.length > 1 && expected(c).length === 0);
    assert.ok(dead, "the combinations include one without commitments");
    await open(page, origin + "/commitments/?" + dead.join("&"));
    const empty = await filterState(page);
    verify(empty, dead, `empty ${dead}`);
    assert.match(empty.empty, /No commitment matches these filters/);
    await page.click("#filter-undo");
    const undone = await filterState(page);
    assert.equal(undone.search, "?" + dead.slice(0, -1).join("&"));
    verify(undone, dead.slice(0, -1), "after removing the last filter");
    drain(problems);
  });

  await check("filters without JavaScript: a facet page says what is selected and how to clear it, and switches only its own facet", async () => {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 }, javaScriptEnabled: false });
    const p = await ctx.newPage();
    await p.goto(origin + "/commitments/type/policy/", { waitUntil: "load" });
    const text = await p.$eval("#filter-status", (e) => e.textContent);
    assert.match(text, /with Type: Policy/);
    const clear = await p.$eval("#filter-status a", (a) => a.getAttribute("href"));
    assert.equal(new URL(clear, origin + "/commitments/type/policy/").pathname, "/commitments/");
    // The panel switches the value of this facet only: no link drops a choice silently.
    const others = await p.$$eval("#facets a[data-facet]", (as) => [...new Set(as.map((a) => a.dataset.facet))]);
    assert.deepEqual(others, ["type"]);
    await ctx.close();
  });

  await check("search: ?q=200010 finds commitment 200010 first; typing updates the results and ?q=", async () => {
    await open(page, origin + "/search/?q=200010", { ready: "#search-results li" });
    const first = await page.$eval("#search-results li a", (a) => a.getAttribute("href"));
    assert.match(first, /\/commitments\/200010\/$/);
    assert.equal(await page.inputValue("#search-input"), "200010");
    await page.fill("#search-input", "");
    await page.locator("#search-input").pressSequentially("displacement tracking", { delay: 10 });
    await page.waitForFunction(() => new URLSearchParams(location.search).get("q") === "displacement tracking");
    await page.waitForFunction(() => document.getElementById("search-results").getAttribute("data-answered") === "displacement tracking" && /found/.test(document.getElementById("search-status").textContent));
    const res = await page.evaluate(() => ({ n: document.querySelectorAll("#search-results li").length, titles: [...document.querySelectorAll("#search-results li a")].slice(0, 3).map((a) => a.textContent) }));
    assert.ok(res.n > 0, JSON.stringify(res));
    drain(problems);
  });

  await check("search: a typo offers 'did you mean'; snippets mark the matched words; the kind filter stays in the URL", async () => {
    await open(page, origin + "/search/?q=displacment", { ready: "#search-results li" });
    const typo = await page.evaluate(() => ({
      suggest: document.getElementById("search-suggest").hidden ? "" : document.getElementById("search-suggest").textContent,
      link: document.querySelector("#search-suggest a") && document.querySelector("#search-suggest a").textContent,
      status: document.getElementById("search-status").textContent,
      marks: [...document.querySelectorAll("#search-results mark")].slice(0, 10).map((m) => m.textContent),
      snippets: [...document.querySelectorAll("#search-results li p")].map((p) => p.textContent),
      top3: [...document.querySelectorAll("#search-results li a")].slice(0, 3).map((a) => a.getAttribute("href")),
    }));
    assert.match(typo.suggest, /Did you mean displacement\?/, JSON.stringify(typo));
    assert.equal(typo.link, "displacement");
    assert.match(typo.status, /^\d+ records found\.$/);
    // The relevance set's rule: the page meant among the first three (the Displacement
    // Tracking Matrix, titled by the word too, may come first).
    assert.ok(typo.top3.some((h) => /\/transformations\/3a\/$/.test(h)), `3A in the top 3 for displacement: ${typo.top3}`);
    assert.ok(typo.marks.length > 0 && typo.marks.every((m) => /^displacement$/i.test(m)), JSON.stringify(typo.marks));
    // Snippets are cut between words: they start at the text's start or after "… ".
    for (const text of typo.snippets) assert.ok(/^(… )?\S/.test(text) && /(\S|…)$/.test(text), text);
    // One kind: the button is pressed, the results are of that kind, the URL keeps it.
    await page.click('#search-kinds button:has-text("Initiatives")');
    await page.waitForFunction(() => new URLSearchParams(location.search).get("kind") === "initiative");
    // The list is replaced once the records of the kind have loaded.
    await page.waitForFunction(() => [...document.querySelectorAll("#search-results .search-kind")].every((k) => k.textContent === "Initiative"), null, { timeout: 5000 }).catch(() => {});
    const kinds = await page.$$eval("#search-results .search-kind", (ks) => [...new Set(ks.map((k) => k.textContent))]);
    assert.deepEqual(kinds, ["Initiative"]);
    await page.reload({ waitUntil: "load" });
    await page.waitForFunction(() => document.getElementById("search-results").hasAttribute("data-answered"));
    const pressed = await page.$eval('#search-kinds button[aria-pressed="true"]', (b) => b.textContent);
    assert.match(pressed, /^Initiatives/);
    drain(problems);
  });

  await check("sortable funding table: Total sorts descending with aria-sort", async () => {
    await open(page, origin + "/funding/southern-africa/");
    const col = await page.$$eval("table.sortable thead th", (ths) => ths.findIndex((th) => th.textContent.trim() === "Total"));
    assert.ok(col > 0, "a Total column");
    await page.click(`table.sortable thead th:nth-child(${col + 1}) button`);
    const after = await page.evaluate((col) => {
      const th = document.querySelectorAll("table.sortable thead th")[col];
      return { sort: th.getAttribute("aria-sort"), values: [...document.querySelector("table.sortable tbody").rows].map((r) => Number(r.cells[col].dataset.sort)) };
    }, col);
    assert.equal(after.sort, "descending");
    assert.ok(after.values.length > 2, JSON.stringify(after));
    assert.deepEqual(after.values, [...after.values].sort((a, b) => b - a));
    drain(problems);
  });

  await check("funding tables: at 1280 px every table fits its column (no scrolling, no clipped bars)", async () => {
    await open(page, origin + "/funding/");
    const urls = await page.$$eval('main a[href^="/funding/"]', (as) => [...new Set(as.map((a) => a.getAttribute("href")))]);
    assert.ok(urls.length >= 5, JSON.stringify(urls));
    const wide = [];
    for (const url of urls) {
      await open(page, origin + url);
      const w = await page.evaluate(() => {
        const wrap = document.querySelector(".table-wrap");
        return wrap ? [wrap.scrollWidth, wrap.clientWidth] : null;
      });
      if (w && w[0] > w[1]) wide.push(`${url}: table ${w[0]} px in ${w[1]} px`);
    }
    assert.deepEqual(wide, []);
    drain(problems);
  });

  await check("embed: an iframe of /embed/commitment/200003/ shows the record without header or footer", async () => {
    await open(page, origin + "/__browser-test/embed.html");
    const frameEl = await page.waitForSelector("iframe");
    const frame = await frameEl.contentFrame();
    await frame.waitForLoadState("load");
    const inside = await frame.evaluate(() => ({
      h1: document.querySelector("h1") && document.querySelector("h1").textContent,
      header: !!document.querySelector(".site-header, header"),
      footer: !!document.querySelector(".site-footer, footer"),
      bodyClass: document.body.className,
      font: getComputedStyle(document.body).fontFamily,
    }));
    assert.equal(inside.h1, "Commitment 200003");
    assert.ok(!inside.header && !inside.footer, JSON.stringify(inside));
    assert.equal(inside.bodyClass, "embed");
    assert.match(inside.font, /system-ui/, "the embed loaded its CSS");
    drain(problems);
  });

  if (shotDir) {
    // Every main page kind at 1280 px (one 1280x900 screen) and 375 px (two 375x740 screens),
    // light colour scheme; and the commitment printed to PDF.
    const SHOTS = [
      ["home", "/"],
      ["commitments", "/commitments/"],
      ["commitment", "/commitments/200003/"],
      ["transformation", "/transformations/3a/"],
      ["report", "/reports/2017/3a/"],
      ["initiative", "/initiatives/dtm/"],
      ["funding-table", "/funding/southern-africa/"],
      ["search", "/search/?q=displacement%20tracking", "#search-results li"],
      ["embed", "/embed/commitment/200003/"],
    ];
    const WIDTHS = [[1280, 900, 1], [375, 740, 2]];
    await check(`screenshots of ${SHOTS.length} page kinds at ${WIDTHS.map((w) => w[0]).join(" and ")} px, and a PDF, in ${path.relative(process.cwd(), shotDir) || shotDir}`, async () => {
      fs.mkdirSync(shotDir, { recursive: true });
      const files = [];
      const shot = await context.newPage();
      for (const [w, h, screens] of WIDTHS) {
        await shot.setViewportSize({ width: w, height: h });
        for (const [name, url, ready] of SHOTS) {
          await open(shot, origin + url, { ready });
          const height = Math.min(h * screens, await shot.evaluate(() => document.scrollingElement.scrollHeight));
          const file = `${name}-${w}.png`;
          await shot.screenshot({ path: path.join(shotDir, file), fullPage: true, clip: { x: 0, y: 0, width: w, height }, animations: "disabled", caret: "hide" });
          files.push(file);
        }
      }
      await open(shot, origin + "/commitments/200003/");
      await shot.emulateMedia({ media: "print" });
      await shot.pdf({ path: path.join(shotDir, "commitment-200003.pdf"), format: "A4", printBackground: true, margin: { top: "15mm", bottom: "15mm", left: "15mm", right: "15mm" } });
      files.push("commitment-200003.pdf");
      await shot.close();
      let total = 0;
      for (const file of files) {
        const size = fs.statSync(path.join(shotDir, file)).size;
        total += size;
        assert.ok(size > 1000 && size < 300 * 1024, `${file}: ${size} bytes`);
      }
      console.log(`    ${files.length} files, ${Math.round(total / 1024)} KB`);
      drain(problems);
    });
  }

  await context.close();

  if (relativeSite) {
    await check("file://: home → Commitments → a commitment → its transformation, each with its CSS; search works", async () => {
      const fileContext = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      const fileProblems = watch(fileContext, null);
      const fp = await fileContext.newPage();
      const styled = async (what) => {
        const s = await fp.evaluate(() => ({ url: location.href, font: getComputedStyle(document.body).fontFamily, margin: getComputedStyle(document.body).margin }));
        assert.ok(s.url.startsWith("file://"), `${what}: ${s.url}`);
        assert.match(s.font, /system-ui/, `${what} (${s.url}) has no CSS`);
        assert.equal(s.margin, "0px", `${what} (${s.url}) has no CSS`);
        return s.url;
      };
      await fp.goto(pathToFileURL(path.join(relativeSite, "index.html")).href);
      await styled("home");
      await Promise.all([fp.waitForNavigation({ waitUntil: "load" }), fp.click('.site-header nav a:text-is("Commitments")')]);
      assert.match(await styled("commitments index"), /\/commitments\/index\.html$/);
      await Promise.all([fp.waitForNavigation({ waitUntil: "load" }), fp.click('#commitment-list li a[href*="200003"]')]);
      assert.match(await styled("commitment"), /\/commitments\/200003\/index\.html$/);
      await Promise.all([fp.waitForNavigation({ waitUntil: "load" }), fp.click('.facts a[href*="transformations/3a/"]')]);
      assert.match(await styled("transformation"), /\/transformations\/3a\/index\.html$/);
      assert.equal(await fp.textContent("h1"), "3A Reduce and address displacement");
      // Search from file://: the index is plain scripts.
      await Promise.all([fp.waitForNavigation({ waitUntil: "load" }), fp.click('.site-header nav a:text-is("Search")')]);
      await styled("search");
      await fp.fill("#search-input", "200010");
      await fp.waitForSelector("#search-results li a", { timeout: 5000 });
      const first = await fp.$eval("#search-results li a", (a) => a.href);
      assert.match(first, /^file:\/\/.*\/commitments\/200010\/(index\.html)?$/);
      await Promise.all([fp.waitForNavigation({ waitUntil: "load" }), fp.click("#search-results li a")]);
      await styled("search result");
      await fileContext.close();
      drain(fileProblems);
    });
  }
  if (bundleSite) {
    // An unpacked `pactgen bundle`, as an intranet user opens it: no server, file:// only.
    const bundleContext = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const bundleProblems = watch(bundleContext, null);
    const bp = await bundleContext.newPage();
    const bundleUrl = (rel) => pathToFileURL(path.join(bundleSite, rel)).href;
    const inBundle = pathToFileURL(bundleSite + path.sep).href;
    const styledFromFile = () => bp.evaluate(() => ({
      url: location.href,
      sheets: [...document.styleSheets].map((s) => s.href || "").filter((h) => h.endsWith("/style.css")).length,
    }));

    await check("bundle from file://: every page reachable from its home page loads with its CSS, every link names a file, no error", async () => {
      const queue = [bundleUrl("index.html")];
      const seen = new Set(queue);
      const broken = [];
      let pages = 0;
      while (queue.length) {
        const url = queue.shift();
        await bp.goto(url, { waitUntil: "load" });
        pages++;
        const s = await styledFromFile();
        assert.ok(s.sheets === 1, `${url} has no style.css`);
        const links = await bp.evaluate(() => [...document.querySelectorAll("a[href], link[href], script[src], img[src], iframe[src]")].map((e) => e.href || e.src));
        for (const href of links) {
          const u = new URL(href);
          if (u.protocol !== "file:") continue;
          u.hash = "";
          u.search = "";
          if (!u.href.startsWith(inBundle)) {
            broken.push(`${url}: ${href} leaves the bundle`);
            continue;
          }
          const file = fileURLToPath(u);
          if (!fs.existsSync(file) || fs.statSync(file).isDirectory()) {
            broken.push(`${url}: ${href}`);
            continue;
          }
          if (u.pathname.endsWith(".html") && !seen.has(u.href)) {
            seen.add(u.href);
            queue.push(u.href);
          }
        }
      }
      assert.deepEqual(broken.slice(0, 20), [], `${broken.length} broken links`);
      const onDisk = spawnSync("find", [bundleSite, "-name", "index.html"], { encoding: "utf8" }).stdout.trim().split("\n").length;
      assert.ok(pages > 500, `${pages} pages crawled`);
      console.log(`    ${pages} pages crawled from file:// (${onDisk} index.html files in the bundle)`);
      drain(bundleProblems);
    });

    await check("bundle from file://: a filter, a search and an embed work", async () => {
      // Filter: the Policy facet filters at once and keeps its state in the URL.
      await bp.goto(bundleUrl("commitments/index.html"), { waitUntil: "load" });
      const all = await filterState(bp);
      await bp.click('#facets a[data-facet="type"][data-value="policy"]');
      const policy = await filterState(bp);
      assert.equal(policy.search, "?type=policy");
      assert.ok(policy.ids.length > 0 && policy.ids.length < all.ids.length, JSON.stringify({ all, policy }));
      assert.equal(policy.options.find((o) => o.key === "type=policy").count, policy.ids.length);
      // Search: the index is plain scripts, loaded from disk.
      await bp.goto(bundleUrl("search/index.html"), { waitUntil: "load" });
      await bp.fill("#search-input", "200010");
      await bp.waitForSelector("#search-results li a", { timeout: 5000 });
      const first = await bp.$eval("#search-results li a", (a) => a.href);
      assert.match(first, /^file:\/\/.*\/commitments\/200010\/(index\.html)?$/);
      await Promise.all([bp.waitForNavigation({ waitUntil: "load" }), bp.click("#search-results li a")]);
      assert.match(bp.url(), /\/commitments\/200010\/index\.html$/);
      // Embed: the record page offers the embedded version; in an <iframe> of a page beside
      // the bundle it shows without header or footer.
      const preview = await bp.$eval('.embed-this a[href*="embed/"]', (a) => a.href);
      assert.match(preview, /\/embed\/commitment\/200010\/index\.html$/);
      const host = path.join(path.dirname(bundleSite), "intranet-page.html");
      fs.writeFileSync(host, `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Intranet</title></head><body><iframe src="${preview}" title="Commitment 200010" width="640" height="480"></iframe></body></html>`);
      await bp.goto(pathToFileURL(host).href, { waitUntil: "load" });
      const frame = await (await bp.waitForSelector("iframe")).contentFrame();
      await frame.waitForLoadState("load");
      const inside = await frame.evaluate(() => ({
        h1: document.querySelector("h1") && document.querySelector("h1").textContent,
        header: !!document.querySelector(".site-header"),
        bodyClass: document.body.className,
        sheets: [...document.styleSheets].filter((s) => (s.href || "").endsWith("/style.css")).length,
      }));
      assert.equal(inside.h1, "Commitment 200010");
      assert.ok(!inside.header && inside.bodyClass === "embed" && inside.sheets === 1, JSON.stringify(inside));
      drain(bundleProblems);
    });
    await bundleContext.close();
  }
} finally {
  await browser.close();
  server.close();
}

// ---------------------------------------------------------------------------------------------
// HTML validity: every page of the site and its CSS through the current Nu HTML Checker
// (npm vnu-jar, pinned in package.json), warnings counted as failures.

await check("HTML validity: every page and the CSS pass the Nu HTML Checker (warnings count)", async () => {
  const jar = new URL("../../node_modules/vnu-jar/build/dist/vnu.jar", import.meta.url).pathname;
  const run = spawnSync("java", ["-jar", jar, "--also-check-css", "--skip-non-html", site], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  if (run.error) throw new Error(`cannot run Java for the Nu HTML Checker: ${run.error.message}`);
  const out = (run.stdout + run.stderr).trim();
  const pages = spawnSync("find", [site, "-name", "*.html"], { encoding: "utf8" }).stdout.trim().split("\n").length;
  assert.equal(run.status, 0, `vnu reports (${out.split("\n").length} lines):\n${out.split("\n").slice(0, 40).join("\n")}`);
  assert.equal(out, "", `vnu warnings:\n${out.split("\n").slice(0, 40).join("\n")}`);
  console.log(`    ${pages} pages valid`);
});

console.log(`# ${((Date.now() - started) / 1000).toFixed(1)} s`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
