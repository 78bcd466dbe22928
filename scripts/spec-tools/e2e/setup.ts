// Test scaffolding shared by the generated-client runs of
// scripts/spec-check.sh: where cbpay serve is, the seeded customer, the
// operations the spec has, the 3DS step through serve's test hook (not part
// of Chargebee's API), and checks of what came back. Nothing here touches a
// request body or builds a query string.

// Node's process, declared here so that the check needs no @types/node.
declare const process: { env: Record<string, string | undefined> };

export const baseUrl = env("CBPAY_BASE_URL");
export const apiKey = env("CBPAY_API_KEY");
export const customer = env("CBPAY_CUSTOMER");
/** The operationIds of api/openapi.yaml, comma-separated by spec-check. */
const operations = env("CBPAY_OPERATIONS").split(",");
/** A suffix unique to this run, for single-use tokens. */
export const run = Date.now().toString(36);

function env(name: string): string {
  const v = process.env[name];
  if (!v) {
    throw new Error(`${name} is not set`);
  }
  return v;
}

/** The 3DS step Chargebee.js would run, through cbpay serve's test hook. */
export async function authorize(intentId: string): Promise<void> {
  const r = await fetch(`${baseUrl}/_cbpay/payment_intents/${encodeURIComponent(intentId)}/authorize`, { method: "POST" });
  if (r.status !== 204) {
    throw new Error(`3DS hook: ${r.status} ${await r.text()}`);
  }
}

const answered = new Set<string>();
let calls = 0;
let notFounds = 0;

/** Fails unless the call of operationId was answered 200; returns its data. */
export function ok<T>(operationId: string, res: { data?: T; error?: unknown; response: Response }): T {
  calls++;
  if (res.response.status !== 200 || res.data === undefined) {
    throw new Error(`${operationId}: ${res.response.status} ${JSON.stringify(res.error)}`);
  }
  answered.add(operationId);
  return res.data;
}

/**
 * Fails unless the call was answered 404 with Chargebee's error shape,
 * api_error_code resource_not_found, as the generated client decoded it
 * into the spec's ChargebeeError.
 */
export function notFound(operationId: string, res: { data?: unknown; error?: { api_error_code?: string; message: string }; response: Response }): void {
  calls++;
  if (res.response.status !== 404 || res.error?.api_error_code !== "resource_not_found" || !res.error.message) {
    throw new Error(`${operationId}: want 404 resource_not_found, got ${res.response.status} ${JSON.stringify(res.error ?? res.data)}`);
  }
  notFounds++;
}

/** Fails with message unless cond holds. */
export function check(cond: boolean, message: string): void {
  if (!cond) {
    throw new Error(message);
  }
}

/**
 * Fails unless the query string the generated client sent (read back from
 * the answered URL) holds exactly want, keys as Chargebee names them
 * (customer_id[is]); returns the query as sent.
 */
export function sentQuery(operationId: string, res: { response: Response }, want: Record<string, string>): string {
  const url = new URL(res.response.url);
  const got = Object.fromEntries(url.searchParams);
  if (JSON.stringify(Object.entries(got).sort()) !== JSON.stringify(Object.entries(want).sort())) {
    throw new Error(`${operationId}: sent query ${url.search}, want ${JSON.stringify(want)}`);
  }
  return url.search.slice(1);
}

/** Fails unless every operation of the spec was answered 200 at least once. */
export function done(generator: string): void {
  const missing = operations.filter((op) => !answered.has(op));
  const unknown = [...answered].filter((op) => !operations.includes(op));
  if (missing.length || unknown.length) {
    throw new Error(`${generator}: ${answered.size - unknown.length} of ${operations.length} operations answered 200; missing ${missing.join(", ") || "none"}; not in the spec ${unknown.join(", ") || "none"}`);
  }
  console.log(`${generator}: ${answered.size} of ${operations.length} operations answered 200 (${calls} calls, ${notFounds} answered 404 resource_not_found as expected)`);
}
