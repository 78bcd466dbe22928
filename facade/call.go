package cbpay

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"reflect"
	"strings"
	"syscall"
	"time"

	"github.com/cbpay/cbpay/internal/form"
	"github.com/cbpay/cbpay/internal/rules"
)

// errBodyTooLarge ends a call whose answer is larger than the client reads.
var errBodyTooLarge = errors.New("response body too large")

// call is the pipeline every operation shares: check and encode the
// parameters once, then send with one idempotency key until an answer
// that is final, retrying what is safe to retry. A 2xx answer is decoded
// into result, a generated response model.
//
// Requests go to the URL the generated request builder gave for the
// operation (see newEndpoint); answers are decoded here from the bytes
// already read, into the generated models, rather than by the generated
// Parse functions, which would read and decode the body a second time
// (measured: 15 allocations and 5-9 µs a call).
func (c *Client) call(ctx context.Context, op *operation, pathID string, params any, opts []RequestOption, result any) (Response, error) {
	opID := op.id
	if ctx == nil {
		return Response{}, &RequestError{Operation: opID, Err: errors.New("nil context")}
	}
	hdrs, body, err := c.prepare(op, pathID, params, opts)
	if err != nil {
		return Response{}, err
	}
	// Chargebee takes idempotency keys on POST only; a GET reads, and
	// retrying it is safe without one.
	key := hdrs.get(HeaderIdempotencyKey)
	if key == "" && op.method == http.MethodPost {
		key = c.cfg.newKey()
	}
	url := c.endpoints[op.index].url(pathID)
	if op.method == http.MethodGet && len(body) > 0 {
		// A GET's parameters are its query, in the body's encoding.
		url += "?" + string(body)
	}
	d := decider{op: opID, key: key, result: result, resources: op.resources, policy: c.cfg.retry, idempotent: op.idempotent,
		sc: lazyScrubber{c: c, op: op, params: params}}
	for attempt := 1; ; attempt++ {
		start := c.cfg.clock.Now()
		var o outcome
		o.status, o.header, o.data, o.err = c.attempt(ctx, op.method, url, body, key, hdrs)
		deadline, hasDeadline := ctx.Deadline()
		v := d.decide(attempt, o, c.cfg.clock.Now(), ctx.Err(), deadline, hasDeadline)
		c.log(ctx, opID, attempt, o.status, start, key, v.note)
		if v.done {
			return v.resp, v.err
		}
		if err := c.cfg.clock.Sleep(ctx, v.wait); err != nil {
			c.log(ctx, opID, attempt, o.status, start, key, "stop: "+err.Error())
			return Response{}, &RequestError{Operation: opID, Attempts: attempt, IdempotencyKey: key, Err: err, Last: v.err}
		}
		d.last = v.err
	}
}

// outcome is what one attempt brought back: a status, headers and body, or
// a transport error (with the status when a 2xx was cut short).
type outcome struct {
	status int
	header http.Header
	data   []byte
	err    error
}

// verdict is what follows an attempt: the call ends (done, with resp or
// err), or the next attempt comes after wait. err is also the error kept if
// the wait is cut short. note is the decision as the log line shows it.
type verdict struct {
	done bool
	resp Response
	err  error
	wait time.Duration
	note string
}

// decider holds the retry policy of one call. decide is pure: it reads the
// attempt's outcome, the time and the context's state, and does no I/O, so
// every branch of the policy is testable without a server or a clock.
type decider struct {
	op, key   string
	result    any        // the generated response model a 2xx is decoded into
	resources []resource // the resources result must hold (see decodeResult)
	// idempotent: a retry after the call may have been applied is safe.
	// Otherwise only what cannot have been applied is retried: a
	// connection that was never made, or a 429.
	idempotent bool
	policy     retryPolicy
	sc         lazyScrubber // built on the first failure only: success does not pay for it
	last       error        // the previous attempt's error, kept if the context ends the call
}

func (d *decider) decide(attempt int, o outcome, now time.Time, ctxErr error, deadline time.Time, hasDeadline bool) verdict {
	var final error
	var reason string
	var wait time.Duration
	switch {
	case o.err != nil && ctxErr != nil:
		// The caller's context ended the attempt. A complete answer read
		// before that is still used below: the call was applied.
		return verdict{done: true, note: "stop: " + ctxErr.Error(),
			err: &RequestError{Operation: d.op, Attempts: attempt, IdempotencyKey: d.key, Err: ctxErr, Last: d.last}}
	case o.err != nil && o.status != 0:
		// A 2xx arrived but its body could not be read whole.
		serr := d.sc.get().err(o.err)
		final = &RequestError{Operation: d.op, Attempts: attempt, IdempotencyKey: d.key, Err: serr}
		if !errors.Is(o.err, errBodyTooLarge) && d.idempotent {
			// Applied, answer lost: the same key makes another attempt
			// safe, and it will be answered by replay.
			reason, wait = "answer cut short: "+serr.Error(), d.policy.backoff(attempt)
		}
	case o.err != nil:
		// A transport error may quote the server (a malformed status
		// line): its text is scrubbed too.
		serr := d.sc.get().err(o.err)
		final = &RequestError{Operation: d.op, Attempts: attempt, IdempotencyKey: d.key, Err: serr}
		if transient(o.err) && (d.idempotent || notSent(o.err)) {
			reason, wait = "network error: "+serr.Error(), d.policy.backoff(attempt)
		}
	case o.status >= 200 && o.status < 300:
		if err := decodeResult(o.header, o.data, d.result, d.resources); err != nil {
			s := d.sc.get()
			return verdict{done: true, note: "fail: undecodable answer",
				err: &DecodeError{Operation: d.op, StatusCode: o.status, Attempts: attempt, IdempotencyKey: d.key,
					Excerpt: excerpt(maskJSONValues(string(o.data), s.scrub)), Err: s.err(err)}}
		}
		return verdict{done: true, note: "done", resp: Response{StatusCode: o.status, Header: o.header, IdempotencyKey: d.key,
			Replayed: strings.EqualFold(o.header.Get(canonicalReplayed), "true"), Attempts: attempt, Raw: o.data}}
	default:
		apiErr := decodeAPIError(d.op, o.status, o.header, o.data, d.sc.get())
		apiErr.IdempotencyKey, apiErr.Attempts = d.key, attempt
		final = apiErr
		if d.policy.retryableStatus(o.status) && (d.idempotent || o.status == http.StatusTooManyRequests) {
			reason, wait = fmt.Sprintf("status %d", o.status), d.policy.backoff(attempt)
			if ra, ok := retryAfter(o.header, now); ok {
				if ra > d.policy.maxRetryAfter {
					return verdict{done: true, err: final,
						note: fmt.Sprintf("give up: Retry-After %v exceeds %v", ra, d.policy.maxRetryAfter)}
				}
				wait = ra
			}
		}
	}
	switch {
	case reason == "":
		return verdict{done: true, err: final, note: "fail: not retried"}
	case attempt > d.policy.maxRetries:
		return verdict{done: true, err: final, note: fmt.Sprintf("give up after %d attempts: %s", attempt, reason)}
	case ctxErr != nil:
		return verdict{done: true, note: "stop: " + ctxErr.Error(),
			err: &RequestError{Operation: d.op, Attempts: attempt, IdempotencyKey: d.key, Err: ctxErr, Last: final}}
	case hasDeadline && deadline.Sub(now) < wait:
		// The context would end during the wait: return what we have now
		// rather than a bare deadline error later.
		return verdict{done: true, err: final,
			note: fmt.Sprintf("give up: wait %v outlasts the context", wait.Round(time.Millisecond))}
	}
	return verdict{wait: wait, err: final, note: fmt.Sprintf("retry in %v: %s", wait.Round(time.Millisecond), reason)}
}

// notSent reports whether a transport error means the request never
// reached a server: the connection was refused or could not be dialled.
// Only such errors are retried for an operation that is not idempotent.
func notSent(err error) bool {
	var op *net.OpError
	return errors.Is(err, syscall.ECONNREFUSED) || errors.As(err, &op) && op.Op == "dial"
}

// transient reports whether a transport error may go away on another
// attempt: the connection could not be made, was reset or cut before the
// whole answer, or the attempt timed out. Errors about the request itself
// or the peer's identity (an untrusted certificate, an unknown host) are
// final: another attempt would fail the same way.
func transient(err error) bool {
	var (
		cert *tls.CertificateVerificationError
		unk  x509.UnknownAuthorityError
		host x509.HostnameError
		inv  x509.CertificateInvalidError
		dns  *net.DNSError
	)
	switch {
	case errors.As(err, &cert), errors.As(err, &unk), errors.As(err, &host), errors.As(err, &inv):
		return false
	case errors.As(err, &dns):
		return !dns.IsNotFound
	case errors.Is(err, io.EOF),
		errors.Is(err, io.ErrUnexpectedEOF),
		errors.Is(err, syscall.ECONNRESET),
		errors.Is(err, syscall.ECONNREFUSED),
		errors.Is(err, syscall.ECONNABORTED),
		errors.Is(err, syscall.EPIPE),
		errors.Is(err, context.DeadlineExceeded):
		return true
	}
	var op *net.OpError
	if errors.As(err, &op) {
		return true // dial, read or write on the connection failed
	}
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// prepare checks the call before any I/O and encodes its body.
func (c *Client) prepare(op *operation, pathID string, params any, opts []RequestOption) (resolved, []byte, error) {
	validate := !c.cfg.noValidation
	hdrs, bad := resolveHeaders(c.cfg.defaults, opts, func(name string) bool {
		_, ok := op.spec.Headers[strings.ToLower(name)]
		return ok
	})
	var problems []rules.Problem
	for _, name := range bad {
		problems = append(problems, rules.Problem{Field: strings.ToLower(name), Rule: "is not accepted by " + op.id})
	}
	for _, h := range hdrs {
		var msg string
		switch r, ok := op.spec.Headers[strings.ToLower(h.name)]; {
		case !validHeaderName(h.name):
			msg = "is not a valid header name"
		case reservedHeaders[http.CanonicalHeaderKey(h.name)]:
			msg = "is set by the client and cannot be replaced"
		case ok && validate:
			msg = r.CheckHeader(h.value)
		default:
			msg = rules.CheckHeaderSafety(h.value)
		}
		if msg != "" {
			problems = append(problems, rules.Problem{Field: strings.ToLower(h.name), Rule: msg})
		}
	}
	for name, r := range op.spec.Params {
		switch {
		case pathID == "":
			problems = append(problems, rules.Problem{Field: name, Rule: "must not be empty"})
		case strings.TrimSpace(pathID) == "":
			// Sent, "   " would name a customer no one can have meant.
			problems = append(problems, rules.Problem{Field: name, Rule: "must not be only white space"})
		case pathID == "." || pathID == "..":
			// Escaping leaves dots alone, and the URL would resolve them
			// to another endpoint.
			problems = append(problems, rules.Problem{Field: name, Rule: "must not be . or .."})
		case validate:
			if msg := r.CheckString(pathID); msg != "" {
				problems = append(problems, rules.Problem{Field: name, Rule: msg})
			}
		}
	}
	root, err := op.checker.Plan.Root(params)
	if err != nil && (len(op.checker.Plan.Fields) == 0 || op.method == http.MethodGet) &&
		reflect.ValueOf(params).Kind() == reflect.Pointer && reflect.ValueOf(params).IsNil() {
		// An operation without parameters (XParams is struct{}), or a GET
		// (whose parameters are filters), takes nil: none.
		root, err = reflect.New(op.checker.Plan.Type).Elem(), nil
	}
	if err != nil {
		problems = append(problems, rules.Problem{Field: "parameters", Rule: "are required"})
	} else if validate {
		problems = op.checker.Check(root, problems)
	}
	if len(problems) > 0 {
		ve := &ValidationError{Operation: op.id, Problems: make([]FieldError, len(problems))}
		for i, p := range problems {
			ve.Problems[i] = FieldError(p)
		}
		return nil, nil, ve
	}
	body, err := op.checker.Plan.Append(nil, root) // sizes its buffer from the plan
	if err != nil {
		// A value no encoding can send (a NaN in additional_information):
		// refused like any other bad parameter, before any I/O.
		field := "parameters"
		var fe *form.FieldError
		if errors.As(err, &fe) {
			field = fe.Key
		}
		return nil, nil, &ValidationError{Operation: op.id, Problems: []FieldError{{Field: field, Rule: encodeRule(err)}}}
	}
	return hdrs, body, nil
}

// encodeRule says why a value could not be encoded, without the value: a
// free-form object may hold documents or fraud ids, and a failing
// MarshalJSON may quote anything.
func encodeRule(err error) string {
	var (
		uv *json.UnsupportedValueError
		ut *json.UnsupportedTypeError
	)
	switch {
	case errors.As(err, &uv) && strings.HasPrefix(uv.Str, "encountered a cycle"):
		return "holds a cycle, which JSON cannot encode"
	case errors.As(err, &uv) && (uv.Str == "NaN" || strings.HasSuffix(uv.Str, "Inf")):
		return "holds " + uv.Str + ", which JSON cannot encode"
	case errors.Is(err, form.ErrNotFinite):
		return "must be a finite number"
	case errors.As(err, &ut):
		return "holds a " + ut.Type.String() + ", which JSON cannot encode"
	}
	return "cannot be encoded: it must hold only JSON values (finite numbers, strings, booleans, null, arrays and objects)"
}

// decodeResult decodes a 2xx answer into a generated response model and
// checks that the resources the spec requires came with their ids: a 200
// with {} is not a payment source.
func decodeResult(header http.Header, data []byte, result any, required []resource) error {
	if ct := header.Get("Content-Type"); !strings.Contains(ct, "json") {
		return fmt.Errorf("answer is not JSON (Content-Type %q)", ct)
	}
	if err := json.Unmarshal(data, result); err != nil {
		return err
	}
	v := reflect.ValueOf(result).Elem()
	for _, r := range required {
		if v.Field(r.field).Field(r.id).String() == "" {
			return fmt.Errorf("answer has no %s", r.name)
		}
	}
	return nil
}

// resource is a resource a response model requires: a struct field (not a
// pointer) with a string ID.
type resource struct {
	name      string // its JSON name
	field, id int    // the field's index in the model, Id's in the field
}

// resources lists the resources the response model t requires, in field
// order.
func resources(t reflect.Type) []resource {
	var out []resource
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if f.Type.Kind() != reflect.Struct {
			continue
		}
		if id, ok := f.Type.FieldByName("ID"); ok && len(id.Index) == 1 && id.Type.Kind() == reflect.String {
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			out = append(out, resource{name: name, field: i, id: id.Index[0]})
		}
	}
	return out
}

// errorBodyLimit caps what is read of an error answer: enough for any
// Chargebee error and an excerpt of a proxy's page.
const errorBodyLimit = 64 << 10

// attempt sends the body once and reads the whole answer, so the caller can
// decide on it without holding a connection. A 2xx answer larger than the
// client's limit, or cut short, is an error with its status; an error
// answer is cut at errorBodyLimit.
func (c *Client) attempt(ctx context.Context, method, url string, body []byte, key string, hdrs resolved) (int, http.Header, []byte, error) {
	if d, ok := ctx.Deadline(); !ok || time.Until(d) > c.cfg.timeout {
		// The attempt's own bound, when the caller's ends later. (It
		// costs 3 allocations here and 4 in net/http, which watches a
		// cancellable context: 2-4 µs a call over loopback. See "The
		// per-attempt timeout" in docs/PERFORMANCE.md.)
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, c.cfg.timeout)
		defer cancel()
	}
	var rd io.Reader = http.NoBody
	if method != http.MethodGet {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, url, rd)
	if err != nil {
		return 0, nil, nil, err
	}
	c.authorize(req)
	c.setHeaders(req.Header, method, key, hdrs)
	resp, err := c.cfg.doer.Do(req)
	if err != nil {
		return 0, nil, nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode >= 300 {
		// An error answer is decided by its status; a body cut short by the
		// connection still gives what was read for the message.
		data, _ := io.ReadAll(io.LimitReader(resp.Body, errorBodyLimit))
		return resp.StatusCode, resp.Header, data, nil
	}
	data, err := readLimited(resp.Body, resp.ContentLength, c.cfg.maxBody)
	if err != nil {
		return resp.StatusCode, resp.Header, nil, fmt.Errorf("read %d answer: %w", resp.StatusCode, err)
	}
	return resp.StatusCode, resp.Header, data, nil
}

// setHeaders writes the request's headers but Authorization: the client's
// own, the call's idempotency key, then the call's options (resolved and
// checked by prepare, which refuses the client's own names). Values are
// assigned under canonical names, as Header.Set would store them, without
// canonicalizing each name on every attempt.
func (c *Client) setHeaders(h http.Header, method, key string, hdrs resolved) {
	if method != http.MethodGet {
		h["Content-Type"] = []string{formContentType}
	}
	h["Accept"] = []string{"application/json"}
	h["User-Agent"] = []string{c.ua}
	if key != "" {
		h[canonicalIdempotencyKey] = []string{key}
	}
	for _, hv := range hdrs {
		if name := canonicalHeader(hv.name); name != canonicalIdempotencyKey {
			h[name] = []string{hv.value}
		}
	}
}

func readLimited(r io.Reader, length, limit int64) ([]byte, error) {
	if length > limit {
		return nil, fmt.Errorf("%w: %d bytes, limit %d", errBodyTooLarge, length, limit)
	}
	if length >= 0 {
		buf := make([]byte, length)
		_, err := io.ReadFull(r, buf)
		return buf, err
	}
	data, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("%w: over %d bytes", errBodyTooLarge, limit)
	}
	return data, nil
}

// log writes one line per attempt when a logger is set. It never logs
// bodies, the API key or tokens.
func (c *Client) log(ctx context.Context, op string, attempt, status int, start time.Time, key, decision string) {
	if c.cfg.logger == nil {
		return
	}
	level := slog.LevelDebug
	if !strings.HasPrefix(decision, "done") {
		level = slog.LevelWarn
	}
	c.cfg.logger.LogAttrs(ctx, level, "cbpay attempt",
		slog.String("operation", op),
		slog.Int("attempt", attempt),
		slog.Int("status", status),
		slog.Duration("duration", time.Since(start)),
		slog.String("idempotency_key", key),
		slog.String("decision", decision))
}
