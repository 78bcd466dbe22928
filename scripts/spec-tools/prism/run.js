// Sends the requests of cases.yaml through Prism (a validating proxy in
// front of cbpay serve, started by scripts/spec-check.sh) and checks each
// answer: valid ones pass Prism and get the fake's 200 (or, under
// errors:, the Chargebee error named), and Prism, run with --errors, finds
// nothing wrong with the fake's answer either; invalid ones are refused by
// Prism itself; undeclared ones pass Prism (it reads only the declared keys
// of a form and declared headers) and are refused by the fake. Prints one
// line per failure and a summary; exits 1 on any failure.
//
// A case may save values of its answer for later cases (save: {pi:
// payment_intent.id}, used as {pi}), check values of it (want:
// {payment_intent.amount: 5900}; null: absent), and have a payment intent authorized
// first (authorize: "{pi}") through cbpay serve's test hook, which is not
// part of the API and so not sent through Prism.
//
//   node prism/run.js PRISM_URL API_KEY CUSTOMER FAKE_URL
"use strict";
const fs = require("fs");
const path = require("path");
const yaml = require("js-yaml");

const [prismURL, apiKey, customer, fakeURL] = process.argv.slice(2);
const run = Date.now().toString(36);
const cases = yaml.load(fs.readFileSync(path.join(__dirname, "cases.yaml"), "utf8"));
const saved = { customer, run };

// The spec's operations by method and path, to name each case's operation:
// every operation must have a valid case.
const spec = yaml.load(fs.readFileSync(path.join(__dirname, "../../../api/openapi-flat.yaml"), "utf8"));
const routes = [];
for (const [p, item] of Object.entries(spec.paths)) {
  for (const [method, op] of Object.entries(item)) {
    if (op && op.operationId) {
      routes.push({ method: method.toUpperCase(), re: new RegExp("^" + p.replace(/\{\w+\}/g, "[^/]+") + "$"), id: op.operationId });
    }
  }
}
function operationOf(c) {
  const method = c.method || "POST";
  const route = routes.find((r) => r.method === method && r.re.test(c.path));
  return route ? route.id : `${method} ${c.path} (not in the spec)`;
}

function fill(s) {
  return String(s).replace(/\{(\w+)\}/g, (m, name) => {
    if (!(name in saved)) throw new Error(`${m} is not saved by an earlier case`);
    return saved[name];
  });
}

// at reads a dotted path (list.0.payment_source.id) of a JSON answer.
function at(json, dotted) {
  return dotted.split(".").reduce((v, k) => (v == null ? undefined : v[k]), json);
}

// send sends one case; a case that cannot be sent (a value not saved, the
// 3DS hook failing) comes back as status 0 with the reason.
async function send(c) {
  try {
    return await sendCase(c);
  } catch (e) {
    return { status: 0, byPrism: false, why: e.message, json: {}, violations: null };
  }
}

async function sendCase(c) {
  if (c.authorize) {
    const r = await fetch(`${fakeURL}/_cbpay/payment_intents/${encodeURIComponent(fill(c.authorize))}/authorize`, { method: "POST" });
    if (r.status !== 204) throw new Error(`3DS hook for "${c.name}": ${r.status} ${await r.text()}`);
  }
  const method = c.method || "POST";
  const headers = {};
  if (c.auth !== false) {
    headers.Authorization = "Basic " + Buffer.from(`${apiKey}:`).toString("base64");
  }
  for (const [k, v] of Object.entries(c.headers || {})) {
    headers[k] = fill(v);
  }
  let body;
  if (method === "GET") {
    // No body, and no Content-Type.
  } else if (c.json) {
    headers["Content-Type"] = "application/json";
    body = JSON.stringify(c.json);
  } else {
    headers["Content-Type"] = "application/x-www-form-urlencoded";
    body = new URLSearchParams(Object.entries(c.form || {}).map(([k, v]) => [fill(k), fill(v)])).toString();
  }
  const query = c.query ? "?" + new URLSearchParams(Object.entries(c.query).map(([k, v]) => [fill(k), fill(v)])).toString() : "";
  const r = await fetch(prismURL + fill(c.path) + query, { method, headers, body });
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
  // Prism's findings about a request or answer it let through.
  const violations = r.headers.get("sl-violations");
  return { status: r.status, byPrism, why, json, violations };
}

// answered checks an answer Prism let through: its want: values, then
// saves its save: values. Returns what is wrong, or "".
function answered(c, r) {
  if (r.violations) return `Prism found violations: ${r.violations}`;
  for (const [p, v] of Object.entries(c.want || {})) {
    const got = at(r.json, p);
    const want = typeof v === "string" ? fill(v) : v;
    if (v === null ? got != null : got !== want) return `${p} is ${JSON.stringify(got)}, want ${JSON.stringify(want)}`;
  }
  for (const [name, p] of Object.entries(c.save || {})) {
    const got = at(r.json, p);
    if (got === undefined) return `no ${p} to save as {${name}}`;
    saved[name] = String(got);
  }
  return "";
}

(async () => {
  const failures = [];
  const tally = { valid: 0, errors: 0, invalid: 0, unknown: 0 };
  for (const c of cases.valid) {
    const r = await send(c);
    const wrong = r.status === 200 && !r.byPrism ? answered(c, r) : `${r.status}${r.byPrism ? " from Prism" : ""}: ${r.why}`;
    if (!wrong) tally.valid++;
    else failures.push(`valid "${c.name}": ${wrong}`);
  }
  for (const c of cases.errors || []) {
    const r = await send(c);
    const e = c.error;
    const wrong = r.status === e.status && !r.byPrism && r.json.api_error_code === e.api_error_code
      ? answered(c, r)
      : `${r.status}${r.byPrism ? " from Prism" : ""} ${r.json.api_error_code || ""}, want ${e.status} ${e.api_error_code}: ${r.why}`;
    if (!wrong) tally.errors++;
    else failures.push(`error "${c.name}": ${wrong}`);
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
  const covered = new Set(cases.valid.map(operationOf));
  for (const r of routes) {
    if (!covered.has(r.id)) failures.push(`no valid case calls ${r.id}`);
  }
  for (const f of failures) console.error("prism: " + f);
  const n = (k) => (cases[k] || []).length;
  console.log(`prism: ${tally.valid}/${n("valid")} valid requests accepted (200 from the fake), ` +
    `${tally.errors}/${n("errors")} answered with the Chargebee error named, ` +
    `${tally.invalid}/${n("invalid")} invalid requests refused by Prism, ` +
    `${tally.unknown}/${n("undeclared")} requests with undeclared keys or headers passed by Prism and refused by the fake; ` +
    `${[...covered].filter((id) => routes.some((r) => r.id === id)).length} of ${routes.length} operations`);
  process.exit(failures.length ? 1 : 0);
})().catch((e) => {
  console.error("prism:", e);
  process.exit(1);
});
