#!/usr/bin/env node
// Writes Chargebee's own definitions of cbpay's operations as one JSON
// snapshot, api/testdata/chargebee-definitions.json, which api/chargebee_test.go
// holds api/openapi.yaml against (the spec must never be narrower, and its
// methods, paths, idempotency and JSON-valued keys are Chargebee's), and
// facade/chargebee_wire_test.go holds the client's encoding against (what
// Chargebee's own SDK sends for the same parameters).
//
//   node scripts/spec-tools/chargebee/extract.js [OUT]   (stdout without OUT)
//
// Sources, all pinned:
//   - request bodies: the Zod schemas of the npm package `chargebee`
//     (scripts/spec-tools/package.json), converted with the z.toJSONSchema of
//     the zod that package resolves;
//   - responses: the package's TypeScript declarations, resolved with the
//     TypeScript compiler API;
//   - API v1 (not in the npm package): Chargebee's published v1 OpenAPI
//     description of the one v1 operation, committed next to this file;
//   - endpoints (method, path, idempotency, the keys sent as one JSON
//     value): the package's cjs/resources/api_endpoints.js; the wire: its
//     own encoder (cjs/util.js) run on WIRE_CASES;
//   - webhook events and the resources of their content: WebhookContentMap
//     in types/resources/WebhookEvent.d.ts (webhook/chargebee_test.go).
//
// Every schema becomes a Node:
//   {type: object|string|integer|number|boolean|array|any, properties?,
//    required?, enum?, maxLength?, minLength?, minimum?, maximum?, format?,
//    pattern?, items?, additionalProperties?: true}
// Enums and `required` are sorted, object keys are written sorted, so the
// output depends only on the pinned inputs. A construct the conversion does
// not know fails the run instead of being guessed.
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { createRequire } = require('node:module');

const TOOLS_DIR = path.resolve(__dirname, '..');
const CHARGEBEE_DIR = path.join(TOOLS_DIR, 'node_modules', 'chargebee');
const V1_SPEC = path.join(__dirname, 'chargebee-api-v1-credit_card_using_payment_intent.yaml');

// cbpay's operationId -> where Chargebee defines the operation.
const OPERATIONS = {
  createPaymentIntent: {
    endpoint: ['paymentIntent', 'create'], // cjs/resources/api_endpoints.js: resource, action
    request: { file: 'payment_intent', schema: 'CreatePaymentIntentBodySchema' },
    response: ['PaymentIntent', 'CreateResponse'],
  },
  createPaymentSourceUsingToken: {
    endpoint: ['paymentSource', 'createUsingToken'], // cjs/resources/api_endpoints.js: resource, action
    request: { file: 'payment_source', schema: 'CreateUsingTokenPaymentSourceBodySchema' },
    response: ['PaymentSource', 'CreateUsingTokenResponse'],
  },
  createPaymentSourceUsingPermanentToken: {
    endpoint: ['paymentSource', 'createUsingPermanentToken'], // cjs/resources/api_endpoints.js: resource, action
    request: { file: 'payment_source', schema: 'CreateUsingPermanentTokenPaymentSourceBodySchema' },
    response: ['PaymentSource', 'CreateUsingPermanentTokenResponse'],
  },
  updatePaymentMethod: {
    endpoint: ['customer', 'updatePaymentMethod'], // cjs/resources/api_endpoints.js: resource, action
    request: { file: 'customer', schema: 'UpdatePaymentMethodCustomerBodySchema' },
    response: ['Customer', 'UpdatePaymentMethodResponse'],
  },
  updatePaymentIntent: {
    endpoint: ['paymentIntent', 'update'], // cjs/resources/api_endpoints.js: resource, action
    request: { file: 'payment_intent', schema: 'UpdatePaymentIntentBodySchema' },
    response: ['PaymentIntent', 'UpdateResponse'],
  },
  retrievePaymentIntent: {
    endpoint: ['paymentIntent', 'retrieve'], // cjs/resources/api_endpoints.js: resource, action
    request: null, // GET: Chargebee takes no parameters
    response: ['PaymentIntent', 'RetrieveResponse'],
  },
  createPaymentSourceUsingPaymentIntent: {
    endpoint: ['paymentSource', 'createUsingPaymentIntent'], // cjs/resources/api_endpoints.js: resource, action
    request: { file: 'payment_source', schema: 'CreateUsingPaymentIntentPaymentSourceBodySchema' },
    response: ['PaymentSource', 'CreateUsingPaymentIntentResponse'],
  },
  listPaymentSources: {
    endpoint: ['paymentSource', 'list'], // cjs/resources/api_endpoints.js: resource, action
    // A GET: these are its query parameters, in bracket form (customer_id[is]).
    request: { file: 'payment_source', schema: 'ListPaymentSourceBodySchema' },
    response: ['PaymentSource', 'ListResponse'],
  },
  retrievePaymentSource: {
    endpoint: ['paymentSource', 'retrieve'], // cjs/resources/api_endpoints.js: resource, action
    request: null, // GET: Chargebee takes no parameters
    response: ['PaymentSource', 'RetrieveResponse'],
  },
  deletePaymentSource: {
    endpoint: ['paymentSource', 'delete'], // cjs/resources/api_endpoints.js: resource, action
    request: null, // Chargebee's delete has no body
    response: ['PaymentSource', 'DeleteResponse'],
  },
  updatePaymentSourceCard: {
    endpoint: ['paymentSource', 'updateCard'], // cjs/resources/api_endpoints.js: resource, action
    request: { file: 'payment_source', schema: 'UpdateCardPaymentSourceBodySchema' },
    response: ['PaymentSource', 'UpdateCardResponse'],
  },
  createCardUsingPaymentIntent: {
    v1: { path: '/customers/{customer-id}/credit_card_using_payment_intent', method: 'post' }, // Chargebee's own path
  },
};

// Zod's .int() adds the safe-integer range as minimum and maximum; it says
// "a JavaScript-safe integer", not a limit of Chargebee's, and is dropped.
const SAFE_INTEGER_BOUNDS = new Set([Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER]);

// JSON Schema keywords that carry no constraint and are skipped.
const ANNOTATIONS = new Set(['$schema', 'title', 'description', 'default', 'deprecated', 'example', 'examples']);

const NODE_TYPES = new Set(['object', 'string', 'integer', 'number', 'boolean', 'array']);

function fail(message) {
  throw new Error(`chargebee extract: ${message}`);
}

function packageVersion(dir) {
  return JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).version;
}

// sortedEnum deduplicates and sorts enum values (strings before the rest,
// each group in code-point order of their JSON text).
function sortedEnum(values) {
  const byText = new Map(values.map((v) => [JSON.stringify(v), v]));
  return [...byText.keys()].sort().map((k) => byText.get(k));
}

// ---- JSON Schema (Zod output, OpenAPI 3.1 schemas) -> Node ----

// schemaType reads `type`, which OpenAPI 3.1 may give as a list with "null".
function schemaType(schema, where) {
  let types = schema.type;
  if (types === undefined) {
    return schema.properties ? 'object' : 'any';
  }
  if (!Array.isArray(types)) types = [types];
  types = types.filter((t) => t !== 'null');
  if (types.length === 0) return 'any';
  if (types.length > 1) fail(`${where}: several types ${JSON.stringify(types)}`);
  if (!NODE_TYPES.has(types[0])) fail(`${where}: unknown type ${types[0]}`);
  return types[0];
}

// fromJSONSchema converts one JSON Schema into a Node; resolve follows $ref.
function fromJSONSchema(input, where, resolve) {
  const schema = input.$ref ? resolve(input.$ref, where) : input;
  const node = { type: schemaType(schema, where) };
  for (const [key, value] of Object.entries(schema)) {
    if (ANNOTATIONS.has(key) || key.startsWith('x-') || key === 'type') continue;
    switch (key) {
      case 'properties':
        node.properties = {};
        for (const [name, prop] of Object.entries(value)) {
          node.properties[name] = fromJSONSchema(prop, `${where}.${name}`, resolve);
        }
        break;
      case 'required':
        if (value.length > 0) node.required = [...new Set(value)].sort();
        break;
      case 'enum':
        node.enum = sortedEnum(value);
        break;
      case 'items':
        node.items = fromJSONSchema(value, `${where}[]`, resolve);
        break;
      case 'additionalProperties':
        if (value === true || (typeof value === 'object' && Object.keys(value).length === 0)) {
          node.additionalProperties = true;
        } else if (value !== false) {
          fail(`${where}: typed additionalProperties ${JSON.stringify(value)}`);
        }
        break;
      case 'minimum':
      case 'maximum':
        if (!SAFE_INTEGER_BOUNDS.has(value)) node[key] = value;
        break;
      case 'maxLength':
      case 'minLength':
      case 'format':
      case 'pattern':
        node[key] = value;
        break;
      default:
        fail(`${where}: unsupported keyword ${key}`);
    }
  }
  if (node.properties && Object.keys(node.properties).length === 0) delete node.properties;
  if (node.type === 'object' && !node.properties && !node.additionalProperties) {
    node.additionalProperties = true; // `type: object` alone is free-form
  }
  return node;
}

// ---- Zod request schemas ----

function zodRequest(spec, zodFor) {
  const file = path.join(CHARGEBEE_DIR, 'cjs', 'schema', `${spec.file}.schema.js`);
  const schema = require(file)[spec.schema];
  if (!schema) fail(`${spec.schema} is not exported by ${path.relative(TOOLS_DIR, file)}`);
  // io "input": what a caller may send, so .default(...) fields are optional.
  const json = zodFor(file).toJSONSchema(schema, { io: 'input', unrepresentable: 'throw' });
  return fromJSONSchema(json, spec.schema, (ref) => fail(`${spec.schema}: unexpected $ref ${ref}`));
}

// zodResolver returns, for a schema file, the zod module that file itself
// requires, so that z.toJSONSchema runs on the instance that built the schemas.
function zodResolver() {
  return (file) => {
    const zod = createRequire(file)('zod');
    if (typeof zod.toJSONSchema !== 'function') fail('the zod chargebee resolves has no toJSONSchema (zod 4 needed)');
    return zod;
  };
}

// ---- TypeScript response declarations ----

// In types/core.d.ts, TypeEnum is one union of the `type` enums of many
// resources: the payment method types, and also the alert, ledger entry,
// metered feature and offer types (credit, debit, hold, simple,
// usage_exceeded, ...), which a payment source never has. Where TypeEnum
// types a payment method's `type` attribute (PaymentSource.type,
// Customer.PaymentMethod.type), it is narrowed to the payment method types
// Chargebee's own Zod schema for PaymentSource.createUsingPermanentToken
// lists. NARROWED_ALIASES names the alias and where its values come from.
const NARROWED_ALIASES = {
  TypeEnum: {
    attribute: 'type',
    values: { file: 'payment_source', schema: 'CreateUsingPermanentTokenPaymentSourceBodySchema', field: 'type' },
  },
};

// narrowedAliases reads, for each alias of NARROWED_ALIASES, the set of
// values it is narrowed to.
function narrowedAliases(zodFor) {
  const out = {};
  for (const [alias, { attribute, values }] of Object.entries(NARROWED_ALIASES)) {
    const node = zodRequest(values, zodFor).properties?.[values.field];
    if (!node?.enum) fail(`${values.schema}.${values.field} has no enum to narrow ${alias} with`);
    out[alias] = { attribute, values: new Set(node.enum) };
  }
  return out;
}

// narrowing returns the values a property's declared alias is narrowed to,
// or undefined.
function narrowing(decls, name, decl) {
  const { ts } = decls;
  if (!decl.type || !ts.isTypeReferenceNode(decl.type) || !ts.isIdentifier(decl.type.typeName)) return undefined;
  const rule = decls.narrowed[decl.type.typeName.text];
  return rule && rule.attribute === name ? rule.values : undefined;
}

function loadDeclarations(ts, narrowed) {
  const index = path.join(CHARGEBEE_DIR, 'types', 'index.d.ts');
  const program = ts.createProgram([index], {
    strict: true,
    noEmit: true,
    types: [],
    lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
  });
  const checker = program.getTypeChecker();
  const module = checker.getAmbientModules().find((m) => m.getName() === '"chargebee"');
  if (!module) fail(`no ambient module "chargebee" in ${index}`);
  return { ts, checker, module, narrowed };
}

// responseType finds the declared type of Namespace.Interface in the module.
function responseType(decls, [namespace, name]) {
  const { checker, module } = decls;
  const ns = checker.getExportsOfModule(module).find((s) => s.getName() === namespace);
  if (!ns) fail(`no ${namespace} in module chargebee`);
  const member = checker.getExportsOfModule(ns).find((s) => s.getName() === name);
  if (!member) fail(`no ${namespace}.${name} in module chargebee`);
  return checker.getDeclaredTypeOfSymbol(member);
}

// fromType converts a resolved TypeScript type into a Node; `expanding`
// holds the object types being expanded on the current path (cycle guard).
function fromType(decls, type, where, expanding) {
  const { ts, checker } = decls;
  const t = checker.getNonNullableType(type);
  const f = t.flags;
  if (f & (ts.TypeFlags.Any | ts.TypeFlags.Unknown | ts.TypeFlags.NonPrimitive)) return { type: 'any' };
  if (f & ts.TypeFlags.Boolean || f & ts.TypeFlags.BooleanLiteral) return { type: 'boolean' };
  if (f & ts.TypeFlags.String) return { type: 'string' };
  if (f & ts.TypeFlags.Number) return { type: 'number' };
  if (f & ts.TypeFlags.StringLiteral) return { type: 'string', enum: [t.value] };
  if (f & ts.TypeFlags.NumberLiteral) return { type: 'number', enum: [t.value] };
  if (t.isUnion()) return fromUnion(decls, t, where, expanding);
  if (checker.isArrayType(t)) {
    const [item] = checker.getTypeArguments(t);
    return { type: 'array', items: fromType(decls, item, `${where}[]`, expanding) };
  }
  if (f & ts.TypeFlags.Object) return fromObject(decls, t, where, expanding);
  return fail(`${where}: unsupported type ${checker.typeToString(t)}`);
}

// fromUnion accepts unions of one scalar kind: literals (an enum), possibly
// widened by the plain type (then no enum).
function fromUnion(decls, union, where, expanding) {
  const parts = union.types.map((u) => fromType(decls, u, where, expanding));
  const kinds = new Set(parts.map((p) => p.type));
  if (kinds.size !== 1) fail(`${where}: union of ${[...kinds].join(', ')}`);
  const [kind] = kinds;
  if (kind === 'boolean') return { type: 'boolean' };
  if (kind !== 'string' && kind !== 'number') fail(`${where}: union of ${kind}`);
  if (parts.some((p) => !p.enum)) return { type: kind };
  return { type: kind, enum: sortedEnum(parts.flatMap((p) => p.enum)) };
}

function fromObject(decls, type, where, expanding) {
  const { ts, checker } = decls;
  if (expanding.has(type)) return { type: 'any' }; // a cycle: stop here
  expanding.add(type);
  const node = { type: 'object', properties: {} };
  const required = [];
  for (const prop of checker.getPropertiesOfType(type)) {
    const name = prop.getName();
    const decl = prop.valueDeclaration ?? prop.declarations?.[0];
    if (!decl) fail(`${where}.${name}: no declaration`);
    if (ts.isMethodSignature(decl) || ts.isMethodDeclaration(decl)) continue;
    const propType = checker.getTypeOfSymbolAtLocation(prop, decl);
    const child = fromType(decls, propType, `${where}.${name}`, expanding);
    const only = narrowing(decls, name, decl);
    if (only && child.enum) child.enum = child.enum.filter((v) => only.has(v));
    node.properties[name] = child;
    if (!(prop.flags & ts.SymbolFlags.Optional)) required.push(name);
  }
  if (checker.getIndexInfosOfType(type).length > 0) node.additionalProperties = true;
  if (required.length > 0) node.required = required.sort();
  if (Object.keys(node.properties).length === 0) delete node.properties;
  expanding.delete(type);
  return node;
}

// ---- API v1 OpenAPI description ----

function v1Operation(yaml, op) {
  const doc = yaml.load(fs.readFileSync(V1_SPEC, 'utf8'));
  const operation = doc.paths?.[op.path]?.[op.method];
  if (!operation) fail(`${op.method.toUpperCase()} ${op.path} is not in ${path.basename(V1_SPEC)}`);
  const resolve = (ref, where) => {
    if (!ref.startsWith('#/')) fail(`${where}: external $ref ${ref}`);
    let target = doc;
    for (const part of ref.slice(2).split('/')) target = target?.[part.replace(/~1/g, '/').replace(/~0/g, '~')];
    if (!target) fail(`${where}: unresolved $ref ${ref}`);
    return target;
  };
  const body = operation.requestBody?.content?.['application/x-www-form-urlencoded']?.schema;
  const ok = operation.responses?.['200']?.content?.['application/json']?.schema;
  if (!body || !ok) fail(`${op.path}: no form request body or 200 JSON response`);
  return {
    version: doc.info?.version,
    request: fromJSONSchema(body, `v1 ${op.path} request`, resolve),
    response: fromJSONSchema(ok, `v1 ${op.path} response`, resolve),
  };
}

// ---- endpoints and the wire ----

// WIRE_CASES are parameters as a caller of Chargebee's SDK gives them; the
// snapshot keeps what the SDK's own encoder sends for each (a POST's form
// body, a list's query), and facade/chargebee_wire_test.go holds the
// client's encoding of the same parameters to it. goParams, when set, are
// the same parameters as cbpay's models take them (a list filter's array is
// one string there).
const WIRE_CASES = [
  {
    name: 'payment intent with options and a zero-free amount',
    operation: 'createPaymentIntent',
    params: {
      customer_id: 'cust_wire', amount: 4900, currency_code: 'USD', gateway_account_id: 'gw_1',
      reference_id: 'ref 1/é', payment_method_type: 'card',
      success_url: 'https://example.com/ok?a=1&b=2', failure_url: 'https://example.com/no',
      payment_method_options: { card: { request_three_d_secure: 'any' } },
    },
  },
  {
    name: 'payment intent of amount 0',
    operation: 'createPaymentIntent',
    params: { amount: 0, currency_code: 'EUR' },
  },
  {
    name: 'spaces around a value are sent as they are',
    operation: 'createPaymentSourceUsingPermanentToken',
    params: {
      customer_id: 'cust_wire', type: 'card', reference_id: 'cus_1/card_1',
      billing_address: { line2: '  Suite 400  ', city: 'Austin' },
    },
  },
  {
    name: 'payment source from a token, not the primary',
    operation: 'createPaymentSourceUsingToken',
    params: { customer_id: 'cust_wire', token_id: 'cb_tok 1+2', replace_primary_payment_source: false },
  },
  {
    name: 'payment source from a permanent token, every object',
    operation: 'createPaymentSourceUsingPermanentToken',
    params: {
      customer_id: 'cust_wire', type: 'card', gateway_account_id: 'gw_1', payment_method_token: 'pm_1',
      customer_profile_token: 'cus_1', replace_primary_payment_source: true,
      card: { iin: '411111', last4: '1111', brand: 'visa', funding_type: 'credit', expiry_month: 12, expiry_year: 2030 },
      billing_address: {
        first_name: 'Zoë', last_name: 'Ñúñez', line1: '12 Rua Augusta', city: 'São Paulo', state_code: 'SP',
        zip: '01305-000', country: 'BR', email: 'zoe+1@example.com',
      },
      additional_information: { payer: { document: '12345678' }, list: [1, 'two', true, null] },
    },
  },
  {
    name: "a customer's payment method, with its free-form object",
    operation: 'updatePaymentMethod',
    params: {
      payment_method: {
        type: 'card', gateway: 'stripe', gateway_account_id: 'gw_1', reference_id: 'cus_1/card_1',
        tmp_token: 'tmp 1', issuing_country: 'US', additional_information: { fraud: { device_session_id: 'ds_1' } },
      },
    },
  },
  {
    name: 'payment intent updated',
    operation: 'updatePaymentIntent',
    params: {
      amount: 5900, currency_code: 'EUR', payment_method_type: 'ideal',
      success_url: 'https://example.com/ok', payment_method_options: { ideal: { bank: 'abn_amro' } },
    },
  },
  {
    name: 'payment source from a payment intent, both free-form objects',
    operation: 'createPaymentSourceUsingPaymentIntent',
    params: {
      customer_id: 'cust_wire', replace_primary_payment_source: true,
      payment_intent: {
        id: 'pi_1', gateway_account_id: 'gw_1', gw_token: 'tok_1', payment_method_type: 'card',
        reference_id: 'ref_1', gw_payment_method_id: 'gpm_1',
        additional_info: { a: 1 }, additional_information: { b: '2' },
      },
    },
  },
  {
    name: "a payment source's card updated, gateway meta data as one value",
    operation: 'updatePaymentSourceCard',
    params: {
      gateway_meta_data: { braintree: { fraud_merchant_id: 'm1' } }, reference_transaction: 'txn_1',
      card: {
        first_name: 'Ana', expiry_month: 10, expiry_year: 2032, billing_addr1: '12 Main St', billing_zip: '78702',
        additional_information: { x: 'y' },
      },
    },
  },
  {
    name: 'list with every kind of filter',
    operation: 'listPaymentSources',
    params: {
      limit: 5, include_deleted: false, customer_id: { in: ['cust_1', 'cust_2'] }, type: { in: ['card', 'upi'] },
      status: { is_not: 'expired' }, created_at: { between: [1700000000, 1800000000] }, sort_by: { asc: 'created_at' },
    },
    goParams: {
      limit: 5, include_deleted: false, customer_id: { in: '["cust_1","cust_2"]' }, type: { in: '["card","upi"]' },
      status: { is_not: 'expired' }, created_at: { between: '[1700000000,1800000000]' }, sort_by: { asc: 'created_at' },
    },
  },
];

// endpoint returns an operation's row of cjs/resources/api_endpoints.js as
// cbpay's spec would write it: method, path under the site root ({id} for
// the path parameter), whether Chargebee marks it idempotent, and which
// keys it sends as one JSON value, by name and depth (0: top level).
function endpoint(endpoints, id, [resource, action]) {
  const row = (endpoints[resource] || []).find((r) => r[0] === action);
  if (!row) fail(`${id}: no ${resource}.${action} in api_endpoints.js`);
  const [, method, prefix, suffix, hasID, subDomain, isJSON, jsonKeys, options] = row;
  if (isJSON) fail(`${id}: ${resource}.${action} sends JSON, which cbpay's form encoder does not`);
  if (subDomain) fail(`${id}: ${resource}.${action} is served from the subdomain ${subDomain}, not the site's host`);
  return {
    method,
    path: `/api/v2${prefix}${hasID ? '/{id}' : ''}${suffix || ''}`,
    idempotent: Boolean(options && options.isIdempotent),
    json_keys: jsonKeys || {},
    list: action === 'list',
  };
}

// wire encodes a case's parameters as the SDK does (RequestWrapper: a
// list's query through serialize and encodeListParams, a POST's body
// through encodeParams with the operation's JSON keys).
function wire(util, ep, params) {
  const copy = JSON.parse(JSON.stringify(params)); // serialize rewrites its argument
  if (ep.method === 'GET') {
    if (!ep.list) fail('a GET with parameters that is not a list');
    return util.encodeListParams(util.serialize(copy));
  }
  return util.encodeParams(copy, undefined, undefined, undefined, ep.json_keys);
}

// webhookEvents lists every event type of WebhookContentMap in the
// package's declarations, with the resources its content holds (sorted):
// {payment_source_added: ['customer', 'payment_source'], ...}.
function webhookEvents(decls) {
  const { checker, module } = decls;
  const sym = checker.getExportsOfModule(module).find((s) => s.getName() === 'WebhookContentMap');
  if (!sym) fail('no WebhookContentMap in module chargebee');
  const events = {};
  for (const p of checker.getPropertiesOfType(checker.getDeclaredTypeOfSymbol(sym))) {
    const content = checker.getTypeOfSymbol(p);
    const keys = checker.getPropertiesOfType(content).map((c) => c.getName()).sort();
    if (!/^[a-z_]+$/.test(p.getName())) fail(`WebhookContentMap: unexpected entry ${p.getName()}`);
    events[p.getName()] = keys;
  }
  return events;
}

// ---- output ----

// stableJSON writes object keys sorted at every level.
function stableJSON(value) {
  const sortKeys = (v) => {
    if (Array.isArray(v)) return v.map(sortKeys);
    if (v && typeof v === 'object') {
      return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys(v[k])]));
    }
    return v;
  };
  return `${JSON.stringify(sortKeys(value), null, 2)}\n`;
}

function extract() {
  if (!fs.existsSync(CHARGEBEE_DIR)) fail(`${CHARGEBEE_DIR} is missing: run npm ci in scripts/spec-tools`);
  const toolsRequire = createRequire(path.join(TOOLS_DIR, 'package.json'));
  const ts = toolsRequire('typescript');
  const yaml = toolsRequire('js-yaml');
  const zodFor = zodResolver();
  const decls = loadDeclarations(ts, narrowedAliases(zodFor));

  const { Endpoints } = require(path.join(CHARGEBEE_DIR, 'cjs', 'resources', 'api_endpoints.js'));
  const util = require(path.join(CHARGEBEE_DIR, 'cjs', 'util.js'));

  const operations = {};
  let v1Version = '';
  for (const [id, op] of Object.entries(OPERATIONS)) {
    if (op.v1) {
      const v1 = v1Operation(yaml, op.v1);
      v1Version = v1.version;
      operations[id] = { request: v1.request, response: v1.response };
      continue;
    }
    const response = responseType(decls, op.response);
    operations[id] = {
      endpoint: endpoint(Endpoints, id, op.endpoint),
      response: fromType(decls, response, op.response.join('.'), new Set()),
    };
    if (op.request === null) {
      operations[id].no_request = true;
    } else {
      operations[id].request = zodRequest(op.request, zodFor);
    }
  }
  const zodDir = path.dirname(createRequire(path.join(CHARGEBEE_DIR, 'cjs', 'schema', 'x.js')).resolve('zod/package.json'));
  const source =
    `npm chargebee ${packageVersion(CHARGEBEE_DIR)} (requests: Zod schemas via zod ${packageVersion(zodDir)} ` +
    `toJSONSchema; responses: types/*.d.ts via typescript ${ts.version}); ` +
    `Chargebee API v1 OpenAPI ${v1Version} (${path.basename(V1_SPEC)})`;
  const wireCases = WIRE_CASES.map((c) => {
    const op = operations[c.operation];
    if (!op || !op.endpoint) fail(`wire case ${c.name}: ${c.operation} has no endpoint`);
    return { ...c, encoded: wire(util, op.endpoint, c.params) };
  });
  return { source, operations, wire: wireCases, events: webhookEvents(decls) };
}

function main() {
  const out = stableJSON(extract());
  const target = process.argv[2];
  if (target) {
    fs.writeFileSync(target, out);
  } else {
    process.stdout.write(out);
  }
}

main();
