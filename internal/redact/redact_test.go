package redact

import (
	"bytes"
	"fmt"
	"log/slog"
	"testing"
	"time"

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

// ptrFormatted prints itself through a pointer receiver only.
type ptrFormatted struct {
	Secret *string `json:"secret,omitempty"`
}

func (p *ptrFormatted) Format(f fmt.State, _ rune) { Format(f, p, "secret") }
func (p *ptrFormatted) LogValue() slog.Value       { return LogValue(p, "secret") }

// fmtOnly prints itself for fmt and has no LogValue.
type fmtOnly struct {
	Secret *string `json:"secret,omitempty"`
}

func (p fmtOnly) Format(f fmt.State, _ rune) { Format(f, p, "secret") }

type Embedded struct {
	Token *string `json:"token,omitempty"`
	Name  *string `json:"name,omitempty"`
}

type holder struct {
	Embedded
	Ptr   *ptrFormatted `json:"ptr,omitempty"`
	Fmt   *fmtOnly      `json:"fmt,omitempty"`
	Codes [2]string     `json:"codes"`
	List  []string      `json:"list,omitempty"`
	When  *time.Time    `json:"when,omitempty"`
	Plain *address      `json:"plain,omitempty"`
}

func TestNestedValuesKeepTheirOwnRedaction(t *testing.T) {
	when := time.Date(2030, 12, 1, 0, 0, 0, 0, time.UTC)
	h := holder{Embedded: Embedded{Token: ptr("tok_EMBEDDED_1"), Name: ptr("Ana")},
		Ptr: &ptrFormatted{Secret: ptr("SECRET_PTR_1")}, Fmt: &fmtOnly{Secret: ptr("SECRET_FMT_1")},
		Codes: [2]string{"CODE_A_1", "CODE_B_1"}, When: &when, Plain: &address{City: ptr("Austin")}}
	var outs []string
	for _, verb := range []string{"%v", "%+v", "%#v"} {
		outs = append(outs, fmt.Sprintf(verb, formatted{h}))
	}
	for name, mk := range map[string]func(*bytes.Buffer) slog.Handler{
		"text": func(b *bytes.Buffer) slog.Handler { return slog.NewTextHandler(b, nil) },
		"json": func(b *bytes.Buffer) slog.Handler { return slog.NewJSONHandler(b, nil) },
	} {
		var b bytes.Buffer
		slog.New(mk(&b)).Info("x", "h", LogValue(h, "token"))
		outs = append(outs, name+": "+b.String())
	}
	for _, out := range outs {
		for _, secret := range []string{"tok_EMBEDDED_1", "SECRET_PTR_1", "SECRET_FMT_1", "CODE_A_1"} {
			assert.NotContains(t, out, secret)
		}
		assert.Contains(t, out, "Ana", "an embedded struct's fields are listed as the holder's")
		assert.Contains(t, out, "2030", "a time prints as one")
		assert.Contains(t, out, "Austin")
	}
	assert.Equal(t, "{token:[REDACTED] name:Ana ptr:{secret:[REDACTED]} fmt:{secret:[REDACTED]} codes:{…} when:2030-12-01 00:00:00 +0000 UTC plain:{city:Austin}}",
		fmt.Sprint(formatted{h}), "a nil slice is left out")
}

// formatted prints a holder through Format, as a generated model does.
type formatted struct{ h holder }

func (f formatted) Format(s fmt.State, _ rune) { Format(s, f.h, "token") }
