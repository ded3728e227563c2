// Validates an AsyncAPI document with the official parser: prints every diagnostic, one a line,
// and exits 1 if any is an error. Usage: NODE_PATH=<node_modules> node validate.cjs <document>
"use strict";
const fs = require("fs");
const { Parser } = require("@asyncapi/parser");

const SEVERITY = ["error", "warning", "information", "hint"];

async function main(path) {
  const { document, diagnostics } = await new Parser().parse(fs.readFileSync(path, "utf8"), { source: path });
  for (const d of diagnostics) {
    const where = d.path && d.path.length ? d.path.join(".") : "(document)";
    console.log(`${SEVERITY[d.severity] || d.severity}: ${d.code}: ${where}: ${d.message}`);
  }
  const errors = diagnostics.filter((d) => d.severity === 0).length;
  if (errors > 0 || document === undefined) {
    console.log(`${path}: refused, ${errors} error(s)`);
    process.exit(1);
  }
  console.log(`${path}: valid AsyncAPI ${document.version()}, ${document.channels().length} channels, ${document.allMessages().length} messages`);
}

main(process.argv[2]).catch((error) => {
  console.error(error);
  process.exit(2);
});
