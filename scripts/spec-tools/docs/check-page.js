// Opens the docs page in headless Chromium with the network cut off and
// checks that the five operations and their request bodies are on it.
//
//   node check-page.js CHROMIUM PAGE SPEC
//
// build-docs prerenders only the overview; the operations are rendered by
// the inlined Redoc script, one page per operation
// (#/paymentsources/createpaymentsourceusingtoken). So this loads the
// overview, follows its navigation to each tag's page and from there to each
// operation's, and reads the DOM Chromium dumps once the script has run
// (scripts and styles cut out, so the spec embedded in the script cannot
// count). What must be there
// comes from the spec: each operation's summary and path, the form media
// type, and every top-level field of its request body.
"use strict";
const fs = require("fs");
const path = require("path");
const { spawnSync } = require("child_process");
const yaml = require("js-yaml");

const [chromium, page, specFile] = process.argv.slice(2);
const url = "file://" + path.resolve(page);
const spec = yaml.load(fs.readFileSync(specFile, "utf8"));
const failures = [];

// dump returns the rendered DOM of url#fragment as text without scripts and
// styles. No request can leave the machine: every host resolves to nothing
// and the proxy is a closed loopback port.
function dump(fragment) {
  const args = [
    "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-dev-shm-usage",
    "--disable-extensions", "--disable-background-networking", "--user-data-dir=" + fs.mkdtempSync("/tmp/cbpay-chromium-"),
    "--proxy-server=127.0.0.1:9", "--host-resolver-rules=MAP * ~NOTFOUND",
    "--virtual-time-budget=5000", "--dump-dom", url + (fragment ? "#" + fragment : ""),
  ];
  const r = spawnSync(chromium, args, { encoding: "utf8", maxBuffer: 64 << 20, timeout: 90000 });
  if (r.status !== 0) {
    throw new Error(`${chromium} exited ${r.status}: ${(r.stderr || "").split("\n").slice(-5).join("\n")}`);
  }
  return r.stdout.replace(/<script[\s\S]*?<\/script>/g, "").replace(/<style[\s\S]*?<\/style>/g, "");
}

const links = (text) => [...new Set([...text.matchAll(/href="#?\/([a-z0-9-]+(?:\/[a-z0-9-]+)?)"/g)].map((m) => m[1]))];
const overview = dump("");
if (!overview.includes(spec.info.title)) failures.push(`overview: no title "${spec.info.title}"`);
// Follow the rendered navigation: the overview links each tag's page
// (#/paymentintents), which links each of its operations' pages.
const tagPages = links(overview).filter((l) => !l.includes("/"));
const opLinks = new Set();
for (const t of tagPages) {
  for (const l of links(dump("/" + t))) if (l.startsWith(t + "/")) opLinks.add(l);
}

let operations = 0;
for (const [p, item] of Object.entries(spec.paths)) {
  for (const [method, op] of Object.entries(item)) {
    if (typeof op !== "object" || !op.operationId) continue;
    operations++;
    const where = `${op.operationId} (${method.toUpperCase()} ${p})`;
    const route = [...opLinks].find((l) => l.split("/")[1] === op.operationId.toLowerCase());
    if (!route) {
      failures.push(`${where}: no page in the navigation (found: ${[...opLinks].join(", ")})`);
      continue;
    }
    const text = dump("/" + route);
    const html = (s) => s.replace(/&/g, "&amp;").replace(/'/g, "&#x27;");
    const wants = [op.summary, p];
    if (op.requestBody) wants.push("application/x-www-form-urlencoded");
    for (const want of wants) {
      if (!text.includes(want) && !text.includes(html(want))) failures.push(`${where}: "${want}" is not on #/${route}`);
    }
    // The fields a caller sends: the form body's, or a GET's query parameters.
    let fields = [];
    if (op.requestBody) {
      const ref = op.requestBody.content["application/x-www-form-urlencoded"].schema.$ref;
      fields = Object.keys(spec.components.schemas[ref.split("/").pop()].properties);
    } else {
      fields = (op.parameters || []).filter((q) => q.in === "query").map((q) => q.name);
    }
    for (const field of fields) {
      if (!text.includes(`>${field}<`)) failures.push(`${where}: request field ${field} is not on #/${route}`);
    }
  }
}
if (operations === 0) failures.push("no operations in the spec");
for (const f of failures) console.error("docs-browser-check: " + f);
if (failures.length) process.exit(1);
console.log(`docs-browser-check: ${page} rendered offline by ${path.basename(chromium)}: the overview, ${tagPages.length} tag pages, and ${operations} operation pages, each with its summary, path and every field of its form body or query`);
