package cbpay

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/cbpay/cbpay/gen"
	"github.com/cbpay/cbpay/internal/rules"
)

// sendFunc sends one attempt through a generated ...WithBody method.
type sendFunc func(ctx context.Context, body io.Reader, edit gen.RequestEditorFn) (*http.Response, error)

// errBodyTooLarge ends a call whose answer is larger than the client reads.
var errBodyTooLarge = errors.New("response body too large")

// call is the pipeline every operation shares: check and encode the
// parameters once, then send with one idempotency key until an answer
// that is final, retrying what is safe to retry. A 2xx answer is decoded
// into result, a generated response model.
//
// Requests are built by the generated ...WithBody methods (paths, path
// escaping); answers are decoded here from the bytes already read, into the
// generated models, rather than by the generated Parse functions, which
// would read and decode the body a second time (measured: 15 allocations
// and 5-9 µs a call).
func (c *Client) call(ctx context.Context, opID, pathID string, params any, opts []RequestOption, result any, send sendFunc) (Response, error) {
	op := c.ops.byID[opID]
	if ctx == nil {
		return Response{}, &RequestError{Operation: opID, Err: errors.New("nil context")}
	}
	hdrs, body, err := c.prepare(op, pathID, params, opts)
	if err != nil {
		return Response{}, err
	}
	key := hdrs.get(HeaderIdempotencyKey)
	if key == "" {
		key = c.cfg.newKey()
		hdrs = append(hdrs, headerValue{name: HeaderIdempotencyKey, value: key})
	}
	edit := func(_ context.Context, req *http.Request) error {
		req.Header.Set("Authorization", c.auth)
		req.Header.Set("User-Agent", c.ua)
		req.Header.Set("Accept", "application/json")
		for _, h := range hdrs {
			req.Header.Set(h.name, h.value)
		}
		return nil
	}
	for attempt := 1; ; attempt++ {
		start := time.Now()
		status, header, data, err := c.attempt(ctx, body, edit, send)
		if ctx.Err() != nil {
			c.log(ctx, opID, attempt, status, start, key, "stop: "+ctx.Err().Error())
			return Response{}, &RequestError{Operation: opID, Attempts: attempt, IdempotencyKey: key, Err: ctx.Err()}
		}
		var wait time.Duration
		var final error
		var reason string
		switch {
		case errors.Is(err, errBodyTooLarge):
			final = &RequestError{Operation: opID, Attempts: attempt, IdempotencyKey: key, Err: err}
		case err != nil:
			final = &RequestError{Operation: opID, Attempts: attempt, IdempotencyKey: key, Err: err}
			reason, wait = "network error", c.cfg.retry.backoff(attempt)
		case status >= 200 && status < 300:
			if err := decodeJSON(header, data, result); err != nil {
				c.log(ctx, opID, attempt, status, start, key, "fail: undecodable answer")
				return Response{}, &DecodeError{Operation: opID, StatusCode: status, Excerpt: excerpt(c.scrub(string(data))), Err: err}
			}
			c.log(ctx, opID, attempt, status, start, key, "done")
			return Response{StatusCode: status, Header: header, IdempotencyKey: key,
				Replayed: strings.EqualFold(header.Get(HeaderReplayed), "true"), Attempts: attempt}, nil
		default:
			apiErr := decodeAPIError(opID, status, header, data, c.scrub)
			apiErr.IdempotencyKey, apiErr.Attempts = key, attempt
			final = apiErr
			if c.cfg.retry.retryableStatus(status) {
				reason, wait = fmt.Sprintf("status %d", status), c.cfg.retry.backoff(attempt)
				if ra, ok := retryAfter(header, time.Now()); ok {
					if ra > c.cfg.retry.maxRetryAfter {
						reason = "" // the server asks for a longer wait than we allow
						c.log(ctx, opID, attempt, status, start, key, fmt.Sprintf("give up: Retry-After %v exceeds %v", ra, c.cfg.retry.maxRetryAfter))
						return Response{}, final
					}
					wait = ra
				}
			}
		}
		if reason == "" || attempt > c.cfg.retry.maxRetries {
			c.log(ctx, opID, attempt, status, start, key, "fail: not retried")
			return Response{}, final
		}
		c.log(ctx, opID, attempt, status, start, key, fmt.Sprintf("retry in %v: %s", wait.Round(time.Millisecond), reason))
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return Response{}, &RequestError{Operation: opID, Attempts: attempt, IdempotencyKey: key, Err: ctx.Err()}
		case <-t.C:
		}
	}
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
		problems = append(problems, rules.Problem{Field: name, Rule: "is not accepted by " + op.id})
	}
	for _, h := range hdrs {
		var msg string
		if r, ok := op.spec.Headers[strings.ToLower(h.name)]; ok && validate {
			msg = r.CheckHeader(h.value)
		} else if strings.ContainsAny(h.value, "\r\n") {
			msg = "must not contain CR or LF"
		}
		if msg != "" {
			problems = append(problems, rules.Problem{Field: strings.ToLower(h.name), Rule: msg})
		}
	}
	for name, r := range op.spec.Params {
		switch {
		case pathID == "":
			problems = append(problems, rules.Problem{Field: name, Rule: "must not be empty"})
		case validate:
			if msg := r.CheckString(pathID); msg != "" {
				problems = append(problems, rules.Problem{Field: name, Rule: msg})
			}
		}
	}
	root, err := op.checker.Plan.Root(params)
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
		return nil, nil, &RequestError{Operation: op.id, Err: err}
	}
	return hdrs, body, nil
}

// decodeJSON decodes a 2xx answer into a generated response model.
func decodeJSON(header http.Header, data []byte, result any) error {
	if ct := header.Get("Content-Type"); !strings.Contains(ct, "json") {
		return fmt.Errorf("answer is not JSON (Content-Type %q)", ct)
	}
	return json.Unmarshal(data, result)
}

// attempt sends the body once and reads the whole answer, so the caller can
// decide on it without holding a connection.
func (c *Client) attempt(ctx context.Context, body []byte, edit gen.RequestEditorFn, send sendFunc) (int, http.Header, []byte, error) {
	actx, cancel := context.WithTimeout(ctx, c.cfg.timeout)
	defer cancel()
	resp, err := send(actx, bytes.NewReader(body), edit)
	if err != nil {
		return 0, nil, nil, err
	}
	defer resp.Body.Close()
	data, err := readLimited(resp.Body, resp.ContentLength, c.cfg.maxBody)
	if err != nil {
		return resp.StatusCode, resp.Header, nil, fmt.Errorf("read %d answer: %w", resp.StatusCode, err)
	}
	return resp.StatusCode, resp.Header, data, nil
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
