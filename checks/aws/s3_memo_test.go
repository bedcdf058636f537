package aws

import (
	"testing"
	"unsafe"

	"github.com/zclconf/go-cty/cty"

	"github.com/iacscan/iacscan/checks/check"
	"github.com/iacscan/iacscan/parser/graph"
)

// A bucket with a public policy and no public access block is judged by both
// aws-s3-public-policy and aws-s3-no-public-access-block: its policies are read once for
// both, and each check still says what it said when it read them itself.
func TestBucketPolicyExposuresAreReadOncePerBucket(t *testing.T) {
	b := bucketWith(nil)
	pol := companion(tfBucketPolicy, "b", b, map[string]cty.Value{"policy": str(publicPolicy)})
	g := graph.New([]*graph.Resource{b, pol})
	runs := []struct {
		c    *check.Check
		want []string
	}{
		// No finding: the bucket is left to the public-policy finding.
		{s3NoPublicAccessBlock, nil},
		{s3PublicPolicy, []string{"aws_s3_bucket_policy.b policy"}},
		{s3NoPublicAccessBlock, nil},
	}
	for _, r := range runs {
		p := check.NewPass(g)
		r.c.Run(p)
		expectList(t, r.c.ID+" findings", findingsAt(p), r.want...)
	}
	f := collectS3(g)
	if len(f.Buckets) != 1 {
		t.Fatalf("buckets = %d, want 1", len(f.Buckets))
	}
	first, _ := f.policyExposures(g, f.Buckets[0])
	again, _ := f.policyExposures(g, f.Buckets[0])
	if len(first) != 1 || unsafe.SliceData(first) != unsafe.SliceData(again) {
		t.Errorf("the bucket's policy exposures were read again: %+v, %+v", first, again)
	}
}
