package terraform

import (
	"bytes"
	"compress/gzip"
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"hash"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
	"github.com/zclconf/go-cty/cty/function/stdlib"
	"golang.org/x/text/encoding/ianaindex"
)

// checkBase64Text refuses what base64decode would refuse, before it is called: the
// go-cty-funcs implementation writes undecodable content to the process-wide logger and
// repeats the whole argument in its error, which may be a secret.
func checkBase64Text(args []cty.Value) error {
	if len(args) != 1 || !args[0].IsKnown() || args[0].IsNull() {
		return nil
	}
	s, _ := args[0].Unmark()
	dec, err := base64.StdEncoding.DecodeString(s.AsString())
	if err != nil {
		return function.NewArgErrorf(0, "the given value is not valid Base64")
	}
	if !utf8.Valid(dec) {
		return function.NewArgErrorf(0, "the decoded value is not valid UTF-8; filebase64 and the Base64 functions keep binary data encoded")
	}
	return nil
}

// replacePattern reports whether substr is written /like this/, which makes replace treat
// it as a regular expression, and returns the pattern between the slashes.
func replacePattern(substr string) (string, bool) {
	if len(substr) > 1 && strings.HasPrefix(substr, "/") && strings.HasSuffix(substr, "/") {
		return substr[1 : len(substr)-1], true
	}
	return "", false
}

// replaceFunc is Terraform's replace: a plain substring replacement, or a regular
// expression one when the substring is wrapped in slashes.
var replaceFunc = function.New(&function.Spec{
	Description: "Replaces every occurrence of a substring, or of a /regular expression/.",
	Params: []function.Parameter{
		{Name: "str", Type: cty.String},
		{Name: "substr", Type: cty.String},
		{Name: "replace", Type: cty.String},
	},
	Type: function.StaticReturnType(cty.String),
	Impl: func(args []cty.Value, retType cty.Type) (cty.Value, error) {
		if re, ok := replacePattern(args[1].AsString()); ok {
			return stdlib.RegexReplaceFunc.Call([]cty.Value{args[0], cty.StringVal(re), args[2]})
		}
		return stdlib.ReplaceFunc.Call(args)
	},
})

// stringPredicate builds the two-string tests startswith, endswith and strcontains.
func stringPredicate(desc string, test func(s, part string) bool) function.Function {
	return function.New(&function.Spec{
		Description: desc,
		Params: []function.Parameter{
			{Name: "str", Type: cty.String},
			{Name: "part", Type: cty.String},
		},
		Type: function.StaticReturnType(cty.Bool),
		Impl: func(args []cty.Value, retType cty.Type) (cty.Value, error) {
			return cty.BoolVal(test(args[0].AsString(), args[1].AsString())), nil
		},
	})
}

var (
	startsWithFunc  = stringPredicate("Reports whether a string starts with a prefix.", strings.HasPrefix)
	endsWithFunc    = stringPredicate("Reports whether a string ends with a suffix.", strings.HasSuffix)
	strContainsFunc = stringPredicate("Reports whether a string contains a substring.", strings.Contains)
)

// stringTransform builds a one-string function from a Go transform.
func stringTransform(desc string, f func(string) (string, error)) function.Function {
	return function.New(&function.Spec{
		Description: desc,
		Params:      []function.Parameter{{Name: "str", Type: cty.String}},
		Type:        function.StaticReturnType(cty.String),
		Impl: func(args []cty.Value, retType cty.Type) (cty.Value, error) {
			s, err := f(args[0].AsString())
			if err != nil {
				return cty.UnknownVal(cty.String), err
			}
			return cty.StringVal(s), nil
		},
	})
}

func hashWith(h func() hash.Hash, enc func([]byte) string) func(string) (string, error) {
	return func(s string) (string, error) {
		sum := h()
		sum.Write([]byte(s))
		return enc(sum.Sum(nil)), nil
	}
}

var (
	base64Sha256Func = stringTransform("Returns the Base64 encoded SHA256 hash of a string.",
		hashWith(sha256.New, base64.StdEncoding.EncodeToString))
	base64Sha512Func = stringTransform("Returns the Base64 encoded SHA512 hash of a string.",
		hashWith(sha512.New, base64.StdEncoding.EncodeToString))
	base64GzipFunc = stringTransform("Compresses a string with gzip and encodes the result in Base64.",
		func(s string) (string, error) {
			var buf bytes.Buffer
			w := gzip.NewWriter(&buf)
			if _, err := w.Write([]byte(s)); err != nil {
				return "", fmt.Errorf("gzip: %w", err)
			}
			if err := w.Close(); err != nil {
				return "", fmt.Errorf("gzip: %w", err)
			}
			return base64.StdEncoding.EncodeToString(buf.Bytes()), nil
		})
)

// Hash encoders for the file hash functions, which hash the same way as md5, sha256 and
// base64sha256 do for strings.
var (
	md5Hex       = fileHasher{md5.New, hex.EncodeToString}
	sha1Hex      = fileHasher{sha1.New, hex.EncodeToString}
	sha256Hex    = fileHasher{sha256.New, hex.EncodeToString}
	sha512Hex    = fileHasher{sha512.New, hex.EncodeToString}
	sha256Base64 = fileHasher{sha256.New, base64.StdEncoding.EncodeToString}
	sha512Base64 = fileHasher{sha512.New, base64.StdEncoding.EncodeToString}
)

type fileHasher struct {
	new func() hash.Hash
	enc func([]byte) string
}

// textEncodeBase64Func is Terraform's textencodebase64(string, encoding_name).
var textEncodeBase64Func = function.New(&function.Spec{
	Description: "Encodes a string in the named character encoding and then in Base64.",
	Params: []function.Parameter{
		{Name: "string", Type: cty.String},
		{Name: "encoding", Type: cty.String},
	},
	Type: function.StaticReturnType(cty.String),
	Impl: func(args []cty.Value, retType cty.Type) (cty.Value, error) {
		enc, err := ianaindex.IANA.Encoding(args[1].AsString())
		if err != nil || enc == nil {
			return cty.UnknownVal(cty.String), function.NewArgErrorf(1, "%q is not a supported IANA encoding name", args[1].AsString())
		}
		out, err := enc.NewEncoder().String(args[0].AsString())
		if err != nil {
			return cty.UnknownVal(cty.String), function.NewArgErrorf(0, "the given string cannot be encoded with %s: %v", args[1].AsString(), err)
		}
		return cty.StringVal(base64.StdEncoding.EncodeToString([]byte(out))), nil
	},
})

// textDecodeBase64Func is Terraform's textdecodebase64(source, encoding_name).
var textDecodeBase64Func = function.New(&function.Spec{
	Description: "Decodes Base64 text in the named character encoding into a string.",
	Params: []function.Parameter{
		{Name: "source", Type: cty.String},
		{Name: "encoding", Type: cty.String},
	},
	Type: function.StaticReturnType(cty.String),
	Impl: func(args []cty.Value, retType cty.Type) (cty.Value, error) {
		enc, err := ianaindex.IANA.Encoding(args[1].AsString())
		if err != nil || enc == nil {
			return cty.UnknownVal(cty.String), function.NewArgErrorf(1, "%q is not a supported IANA encoding name", args[1].AsString())
		}
		raw, err := base64.StdEncoding.DecodeString(args[0].AsString())
		if err != nil {
			return cty.UnknownVal(cty.String), function.NewArgErrorf(0, "the given value is not valid Base64: %v", err)
		}
		out, err := enc.NewDecoder().Bytes(raw)
		if err != nil {
			return cty.UnknownVal(cty.String), function.NewArgErrorf(0, "the given value is not valid %s: %v", args[1].AsString(), err)
		}
		return cty.StringVal(string(out)), nil
	},
})

// timeCmpFunc is Terraform's timecmp(a, b): -1, 0 or 1 as RFC 3339 timestamp a is before,
// equal to or after b.
var timeCmpFunc = function.New(&function.Spec{
	Description: "Compares two RFC 3339 timestamps.",
	Params: []function.Parameter{
		{Name: "timestamp_a", Type: cty.String},
		{Name: "timestamp_b", Type: cty.String},
	},
	Type: function.StaticReturnType(cty.Number),
	Impl: func(args []cty.Value, retType cty.Type) (cty.Value, error) {
		var ts [2]time.Time
		for i := range ts {
			t, err := time.Parse(time.RFC3339, args[i].AsString())
			if err != nil {
				return cty.UnknownVal(cty.Number), function.NewArgErrorf(i, "not a valid RFC 3339 timestamp: %v", err)
			}
			ts[i] = t
		}
		return cty.NumberIntVal(int64(ts[0].Compare(ts[1]))), nil
	},
})
