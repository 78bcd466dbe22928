package form

import (
	"encoding/json"
	"testing"
	"unicode/utf8"

	"github.com/cbpay/cbpay/gen"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// FuzzEncodeRoundTrip encodes a request with arbitrary strings and numbers
// in top-level, nested and free-form fields, decodes it with the bracket-key
// decoder, and checks that every value comes back unchanged.
func FuzzEncodeRoundTrip(f *testing.F) {
	f.Add("cust_1", "1111", "12 Main St", "doc", int64(0), 12)
	f.Add("cust 7/é", "a&b=", "[x]%20+", "{\"a\":1}", int64(-5), -1)
	f.Add("", "", "", "", int64(1)<<62, 0)
	f.Add("\x00\xff", "\r\n", "ü€𝄞", "\xc3", int64(42), 2030)
	f.Fuzz(func(t *testing.T, customer, last4, line1, doc string, amount int64, month int) {
		req := gen.CreatePaymentSourceUsingPermanentTokenRequest{
			CustomerID:            customer,
			Type:                  gen.PaymentMethodType(line1),
			Card:                  &gen.CardParams{Last4: &last4, ExpiryMonth: &month},
			BillingAddress:        &gen.BillingAddressParams{Line1: &line1},
			AdditionalInformation: &gen.AdditionalInformation{"payer": map[string]any{"document": doc}, "n": amount},
		}
		body, err := Encode(req)
		require.NoError(t, err)
		m, err := Decode(string(body))
		require.NoError(t, err, "body %q", body)
		assert.Equal(t, customer, m["customer_id"])
		assert.Equal(t, line1, m["type"])
		card := m["card"].(map[string]any)
		assert.Equal(t, last4, card["last4"])
		assert.Equal(t, itoa(int64(month)), card["expiry_month"])
		assert.Equal(t, line1, m["billing_address"].(map[string]any)["line1"])

		var ai struct {
			Payer struct{ Document string } `json:"payer"`
			N     int64                     `json:"n"`
		}
		require.NoError(t, json.Unmarshal([]byte(m["additional_information"].(string)), &ai))
		assert.Equal(t, amount, ai.N)
		if utf8.ValidString(doc) {
			assert.Equal(t, doc, ai.Payer.Document)
		}
	})
}

func itoa(n int64) string {
	b, _ := json.Marshal(n)
	return string(b)
}

// FuzzDecode feeds arbitrary bodies to the decoder: it may refuse them but
// must not panic, and what it accepts has only string or map leaves.
func FuzzDecode(f *testing.F) {
	f.Add("card[iin]=411111&customer_id=c")
	f.Add("a[b][c][d]=1&a[b][e]=2")
	f.Add("card=1&card[iin]=2")
	f.Add("%zz=&[=]")
	f.Fuzz(func(t *testing.T, body string) {
		m, err := Decode(body)
		if err != nil {
			return
		}
		var walk func(map[string]any)
		walk = func(m map[string]any) {
			for _, v := range m {
				switch v := v.(type) {
				case string:
				case map[string]any:
					walk(v)
				default:
					t.Fatalf("leaf of type %T", v)
				}
			}
		}
		walk(m)
	})
}
