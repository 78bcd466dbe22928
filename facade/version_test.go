package cbpay

import (
	"os"
	"regexp"
	"testing"

	"github.com/stretchr/testify/require"
)

// The version lives in Version; the changelog's newest entry must be it.
func TestChangelogIsAtThisVersion(t *testing.T) {
	data, err := os.ReadFile("../CHANGELOG.md")
	require.NoError(t, err)
	m := regexp.MustCompile(`(?m)^## \[(\d+\.\d+\.\d+)\]`).FindSubmatch(data)
	require.NotNil(t, m, "CHANGELOG.md has no version entry")
	require.Equal(t, Version, string(m[1]), "CHANGELOG.md's newest entry and cbpay.Version differ")
}
