package cbpay

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"reflect"
	"strings"
	"testing"

	"github.com/cbpay/cbpay/api"
	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestAnswersPrintWithoutSecrets builds each operation's answer from its
// spec schema, a distinct string in every string attribute, decodes it into
// the generated model the method returns inside its result, and prints the
// model and each resource of it on its own (res.PaymentSource,
// res.Customer, ...) with fmt's verbs and log/slog's handlers: no value of
// an attribute the spec marks x-cbpay-sensitive (card digits, gateway
// references) may show, and the model's values must.
func TestAnswersPrintWithoutSecrets(t *testing.T) {
	doc, err := openapi3.NewLoader().LoadFromData(api.OpenAPI)
	require.NoError(t, err)
	checked := 0
	for _, d := range opDefs {
		op := doc.Paths.Find(d.path).GetOperation(d.method)
		require.NotNil(t, op, d.id)
		schema := op.Responses.Status(200).Value.Content.Get("application/json").Schema.Value
		var secrets, plain []string
		n := 0
		body := sample(schema, nil, &n, false, &secrets, &plain)
		data, err := json.Marshal(body)
		require.NoError(t, err)
		model := reflect.New(d.result)
		require.NoError(t, json.Unmarshal(data, model.Interface()), d.id)
		// The answer, and each resource of it, as a caller would print them.
		values := []reflect.Value{model.Elem()}
		for i := 0; i < d.result.NumField(); i++ {
			if f := model.Elem().Field(i); reflect.Indirect(f).Kind() == reflect.Struct {
				values = append(values, f)
			}
		}
		for _, f := range values {
			v := f.Interface()
			checked++
			var texts []string
			for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
				texts = append(texts, fmt.Sprintf(verb, v))
			}
			for _, h := range []func(*bytes.Buffer) slog.Handler{
				func(b *bytes.Buffer) slog.Handler { return slog.NewTextHandler(b, nil) },
				func(b *bytes.Buffer) slog.Handler { return slog.NewJSONHandler(b, nil) },
			} {
				var buf bytes.Buffer
				slog.New(h(&buf)).Info("answer", "resource", v)
				texts = append(texts, buf.String())
			}
			for i, text := range texts {
				for _, s := range secrets {
					assert.NotContains(t, text, s, "%s %s: output %d", d.id, f.Type(), i)
				}
			}
			assert.Contains(t, texts[0], "zq", "%s %s prints its values", d.id, f.Type())
		}
		for _, p := range plain { // the answer as a whole shows every other value
			assert.Contains(t, fmt.Sprint(model.Elem().Interface()), p, d.id)
		}
		if strings.Contains(d.id, "PaymentSource") || d.id == "updatePaymentMethod" {
			assert.NotEmpty(t, secrets, "%s: an answer with card data or references", d.id)
		}
	}
	assert.GreaterOrEqual(t, checked, len(opDefs))
}

// sample builds a JSON value for schema, at key path path: distinct
// strings (zqNNN...) in string attributes, listed in secrets when the
// attribute is marked x-cbpay-sensitive, sits under one, or has a key path
// a result redacts (so that a model that does not mark what its result
// hides fails), else in plain; the first enum value for an enum; 1 for
// numbers; true for booleans; one element for arrays; nothing for
// free-form objects.
func sample(s *openapi3.Schema, path []string, n *int, secret bool, secrets, plain *[]string) any {
	if len(path) > 8 {
		return nil
	}
	secret = secret || s.Extensions["x-cbpay-sensitive"] == true || sensitivePath(path)
	switch {
	case len(s.Enum) > 0:
		return s.Enum[0]
	case s.Type.Is(openapi3.TypeString):
		if s.Extensions["x-go-type"] != nil {
			return nil // a free-form object kept as a map
		}
		*n++
		v := fmt.Sprintf("zq%03dvalue", *n)
		if secret {
			*secrets = append(*secrets, v)
		} else {
			*plain = append(*plain, v)
		}
		return v
	case s.Type.Is(openapi3.TypeInteger), s.Type.Is(openapi3.TypeNumber):
		return 1
	case s.Type.Is(openapi3.TypeBoolean):
		return true
	case s.Type.Is(openapi3.TypeArray):
		if s.Items == nil {
			return []any{}
		}
		return []any{sample(s.Items.Value, path, n, secret, secrets, plain)}
	case s.Type.Is(openapi3.TypeObject) || len(s.Properties) > 0:
		out := map[string]any{}
		for name, p := range s.Properties {
			if v := sample(p.Value, append(path[:len(path):len(path)], name), n, secret, secrets, plain); v != nil {
				out[name] = v
			}
		}
		return out
	}
	return nil
}
