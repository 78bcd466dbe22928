// Chargebee's form encoding, which generic OpenAPI generators do not produce.
// Run by scripts/spec-check.sh (compiled by tsc, executed by node) and shown
// in docs/OTHER_LANGUAGES.md as the reference for other-language clients.
//
//   - nested objects use bracket keys at any depth: card[iin]=411111
//   - free-form JSON objects (additional_information, at any depth) are ONE
//     value holding compact JSON, never bracket-flattened
//   - booleans are true/false, numbers decimal; unset (undefined) fields are
//     left out, zero values (0, false, "") are sent
//   - arrays put the index last: items[field][0] (none in the five operations)

/** Property names whose value is sent as one JSON value. */
export const JSON_VALUED = new Set<string>(["additional_information"]);

type Scalar = string | number | boolean;

function isScalar(v: unknown): v is Scalar {
  return typeof v === "string" || typeof v === "number" || typeof v === "boolean";
}

function append(out: Array<[string, string]>, key: string, name: string, value: unknown, suffix: string): void {
  if (value === undefined || value === null) {
    return;
  }
  if (isScalar(value)) {
    out.push([key + suffix, String(value)]);
    return;
  }
  if (JSON_VALUED.has(name)) {
    out.push([key + suffix, JSON.stringify(value)]);
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((item, i) => {
      if (isScalar(item) || item === undefined || item === null) {
        append(out, key, name, item, `${suffix}[${i}]`);
        return;
      }
      for (const [field, v] of Object.entries(item as Record<string, unknown>)) {
        append(out, `${key}[${field}]`, field, v, `${suffix}[${i}]`);
      }
    });
    return;
  }
  for (const [field, v] of Object.entries(value as Record<string, unknown>)) {
    append(out, `${key}[${field}]`, field, v, suffix);
  }
}

/** The wire pairs of a request body, in the order the body's keys were set. */
export function formPairs(body: unknown): Array<[string, string]> {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new TypeError("a Chargebee request body is an object of named fields");
  }
  const out: Array<[string, string]> = [];
  for (const [name, value] of Object.entries(body)) {
    append(out, name, name, value, "");
  }
  return out;
}

/**
 * The application/x-www-form-urlencoded body (UTF-8, percent-encoded). Its
 * signature fits a generated client's body-serializer hook.
 */
export function chargebeeForm(body: unknown): string {
  return new URLSearchParams(formPairs(body)).toString();
}
