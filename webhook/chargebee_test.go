package webhook_test

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestEventTypesAreChargebees holds the package's EventType constants to
// Chargebee's webhook events (WebhookContentMap in the pinned npm chargebee,
// snapshotted by `make chargebee-defs`): each constant is an event type
// Chargebee has, every payment-method event of Chargebee's (payment_source_*,
// payment_intent_*, card_*) has a constant, and each constant's doc says the
// resources Chargebee's content holds.
func TestEventTypesAreChargebees(t *testing.T) {
	data, err := os.ReadFile("../api/testdata/chargebee-definitions.json")
	require.NoError(t, err)
	var defs struct {
		Events map[string][]string `json:"events"`
	}
	require.NoError(t, json.Unmarshal(data, &defs))
	require.Greater(t, len(defs.Events), 100, "run `make chargebee-defs`")

	ours := eventConstants(t)
	require.NotEmpty(t, ours)
	for typ, content := range ours {
		want, ok := defs.Events[typ]
		if assert.True(t, ok, "%s is not an event type of Chargebee's", typ) {
			assert.Equal(t, strings.Join(want, ", "), content, "%s: the resources of its content (the constant's Content: comment)", typ)
		}
	}
	for typ := range defs.Events {
		if strings.HasPrefix(typ, "payment_source_") || strings.HasPrefix(typ, "payment_intent_") || strings.HasPrefix(typ, "card_") {
			assert.Contains(t, ours, typ, "Chargebee's payment-method event %s has no constant", typ)
		}
	}
}

// eventConstants reads event.go's EventType constants, each with the
// resources the "// Content: a, b." comment of its group names (up to its
// first . or ;), sorted.
func eventConstants(t *testing.T) map[string]string {
	f, err := parser.ParseFile(token.NewFileSet(), "event.go", nil, parser.ParseComments)
	require.NoError(t, err)
	out := map[string]string{}
	for _, d := range f.Decls {
		gd, ok := d.(*ast.GenDecl)
		if !ok || gd.Tok != token.CONST {
			continue
		}
		content := ""
		for _, spec := range gd.Specs {
			vs := spec.(*ast.ValueSpec)
			if vs.Doc != nil {
				content = "" // a new group: its own Content: line, or none
				for _, line := range vs.Doc.List {
					if c, ok := strings.CutPrefix(strings.TrimSpace(line.Text), "// Content: "); ok {
						c = c[:strings.IndexAny(c+".", ".;")]
						names := strings.Split(c, ", ")
						slices.Sort(names)
						content = strings.Join(names, ", ")
					}
				}
			}
			if id, ok := vs.Type.(*ast.Ident); !ok || id.Name != "EventType" {
				continue
			}
			for _, v := range vs.Values {
				lit, ok := v.(*ast.BasicLit)
				require.True(t, ok, "an EventType constant that is not a string literal")
				s, err := strconv.Unquote(lit.Value)
				require.NoError(t, err)
				out[s] = content
			}
		}
	}
	return out
}
