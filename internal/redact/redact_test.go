package redact

import (
	"bytes"
	"fmt"
	"log/slog"
	"testing"

	"github.com/stretchr/testify/assert"
)

type address struct {
	City *string `json:"city,omitempty"`
}

type card struct {
	Number *string         `json:"number,omitempty"`
	Brand  *string         `json:"brand,omitempty"`
	Month  *int            `json:"expiry_month,omitempty"`
	Info   *map[string]any `json:"additional_information,omitempty"`
	Addr   *address        `json:"billing_address,omitempty"`
	Unset  *string         `json:"unset,omitempty"`
	Extra  map[string]any  `json:"-"`
}

func (c card) Format(f fmt.State, _ rune) { Format(f, c, "number") }
func (c card) LogValue() slog.Value       { return LogValue(c, "number") }

func ptr[T any](v T) *T { return &v }

func TestModelsPrintWithoutTheirSecrets(t *testing.T) {
	c := &card{Number: ptr("4111111111111111"), Brand: ptr("visa"), Month: ptr(12),
		Info: &map[string]any{"document": "DOC-12345678"}, Addr: &address{City: ptr("Austin")}}
	want := "{number:[REDACTED] brand:visa expiry_month:12 additional_information:{…} billing_address:{city:Austin}}"
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q"} {
		assert.Equal(t, want, fmt.Sprintf(verb, c), verb)
		assert.Equal(t, want, fmt.Sprintf(verb, *c), verb)
	}
	for name, h := range map[string]func(*bytes.Buffer) slog.Handler{
		"text": func(b *bytes.Buffer) slog.Handler { return slog.NewTextHandler(b, nil) },
		"json": func(b *bytes.Buffer) slog.Handler { return slog.NewJSONHandler(b, nil) },
	} {
		var b bytes.Buffer
		slog.New(h(&b)).Info("stored", "card", c)
		assert.NotContains(t, b.String(), "4111111111111111", name)
		assert.NotContains(t, b.String(), "DOC-12345678", name)
		assert.Contains(t, b.String(), "visa", name)
		assert.Contains(t, b.String(), "Austin", name)
	}
}

func TestAModelWithNothingSetLogsAsEmpty(t *testing.T) {
	var b bytes.Buffer
	slog.New(slog.NewJSONHandler(&b, nil)).Info("x", "card", card{})
	assert.Contains(t, b.String(), `"card":"{}"`)
	assert.Equal(t, "{}", fmt.Sprint(card{}))
}
