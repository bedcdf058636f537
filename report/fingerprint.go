package report

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/iacscan/iacscan/checks"
)

// fingerprintKey is the partialFingerprints key of iacscan's own fingerprint. The version
// suffix changes if the way it is computed ever does, so that platforms do not match old
// and new fingerprints by mistake.
const fingerprintKey = "iacscan/v1"

// fingerprint identifies a result independently of line numbers: it hashes the check ID,
// the resource address and the attribute path (checks.Result.Key), so it survives edits
// elsewhere in the file and moves with the resource.
func fingerprint(r checks.Result) string {
	key := r.Key
	if key == "" {
		// Results built outside checks.Run may lack a key; fall back to the same parts.
		addr := ""
		if len(r.Resources) > 0 && r.Resources[0] != nil {
			addr = r.Resources[0].Address
		}
		key = checkID(r.Check) + "|" + addr + "|" + r.Path.String()
	}
	sum := sha256.Sum256([]byte(key))
	return hex.EncodeToString(sum[:16])
}

// lineHash is the primaryLocationLineHash of a result: a hash of the trimmed text of its
// start line and the occurrence of that text in the file, in the "hash:n" shape GitHub
// code scanning uses. ok is false when the file's content is unknown.
func lineHash(src *source, file string, line int) (hash string, ok bool) {
	text, known := src.line(file, line)
	if !known {
		return "", false
	}
	sum := sha256.Sum256([]byte(strings.TrimSpace(text)))
	return fmt.Sprintf("%s:%d", hex.EncodeToString(sum[:8]), src.lineOccurrence(file, line)), true
}
