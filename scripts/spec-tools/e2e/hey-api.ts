// The five operations through the SDK that @hey-api/openapi-ts generates
// from api/openapi-flat.yaml (out/hey-api, generated fresh by
// scripts/spec-check.sh), against cbpay serve. The SDK sends form bodies
// with its URLSearchParams serializer and sets the Content-Type itself: with
// the flat spec's bracket keys that is exactly Chargebee's wire format. No
// line here encodes a body; the set-up lines are marked `// glue:` and
// counted by spec-check.
import { createClient } from "../out/hey-api/client";
import {
  createCardUsingPaymentIntent,
  createPaymentIntent,
  createPaymentSourceUsingPermanentToken,
  createPaymentSourceUsingToken,
  updatePaymentMethod,
} from "../out/hey-api/sdk.gen";
import { apiKey, authorize, baseUrl, customer, done, ok, run } from "./setup";

export async function main(): Promise<void> {
  const client = createClient({
    baseUrl, // glue: base URL
    auth: () => `${apiKey}:`, // glue: auth (the SDK base64-encodes it for the basic scheme)
  });

  const pi = ok("createPaymentIntent", await createPaymentIntent({
    client,
    body: {
      customer_id: customer,
      amount: 4900,
      currency_code: "USD",
      payment_method_options: '{"card":{"request_three_d_secure":"any"}}',
    },
    headers: { "chargebee-idempotency-key": `hey-api-pi-${run}` },
  }));
  await authorize(pi.payment_intent.id);

  const card = ok("createCardUsingPaymentIntent", await createCardUsingPaymentIntent({
    client,
    path: { "customer_id": customer },
    body: { payment_intent_id: pi.payment_intent.id },
  }));
  console.log(`hey-api: card ••••${card.card?.last4} stored for ${card.customer.id}`);

  ok("createPaymentSourceUsingToken", await createPaymentSourceUsingToken({
    client,
    body: { customer_id: customer, token_id: `cb_hey_${run}`, replace_primary_payment_source: true },
  }));

  const perm = ok("createPaymentSourceUsingPermanentToken", await createPaymentSourceUsingPermanentToken({
    client,
    body: {
      customer_id: customer,
      type: "card",
      payment_method_token: `pm_hey_${run}`,
      customer_profile_token: "cus_hey",
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

  const upd = ok("updatePaymentMethod", await updatePaymentMethod({
    client,
    path: { "customer_id": customer },
    body: {
      "payment_method[type]": "card",
      "payment_method[reference_id]": `cus_hey/card_${run}`,
      "payment_method[additional_information]": '{"fraud":{"device_session_id":"ds_1"}}',
    },
  }));
  console.log(`hey-api: customer ${upd.customer.id} pays by ${upd.customer.payment_method?.type}`);
  done("hey-api");
}
