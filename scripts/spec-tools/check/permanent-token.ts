// A request body for createPaymentSourceUsingPermanentToken, typed against
// the types openapi-typescript generates from the canonical api/openapi.yaml
// (out/ is written by scripts/spec-check.sh). `tsc --strict --noEmit` must
// accept the valid body and reject each @ts-expect-error line. (To send
// bodies, generate from api/openapi-flat.yaml: see ../e2e/.)
import type { components, operations } from "../out/openapi-typescript/schema";

type PermanentTokenBody = NonNullable<
  operations["createPaymentSourceUsingPermanentToken"]["requestBody"]
>["content"]["application/x-www-form-urlencoded"];

type Card = components["schemas"]["CardParams"];
type BillingAddress = components["schemas"]["BillingAddressParams"];

const card: Card = {
  iin: "411111",
  last4: "1111",
  brand: "visa",
  funding_type: "credit",
  expiry_month: 12,
  expiry_year: 2030,
};

const billingAddress: BillingAddress = {
  first_name: "Ana",
  last_name: "Núñez",
  line1: "12 Main St",
  city: "Austin",
  state_code: "TX",
  zip: "78701",
  country: "US",
};

// skip_retrieval is left out on purpose: it has a `default`, and openapi-typescript
// makes such properties required unless run with --default-non-nullable false.
export const body: PermanentTokenBody = {
  customer_id: "cust_42",
  type: "card",
  gateway_account_id: "gw_stripe_us",
  payment_method_token: "pm_1NxYz2AbCdEf",
  customer_profile_token: "cus_OqWe12",
  replace_primary_payment_source: false,
  card,
  billing_address: billingAddress,
  // One form value holding a JSON object, as on the wire.
  additional_information: '{"payer":{"document":"12345678"}}',
};

// The spec must keep these mistakes from compiling. If a line below stops
// being an error (a field became optional, an enum became a plain string),
// tsc fails with "Unused '@ts-expect-error' directive".

// @ts-expect-error `type` is required.
export const missingType: PermanentTokenBody = { customer_id: "cust_42" };

// @ts-expect-error `customer_id` is required.
export const missingCustomer: PermanentTokenBody = { type: "card" };

// @ts-expect-error `type` is an enum of payment method types.
export const unknownType: PermanentTokenBody = { customer_id: "cust_42", type: "bank_card" };

// @ts-expect-error `card.brand` is an enum of card brands.
export const unknownBrand: Card = { brand: "visa_electron" };

// @ts-expect-error `card.expiry_month` is an integer, not a string.
export const monthAsString: Card = { expiry_month: "12" };

// @ts-expect-error `billing_address` has no `street` property.
export const unknownAddressField: BillingAddress = { street: "12 Main St" };

// @ts-expect-error `additional_information` is the JSON text, not an object.
export const infoAsObject: PermanentTokenBody = { customer_id: "cust_42", type: "card", additional_information: { payer: {} } };
