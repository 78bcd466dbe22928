// The five operations through openapi-fetch, typed by openapi-typescript
// from api/openapi-flat.yaml (out/openapi-fetch, generated fresh by
// scripts/spec-check.sh), against cbpay serve. openapi-fetch sends a body as
// URLSearchParams when the Content-Type is a form: with the flat spec's
// bracket keys that is exactly Chargebee's wire format. No line here encodes
// a body; the set-up lines are marked `// glue:` and counted by spec-check.
import createClient from "openapi-fetch";
import type { paths } from "../out/openapi-fetch/schema";
import { apiKey, authorize, baseUrl, customer, done, ok, run } from "./setup";

export async function main(): Promise<void> {
  const client = createClient<paths>({
    baseUrl, // glue: base URL
    headers: {
      Authorization: `Basic ${btoa(`${apiKey}:`)}`, // glue: auth (the key is the user name, the password empty)
      "Content-Type": "application/x-www-form-urlencoded", // glue: content type
    },
  });

  const pi = ok("createPaymentIntent", await client.POST("/api/v2/payment_intents", {
    body: {
      customer_id: customer,
      amount: 4900,
      currency_code: "USD",
      payment_method_options: '{"card":{"request_three_d_secure":"any"}}',
    },
    params: { header: { "chargebee-idempotency-key": `openapi-fetch-pi-${run}` } },
  }));
  await authorize(pi.payment_intent.id);

  const card = ok("createCardUsingPaymentIntent", await client.POST(
    "/api/v1/customers/{customer_id}/credit_card_using_payment_intent", {
      params: { path: { "customer_id": customer } },
      body: { payment_intent_id: pi.payment_intent.id },
    }));
  console.log(`openapi-fetch: card ••••${card.card?.last4} stored for ${card.customer.id}`);

  ok("createPaymentSourceUsingToken", await client.POST("/api/v2/payment_sources/create_using_token", {
    body: { customer_id: customer, token_id: `cb_fetch_${run}`, replace_primary_payment_source: true },
  }));

  const perm = ok("createPaymentSourceUsingPermanentToken", await client.POST(
    "/api/v2/payment_sources/create_using_permanent_token", {
      body: {
        customer_id: customer,
        type: "card",
        payment_method_token: `pm_fetch_${run}`,
        customer_profile_token: "cus_fetch",
        replace_primary_payment_source: false,
        "card[iin]": "411111",
        "card[last4]": "1111",
        "card[brand]": "visa",
        "card[expiry_month]": 12,
        "card[expiry_year]": 2030,
        "billing_address[first_name]": "Ana",
        "billing_address[last_name]": "Núñez",
        "billing_address[line1]": "12 Main St",
        "billing_address[city]": "Austin",
        "billing_address[country]": "US",
        additional_information: '{"payer":{"document":"12345678"}}',
      },
    }));
  const k = perm.payment_source.card;
  if (k?.last4 !== "1111" || k.billing_addr1 !== "12 Main St" || k.last_name !== "Núñez") {
    throw new Error(`createPaymentSourceUsingPermanentToken: card and billing address did not arrive: ${k?.last4} ${k?.billing_addr1} ${k?.last_name}`);
  }

  const upd = ok("updatePaymentMethod", await client.POST(
    "/api/v2/customers/{customer_id}/update_payment_method", {
      params: { path: { "customer_id": customer } },
      body: {
        "payment_method[type]": "card",
        "payment_method[reference_id]": `cus_fetch/card_${run}`,
        "payment_method[additional_information]": '{"fraud":{"device_session_id":"ds_1"}}',
      },
    }));
  console.log(`openapi-fetch: customer ${upd.customer.id} pays by ${upd.customer.payment_method?.type}`);
  done("openapi-fetch");
}
