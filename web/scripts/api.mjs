// The console's API layer, generated from the control plane's OpenAPI document:
//   src/api/schema.d.ts  the paths, operations and schemas as TypeScript types (openapi-typescript)
//   src/api/roles.ts     which roles may call each operation (the document's x-roles)
//
//   python -m infra.console openapi | node scripts/api.mjs --write   # regenerate both (make web-api)
//   python -m infra.console openapi | node scripts/api.mjs --check   # fail if they no longer match
//
// The document comes on stdin (the Python side builds it from the app's routes, no AWS needed),
// so the check compares the committed files with what the current API generates: the console
// cannot drift from the API (a removed or renamed field then fails the typecheck).
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import openapiTS, { astToString } from "openapi-typescript";

const HEADER =
  "// Generated from the control plane's OpenAPI document by web/scripts/api.mjs.\n" +
  "// Do not edit: run `make web-api` after changing the API.\n";
const METHODS = ["get", "put", "post", "delete", "patch"];

function rolesModule(doc) {
  const rows = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of METHODS) {
      const op = item[method];
      if (op) rows.push([`${method.toUpperCase()} ${path}`, op["x-roles"] ?? []]);
    }
  }
  rows.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const body = rows.map(([k, roles]) => `  ${JSON.stringify(k)}: [${roles.map((r) => JSON.stringify(r)).join(", ")}],`);
  return (
    HEADER +
    "// Which roles may call each operation (x-roles; [] = public): the console offers only these.\n\n" +
    "export const ROLES = {\n" +
    body.join("\n") +
    "\n} as const;\n\nexport type Operation = keyof typeof ROLES;\n"
  );
}

const mode = process.argv[2];
if (mode !== "--write" && mode !== "--check") {
  console.error("usage: node scripts/api.mjs --write|--check < openapi.json");
  process.exit(2);
}
const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const doc = JSON.parse(Buffer.concat(chunks).toString("utf8"));
const files = {
  "src/api/schema.d.ts": HEADER + "\n" + astToString(await openapiTS(doc, { alphabetize: true, defaultNonNullable: false })),
  "src/api/roles.ts": rolesModule(doc),
};
let stale = 0;
for (const [rel, generated] of Object.entries(files)) {
  const target = fileURLToPath(new URL(`../${rel}`, import.meta.url));
  if (mode === "--write") {
    writeFileSync(target, generated);
    console.log(`wrote web/${rel}`);
    continue;
  }
  let committed = "";
  try {
    committed = readFileSync(target, "utf8");
  } catch {
    committed = "";
  }
  if (committed !== generated) {
    const a = committed.split("\n");
    const b = generated.split("\n");
    let i = 0;
    while (i < a.length && i < b.length && a[i] === b[i]) i++;
    console.error(
      `web/${rel} does not match the API's OpenAPI document; first difference at line ${i + 1}:\n` +
        `  committed: ${a[i] ?? "(end of file)"}\n  current:   ${b[i] ?? "(end of file)"}`,
    );
    stale++;
  }
}
if (stale) {
  console.error("Run `make web-api`, fix what `make web-check` then reports, and commit the generated files.");
  process.exit(1);
}
if (mode === "--check") console.log("web/src/api matches the API's OpenAPI document");
