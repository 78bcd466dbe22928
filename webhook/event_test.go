package webhook_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cbpay/cbpay/webhook"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fixture reads testdata/<name>.json: an event as Chargebee delivers it,
// built from the resources' attributes in Chargebee's definitions.
func fixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name+".json"))
	require.NoError(t, err)
	return b
}

// TestParsePaymentMethodEvents: each payment-method event decodes into its
// typed content, and the event's attributes are read.
func TestParsePaymentMethodEvents(t *testing.T) {
	type has struct{ source, customer, intent, card bool }
	cases := []struct {
		typ  webhook.EventType
		want has
	}{
		{webhook.PaymentSourceAdded, has{source: true, customer: true}},
		{webhook.PaymentSourceUpdated, has{source: true, customer: true}},
		{webhook.PaymentSourceDeleted, has{source: true, customer: true}},
		{webhook.PaymentSourceExpiring, has{source: true, customer: true}},
		{webhook.PaymentSourceExpired, has{source: true, customer: true}},
		{webhook.PaymentSourceLocallyDeleted, has{source: true, customer: true}},
		{webhook.PaymentIntentCreated, has{intent: true}},
		{webhook.PaymentIntentUpdated, has{intent: true}},
		{webhook.CardAdded, has{card: true, customer: true}},
		{webhook.CardUpdated, has{card: true, customer: true}},
		{webhook.CardDeleted, has{card: true, customer: true}},
		{webhook.CardExpired, has{card: true, customer: true}},
		{webhook.CardExpiryReminder, has{card: true, customer: true}},
	}
	for _, tc := range cases {
		t.Run(string(tc.typ), func(t *testing.T) {
			body := fixture(t, string(tc.typ))
			e, err := webhook.Parse(body)
			require.NoError(t, err)
			assert.Equal(t, tc.typ, e.Type)
			assert.True(t, strings.HasPrefix(e.ID, "ev_"), e.ID)
			assert.NotZero(t, e.OccurredAt)
			assert.Equal(t, "v2", e.APIVersion)
			assert.Equal(t, "scheduled", e.WebhookStatus)
			assert.NotEmpty(t, e.Source)
			require.Len(t, e.Webhooks, 1)
			assert.Equal(t, "scheduled", e.Webhooks[0].WebhookStatus)
			assert.Equal(t, body, e.Raw(), "the body is kept as delivered")
			assert.True(t, json.Valid(e.Content))

			ps, okPS := e.PaymentSource()
			cust, okC := e.Customer()
			pi, okPI := e.PaymentIntent()
			card, okCard := e.Card()
			assert.Equal(t, tc.want, has{okPS, okC, okPI, okCard})
			if okPS {
				assert.Equal(t, "cust_7Hx2aQ", ps.CustomerID)
				assert.True(t, strings.HasPrefix(ps.ID, "pm_"), ps.ID)
				assert.NotEmpty(t, ps.Status)
			}
			if okC {
				assert.Equal(t, "cust_7Hx2aQ", cust.ID)
				assert.Equal(t, "ada@example.com", *cust.Email)
			}
			if okPI {
				assert.Equal(t, "AzZTZtUgPq3Rv1Zk", pi.ID)
				assert.Equal(t, int64(5000), pi.Amount)
			}
			if okCard {
				assert.Equal(t, "pm_169vujSL0rYZJ1Bk", card.PaymentSourceID)
				assert.Equal(t, "4242", *card.Last4)
			}
		})
	}
}

func TestParseDetails(t *testing.T) {
	e, err := webhook.Parse(fixture(t, "payment_source_expiring"))
	require.NoError(t, err)
	ps, _ := e.PaymentSource()
	assert.Equal(t, "expiring", string(ps.Status))
	assert.Equal(t, int64(1), *ps.Card.ExpiryMonth)
	assert.Equal(t, "scheduled_job", e.Source)

	e, err = webhook.Parse(fixture(t, "payment_source_deleted"))
	require.NoError(t, err)
	ps, _ = e.PaymentSource()
	assert.True(t, ps.Deleted)
	require.NotNil(t, ps.BankAccount)
	assert.Equal(t, "6789", ps.BankAccount.Last4)
	assert.Nil(t, ps.Card)

	e, err = webhook.Parse(fixture(t, "payment_intent_updated"))
	require.NoError(t, err)
	pi, _ := e.PaymentIntent()
	assert.Equal(t, "authorized", string(pi.Status))
	require.NotNil(t, pi.ActivePaymentAttempt)
	assert.Equal(t, "authorized", string(pi.ActivePaymentAttempt.Status))

	e, err = webhook.Parse(fixture(t, "payment_source_updated"))
	require.NoError(t, err)
	assert.Equal(t, "ops@example.com", e.User)
}

// TestParseUnknownEvent: an event type without a constant is returned like
// any other, its content raw, and the resources this package knows decoded.
func TestParseUnknownEvent(t *testing.T) {
	e, err := webhook.Parse(fixture(t, "subscription_created"))
	require.NoError(t, err)
	assert.Equal(t, webhook.EventType("subscription_created"), e.Type)
	_, ok := e.PaymentSource()
	assert.False(t, ok)
	cust, ok := e.Customer()
	require.True(t, ok)
	assert.Equal(t, "cust_7Hx2aQ", cust.ID)

	var content struct {
		Subscription struct {
			ID     string `json:"id"`
			Status string `json:"status"`
		} `json:"subscription"`
	}
	require.NoError(t, json.Unmarshal(e.Content, &content))
	assert.Equal(t, "sub_AzZ1", content.Subscription.ID)

	// Attributes and content keys Chargebee adds later are ignored.
	e, err = webhook.Parse([]byte(`{"id":"ev_1","event_type":"something_new_2030","occurred_at":1,"new_attr":[1,2],"content":{"thing":{"a":1}}}`))
	require.NoError(t, err)
	assert.Equal(t, webhook.EventType("something_new_2030"), e.Type)
	assert.JSONEq(t, `{"thing":{"a":1}}`, string(e.Content))

	// No content at all is an event with no resources.
	e, err = webhook.Parse([]byte(`{"id":"ev_2","event_type":"x","content":null}`))
	require.NoError(t, err)
	_, ok = e.Customer()
	assert.False(t, ok)
}

func TestParseRefusesWhatIsNotAnEvent(t *testing.T) {
	const secret = "4111111111111111"
	cases := map[string]string{
		"not JSON":            `{"id":"ev_1","event_type":"card_added","content":{"card":` + secret + `x`,
		"array":               `[{"id":"ev_1"}]`,
		"string":              `"` + secret + `"`,
		"no id":               `{"event_type":"card_added","content":{}}`,
		"no event_type":       `{"id":"ev_1","content":{}}`,
		"content not object":  `{"id":"ev_1","event_type":"card_added","content":["` + secret + `"]}`,
		"wrong type":          `{"id":"ev_1","event_type":"card_added","occurred_at":"` + secret + `"}`,
		"resource not model":  `{"id":"ev_1","event_type":"card_added","content":{"card":{"last4":` + secret + `}}}`,
		"resource not object": `{"id":"ev_1","event_type":"card_added","content":{"payment_source":"` + secret + `"}}`,
		"empty":               ``,
		"null":                `null`,
	}
	for name, body := range cases {
		t.Run(name, func(t *testing.T) {
			e, err := webhook.Parse([]byte(body))
			require.Error(t, err)
			assert.Nil(t, e)
			assert.ErrorIs(t, err, webhook.ErrMalformed)
			assert.NotContains(t, err.Error(), secret, "errors never quote the body")
			assert.NotContains(t, err.Error(), "1111")
		})
	}
}

// TestEventPrintsRedacted: fmt and slog show the id, type and occurred_at,
// never the content or the raw body.
func TestEventPrintsRedacted(t *testing.T) {
	e, err := webhook.Parse(fixture(t, "card_added"))
	require.NoError(t, err)
	want := `webhook.Event{id:"ev_16BPgETyVrQbiGhA9" type:"card_added" occurred_at:1767225609}`
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%d"} {
		assert.Equal(t, want, fmt.Sprintf(verb, e), verb)
		assert.Equal(t, want, fmt.Sprintf(verb, *e), verb+" on a value")
	}
	assert.Equal(t, "["+want+"]", fmt.Sprint([]*webhook.Event{e}))

	var buf bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&buf, nil))
	logger.Info("got", "event", e, "value", *e)
	out := buf.String()
	assert.Contains(t, out, `"event":{"id":"ev_16BPgETyVrQbiGhA9","type":"card_added","occurred_at":1767225609}`)
	assert.Contains(t, out, `"value":{"id":"ev_16BPgETyVrQbiGhA9"`)
	for _, leak := range []string{"4242", "424242", "ada@example.com", "Lovelace", "2030", "Main St"} {
		assert.NotContains(t, out, leak)
		assert.NotContains(t, fmt.Sprintf("%+v %#v", e, *e), leak)
	}
}

// TestRawIsACopy: the caller's buffer and the event do not share memory.
func TestRawIsACopy(t *testing.T) {
	body := fixture(t, "payment_source_added")
	e, err := webhook.Parse(body)
	require.NoError(t, err)
	orig := bytes.Clone(body)
	body[0] = 'X'
	assert.Equal(t, orig, e.Raw())
	r := e.Raw()
	r[0] = 'Y'
	assert.Equal(t, orig, e.Raw())
}

func FuzzParse(f *testing.F) {
	for _, name := range []string{"payment_source_added", "payment_intent_updated", "card_added", "subscription_created"} {
		f.Add(fixture(f, name))
	}
	f.Add([]byte(`{"id":"ev_1","event_type":"x","content":{"card":null}}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		e, err := webhook.Parse(body)
		if err != nil {
			if e != nil || !strings.HasPrefix(err.Error(), webhook.ErrMalformed.Error()) {
				t.Fatalf("Parse: %v, %v", e, err)
			}
			return
		}
		if e.ID == "" || e.Type == "" {
			t.Fatalf("an event without id or type: %v", e)
		}
		if !bytes.Equal(e.Raw(), body) {
			t.Fatal("Raw is not the body")
		}
		_ = fmt.Sprint(e)
	})
}
