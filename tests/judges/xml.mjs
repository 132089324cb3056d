// Validates XML files with libxml2 (xmllint-wasm, pinned in package.json): against an XSD when
// one is given, else for well-formedness only. Prints every error; exits 1 when there is one.
//   node tests/judges/xml.mjs SCHEMA.xsd|- FILE...
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { validateXML } = require('xmllint-wasm');

const [schemaPath, ...files] = process.argv.slice(2);
let failed = 0;
for (const file of files) {
  const xml = [{ fileName: basename(file), contents: readFileSync(file, 'utf8') }];
  const options = schemaPath === '-'
    ? { xml, normalization: 'format' }
    : { xml, schema: [readFileSync(schemaPath, 'utf8')] };
  const result = await validateXML({ ...options, maxMemoryPages: 4096 });
  if (result.valid) {
    console.log(`${file}: valid`);
  } else {
    failed += 1;
    for (const e of result.errors) console.log(`${file}: ${e.rawMessage ?? e.message}`);
  }
}
process.exit(failed ? 1 : 0);
