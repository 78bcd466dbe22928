package cbpay_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestReadmeExampleIsTested keeps the README's example test and
// readme_example_test.go (which runs it) identical.
func TestReadmeExampleIsTested(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	require.NoError(t, err)
	file, err := os.ReadFile("readme_example_test.go")
	require.NoError(t, err)
	const open = "```go\npackage checkout_test\n"
	i := strings.Index(string(readme), open)
	require.GreaterOrEqual(t, i, 0, "README lost its example test")
	body := string(readme)[i+len(open):]
	body = body[:strings.Index(body, "```\n")]
	assert.Equal(t, "package cbpay_test\n"+body, string(file))
}

// TestReadmeSnippetsCompile type-checks every Go snippet of the README
// (those that are not whole files, which run as tests of their own) as the
// body of a function that has what a snippet assumes in scope: ctx, a
// client c, and res or err when a snippet reads them without declaring
// them. A snippet marked illustrative is skipped.
func TestReadmeSnippetsCompile(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a package")
	}
	readme, err := os.ReadFile("../README.md")
	require.NoError(t, err)
	fence := regexp.MustCompile("(?s)(<!-- illustrative[^\n]*-->\n)?```go\n(.*?)```")
	var src strings.Builder
	src.WriteString(`package snippets

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"os"

	cbpay "github.com/cbpay/cbpay/facade"
)

var (
	_ = json.Unmarshal
	_ = errors.Is
	_ = fmt.Println
	_ = log.Print
	_ = os.Getenv
)
`)
	n := 0
	for _, m := range fence.FindAllStringSubmatch(string(readme), -1) {
		body := m[2]
		if m[1] != "" || strings.HasPrefix(body, "package ") || strings.HasPrefix(body, "import ") {
			continue
		}
		n++
		declared := declaredNames(body)
		fmt.Fprintf(&src, "\nfunc snippet%d(ctx context.Context, c *cbpay.Client, intentID, tokenFromChargebeeJS string) {\n", n)
		if !slices.Contains(declared, "res") && strings.Contains(body, "res.") {
			src.WriteString("\tvar res *cbpay.CreatePaymentSourceUsingPermanentTokenResult\n")
		}
		if !slices.Contains(declared, "err") && strings.Contains(body, "err") {
			src.WriteString("\tvar err error\n")
		}
		src.WriteString(body)
		for _, v := range declared {
			fmt.Fprintf(&src, "\t_ = %s\n", v)
		}
		src.WriteString("\t_, _, _, _ = ctx, c, intentID, tokenFromChargebeeJS\n}\n")
	}
	require.GreaterOrEqual(t, n, 8, "the README lost its snippets")
	dir, err := os.MkdirTemp(".", "readme-snippets-")
	require.NoError(t, err)
	t.Cleanup(func() { os.RemoveAll(dir) })
	require.NoError(t, os.WriteFile(filepath.Join(dir, "snippets.go"), []byte(src.String()), 0o644))
	out, err := exec.Command("go", "vet", "./"+filepath.Base(dir)).CombinedOutput()
	require.NoError(t, err, "README snippets do not compile:\n%s\n%s", out, src.String())
}

// declaredNames are the variables a snippet declares with := or var.
func declaredNames(body string) []string {
	var out []string
	for _, m := range regexp.MustCompile(`(?m)^\s*((?:\w+\s*,\s*)*\w+)\s*:=`).FindAllStringSubmatch(body, -1) {
		for _, v := range strings.Split(m[1], ",") {
			if v = strings.TrimSpace(v); v != "_" && v != "" && !slices.Contains(out, v) {
				out = append(out, v)
			}
		}
	}
	for _, m := range regexp.MustCompile(`(?m)^var (\w+)`).FindAllStringSubmatch(body, -1) {
		if !slices.Contains(out, m[1]) {
			out = append(out, m[1])
		}
	}
	return out
}
