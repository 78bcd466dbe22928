package cbpay

import (
	"encoding/json"
	"maps"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// wireCase is what Chargebee's own SDK sends for sample parameters, from
// the snapshot `make chargebee-defs` writes (scripts/spec-tools/chargebee/
// extract.js runs the SDK's encoder on them).
type wireCase struct {
	Name      string          `json:"name"`
	Operation string          `json:"operation"`
	Params    json.RawMessage `json:"params"`
	GoParams  json.RawMessage `json:"goParams"` // the same, as cbpay's models take them, when they differ
	Encoded   string          `json:"encoded"`
}

// TestWireIsChargebeeSDKs encodes each sample as the client does and holds
// it to what Chargebee's SDK sent for it: the same keys (bracketed at every
// depth), the same values, and the same JSON objects where a key is one JSON
// value. Byte for byte the two differ in what no form decoder sees: the
// order of the fields and of a JSON object's keys (the SDK keeps its
// caller's, the client sorts), and escaping (encodeURIComponent leaves
// !'()* as they are). A list the SDK sends as one JSON array (customer_id[in])
// must be what cbpay.List writes for the same values.
func TestWireIsChargebeeSDKs(t *testing.T) {
	data, err := os.ReadFile("../api/testdata/chargebee-definitions.json")
	require.NoError(t, err)
	var defs struct {
		Wire []wireCase `json:"wire"`
	}
	require.NoError(t, json.Unmarshal(data, &defs))
	require.NotEmpty(t, defs.Wire, "run `make chargebee-defs`")
	c, err := New(WithAPIKey("test_wire"), WithBaseURL("http://127.0.0.1:1"))
	require.NoError(t, err)
	seen := map[string]bool{}
	lists := 0
	for _, wc := range defs.Wire {
		op := c.ops.byID[wc.Operation]
		require.NotNil(t, op, wc.Name)
		seen[wc.Operation] = true
		params := opDefs[op.index].newParams()
		src := wc.Params
		if wc.GoParams != nil {
			src = wc.GoParams
		}
		require.NoError(t, json.Unmarshal(src, params), wc.Name)
		pathID := ""
		if len(op.spec.Params) > 0 {
			pathID = "x_1"
		}
		_, body, err := c.prepare(op, pathID, params, nil)
		require.NoError(t, err, wc.Name)

		ours, err := url.ParseQuery(string(body))
		require.NoError(t, err, wc.Name)
		theirs, err := url.ParseQuery(wc.Encoded)
		require.NoError(t, err, wc.Name)
		assert.ElementsMatch(t, keys(theirs), keys(ours), "%s: the keys", wc.Name)
		for k, want := range theirs {
			got := ours[k]
			if len(want) != 1 || len(got) != 1 {
				assert.Equal(t, want, got, "%s: %s", wc.Name, k)
				continue
			}
			if strings.HasPrefix(want[0], "{") {
				assert.JSONEq(t, want[0], got[0], "%s: %s, one JSON value", wc.Name, k)
				continue
			}
			assert.Equal(t, want[0], got[0], "%s: %s", wc.Name, k)
		}
		// The SDK's lists of strings, written by cbpay.List.
		var sdk map[string]any
		require.NoError(t, json.Unmarshal(wc.Params, &sdk))
		for key, list := range stringLists(sdk, "") {
			lists++
			assert.Equal(t, theirs.Get(key), *List(list...), "%s: %s, as cbpay.List writes it", wc.Name, key)
		}
	}
	assert.GreaterOrEqual(t, lists, 2, "customer_id[in] and type[in] of the list sample")
	// Every API v2 operation with parameters has a sample.
	for _, id := range []string{"createPaymentIntent", "updatePaymentIntent", "createPaymentSourceUsingToken",
		"createPaymentSourceUsingPermanentToken", "createPaymentSourceUsingPaymentIntent", "listPaymentSources",
		"updatePaymentSourceCard", "updatePaymentMethod"} {
		assert.True(t, seen[id], "no wire sample for %s", id)
	}
}

func keys(v url.Values) []string {
	out := make([]string, 0, len(v))
	for k := range v {
		out = append(out, k)
	}
	return out
}

// stringLists finds the arrays of strings in SDK parameters, by bracket key.
func stringLists(params map[string]any, prefix string) map[string][]string {
	out := map[string][]string{}
	for k, v := range params {
		key := k
		if prefix != "" {
			key = prefix + "[" + k + "]"
		}
		switch v := v.(type) {
		case map[string]any:
			maps.Copy(out, stringLists(v, key))
		case []any:
			var strs []string
			for _, e := range v {
				if s, ok := e.(string); ok {
					strs = append(strs, s)
				}
			}
			if len(strs) == len(v) && len(v) > 0 {
				out[key] = strs
			}
		}
	}
	return out
}
