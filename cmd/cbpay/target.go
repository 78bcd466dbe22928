package main

import (
	"net/url"
	"os"
	"strings"

	cbpay "github.com/cbpay/cbpay/facade"
	"github.com/cbpay/cbpay/facade/chargebeetest"
	"github.com/cbpay/cbpay/internal/loopback"
)

// target is where commands send requests: a client and, for the
// in-process fake, the fake itself.
type target struct {
	client  *cbpay.Client
	fake    *chargebeetest.Server // nil for a site or base URL
	where   string
	baseURL string // --base-url, where a cbpay serve has its test hook
}

func (t *target) close() {
	if t.fake != nil {
		t.fake.Close()
	}
}

// connect builds the client from the flags and environment. With nothing
// given and allowFake, it starts the in-process fake.
func (g *globals) connect(allowFake bool) (*target, error) {
	site := firstNonEmpty(g.site, os.Getenv(cbpay.EnvSite))
	key := firstNonEmpty(g.apiKey, os.Getenv(cbpay.EnvAPIKey))
	switch {
	case g.fake || (allowFake && site == "" && g.baseURL == ""):
		if g.fake && (g.site != "" || g.baseURL != "") {
			return nil, usagef("--fake cannot be combined with --site or --base-url")
		}
		srv := chargebeetest.NewServer()
		c, err := cbpay.New(cbpay.WithBaseURL(srv.URL), cbpay.WithAPIKey(srv.APIKey))
		if err != nil {
			srv.Close()
			return nil, err
		}
		return &target{client: c, fake: srv, where: "the in-process fake Chargebee at " + srv.URL}, nil
	case g.baseURL != "":
		key, err := g.baseURLKey()
		if err != nil {
			return nil, err
		}
		c, err := cbpay.New(cbpay.WithBaseURL(g.baseURL), cbpay.WithAPIKey(key))
		if err != nil {
			return nil, usageError{err}
		}
		return &target{client: c, where: g.baseURL, baseURL: g.baseURL}, nil
	case site == "":
		return nil, usagef("no target: give --site and --api-key (or %s and %s), --base-url, or --fake", cbpay.EnvSite, cbpay.EnvAPIKey)
	}
	site, err := g.siteName(site)
	if err != nil {
		return nil, err
	}
	where := site + ".chargebee.com (test site)"
	if g.live {
		where = site + ".chargebee.com (LIVE site)"
	}
	c, err := cbpay.New(cbpay.WithSite(site), cbpay.WithAPIKey(key))
	if err != nil {
		return nil, usageError{err}
	}
	return &target{client: c, where: where}, nil
}

// siteName applies the one rule for site names, the library's: a site is
// named as in its host (acme-test is the test site, acme the live one);
// --test adds the -test suffix. A live site needs --live, so that a name
// given without thinking never reaches real customers.
func (g *globals) siteName(site string) (string, error) {
	if g.test && g.live {
		return "", usagef("--test and --live cannot be combined")
	}
	if g.test && !strings.HasSuffix(site, "-test") {
		site += "-test"
	}
	if !strings.HasSuffix(site, "-test") && !g.live {
		return "", usagef("%s is a live site (%s.chargebee.com): pass --live to use it, or --test (or %s=%s-test) for its test site", site, site, cbpay.EnvSite, site)
	}
	return site, nil
}

// baseURLKey picks the key for --base-url: --api-key if given; for a
// loopback address (a local cbpay serve) the fake's default key, never the
// environment's live key; for another host (a proxy) CHARGEBEE_API_KEY.
func (g *globals) baseURLKey() (string, error) {
	if g.apiKey != "" {
		return g.apiKey, nil
	}
	u, err := url.Parse(g.baseURL)
	if err != nil {
		return "", usagef("--base-url: %w", err)
	}
	host := u.Hostname()
	if loopback.Host(host) {
		return chargebeetest.DefaultAPIKey, nil
	}
	if k := os.Getenv(cbpay.EnvAPIKey); k != "" {
		return k, nil
	}
	return "", usagef("--base-url %s needs a key: --api-key or %s", g.baseURL, cbpay.EnvAPIKey)
}

func firstNonEmpty(vals ...string) string {
	for _, v := range vals {
		if v != "" {
			return v
		}
	}
	return ""
}
