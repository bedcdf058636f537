package terraform

import (
	"github.com/zclconf/go-cty/cty/function/stdlib"
	"math"
	"math/big"
	"testing"

	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
)

var stdlibToString = stdlib.MakeToFunc(cty.String)

// tostring's short way for whole numbers must give exactly cty's text.
func TestToStringMatchesConvert(t *testing.T) {
	var vals []cty.Value
	for _, i := range []int64{0, 1, -1, 9, 10, 80, 100, 443, 1000, 65535, -120, 1 << 24, 1<<24 + 1,
		1 << 53, 1<<53 + 1, -(1 << 53) - 1, 1 << 62, math.MaxInt64, math.MinInt64, math.MaxInt64 - 1} {
		vals = append(vals, cty.NumberIntVal(i))
		for _, prec := range []uint{1, 8, 24, 53, 64, 512} {
			vals = append(vals, cty.NumberVal(new(big.Float).SetPrec(prec).SetInt64(i)))
		}
	}
	for _, s := range []string{"1e20", "1e3", "123456789012345678901234567890", "-0", "0.5", "2.50", "1e-3", "9007199254740993"} {
		v, err := cty.ParseNumberVal(s)
		if err != nil {
			t.Fatal(err)
		}
		vals = append(vals, v)
	}
	vals = append(vals, cty.NumberFloatVal(1e23), cty.NumberFloatVal(math.Copysign(0, -1)), cty.NumberFloatVal(3.25))
	for _, v := range vals {
		want, err := convert.Convert(v, cty.String)
		if err != nil {
			t.Fatal(err)
		}
		got, err := toStringFunc.Call([]cty.Value{v})
		if err != nil {
			t.Fatalf("tostring(%#v): %v", v, err)
		}
		if !got.RawEquals(want) {
			t.Errorf("tostring(%s) = %#v, want %#v", v.AsBigFloat().Text('g', -1), got, want)
		}
	}
	for _, v := range []cty.Value{cty.UnknownVal(cty.Number), cty.NullVal(cty.Number), cty.NumberIntVal(5).Mark("m"), cty.True, cty.StringVal("x")} {
		want, wantErr := stdlibToString.Call([]cty.Value{v})
		got, err := toStringFunc.Call([]cty.Value{v})
		if (err != nil) != (wantErr != nil) || err == nil && !got.RawEquals(want) {
			t.Errorf("tostring(%#v) = %#v, %v; want %#v, %v", v, got, err, want, wantErr)
		}
	}
}
