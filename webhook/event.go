package webhook

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"

	"github.com/cbpay/cbpay/gen"
)

// EventType is an event's event_type, as Chargebee names it. The constants
// are the payment-method events; Chargebee sends many more (and adds some
// every few months), and an Event carries any of them as it came.
type EventType string

// The payment-method events, as listed by Chargebee's definitions (npm
// chargebee 3.33.0, WebhookEvent.d.ts), each group with the resources of
// its content; TestEventTypesAreChargebees holds both to them. Chargebee
// has no card_expiring event: card_expiry_reminder is the card's,
// payment_source_expiring the payment source's.
const (
	// Content: customer, payment_source.
	PaymentSourceAdded          EventType = "payment_source_added"
	PaymentSourceUpdated        EventType = "payment_source_updated"
	PaymentSourceDeleted        EventType = "payment_source_deleted"
	PaymentSourceExpiring       EventType = "payment_source_expiring"
	PaymentSourceExpired        EventType = "payment_source_expired"
	PaymentSourceLocallyDeleted EventType = "payment_source_locally_deleted"
	// Content: business_entity_transfer, payment_source; the transfer is
	// left raw in Content.
	PaymentSourceBusinessEntityChanged EventType = "payment_source_business_entity_changed"

	// Content: payment_intent.
	PaymentIntentCreated EventType = "payment_intent_created"
	PaymentIntentUpdated EventType = "payment_intent_updated"

	// Content: customer, card. Chargebee still sends the card events beside
	// the payment source ones, for cards.
	CardAdded          EventType = "card_added"
	CardUpdated        EventType = "card_updated"
	CardDeleted        EventType = "card_deleted"
	CardExpired        EventType = "card_expired"
	CardExpiryReminder EventType = "card_expiry_reminder"
)

// ErrMalformed is wrapped by every error Parse returns: the body is not a
// Chargebee event. The handler answers it with 400.
var ErrMalformed = errors.New("webhook: malformed event")

// Event is one event Chargebee delivered: its attributes as Chargebee's
// event resource defines them, the content as raw JSON, and typed access to
// the resources the payment-method events carry.
//
// An Event prints (fmt, slog) as its id, type and occurred_at only: its
// content and raw body hold customer and card data (names, emails, last4,
// expiry) that logs should not.
type Event struct {
	// ID is the event's id (ev_...). A delivery Chargebee repeats has the
	// same id: it is the key to process an event once.
	ID string `json:"id"`
	// OccurredAt is when the event happened, in Unix seconds.
	OccurredAt int64     `json:"occurred_at"`
	Type       EventType `json:"event_type"`
	// APIVersion is the API version the content is shaped by (v1 or v2):
	// the webhook's setting in Chargebee, not this library's.
	APIVersion string `json:"api_version"`
	// Source is what caused the event: api, admin_console, js_api,
	// hosted_page, scheduled_job, system, ...
	Source string `json:"source"`
	// User is who caused it, when a person did (an email address).
	User string `json:"user,omitempty"`
	// OriginUser is the user the request that caused it named, if any.
	OriginUser    string `json:"origin_user,omitempty"`
	WebhookStatus string `json:"webhook_status"`
	// WebhookFailureReason says why the last delivery failed, if one did.
	WebhookFailureReason string `json:"webhook_failure_reason,omitempty"`
	// Webhooks is the status of the event at each webhook endpoint.
	Webhooks []Webhook `json:"webhooks,omitempty"`
	// Content is the event's content as raw JSON: an object whose keys
	// name resources (customer, payment_source, subscription, invoice,
	// ...). PaymentSource, Customer, PaymentIntent and Card decode the
	// ones this package knows; decode any other from here.
	Content json.RawMessage `json:"content"`

	raw []byte
	res resources
}

// Webhook is an event's delivery status at one of the site's webhook
// endpoints.
type Webhook struct {
	ID            string `json:"id"`
	WebhookStatus string `json:"webhook_status"`
}

// resources are the content's resources this package decodes.
type resources struct {
	PaymentSource *gen.PaymentSource `json:"payment_source"`
	Customer      *gen.Customer      `json:"customer"`
	PaymentIntent *gen.PaymentIntent `json:"payment_intent"`
	Card          *gen.Card          `json:"card"`
}

// Parse decodes a webhook body. It needs a JSON object with an id and an
// event_type; attributes it does not know are ignored, and an event type it
// does not know is returned like any other. The content's payment_source,
// customer, payment_intent and card, in any event, are decoded into the
// generated models: they are the same resources in every event that
// carries them, and one that does not decode is a malformed event rather
// than an absent resource. Errors wrap ErrMalformed and never quote the
// body.
func Parse(body []byte) (*Event, error) {
	var e Event
	if err := json.Unmarshal(body, &e); err != nil {
		return nil, malformed("", err)
	}
	switch {
	case e.ID == "":
		return nil, fmt.Errorf("%w: no id", ErrMalformed)
	case e.Type == "":
		return nil, fmt.Errorf("%w: no event_type", ErrMalformed)
	}
	if c := bytes.TrimSpace(e.Content); len(c) > 0 && !bytes.Equal(c, []byte("null")) {
		if c[0] != '{' {
			return nil, fmt.Errorf("%w: content is not a JSON object", ErrMalformed)
		}
		if err := json.Unmarshal(c, &e.res); err != nil {
			return nil, malformed("content", err)
		}
	}
	e.raw = bytes.Clone(body)
	return &e, nil
}

// malformed words a JSON error without quoting the body: a syntax error's
// message can hold a character of it.
func malformed(where string, err error) error {
	if where != "" {
		where += ": "
	}
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return fmt.Errorf("%w: %snot valid JSON (at byte %d)", ErrMalformed, where, syn.Offset)
	case errors.As(err, &typ) && typ.Field == "":
		return fmt.Errorf("%w: %sa JSON %s, not an object", ErrMalformed, where, typ.Value)
	case errors.As(err, &typ):
		return fmt.Errorf("%w: %s%s is a JSON %s, want %s", ErrMalformed, where, typ.Field, typ.Value, typ.Type)
	default:
		return fmt.Errorf("%w: %snot valid JSON", ErrMalformed, where)
	}
}

// PaymentSource returns the content's payment_source (the payment_source_*
// events), and whether it has one.
func (e *Event) PaymentSource() (*gen.PaymentSource, bool) {
	return e.res.PaymentSource, e.res.PaymentSource != nil
}

// Customer returns the content's customer (the payment_source_* and card_*
// events, and many others), and whether it has one.
func (e *Event) Customer() (*gen.Customer, bool) {
	return e.res.Customer, e.res.Customer != nil
}

// PaymentIntent returns the content's payment_intent (the payment_intent_*
// events), and whether it has one.
func (e *Event) PaymentIntent() (*gen.PaymentIntent, bool) {
	return e.res.PaymentIntent, e.res.PaymentIntent != nil
}

// Card returns the content's card (the card_* events), and whether it has
// one. Chargebee sends a card's last4, iin and expiry, never its number.
func (e *Event) Card() (*gen.Card, bool) {
	return e.res.Card, e.res.Card != nil
}

// Raw returns a copy of the body as delivered, for the caller's own
// storage (an event log, a replay queue). It holds customer and card data:
// keep it where such data may be kept, and out of logs.
func (e *Event) Raw() []byte {
	return bytes.Clone(e.raw)
}

// Format prints the event as its id, type and occurred_at, for every verb:
// the content, and the raw body, are never printed.
func (e Event) Format(f fmt.State, _ rune) {
	fmt.Fprintf(f, "webhook.Event{id:%q type:%q occurred_at:%d}", e.ID, e.Type, e.OccurredAt)
}

// LogValue is what log/slog records for an event: its id, type and
// occurred_at.
func (e Event) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("id", e.ID),
		slog.String("type", string(e.Type)),
		slog.Int64("occurred_at", e.OccurredAt),
	)
}
