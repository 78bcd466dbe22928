package chargebeetest

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/cbpay/cbpay/internal/form"
	"github.com/cbpay/cbpay/internal/oas"
	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
)

const formContentType = "application/x-www-form-urlencoded"

// maxBodyBytes bounds a request body. The largest field, tmp_token, is
// 65000 characters; a megabyte leaves room for everything else.
const maxBodyBytes = 1 << 20

// checkEnvelope validates what kin-openapi can validate well: the security
// requirement (Basic auth with the API key as user name and an empty
// password) and the header and path parameters. The body is left out: kin
// cannot read Chargebee's bracket keys with JSON in one value, so checkBody
// does it. Undeclared chargebee-* headers, a query string and a wrong
// Content-Type are refused here too.
func (h *Handler) checkEnvelope(ctx context.Context, op *operation, r *http.Request, params map[string]string, bodyLen int) *apiError {
	// kin reads (and buffers) the body during the security check when there
	// is one; the body was read already, so hand it a request without one.
	bare := r.WithContext(ctx)
	bare.Body = http.NoBody
	bare.GetBody = nil
	bare.ContentLength = 0
	err := openapi3filter.ValidateRequest(ctx, &openapi3filter.RequestValidationInput{
		Request:     bare,
		PathParams:  params,
		QueryParams: url.Values{},
		Route:       op.route,
		Options:     &h.kinOptions,
	})
	if err != nil {
		return envelopeError(err)
	}
	for name := range r.Header {
		lower := strings.ToLower(name)
		if strings.HasPrefix(lower, "chargebee-") && !op.headers[lower] {
			return invalidParam(codeParamNotAllowed, lower, "is not a header of this operation")
		}
	}
	if op.query {
		if bodyLen > 0 {
			return invalidParam(codeParamNotAllowed, "", "a GET has no body: send parameters in the query string")
		}
		return nil
	}
	if r.URL.RawQuery != "" {
		q, err := url.ParseQuery(r.URL.RawQuery)
		if err != nil || len(q) == 0 {
			return invalidParam(codeParamNotAllowed, "", "the query string is not allowed: send parameters in the body")
		}
		keys := make([]string, 0, len(q))
		for k := range q {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		return invalidParam(codeParamNotAllowed, keys[0], "must be sent in the body, not in the query string")
	}
	ct := r.Header.Get("Content-Type")
	if ct == "" && bodyLen == 0 {
		return nil
	}
	if mt, _, err := mime.ParseMediaType(ct); err != nil || mt != formContentType {
		return invalidParam(codeParamWrongValue, "", "Content-Type must be "+formContentType)
	}
	return nil
}

// authenticate is kin-openapi's AuthenticationFunc for the spec's basicAuth
// scheme. The key is compared in constant time and never echoed.
func (h *Handler) authenticate(_ context.Context, in *openapi3filter.AuthenticationInput) error {
	sch := in.SecurityScheme
	if sch.Type != "http" || !strings.EqualFold(sch.Scheme, "basic") {
		return in.NewError(fmt.Errorf("security scheme %s is not supported by the fake", in.SecuritySchemeName))
	}
	user, pass, ok := in.RequestValidationInput.Request.BasicAuth()
	if !ok || pass != "" || subtle.ConstantTimeCompare([]byte(user), []byte(h.apiKey)) != 1 {
		return in.NewError(nil)
	}
	return nil
}

// envelopeError turns kin-openapi's error into Chargebee's shape, naming the
// header or path parameter as sent and never its value.
func envelopeError(err error) *apiError {
	var sec *openapi3filter.SecurityRequirementsError
	if errors.As(err, &sec) {
		return unauthorized()
	}
	var re *openapi3filter.RequestError
	if errors.As(err, &re) && re.Parameter != nil {
		name := re.Parameter.Name
		var se *openapi3.SchemaError
		switch {
		case errors.Is(re.Err, openapi3filter.ErrInvalidRequired):
			return invalidParam(codeParamRequired, name, "cannot be blank")
		case errors.Is(re.Err, openapi3filter.ErrInvalidEmptyValue):
			return invalidParam(codeParamRequired, name, "cannot be blank")
		case errors.As(re.Err, &se):
			code, problem := schemaProblem(se)
			return invalidParam(code, name, problem)
		default:
			return invalidParam(codeParamWrongValue, name, "has a malformed value")
		}
	}
	return invalidParam(codeParamWrongValue, "", "the request does not match the API")
}

// checkBody validates a decoded form body against the operation's schema
// and returns it with its leaves converted to the types the schema says
// (int64, bool, a JSON object), ready to unmarshal into a gen request type.
//
// It is stricter than kin-openapi: an undeclared key, an object sent as one
// flat value (card=x), bracket keys under a scalar or a free-form JSON field,
// a JSON value that is not an object, and properties that the spec's
// x-cbpay-conflicts-with forbids together are all refused.
func (h *Handler) checkBody(op *operation, form map[string]any) (map[string]any, *apiError) {
	v, e := h.coerce(op.body, form, nil)
	if e != nil {
		return nil, e
	}
	body, _ := v.(map[string]any)
	if body == nil {
		body = map[string]any{}
	}
	if e := checkConflicts(op, body); e != nil {
		return nil, e
	}
	if err := op.body.VisitJSON(body, openapi3.VisitAsRequest(), openapi3.DisableSchemaErrorDetails()); err != nil {
		var se *openapi3.SchemaError
		if !errors.As(err, &se) {
			return nil, invalidParam(codeParamWrongValue, "", "the body does not match the API")
		}
		code, problem := schemaProblem(se)
		return nil, invalidParam(code, wireName(se.JSONPointer()), problem)
	}
	decodeJSONObjects(op.body, body)
	return body, nil
}

// decodeJSONObjects replaces, after validation, each string that the spec
// marks as holding a JSON object (x-cbpay-json) with that object, as the
// gen request types hold it (a map). coerce has checked that it parses.
func decodeJSONObjects(schema *openapi3.Schema, body map[string]any) {
	for k, v := range body {
		prop := schema.Properties[k]
		if prop == nil || prop.Value == nil {
			continue
		}
		switch v := v.(type) {
		case string:
			if oas.IsJSONObject(prop.Value) {
				if obj, err := parseJSONObject(v); err == nil {
					body[k] = obj
				}
			}
		case map[string]any:
			if prop.Value.Type.Is(openapi3.TypeObject) {
				decodeJSONObjects(prop.Value, v)
			}
		}
	}
}

// coerce walks a decoded form value alongside its schema.
func (h *Handler) coerce(schema *openapi3.Schema, val any, path []string) (any, *apiError) {
	name := wireName(path)
	switch {
	case oas.IsJSONObject(schema):
		// A free-form object described as its wire form, a string holding
		// JSON: checked here, decoded after validation (decodeJSONObjects).
		s, ok := val.(string)
		if !ok {
			return nil, invalidParam(codeParamWrongValue, name, "must be one value holding a JSON object, not "+name+"[...] keys")
		}
		if _, err := parseJSONObject(s); err != nil {
			return nil, invalidParam(codeParamWrongValue, name, err.Error())
		}
		return s, nil
	case schema.Type.Is(openapi3.TypeObject) && isFreeForm(schema):
		s, ok := val.(string)
		if !ok {
			return nil, invalidParam(codeParamWrongValue, name, "must be one value holding a JSON object, not "+name+"[...] keys")
		}
		obj, err := parseJSONObject(s)
		if err != nil {
			return nil, invalidParam(codeParamWrongValue, name, err.Error())
		}
		return obj, nil
	case schema.Type.Is(openapi3.TypeObject):
		m, ok := val.(map[string]any)
		if !ok {
			if len(path) == 0 {
				return nil, invalidParam(codeParamWrongValue, "", "the body must be a form")
			}
			return nil, invalidParam(codeParamWrongValue, name, "must be sent as "+name+"[...] keys, not as one value")
		}
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		out := make(map[string]any, len(m))
		for _, k := range keys {
			sub := append(path[:len(path):len(path)], k)
			prop := schema.Properties[k]
			if prop == nil || prop.Value == nil {
				return nil, invalidParam(codeParamNotAllowed, wireName(sub), "is not a parameter of this operation")
			}
			v, e := h.coerce(prop.Value, m[k], sub)
			if e != nil {
				return nil, e
			}
			out[k] = v
		}
		return out, nil
	}
	s, ok := val.(string)
	if !ok {
		return nil, invalidParam(codeParamWrongValue, name, "must be a single value, not "+name+"[...] keys")
	}
	switch {
	case schema.Type.Is(openapi3.TypeInteger):
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return nil, invalidParam(codeParamWrongValue, name, "must be an integer")
		}
		return n, nil
	case schema.Type.Is(openapi3.TypeNumber):
		f, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return nil, invalidParam(codeParamWrongValue, name, "must be a number")
		}
		return f, nil
	case schema.Type.Is(openapi3.TypeBoolean):
		switch s {
		case "true":
			return true, nil
		case "false":
			return false, nil
		}
		return nil, invalidParam(codeParamWrongValue, name, "must be true or false")
	case schema.Type.Is(openapi3.TypeString):
		return s, nil
	}
	return nil, invalidParam(codeParamWrongValue, name, "has a type the fake does not support")
}

// checkConflicts refuses properties that x-cbpay-conflicts-with forbids
// together, naming the property that carries the extension.
func checkConflicts(op *operation, body map[string]any) *apiError {
	for _, c := range op.conflicts {
		if sent(body, c.key) && sent(body, c.other) {
			return invalidParam(codeParamNotAllowed, c.key, "cannot be used together with "+c.other)
		}
	}
	return nil
}

// sent reports whether the decoded body holds the wire key.
func sent(body map[string]any, key string) bool {
	segs, err := form.SplitKey(key)
	if err != nil {
		return false
	}
	var v any = body
	for _, s := range segs {
		m, ok := v.(map[string]any)
		if !ok {
			return false
		}
		if v, ok = m[s]; !ok {
			return false
		}
	}
	return true
}

// isFreeForm reports whether an object schema declares no properties and
// allows any: additional_information, sent as one JSON value.
func isFreeForm(s *openapi3.Schema) bool {
	if len(s.Properties) > 0 {
		return false
	}
	ap := s.AdditionalProperties
	return ap.Schema != nil || ap.Has == nil || *ap.Has
}

// parseJSONObject parses one JSON object, keeping numbers exact. The error
// never quotes the value.
func parseJSONObject(s string) (map[string]any, error) {
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, errors.New("must be valid JSON")
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("must be one JSON value")
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return nil, errors.New("must be a JSON object")
	}
	return obj, nil
}

// schemaProblem words a kin-openapi schema error the way Chargebee words
// its parameter errors, without the value.
func schemaProblem(se *openapi3.SchemaError) (code, problem string) {
	s := se.Schema
	switch se.SchemaField {
	case "required":
		return codeParamRequired, "cannot be blank"
	case "minLength", "maxLength":
		switch {
		case s.MaxLength != nil && *s.MaxLength == s.MinLength:
			return codeParamWrongValue, fmt.Sprintf("length must be %d", s.MinLength)
		case se.SchemaField == "maxLength" && s.MaxLength != nil:
			return codeParamWrongValue, fmt.Sprintf("cannot be more than %d characters", *s.MaxLength)
		case se.Value == "":
			return codeParamRequired, "cannot be blank"
		default:
			return codeParamWrongValue, fmt.Sprintf("cannot be less than %d characters", s.MinLength)
		}
	case "pattern":
		return codeParamWrongValue, "has an invalid format"
	case "enum":
		vals := make([]string, 0, len(s.Enum))
		for _, v := range s.Enum {
			vals = append(vals, fmt.Sprint(v))
		}
		return codeParamWrongValue, "must be one of " + strings.Join(vals, ", ")
	case "minimum":
		if s.Min != nil {
			return codeParamWrongValue, "cannot be less than " + strconv.FormatFloat(*s.Min, 'f', -1, 64)
		}
	case "maximum":
		if s.Max != nil {
			return codeParamWrongValue, "cannot be more than " + strconv.FormatFloat(*s.Max, 'f', -1, 64)
		}
	case "type":
		return codeParamWrongValue, "must be of type " + strings.Join(s.Type.Slice(), " or ")
	}
	if se.Reason != "" {
		// kin-openapi keeps values out of Reason.
		return codeParamWrongValue, se.Reason
	}
	return codeParamWrongValue, "is invalid"
}

// wireName spells a body path as the wire key: card, last4 -> card[last4].
func wireName(path []string) string {
	if len(path) == 0 {
		return ""
	}
	return form.JoinKey(path)
}
