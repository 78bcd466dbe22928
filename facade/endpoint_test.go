package cbpay

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestEndpointsAreTheGeneratedURLs holds the URLs a client builds from the
// URL it learnt once per operation to the ones the generated request
// builders build on every call, path ids that need escaping included.
func TestEndpointsAreTheGeneratedURLs(t *testing.T) {
	for _, base := range []string{"https://acme.chargebee.com", "http://127.0.0.1:8080", "https://proxy.example/chargebee"} {
		c, err := New(WithBaseURL(base), WithAPIKey(testKey))
		require.NoError(t, err)
		for _, op := range c.ops.list {
			server := c.server
			for _, id := range []string{"cust_1", "cust 7/é", "a%2Fb", "?x=1#y", "..a", "ü€𝄞", "a;b,c=d&e+f"} {
				want, err := op.request(server, id)
				require.NoError(t, err)
				ep := c.endpoints[op.index]
				assert.Equal(t, want.URL.String(), ep.url(id), "%s %s", op.id, id)
			}
		}
	}
}

func TestCanonicalHeaderIsCanonicalHeaderKey(t *testing.T) {
	for _, name := range []string{HeaderIdempotencyKey, HeaderReplayed, HeaderOriginDevice, HeaderOriginIP, HeaderOriginUser,
		HeaderOriginUserEncoded, HeaderBusinessEntity, HeaderEventWebhook, HeaderEventActions, HeaderEventEmail, "X-Custom", "x-lower"} {
		assert.Equal(t, http.CanonicalHeaderKey(name), canonicalHeader(name), name)
	}
	assert.Equal(t, http.CanonicalHeaderKey(HeaderIdempotencyKey), canonicalIdempotencyKey)
	assert.Equal(t, http.CanonicalHeaderKey(HeaderReplayed), canonicalReplayed)
}

// TestEveryOperationChecksItsResources answers every operation with {}:
// each must name the first resource its response model requires, read
// from the model the operation decodes into.
func TestEveryOperationChecksItsResources(t *testing.T) {
	s := newStub(t, jsonReply(200, `{}`))
	c := newTestClient(t, s)
	for _, tc := range []struct {
		resource string
		call     func() error
	}{
		{"payment_intent", func() error {
			_, err := c.CreatePaymentIntent(bg, &CreatePaymentIntentParams{CurrencyCode: "USD"})
			return err
		}},
		{"customer", func() error {
			_, err := c.CreatePaymentSourceUsingToken(bg, &CreatePaymentSourceUsingTokenParams{CustomerID: "c", TokenID: "t"})
			return err
		}},
		{"customer", func() error {
			_, err := c.CreatePaymentSourceUsingPermanentToken(bg, &CreatePaymentSourceUsingPermanentTokenParams{CustomerID: "c", Type: "card"})
			return err
		}},
		{"customer", func() error {
			_, err := c.UpdatePaymentMethod(bg, "c", &UpdatePaymentMethodParams{PaymentMethod: &PaymentMethodParams{Type: "card"}})
			return err
		}},
		{"customer", func() error {
			_, err := c.CreateCardUsingPaymentIntent(bg, "c", &CreateCardUsingPaymentIntentParams{PaymentIntentID: Ptr("pi_1")})
			return err
		}},
	} {
		var de *DecodeError
		require.ErrorAs(t, tc.call(), &de, tc.resource)
		assert.Contains(t, de.Error(), "answer has no "+tc.resource)
	}
	for _, op := range ops().list {
		if op.method == http.MethodGet && len(op.spec.Params) == 0 {
			continue // a list: its resources are the entries of a page, and a page may be empty
		}
		assert.NotEmpty(t, op.resources, op.id)
	}
}

func TestIdempotencyKeysAreRandomUUIDs(t *testing.T) {
	seen := map[string]bool{}
	for range 1000 {
		k := newIdempotencyKey()
		require.Regexp(t, uuidV4, k)
		require.False(t, seen[k], "a key came twice")
		seen[k] = true
	}
}
