package cbpay_test

import (
	"testing"

	cbpay "github.com/cbpay/cbpay/facade"
	"github.com/stretchr/testify/assert"
)

// List writes what Chargebee's SDK writes for an in filter,
// JSON.stringify of the values: no HTML escapes, and [] for none.
func TestListIsOneJSONArray(t *testing.T) {
	assert.Equal(t, `["card","upi"]`, *cbpay.List(cbpay.PaymentMethodTypeCard, cbpay.PaymentMethodTypeUpi))
	assert.Equal(t, `["a&b","<c>","d\"e"]`, *cbpay.List("a&b", "<c>", `d"e`))
	assert.Equal(t, `[]`, *cbpay.List[string]())
}
