// Test scaffolding shared by the generated-client runs of
// scripts/spec-check.sh: where cbpay serve is, the seeded customer, the 3DS
// step through serve's test hook (not part of Chargebee's API), and a check
// that each call was answered 200. Nothing here touches a request body.

// Node's process, declared here so that the check needs no @types/node.
declare const process: { env: Record<string, string | undefined> };

export const baseUrl = env("CBPAY_BASE_URL");
export const apiKey = env("CBPAY_API_KEY");
export const customer = env("CBPAY_CUSTOMER");
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

let answered = 0;

/** Fails unless the call was answered 200; returns its data. */
export function ok<T>(label: string, res: { data?: T; error?: unknown; response: Response }): T {
  if (res.response.status !== 200 || res.data === undefined) {
    throw new Error(`${label}: ${res.response.status} ${JSON.stringify(res.error)}`);
  }
  answered++;
  return res.data;
}

/** Fails unless every one of the five operations answered 200. */
export function done(generator: string): void {
  if (answered !== 5) {
    throw new Error(`${generator}: ${answered} of 5 operations answered 200`);
  }
  console.log(`${generator}: 5 of 5 operations answered 200`);
}
