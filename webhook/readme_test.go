package webhook_test

import (
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestReadmeWebhookExampleIsTested keeps the test in the README's Webhooks
// section and readme_example_test.go (which runs it) identical.
func TestReadmeWebhookExampleIsTested(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	require.NoError(t, err)
	file, err := os.ReadFile("readme_example_test.go")
	require.NoError(t, err)
	const open = "```go\npackage hooks_test\n"
	i := strings.Index(string(readme), open)
	require.GreaterOrEqual(t, i, 0, "README lost its webhook test")
	body := string(readme)[i+len(open):]
	body = body[:strings.Index(body, "```\n")]
	assert.Equal(t, "package webhook_test\n"+body, string(file))
}
