package chargebeetest

import (
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"github.com/cbpay/cbpay/gen"
	"github.com/cbpay/cbpay/internal/ptr"
)

// DeclineTokenPrefix starts the token ids that create_using_token refuses
// as a card declined by the gateway, the way Chargebee reports a payment
// error: 400 with type payment and api_error_code
// payment_method_verification_failed (tok_decline,
// tok_decline_insufficient_funds). cbpay's errors.Is(err, cbpay.ErrPayment)
// is true for it.
const DeclineTokenPrefix = "tok_decline"

// intentLifetime is how long a payment intent can be used, as in Chargebee.
const intentLifetime = 30 * time.Minute

// behaviour is what the fake does for one operation: it applies the
// validated call to the store (h.mu is held) and returns the answer's body
// or Chargebee's error. Every operation of the spec has one (see
// TestEveryOperationHasABehaviour).
type behaviour func(h *Handler, c call, now time.Time) (any, *apiError)

// with binds a behaviour to the generated request type of its body.
func with[Req any](f func(h *Handler, req Req, c call, now time.Time) (any, *apiError)) behaviour {
	return func(h *Handler, c call, now time.Time) (any, *apiError) {
		var req Req
		if e := decodeBody(c.body, &req); e != nil {
			return nil, e
		}
		return f(h, req, c, now)
	}
}

// behaviours by operationId.
var behaviours = map[string]behaviour{
	"createPaymentIntent": with(func(h *Handler, req gen.CreatePaymentIntentRequest, c call, now time.Time) (any, *apiError) {
		return h.createPaymentIntent(req, c.header, now)
	}),
	"createPaymentSourceUsingToken": with(func(h *Handler, req gen.CreatePaymentSourceUsingTokenRequest, _ call, now time.Time) (any, *apiError) {
		return h.createSourceUsingToken(req, now)
	}),
	"createPaymentSourceUsingPermanentToken": with(func(h *Handler, req gen.CreatePaymentSourceUsingPermanentTokenRequest, _ call, now time.Time) (any, *apiError) {
		return h.createSourceUsingPermanentToken(req, now)
	}),
	"updatePaymentMethod": with(func(h *Handler, req gen.UpdatePaymentMethodRequest, c call, now time.Time) (any, *apiError) {
		return h.updatePaymentMethod(c.params["customer_id"], req, now)
	}),
	"createPaymentSourceUsingPaymentIntent": with(func(h *Handler, req gen.CreatePaymentSourceUsingPaymentIntentRequest, _ call, now time.Time) (any, *apiError) {
		return h.createSourceUsingPaymentIntent(req, now)
	}),
	"listPaymentSources": with(func(h *Handler, req gen.ListPaymentSourcesParams, _ call, _ time.Time) (any, *apiError) {
		return h.listSources(req)
	}),
	"retrievePaymentSource": func(h *Handler, c call, _ time.Time) (any, *apiError) {
		return h.retrieveSource(c.params["payment_source_id"])
	},
	"updatePaymentSourceCard": with(func(h *Handler, req gen.UpdatePaymentSourceCardRequest, c call, now time.Time) (any, *apiError) {
		return h.updateSourceCard(c.params["payment_source_id"], req, now)
	}),
	"deletePaymentSource": func(h *Handler, c call, now time.Time) (any, *apiError) {
		return h.deleteSource(c.params["payment_source_id"], now)
	},
	"retrievePaymentIntent": func(h *Handler, c call, now time.Time) (any, *apiError) {
		return h.retrieveIntent(c.params["payment_intent_id"], now)
	},
	"updatePaymentIntent": with(func(h *Handler, req gen.UpdatePaymentIntentRequest, c call, now time.Time) (any, *apiError) {
		return h.updateIntent(c.params["payment_intent_id"], req, now)
	}),
	"createCardUsingPaymentIntent": with(func(h *Handler, req gen.CreateCardUsingPaymentIntentRequest, c call, now time.Time) (any, *apiError) {
		return h.createCardUsingPaymentIntent(c.params["customer_id"], req, now)
	}),
}

// apply runs one validated operation on the store; h.mu is held. It answers
// a status and a JSON body.
func (h *Handler) apply(op *operation, c call) (int, []byte) {
	now := h.now()
	var (
		out any
		e   *apiError
	)
	if b := behaviours[op.id]; b != nil {
		out, e = b(h, c, now)
	} else {
		e = newAPIError(http.StatusInternalServerError, "", codeInternalError, "", "operation "+op.id+" is not implemented by the fake")
	}
	h.commitEvents(e == nil, c.header)
	if e != nil {
		return e.status, e.marshal()
	}
	b, err := json.Marshal(out)
	if err != nil {
		e = newAPIError(http.StatusInternalServerError, "", codeInternalError, "", "the fake could not encode its answer")
		return e.status, e.marshal()
	}
	return http.StatusOK, b
}

// decodeBody moves a validated body into a generated request type. The body
// has the schema's types already, so this only fails on a spec/gen skew.
func decodeBody(body map[string]any, dst any) *apiError {
	b, err := json.Marshal(body)
	if err == nil {
		err = json.Unmarshal(b, dst)
	}
	if err != nil {
		return newAPIError(http.StatusInternalServerError, "", codeInternalError, "", "the fake could not read a validated body")
	}
	return nil
}

// createPaymentIntent: POST /api/v2/payment_intents. An unknown customer_id
// ties the intent to no customer, as Chargebee documents.
func (h *Handler) createPaymentIntent(req gen.CreatePaymentIntentRequest, hdr http.Header, now time.Time) (any, *apiError) {
	pi := gen.PaymentIntent{
		ID:                h.newID("pi_"),
		Object:            ptr.To("payment_intent"),
		Status:            "inited",
		Amount:            req.Amount,
		CurrencyCode:      ptr.To(req.CurrencyCode),
		GatewayAccountID:  ptr.To(h.gatewayAccountID),
		Gateway:           ptr.To(fakeGateway),
		ExpiresAt:         now.Add(intentLifetime).Unix(),
		ReferenceID:       req.ReferenceID,
		PaymentMethodType: req.PaymentMethodType,
		SuccessURL:        req.SuccessURL,
		FailureURL:        req.FailureURL,
		CreatedAt:         now.Unix(),
		ModifiedAt:        now.Unix(),
		UpdatedAt:         ptr.To(now.Unix()),
		ResourceVersion:   ptr.To(h.version(now)),
		BusinessEntityID:  req.BusinessEntityID,
	}
	if req.GatewayAccountID != nil {
		pi.GatewayAccountID = req.GatewayAccountID
	}
	if pi.PaymentMethodType == nil {
		pi.PaymentMethodType = ptr.To(gen.PaymentIntentPaymentMethodType("card"))
	}
	if pi.BusinessEntityID == nil {
		pi.BusinessEntityID = nonEmpty(hdr.Get("chargebee-business-entity-id"))
	}
	if id := ptr.Deref(req.CustomerID); id != "" && h.st.customers[id] != nil {
		pi.CustomerID = ptr.To(id)
	}
	h.st.intents[pi.ID] = &intentRec{pi: pi}
	h.emitIntent(EventPaymentIntentCreated, "api", &pi, now)
	return gen.PaymentIntentResponse{PaymentIntent: pi}, nil
}

// createSourceUsingToken: POST /api/v2/payment_sources/create_using_token.
// The customer must exist. Tokens are single use, like Chargebee.js
// tokens; the card is the one AddToken registered for the token, or
// TestCard for a token the fake was not told about. A token starting with
// DeclineTokenPrefix is declined by the gateway's verification: nothing is
// stored and the token stays unused.
func (h *Handler) createSourceUsingToken(req gen.CreatePaymentSourceUsingTokenRequest, now time.Time) (any, *apiError) {
	if e := h.checkCustomer(req.CustomerID, "customer_id"); e != nil {
		return nil, e
	}
	if h.st.usedTokens[req.TokenID] {
		return nil, invalidParam(codeParamWrongValue, "token_id", "the token was used already")
	}
	if strings.HasPrefix(req.TokenID, DeclineTokenPrefix) {
		return nil, declined()
	}
	h.st.usedTokens[req.TokenID] = true
	card, ok := h.st.tokens[req.TokenID]
	if !ok {
		card = TestCard()
	}
	c := h.customer(req.CustomerID, now)
	src := h.newSource(c, "card", "", "", now)
	src.Card = card.sourceCard()
	src.IssuingCountry = nonEmpty(card.IssuingCountry)
	h.attachSource(c, src, ptr.Deref(req.ReplacePrimaryPaymentSource), now)
	h.emitSource(EventPaymentSourceAdded, "", c, src, now)
	return gen.PaymentSourceResponse{Customer: *c, PaymentSource: *src}, nil
}

// createSourceUsingPermanentToken: POST
// /api/v2/payment_sources/create_using_permanent_token. The customer must
// exist. The reference_id is the one sent or, Stripe-style,
// customer_profile_token/payment_method_token. The fake has no gateway to
// retrieve the method's details from, so it stores what the request says,
// as Chargebee does with skip_retrieval=true: the card[...] fields sent
// (and masked_number from card[last4]), the billing_address sent, which a
// card also shows as its billing_* fields and cardholder name; nothing else.
func (h *Handler) createSourceUsingPermanentToken(req gen.CreatePaymentSourceUsingPermanentTokenRequest, now time.Time) (any, *apiError) {
	if e := h.checkCustomer(req.CustomerID, "customer_id"); e != nil {
		return nil, e
	}
	c := h.customer(req.CustomerID, now)
	ref := ptr.Deref(req.ReferenceID)
	if ref == "" {
		var parts []string
		for _, p := range []*string{req.CustomerProfileToken, req.PaymentMethodToken, req.MandateID, req.NetworkTransactionID} {
			if v := ptr.Deref(p); v != "" {
				parts = append(parts, v)
			}
		}
		ref = strings.Join(parts, "/")
	}
	src := h.newSource(c, req.Type, ptr.Deref(req.GatewayAccountID), ref, now)
	src.IssuingCountry = req.IssuingCountry
	if req.Type == "card" {
		var card Card
		if rc := req.Card; rc != nil {
			card = Card{
				Brand:       ptr.Deref(rc.Brand),
				FundingType: ptr.Deref(rc.FundingType),
				IIN:         ptr.Deref(rc.IIN),
				Last4:       ptr.Deref(rc.Last4),
				ExpiryMonth: ptr.Deref(rc.ExpiryMonth),
				ExpiryYear:  ptr.Deref(rc.ExpiryYear),
			}
		}
		if ba := req.BillingAddress; ba != nil {
			card.FirstName, card.LastName = ptr.Deref(ba.FirstName), ptr.Deref(ba.LastName)
		}
		src.Card = card.sourceCard()
		if ba := req.BillingAddress; ba != nil {
			sc := src.Card
			sc.BillingAddr1, sc.BillingAddr2 = ba.Line1, ba.Line2
			sc.BillingCity, sc.BillingZip = ba.City, ba.Zip
			sc.BillingState, sc.BillingStateCode = ba.State, ba.StateCode
			sc.BillingCountry = ba.Country
		}
	}
	if ba := req.BillingAddress; ba != nil {
		src.BillingAddress = &gen.BillingAddress{
			Object:    ptr.To("billing_address"),
			FirstName: ba.FirstName, LastName: ba.LastName, Email: ba.Email,
			Line1: ba.Line1, Line2: ba.Line2, Line3: ba.Line3,
			City: ba.City, State: ba.State, StateCode: ba.StateCode,
			Zip: ba.Zip, Country: ba.Country,
		}
	}
	switch req.Type {
	case "paypal_express_checkout":
		src.Paypal = &gen.PaypalAccount{Object: ptr.To("paypal"), AgreementID: ptr.To(src.ReferenceID)}
	case "direct_debit":
		if id := ptr.Deref(req.MandateID); id != "" {
			src.Mandates = &[]gen.Mandate{{ID: id, CreatedAt: now.Unix()}}
		}
	}
	h.attachSource(c, src, ptr.Deref(req.ReplacePrimaryPaymentSource), now)
	h.emitSource(EventPaymentSourceAdded, "", c, src, now)
	return gen.PaymentSourceResponse{Customer: *c, PaymentSource: *src}, nil
}

// updatePaymentMethod: POST /api/v2/customers/{customer_id}/update_payment_method
// (deprecated). The customer must exist. The new method replaces the
// customer's primary one; the answer carries the card only when the method
// is a card. The request names a card only by reference (reference_id,
// tmp_token), whose details Chargebee would fetch from the gateway: the
// fake has none, so the card shows no number, brand or expiry.
func (h *Handler) updatePaymentMethod(customerID string, req gen.UpdatePaymentMethodRequest, now time.Time) (any, *apiError) {
	if req.PaymentMethod == nil {
		// Optional in Chargebee's definitions, but there is nothing to
		// update without it: Chargebee asks for its type.
		return nil, invalidParam(codeParamRequired, "payment_method[type]", "cannot be blank")
	}
	if e := h.checkCustomer(customerID, ""); e != nil {
		return nil, e
	}
	c := h.customer(customerID, now)
	pm := req.PaymentMethod
	src := h.newSource(c, pm.Type, ptr.Deref(pm.GatewayAccountID), ptr.Deref(pm.ReferenceID), now)
	src.IssuingCountry = pm.IssuingCountry
	if pm.Type == "card" {
		src.Card = Card{}.sourceCard()
	}
	if pm.Type == "paypal_express_checkout" {
		src.Paypal = &gen.PaypalAccount{Object: ptr.To("paypal"), AgreementID: ptr.To(src.ReferenceID)}
	}
	h.attachSource(c, src, true, now)
	h.emitSource(EventPaymentSourceAdded, EventCardAdded, c, src, now)
	out := gen.CustomerCardResponse{Customer: *c}
	if pm.Type == "card" {
		out.Card = cardView(src)
	}
	return out, nil
}

// createCardUsingPaymentIntent: POST
// /api/v1/customers/{customer_id}/credit_card_using_payment_intent. The
// customer must exist. With payment_intent_id the intent must be authorized
// (AuthorizePaymentIntent), unexpired, not used, and tied to this customer
// or to none; it is consumed, and the card is the one its 3DS step
// verified. Without it, gw_token or reference_id stand for a 3DS flow run
// at the gateway, whose card the fake does not know: the card shows no
// number, brand or expiry.
func (h *Handler) createCardUsingPaymentIntent(customerID string, req gen.CreateCardUsingPaymentIntentRequest, now time.Time) (any, *apiError) {
	if e := h.checkCustomer(customerID, ""); e != nil {
		return nil, e
	}
	var (
		card           Card
		gatewayAccount = ptr.Deref(req.GatewayAccountID)
		intent         *intentRec
	)
	switch {
	case req.PaymentIntentID != nil:
		var e *apiError
		if intent, e = h.authorizedIntent(*req.PaymentIntentID, customerID, "payment_intent_id", now); e != nil {
			return nil, e
		}
		card = intent.card
		gatewayAccount = ptr.Deref(intent.pi.GatewayAccountID)
		h.consumeIntent(intent, now)
	case req.GwToken == nil && req.ReferenceID == nil:
		return nil, invalidParam(codeParamRequired, "payment_intent_id", "cannot be blank")
	}
	c := h.customer(customerID, now)
	src := h.newSource(c, "card", gatewayAccount, ptr.Deref(req.ReferenceID), now)
	src.Card = card.sourceCard()
	src.IssuingCountry = nonEmpty(card.IssuingCountry)
	h.attachSource(c, src, true, now)
	if intent != nil {
		h.emitIntent(EventPaymentIntentUpdated, "api", &intent.pi, now)
	}
	h.emitSource(EventPaymentSourceAdded, EventCardAdded, c, src, now)
	return gen.V1CustomerCardResponse{Customer: v1Customer(c), Card: v1Card(src)}, nil
}

// authorizedIntent finds the payment intent id for customerID: it must
// exist, be authorized (AuthorizePaymentIntent), unexpired and unused, and
// be tied to this customer or to none. param names the id in errors.
func (h *Handler) authorizedIntent(id, customerID, param string, now time.Time) (*intentRec, *apiError) {
	intent := h.st.intents[id]
	if intent == nil {
		return nil, notFound(param)
	}
	h.refreshIntent(intent, now)
	switch intent.pi.Status {
	case "authorized":
	case "consumed":
		return nil, invalidState(param, "The payment intent was used already")
	case "expired":
		return nil, invalidState(param, "The payment intent has expired")
	default:
		return nil, invalidState(param, "The payment intent is not in authorized state")
	}
	if owner := ptr.Deref(intent.pi.CustomerID); owner != "" && owner != customerID {
		return nil, invalidParam(codeParamWrongValue, param, "belongs to another customer")
	}
	return intent, nil
}

// consumeIntent marks an authorized intent used: it cannot store a card
// again.
func (h *Handler) consumeIntent(intent *intentRec, now time.Time) {
	intent.pi.Status = "consumed"
	h.touchIntent(intent, now)
}

func (h *Handler) touchIntent(intent *intentRec, now time.Time) {
	intent.pi.ModifiedAt = now.Unix()
	intent.pi.UpdatedAt = ptr.To(now.Unix())
	intent.pi.ResourceVersion = ptr.To(h.version(now))
}

// createSourceUsingPaymentIntent: POST
// /api/v2/payment_sources/create_using_payment_intent. The customer must
// exist. With payment_intent[id] the intent must be authorized, unexpired,
// unused and tied to this customer or to none; it is consumed, and the
// card is the one its 3DS step verified. Without it, payment_intent[gw_token]
// or [reference_id] stand for a 3DS flow run at the gateway, whose card the
// fake does not know: the card shows no number, brand or expiry.
func (h *Handler) createSourceUsingPaymentIntent(req gen.CreatePaymentSourceUsingPaymentIntentRequest, now time.Time) (any, *apiError) {
	if e := h.checkCustomer(req.CustomerID, "customer_id"); e != nil {
		return nil, e
	}
	var (
		pi             = ptr.Deref(req.PaymentIntent)
		card           Card
		gatewayAccount = ptr.Deref(pi.GatewayAccountID)
		typ            = gen.PaymentMethodType(ptr.Deref(pi.PaymentMethodType))
		intent         *intentRec
	)
	switch {
	case pi.ID != nil:
		var e *apiError
		if intent, e = h.authorizedIntent(*pi.ID, req.CustomerID, "payment_intent[id]", now); e != nil {
			return nil, e
		}
		card = intent.card
		gatewayAccount = ptr.Deref(intent.pi.GatewayAccountID)
		typ = gen.PaymentMethodType(ptr.Deref(intent.pi.PaymentMethodType))
		h.consumeIntent(intent, now)
	case pi.GwToken == nil && pi.ReferenceID == nil && pi.GwPaymentMethodID == nil:
		return nil, invalidParam(codeParamRequired, "payment_intent[id]", "cannot be blank")
	}
	if typ == "" {
		typ = "card"
	}
	c := h.customer(req.CustomerID, now)
	src := h.newSource(c, typ, gatewayAccount, ptr.Deref(pi.ReferenceID), now)
	if typ == "card" {
		src.Card = card.sourceCard()
		src.IssuingCountry = nonEmpty(card.IssuingCountry)
	}
	h.attachSource(c, src, ptr.Deref(req.ReplacePrimaryPaymentSource), now)
	if intent != nil {
		h.emitIntent(EventPaymentIntentUpdated, "api", &intent.pi, now)
	}
	h.emitSource(EventPaymentSourceAdded, "", c, src, now)
	return gen.PaymentSourceResponse{Customer: *c, PaymentSource: *src}, nil
}

// retrieveSource: GET /api/v2/payment_sources/{payment_source_id}. A
// deleted source is not found, as in Chargebee.
func (h *Handler) retrieveSource(id string) (any, *apiError) {
	src := h.st.sources[id]
	if src == nil {
		return nil, notFound("")
	}
	return gen.PaymentSourceOnlyResponse{PaymentSource: *src}, nil
}

// deleteSource: POST /api/v2/payment_sources/{payment_source_id}/delete.
// The source leaves its customer; when it was the primary (or backup)
// source, the customer has none any more, and without a primary source no
// payment_method. The answer shows the source with deleted true.
func (h *Handler) deleteSource(id string, now time.Time) (any, *apiError) {
	src := h.st.sources[id]
	if src == nil {
		return nil, notFound("")
	}
	c := h.st.customers[src.CustomerID]
	delete(h.st.sources, id)
	delete(h.st.seq, id)
	if c == nil {
		// Sources are stored only for customers that exist; kept safe anyway.
		return nil, notFound("")
	}
	ids := h.st.bySource[c.ID]
	for i, sid := range ids {
		if sid == id {
			h.st.bySource[c.ID] = append(ids[:i:i], ids[i+1:]...)
			break
		}
	}
	if ptr.Deref(c.PrimaryPaymentSourceID) == id {
		c.PrimaryPaymentSourceID, c.PaymentMethod = nil, nil
	}
	if ptr.Deref(c.BackupPaymentSourceID) == id {
		c.BackupPaymentSourceID = nil
	}
	h.touch(c, now)
	gone := *src
	gone.Deleted = true
	gone.UpdatedAt = ptr.To(now.Unix())
	gone.ResourceVersion = ptr.To(h.version(now))
	h.emitSource(EventPaymentSourceDeleted, EventCardDeleted, c, &gone, now)
	return gen.PaymentSourceResponse{Customer: *c, PaymentSource: gone}, nil
}

// updateSourceCard: POST /api/v2/payment_sources/{payment_source_id}/update_card.
// The card's name, expiry and billing address change as sent; its number
// cannot. A payment source that is not a card is refused, as in Chargebee.
func (h *Handler) updateSourceCard(id string, req gen.UpdatePaymentSourceCardRequest, now time.Time) (any, *apiError) {
	src := h.st.sources[id]
	if src == nil {
		return nil, notFound("")
	}
	c := h.st.customers[src.CustomerID]
	if c == nil {
		return nil, notFound("")
	}
	if src.Type != "card" || src.Card == nil {
		return nil, invalidState("", "The payment source is not a card")
	}
	if u := req.Card; u != nil {
		sc := src.Card
		set := func(dst **string, v *string) {
			if v != nil {
				*dst = v
			}
		}
		set(&sc.FirstName, u.FirstName)
		set(&sc.LastName, u.LastName)
		set(&sc.BillingAddr1, u.BillingAddr1)
		set(&sc.BillingAddr2, u.BillingAddr2)
		set(&sc.BillingCity, u.BillingCity)
		set(&sc.BillingZip, u.BillingZip)
		set(&sc.BillingStateCode, u.BillingStateCode)
		set(&sc.BillingState, u.BillingState)
		set(&sc.BillingCountry, u.BillingCountry)
		if u.ExpiryMonth != nil {
			sc.ExpiryMonth = ptr.To(int64(*u.ExpiryMonth))
		}
		if u.ExpiryYear != nil {
			sc.ExpiryYear = ptr.To(int64(*u.ExpiryYear))
		}
	}
	src.UpdatedAt = ptr.To(now.Unix())
	src.ResourceVersion = ptr.To(h.version(now))
	h.touch(c, now)
	h.emitSource(EventPaymentSourceUpdated, EventCardUpdated, c, src, now)
	return gen.PaymentSourceResponse{Customer: *c, PaymentSource: *src}, nil
}

// retrieveIntent: GET /api/v2/payment_intents/{payment_intent_id}.
func (h *Handler) retrieveIntent(id string, now time.Time) (any, *apiError) {
	intent := h.st.intents[id]
	if intent == nil {
		return nil, notFound("")
	}
	h.refreshIntent(intent, now)
	return gen.PaymentIntentResponse{PaymentIntent: intent.pi}, nil
}

// updateIntent: POST /api/v2/payment_intents/{payment_intent_id}. Only an
// intent still inited or in_progress changes; any other is refused with
// 409 invalid_state_for_request, as Chargebee does.
func (h *Handler) updateIntent(id string, req gen.UpdatePaymentIntentRequest, now time.Time) (any, *apiError) {
	intent := h.st.intents[id]
	if intent == nil {
		return nil, notFound("")
	}
	h.refreshIntent(intent, now)
	switch intent.pi.Status {
	case "inited", "in_progress":
	default:
		return nil, invalidState("", "The payment intent is in "+string(intent.pi.Status)+" state and cannot be updated")
	}
	pi := &intent.pi
	if req.Amount != nil {
		pi.Amount = *req.Amount
	}
	if req.CurrencyCode != nil {
		pi.CurrencyCode = req.CurrencyCode
	}
	if req.GatewayAccountID != nil {
		pi.GatewayAccountID = req.GatewayAccountID
	}
	if req.PaymentMethodType != nil {
		pi.PaymentMethodType = req.PaymentMethodType
	}
	if req.SuccessURL != nil {
		pi.SuccessURL = req.SuccessURL
	}
	if req.FailureURL != nil {
		pi.FailureURL = req.FailureURL
	}
	h.touchIntent(intent, now)
	h.emitIntent(EventPaymentIntentUpdated, "api", pi, now)
	return gen.PaymentIntentResponse{PaymentIntent: *pi}, nil
}
