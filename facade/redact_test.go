package cbpay

import (
	"bytes"
	"fmt"
	"log/slog"
	"reflect"
	"strings"
	"testing"

	"github.com/cbpay/cbpay/gen"
	"github.com/cbpay/cbpay/internal/form"
	"github.com/cbpay/cbpay/internal/ptr"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestNestedModelsPrintWithoutSecrets fills every string field of every
// operation's parameters, then prints each nested model on its own (a
// *cbpay.CardParams, a *cbpay.PaymentMethodParams) with fmt's verbs and
// log/slog's handlers: no value of a field the spec marks x-cbpay-sensitive
// may show, and the others must.
func TestNestedModelsPrintWithoutSecrets(t *testing.T) {
	b := ops()
	require.NoError(t, b.err)
	nested := 0
	for _, op := range b.list {
		root := reflect.New(op.checker.Plan.Type).Elem()
		// Each nested model on the way to a field, by its steps from the
		// root, with the values set in it.
		type model struct {
			v              reflect.Value
			secrets, plain []string
		}
		models := map[string]*model{}
		for i := range op.checker.Plan.Fields {
			fd := &op.checker.Plan.Fields[i]
			if fd.Kind != form.String && fd.Kind != form.JSON {
				continue
			}
			val := fmt.Sprintf("zq%02dvalue%s", i, strings.ReplaceAll(fd.Key, "[", "_"))
			parent := root
			for depth, s := range fd.Steps {
				f := parent.Field(s.Index)
				if s.Ptr && f.IsNil() {
					f.Set(reflect.New(f.Type().Elem()))
				}
				if s.Ptr {
					f = f.Elem()
				}
				if depth == len(fd.Steps)-1 {
					if fd.Kind == form.JSON {
						f.Set(reflect.ValueOf(map[string]any{"document": val}))
					} else {
						f.SetString(val)
					}
					break
				}
				parent = f
				key := fmt.Sprint(fd.Steps[:depth+1])
				if models[key] == nil {
					models[key] = &model{v: f}
				}
				m := models[key]
				if op.checker.Sensitive(i) || fd.Kind == form.JSON {
					m.secrets = append(m.secrets, val)
				} else {
					m.plain = append(m.plain, val)
				}
			}
		}
		for _, m := range models {
			if len(m.secrets) == 0 {
				continue
			}
			nested++
			name := op.id + " " + m.v.Type().Name()
			for _, v := range []any{m.v.Interface(), m.v.Addr().Interface()} {
				var texts []string
				for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q"} {
					texts = append(texts, fmt.Sprintf(verb, v))
				}
				for _, h := range []func(*bytes.Buffer) slog.Handler{
					func(b *bytes.Buffer) slog.Handler { return slog.NewTextHandler(b, nil) },
					func(b *bytes.Buffer) slog.Handler { return slog.NewJSONHandler(b, nil) },
				} {
					var buf bytes.Buffer
					slog.New(h(&buf)).Info("m", "model", v)
					texts = append(texts, buf.String())
				}
				for i, text := range texts {
					for _, s := range m.secrets {
						assert.NotContains(t, text, s, "%s: output %d", name, i)
					}
					for _, p := range m.plain {
						assert.Contains(t, text, p, "%s: output %d", name, i)
					}
				}
			}
		}
	}
	assert.GreaterOrEqual(t, nested, 3, "card, payment_method and payment_intent hold secrets")
}

// TestARequestModelHidesItsNestedSecretsFromJSONLogs: log/slog's JSON
// handler would marshal a model by its tags, nested models included, so a
// model that only holds secrets in a nested one logs through LogValue too.
func TestARequestModelHidesItsNestedSecretsFromJSONLogs(t *testing.T) {
	m := gen.UpdatePaymentMethodRequest{PaymentMethod: &gen.PaymentMethodParams{
		Type: gen.PaymentMethodTypeCard, TmpToken: ptr.To("tok_zq_secret_tmp")}}
	var buf bytes.Buffer
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("m", "request", m)
	assert.NotContains(t, buf.String(), "tok_zq_secret_tmp")
	assert.Contains(t, buf.String(), "card")
}
