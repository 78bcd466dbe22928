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
			server := c.v2.Server
			if op.v1 {
				server = c.v1.Server
			}
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
