package cbpay_test

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// specLibraries are the module paths of YAML and OpenAPI libraries, and of
// what they bring (JSON Schema, JSON pointers). The client's rules are
// generated Go (internal/rules/zz_rules.gen.go): none of these belongs in
// a program that only uses the client. Tests, the fake server and the
// command use them.
var specLibraries = []string{
	"github.com/getkin/kin-openapi",
	"github.com/oasdiff/yaml",
	"github.com/oasdiff/yaml3",
	"gopkg.in/yaml",
	"sigs.k8s.io/yaml",
	"github.com/goccy/go-yaml",
	"github.com/santhosh-tekuri/jsonschema",
	"github.com/go-openapi",
	"github.com/mohae/deepcopy",
	"github.com/perimeterx/marshmallow",
}

// TestProductionClientLinksNoSpecLibraries builds a minimal program that
// imports only the client (testdata/minimal) and reads the modules and
// packages it links: no YAML or OpenAPI library, and not the embedded
// spec (package api).
func TestProductionClientLinksNoSpecLibraries(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a program")
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command:", err)
	}
	bin := filepath.Join(t.TempDir(), "minimal")
	if out, err := exec.Command(goTool, "build", "-o", bin, "./testdata/minimal").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	mods, err := exec.Command(goTool, "version", "-m", bin).CombinedOutput()
	if err != nil {
		t.Fatalf("go version -m: %v\n%s", err, mods)
	}
	for _, line := range strings.Split(string(mods), "\n") {
		f := strings.Fields(line)
		if len(f) < 2 || f[0] != "dep" {
			continue
		}
		for _, lib := range specLibraries {
			if f[1] == lib || strings.HasPrefix(f[1], lib+"/") || strings.HasPrefix(f[1], lib+".") {
				t.Errorf("the client links %s", f[1])
			}
		}
	}
	pkgs, err := exec.Command(goTool, "list", "-deps", "./testdata/minimal").CombinedOutput()
	if err != nil {
		t.Fatalf("go list -deps: %v\n%s", err, pkgs)
	}
	for _, p := range strings.Fields(string(pkgs)) {
		if p == "github.com/cbpay/cbpay/api" || strings.Contains(p, "yaml") || strings.Contains(p, "openapi3") {
			t.Errorf("the client links package %s", p)
		}
	}
	if t.Failed() {
		t.Logf("go version -m:\n%s", mods)
	}
}
