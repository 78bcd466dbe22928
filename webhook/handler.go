package webhook

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"strconv"
	"strings"
)

// DefaultMaxBodyBytes is the largest body a Handler reads unless
// WithMaxBodyBytes says otherwise. Chargebee's payment-method events are a
// few kilobytes; 1 MiB leaves room for the large ones (an invoice with many
// lines) and bounds what a stranger can make the server read.
const DefaultMaxBodyBytes = 1 << 20

// realm is the Basic auth realm a refusal names.
const realm = `Basic realm="Chargebee webhook", charset="UTF-8"`

// Handler is an http.Handler for Chargebee's webhook deliveries: it checks
// the credentials, reads and parses the event, and hands it to the callback
// given to NewHandler. Chargebee counts a delivery as done only on a 2xx
// answer, and retries the others with backoff for a few days, so the
// Handler answers 200 only when the callback returned nil:
//
//	200  the callback returned nil (or the Deduper had seen the id)
//	400  not a Chargebee event (not JSON, no id or event_type)
//	401  missing or wrong credentials, with WWW-Authenticate
//	405  a method other than POST, with Allow
//	413  a body over the limit (WithMaxBodyBytes)
//	415  a Content-Type other than JSON (none at all is accepted)
//	500  the callback, or the Deduper, returned an error: Chargebee retries
//
// Answers are fixed short texts: the Handler never echoes the body or the
// credentials, nor logs them. A Handler is safe for concurrent use.
type Handler struct {
	fn      func(context.Context, *Event) error
	creds   []credential
	maxBody int64
	dedupe  Deduper
	log     *slog.Logger
}

// credential is one accepted user name and password, as SHA-256 digests so
// that comparing them takes the same time whatever their lengths.
type credential struct {
	user, pass [sha256.Size]byte
}

// Option configures a Handler.
type Option func(*config)

type config struct {
	creds   []credential
	badCred string // why a WithBasicAuth pair was refused
	noAuth  bool
	maxBody int64
	dedupe  Deduper
	log     *slog.Logger
}

// WithBasicAuth sets the user name and password Chargebee sends, as set on
// the webhook endpoint in Chargebee ("Protect webhook URL with basic
// authentication"). Give it twice to accept two pairs while rotating them.
// Both must be non-empty, and the user name cannot hold a colon (HTTP Basic
// auth could not carry it).
func WithBasicAuth(username, password string) Option {
	return func(c *config) {
		switch {
		case username == "" || password == "":
			c.badCred = "WithBasicAuth needs a user name and a password (WithoutAuth turns the check off)"
		case strings.Contains(username, ":"):
			c.badCred = "WithBasicAuth: a user name cannot contain ':'"
		default:
			c.creds = append(c.creds, credential{
				user: sha256.Sum256([]byte(username)),
				pass: sha256.Sum256([]byte(password)),
			})
		}
	}
}

// WithoutAuth accepts deliveries with any credentials or none. Chargebee's
// webhooks carry no signature: Basic auth over HTTPS is the only thing that
// tells its deliveries from anyone else's requests, so use this only where
// something else does (a private network, a proxy that checks them), or in
// tests.
func WithoutAuth() Option {
	return func(c *config) { c.noAuth = true }
}

// WithMaxBodyBytes bounds the body the Handler reads (DefaultMaxBodyBytes
// otherwise); a longer one is answered 413. Zero or less means the default.
func WithMaxBodyBytes(n int64) Option {
	return func(c *config) {
		if n > 0 {
			c.maxBody = n
		}
	}
}

// WithDeduper makes the Handler skip events whose id d has seen processed,
// answering 200 without calling back, and tell d about each event the
// callback processed. See Deduper for what this does and does not promise.
func WithDeduper(d Deduper) Option {
	return func(c *config) { c.dedupe = d }
}

// WithLogger logs refused deliveries and callback errors to l (nothing is
// logged otherwise). Events are logged by id and type only, never their
// content, body or credentials.
func WithLogger(l *slog.Logger) Option {
	return func(c *config) { c.log = l }
}

// NewHandler returns a Handler that calls fn with each event delivered, with
// the request's context. fn's error makes the Handler answer 500, so that
// Chargebee delivers the event again later; return nil once the event is
// processed, or when it is one you ignore.
//
// Credentials are required: give WithBasicAuth, or WithoutAuth to accept
// unauthenticated deliveries on purpose. NewHandler fails without either,
// with both, or with a nil fn.
func NewHandler(fn func(ctx context.Context, e *Event) error, opts ...Option) (*Handler, error) {
	c := config{maxBody: DefaultMaxBodyBytes}
	for _, o := range opts {
		if o != nil {
			o(&c)
		}
	}
	switch {
	case fn == nil:
		return nil, errors.New("webhook: NewHandler needs a callback")
	case c.badCred != "":
		return nil, errors.New("webhook: " + c.badCred)
	case c.noAuth && len(c.creds) > 0:
		return nil, errors.New("webhook: both WithBasicAuth and WithoutAuth given")
	case !c.noAuth && len(c.creds) == 0:
		return nil, errors.New("webhook: no credentials: give WithBasicAuth (as set on the endpoint in Chargebee), or WithoutAuth")
	}
	return &Handler{fn: fn, creds: c.creds, maxBody: c.maxBody, dedupe: c.dedupe, log: c.log}, nil
}

// ServeHTTP answers one delivery; see Handler for the statuses.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		reply(w, http.StatusMethodNotAllowed, "method not allowed")
		return
	}
	if !h.authorized(r) {
		h.logf(ctx, slog.LevelWarn, "webhook: credentials refused", slog.String("remote", r.RemoteAddr))
		w.Header().Set("WWW-Authenticate", realm)
		reply(w, http.StatusUnauthorized, "unauthorized")
		return
	}
	if !jsonContent(r.Header.Get("Content-Type")) {
		reply(w, http.StatusUnsupportedMediaType, "content type must be application/json")
		return
	}
	if r.ContentLength > h.maxBody {
		reply(w, http.StatusRequestEntityTooLarge, "body too large")
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, h.maxBody))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			reply(w, http.StatusRequestEntityTooLarge, "body too large")
			return
		}
		reply(w, http.StatusBadRequest, "body could not be read")
		return
	}
	e, err := Parse(body)
	if err != nil {
		h.logf(ctx, slog.LevelWarn, "webhook: not a Chargebee event", slog.String("error", err.Error()))
		reply(w, http.StatusBadRequest, "not a Chargebee event")
		return
	}
	if h.dedupe != nil {
		seen, err := h.dedupe.Seen(ctx, e.ID)
		if err != nil {
			h.logf(ctx, slog.LevelError, "webhook: deduper failed", slog.Any("event", e), slog.String("error", err.Error()))
			reply(w, http.StatusInternalServerError, "not processed")
			return
		}
		if seen {
			h.logf(ctx, slog.LevelDebug, "webhook: duplicate delivery skipped", slog.Any("event", e))
			w.WriteHeader(http.StatusOK)
			return
		}
	}
	if err := h.fn(ctx, e); err != nil {
		h.logf(ctx, slog.LevelError, "webhook: callback failed; Chargebee will retry", slog.Any("event", e), slog.String("error", err.Error()))
		reply(w, http.StatusInternalServerError, "not processed")
		return
	}
	if h.dedupe != nil {
		// The event was processed: answer 200 whatever happens here, or
		// Chargebee would deliver it again and it would be processed twice.
		if err := h.dedupe.Processed(ctx, e.ID); err != nil {
			h.logf(ctx, slog.LevelError, "webhook: deduper could not record an event", slog.Any("event", e), slog.String("error", err.Error()))
		}
	}
	w.WriteHeader(http.StatusOK)
}

// authorized checks the request's Basic auth against every accepted pair,
// in constant time: each comparison looks at whole digests, user and
// password are both compared, and no pair ends the loop early.
func (h *Handler) authorized(r *http.Request) bool {
	if len(h.creds) == 0 {
		return true // WithoutAuth; NewHandler allows no other way
	}
	user, pass, ok := r.BasicAuth()
	if !ok {
		return false
	}
	u := sha256.Sum256([]byte(user))
	p := sha256.Sum256([]byte(pass))
	match := 0
	for _, c := range h.creds {
		match |= subtle.ConstantTimeCompare(u[:], c.user[:]) & subtle.ConstantTimeCompare(p[:], c.pass[:])
	}
	return match == 1
}

// jsonContent accepts application/json, any +json type, and no
// Content-Type at all (the body is then parsed as JSON regardless).
func jsonContent(ct string) bool {
	if ct == "" {
		return true
	}
	mt, _, err := mime.ParseMediaType(ct)
	return err == nil && (mt == "application/json" || strings.HasSuffix(mt, "+json"))
}

// reply writes a fixed short text answer.
func reply(w http.ResponseWriter, status int, text string) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Content-Length", strconv.Itoa(len(text)+1))
	w.WriteHeader(status)
	_, _ = io.WriteString(w, text+"\n")
}

func (h *Handler) logf(ctx context.Context, level slog.Level, msg string, attrs ...slog.Attr) {
	if h.log != nil {
		h.log.LogAttrs(ctx, level, msg, attrs...)
	}
}
