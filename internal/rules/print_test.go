package rules

import (
	"bytes"
	"fmt"
	"log/slog"
	"reflect"
	"strings"
	"testing"

	"github.com/cbpay/cbpay/internal/form"
	"github.com/stretchr/testify/assert"
)

// TestModelsPrintWithoutSecrets fills every string and free-form field of
// every operation's request model (the generated gen.XRequest), then prints
// the model and each model nested in it on its own (a *gen.CardParams, a
// *gen.PaymentMethodParams) with fmt's verbs and log/slog's handlers: no
// value of a field the spec marks x-cbpay-sensitive, and no free-form
// object's content, may show; the other values must.
func TestModelsPrintWithoutSecrets(t *testing.T) {
	printed := 0
	for id, op := range Load().Operations {
		if op.checker == nil {
			continue
		}
		plan := op.checker.Plan
		root := reflect.New(plan.Type).Elem()
		// Each model, by its steps from the root (none for the root), with the
		// values set in it.
		type model struct {
			v              reflect.Value
			secrets, plain []string
		}
		models := map[string]*model{fmt.Sprint([]form.Step(nil)): {v: root}}
		for i := range plan.Fields {
			fd := &plan.Fields[i]
			if fd.Kind != form.String && fd.Kind != form.JSON {
				continue
			}
			val := fmt.Sprintf("zq%02dvalue%s", i, strings.NewReplacer("[", "_", "]", "").Replace(fd.Key))
			secret := op.checker.Sensitive(i) || fd.Kind == form.JSON
			parent := root
			for depth, s := range fd.Steps {
				m := models[fmt.Sprint(fd.Steps[:depth])]
				if secret {
					m.secrets = append(m.secrets, val)
				} else {
					m.plain = append(m.plain, val)
				}
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
				if models[fmt.Sprint(fd.Steps[:depth+1])] == nil {
					models[fmt.Sprint(fd.Steps[:depth+1])] = &model{v: f}
				}
				parent = f
			}
		}
		for _, m := range models {
			if len(m.secrets) == 0 {
				continue
			}
			printed++
			name := id + " " + m.v.Type().Name()
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
	// The request models that hold secrets, and card, payment_method and
	// payment_intent inside them.
	assert.GreaterOrEqual(t, printed, 12)
}
