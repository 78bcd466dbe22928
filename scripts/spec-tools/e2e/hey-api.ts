// Every operation of the spec through the SDK that @hey-api/openapi-ts
// generates from api/openapi-flat.yaml (out/hey-api, generated fresh by
// scripts/spec-check.sh), against cbpay serve. The SDK sends form bodies
// with its URLSearchParams serializer and sets the Content-Type itself: with
// the flat spec's bracket keys that is exactly Chargebee's wire format. Its
// client serializes an object query parameter as deepObject by default (the
// SDK passes no per-operation style; the spec says deepObject too):
// customer_id[is]=... as Chargebee filters are. No line here encodes a body
// or a query; the set-up lines are marked `// glue:` and counted by
// spec-check. spec-check seeds a payment source of another customer before
// this runs, so that the list's customer filter has something to leave out.
import { createClient } from "../out/hey-api/client";
import {
  createCardUsingPaymentIntent,
  createPaymentIntent,
  createPaymentSourceUsingPaymentIntent,
  createPaymentSourceUsingPermanentToken,
  createPaymentSourceUsingToken,
  deletePaymentSource,
  listPaymentSources,
  retrievePaymentIntent,
  retrievePaymentSource,
  updatePaymentIntent,
  updatePaymentMethod,
  updatePaymentSourceCard,
} from "../out/hey-api/sdk.gen";
import { apiKey, authorize, baseUrl, check, customer, done, notFound, ok, run, sentQuery } from "./setup";

export async function main(): Promise<void> {
  const client = createClient({
    baseUrl, // glue: base URL
    auth: () => `${apiKey}:`, // glue: auth (the SDK base64-encodes it for the basic scheme)
  });

  // A PayPal billing agreement first: the customer's oldest payment source,
  // and not a card (the list's type filter must leave it out).
  const paypal = ok("createPaymentSourceUsingPermanentToken", await createPaymentSourceUsingPermanentToken({
    client,
    body: { customer_id: customer, type: "paypal_express_checkout", reference_id: `B-hey-${run}` },
  }));
  check(paypal.payment_source.type === "paypal_express_checkout", `PayPal source: type ${paypal.payment_source.type}`);

  // A payment intent: created, retrieved, its amount changed, then stored
  // as a payment source after the 3DS step (API v2).
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
  const piId = pi.payment_intent.id;
  const got = ok("retrievePaymentIntent", await retrievePaymentIntent({ client, path: { payment_intent_id: piId } }));
  check(got.payment_intent.id === piId && got.payment_intent.amount === 4900,
    `retrievePaymentIntent: ${got.payment_intent.id} ${got.payment_intent.amount}, want ${piId} 4900`);
  const moved = ok("updatePaymentIntent", await updatePaymentIntent({
    client,
    path: { payment_intent_id: piId },
    body: { amount: 5900 },
  }));
  check(moved.payment_intent.id === piId && moved.payment_intent.amount === 5900,
    `updatePaymentIntent: ${moved.payment_intent.id} amount ${moved.payment_intent.amount}, want 5900`);
  await authorize(piId);
  const fromPi = ok("createPaymentSourceUsingPaymentIntent", await createPaymentSourceUsingPaymentIntent({
    client,
    body: { customer_id: customer, "payment_intent[id]": piId, replace_primary_payment_source: true },
  }));
  check(fromPi.payment_source.customer_id === customer && fromPi.customer.primary_payment_source_id === fromPi.payment_source.id,
    `createPaymentSourceUsingPaymentIntent: source ${fromPi.payment_source.id} of ${fromPi.payment_source.customer_id} is not the primary one`);

  // A second intent, stored through API v1.
  const pi2 = ok("createPaymentIntent", await createPaymentIntent({
    client,
    body: { customer_id: customer, amount: 100, currency_code: "USD" },
    headers: { "chargebee-idempotency-key": `hey-api-pi2-${run}` },
  }));
  await authorize(pi2.payment_intent.id);
  const card = ok("createCardUsingPaymentIntent", await createCardUsingPaymentIntent({
    client,
    path: { "customer_id": customer },
    body: { payment_intent_id: pi2.payment_intent.id },
  }));
  console.log(`hey-api: card ••••${card.card?.last4} stored for ${card.customer.id}`);

  const tok = ok("createPaymentSourceUsingToken", await createPaymentSourceUsingToken({
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
  const psId = perm.payment_source.id;

  // The stored card: retrieved, its expiry changed.
  const ps = ok("retrievePaymentSource", await retrievePaymentSource({ client, path: { payment_source_id: psId } }));
  check(ps.payment_source.id === psId && ps.payment_source.card?.last4 === "1111",
    `retrievePaymentSource: ${ps.payment_source.id} ••••${ps.payment_source.card?.last4}, want ${psId} ••••1111`);
  const upcard = ok("updatePaymentSourceCard", await updatePaymentSourceCard({
    client,
    path: { payment_source_id: psId },
    body: { "card[expiry_month]": 10, "card[expiry_year]": 2032 },
  }));
  const uc = upcard.payment_source.card;
  check(upcard.payment_source.id === psId && uc?.expiry_month === 10 && uc.expiry_year === 2032 && uc.last4 === "1111",
    `updatePaymentSourceCard: ${upcard.payment_source.id} expires ${uc?.expiry_month}/${uc?.expiry_year}, want 10/2032`);

  // The customer's cards: customer_id[is], type[is] and limit, deepObject
  // filters as Chargebee reads them.
  const listed = await listPaymentSources({
    client,
    query: { customer_id: { is: customer }, type: { is: "card" }, limit: 100 },
  });
  const list = ok("listPaymentSources", listed);
  const query = sentQuery("listPaymentSources", listed, { "customer_id[is]": customer, "type[is]": "card", limit: "100" });
  const ids = list.list.map((e) => e.payment_source.id);
  const foreign = list.list.filter((e) => e.payment_source.customer_id !== customer || e.payment_source.type !== "card");
  check(foreign.length === 0, `listPaymentSources: sources of other customers or types: ${foreign.map((e) => e.payment_source.id).join(", ")}`);
  for (const id of [psId, fromPi.payment_source.id, tok.payment_source.id]) {
    check(ids.includes(id), `listPaymentSources: ${id} is not in ${ids.join(", ")}`);
  }
  check(!ids.includes(paypal.payment_source.id) && list.next_offset === undefined, `listPaymentSources: PayPal source listed, or a next page`);
  const listedCard = list.list.find((e) => e.payment_source.id === psId)?.payment_source.card;
  check(listedCard?.expiry_year === 2032, `listPaymentSources: ${psId} expires in ${listedCard?.expiry_year}, want 2032`);
  console.log(`hey-api: listPaymentSources sent ?${query}: ${ids.length} cards, all ${customer}'s`);
  // limit=1 without type[is]: one page of one, the customer's oldest (the
  // PayPal source); without filters: the oldest of all, another customer's.
  const first = ok("listPaymentSources", await listPaymentSources({ client, query: { customer_id: { is: customer }, limit: 1 } }));
  check(first.list.length === 1 && first.list[0]?.payment_source.id === paypal.payment_source.id && first.next_offset !== undefined,
    `listPaymentSources limit=1: ${first.list.map((e) => e.payment_source.id).join(", ")} next ${first.next_offset}, want [${paypal.payment_source.id}] and a next page`);
  const any = ok("listPaymentSources", await listPaymentSources({ client, query: { limit: 1 } }));
  check(any.list.length === 1 && any.list[0]?.payment_source.customer_id !== customer,
    `listPaymentSources unfiltered: want another customer's source first, got ${any.list.map((e) => e.payment_source.customer_id).join(", ")}`);

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

  // Deleted, then gone: a retrieve is Chargebee's 404 resource_not_found,
  // decoded as the spec's ChargebeeError.
  const del = ok("deletePaymentSource", await deletePaymentSource({ client, path: { payment_source_id: psId } }));
  check(del.payment_source.id === psId && del.payment_source.deleted, `deletePaymentSource: ${del.payment_source.id} deleted ${del.payment_source.deleted}`);
  notFound("retrievePaymentSource", await retrievePaymentSource({ client, path: { payment_source_id: psId } }));
  done("hey-api");
}
