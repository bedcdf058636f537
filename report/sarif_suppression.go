package report

import (
	"crypto/sha256"
	"fmt"

	"github.com/iacscan/iacscan/checks"
	"github.com/owenrumney/go-sarif/v2/sarif"
)

// suppression describes the ignore that accepted r: kind inSource, status accepted, the
// reason as justification and the ignore's place as location. go-sarif writes every
// field of a suppression, so each is filled: a null guid or justification would not
// validate.
func (b *sarifBuilder) suppression(r checks.Result) *sarif.Suppression {
	s := r.Suppressed
	why := s.Justification
	if why == "" {
		why = "Accepted in the source with " + s.Marker + "."
	}
	sup := sarif.NewSuppression(s.Kind).WithStatus("accepted").WithJustifcation(why).
		WithGuid(suppressionGUID(fingerprint(r), s.Marker, s.Range.String()))
	if s.Range.File != "" {
		sup.WithLocation(sarif.NewLocationWithPhysicalLocation(b.physicalLocation(s.Range, false)))
	} else {
		sup.WithLocation(sarif.NewLocation())
	}
	return sup
}

// suppressionGUID derives a stable, name-based (version 5 layout) GUID from what
// identifies a suppression, so that output stays byte-identical between runs.
func suppressionGUID(parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	b := h.Sum(nil)[:16]
	b[6] = b[6]&0x0f | 0x50
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}
