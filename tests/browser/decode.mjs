// Checks the filter script's decoder against the Rust encoder (driven by
// tests/suite/list_pages.rs).
//
//   node tests/browser/decode.mjs CASES.json
//
// CASES.json: [{"text": "...", "total": N, "positions": [...]}, ...], made by
// `pactgen::render::encode_positions`. Runs themes/default/static/js/filter.js in a bare VM
// context (no page: the script only defines `pactgenFilter.decode`) and decodes every case.
// Prints the number of cases; exits 1 on the first disagreement.
import fs from "node:fs";
import path from "node:path";
import vm from "node:vm";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const source = fs.readFileSync(path.join(here, "../../themes/default/static/js/filter.js"), "utf8");
const cases = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
const window = {};
vm.runInNewContext(source, { window, document: { getElementById: () => null }, Uint32Array, Math });
if (!window.pactgenFilter || typeof window.pactgenFilter.decode !== "function") {
  console.error("filter.js defines no pactgenFilter.decode");
  process.exit(1);
}
for (const [i, c] of cases.entries()) {
  const got = window.pactgenFilter.decode(c.text, c.total);
  if (JSON.stringify(got) !== JSON.stringify(c.positions)) {
    console.error(`case ${i} (${c.text.slice(0, 40)}, total ${c.total}): decoded ${JSON.stringify(got).slice(0, 200)}, want ${JSON.stringify(c.positions).slice(0, 200)}`);
    process.exit(1);
  }
}
console.log(`${cases.length} cases decoded alike`);
