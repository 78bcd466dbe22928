// Sends the requests of cases.yaml through Prism (a validating proxy in
// front of cbpay serve, started by scripts/spec-check.sh) and checks each
// answer: valid ones pass Prism and get the fake's 200; invalid ones are
// refused by Prism itself; undeclared ones pass Prism (it reads only the
// declared keys of a form and declared headers) and are refused by the fake. Prints one line
// per failure and a summary; exits 1 on any failure.
//
//   node prism/run.js PRISM_URL API_KEY CUSTOMER
"use strict";
const fs = require("fs");
const path = require("path");
const yaml = require("js-yaml");

const [prismURL, apiKey, customer] = process.argv.slice(2);
const run = Date.now().toString(36);
const cases = yaml.load(fs.readFileSync(path.join(__dirname, "cases.yaml"), "utf8"));

function fill(s) {
  return String(s).replaceAll("{customer}", customer).replaceAll("{run}", run);
}

async function send(c) {
  const headers = {};
  if (c.auth !== false) {
    headers.Authorization = "Basic " + Buffer.from(`${apiKey}:`).toString("base64");
  }
  for (const [k, v] of Object.entries(c.headers || {})) {
    headers[k] = fill(v);
  }
  let body;
  if (c.json) {
    headers["Content-Type"] = "application/json";
    body = JSON.stringify(c.json);
  } else {
    headers["Content-Type"] = "application/x-www-form-urlencoded";
    body = new URLSearchParams(Object.entries(c.form || {}).map(([k, v]) => [fill(k), fill(v)])).toString();
  }
  const r = await fetch(prismURL + fill(c.path), { method: "POST", headers, body });
  const text = await r.text();
  let json = {};
  try {
    json = JSON.parse(text);
  } catch {}
  // Prism's own refusals are problem documents with its error type.
  const byPrism = typeof json.type === "string" && json.type.startsWith("https://stoplight.io/prism/errors");
  const why = byPrism
    ? (json.validation || []).map((v) => `${(v.location || []).join(".")}: ${v.message}`).join("; ") || json.title
    : json.message || text.slice(0, 120);
  return { status: r.status, byPrism, why };
}

(async () => {
  const failures = [];
  const tally = { valid: 0, invalid: 0, unknown: 0 };
  for (const c of cases.valid) {
    const r = await send(c);
    if (r.status === 200 && !r.byPrism) tally.valid++;
    else failures.push(`valid "${c.name}": ${r.status}${r.byPrism ? " from Prism" : ""}: ${r.why}`);
  }
  for (const c of cases.invalid) {
    const r = await send(c);
    if (r.byPrism && (r.status === 401 || r.status === 422)) tally.invalid++;
    else failures.push(`invalid "${c.name}": not refused by Prism (${r.status}${r.byPrism ? " from Prism" : " from the fake"}: ${r.why})`);
  }
  for (const c of cases.undeclared || []) {
    const r = await send(c);
    if (!r.byPrism && r.status === 400) tally.unknown++;
    else failures.push(`undeclared "${c.name}": ${r.status}${r.byPrism ? " from Prism" : " from the fake"} (want Prism to pass it and the fake to refuse it with 400): ${r.why}`);
  }
  for (const f of failures) console.error("prism: " + f);
  const n = (k) => (cases[k] || []).length;
  console.log(`prism: ${tally.valid}/${n("valid")} valid requests accepted (200 from the fake), ` +
    `${tally.invalid}/${n("invalid")} invalid requests refused by Prism, ` +
    `${tally.unknown}/${n("undeclared")} requests with undeclared keys or headers passed by Prism and refused by the fake`);
  process.exit(failures.length ? 1 : 0);
})().catch((e) => {
  console.error("prism:", e);
  process.exit(1);
});
