package chargebeetest_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	cbpay "github.com/cbpay/cbpay/facade"
	"github.com/cbpay/cbpay/facade/chargebeetest"
)

// Every operation the client declares is served by the fake: a call with
// no parameters reaches the fake's validation (a 400 naming a field, or a
// 404 for a customer), never its "not implemented" 500 or a missing route.
func TestEveryOperationHasABehaviour(t *testing.T) {
	s := chargebeetest.NewServer(chargebeetest.WithCustomers("cust_1"))
	defer s.Close()
	c, err := s.Client(cbpay.WithRetries(0), cbpay.WithoutValidation())
	require.NoError(t, err)
	ops := cbpay.Operations()
	require.NotEmpty(t, ops)
	for _, op := range ops {
		_, _, err := op.Call(t.Context(), c, "cust_1", op.NewParams())
		var ae *cbpay.APIError
		if err == nil {
			continue // an operation whose fields are all optional may succeed
		}
		require.ErrorAs(t, err, &ae, op.ID)
		assert.Contains(t, []int{400, 404, 409}, ae.StatusCode, "%s: %v", op.ID, err)
	}
}

// A tool that calls an operation with parameters of another type, or none,
// gets a ValidationError, not a panic.
func TestOperationCallWithWrongParams(t *testing.T) {
	s := chargebeetest.NewServer()
	defer s.Close()
	c, err := s.Client()
	require.NoError(t, err)
	for _, op := range cbpay.Operations() {
		_, _, err := op.Call(t.Context(), c, "cust_1", struct{}{})
		var ve *cbpay.ValidationError
		require.ErrorAs(t, err, &ve, op.ID)
		assert.ErrorIs(t, err, cbpay.ErrInvalidParams)
		// nil stands for no parameters: refused where they are required,
		// sent where the operation takes none; never a panic.
		assert.NotPanics(t, func() { _, _, _ = op.Call(t.Context(), c, "cust_1", nil) }, op.ID)
	}
}
