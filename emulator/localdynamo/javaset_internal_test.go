package localdynamo

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestJavaSetOrder checks javaSetOrder against the iteration order of a
// java.util.HashSet filled in the same order, as OpenJDK 17 printed it
// (String.join(",", set) after adding each name in turn), including sets
// large enough to grow the table and names beyond ASCII.
func TestJavaSetOrder(t *testing.T) {
	tests := []struct {
		name, added, want string
	}{
		{"table and one index", "pk,sk,a", "a,sk,pk"},
		{"thirteen names, one resize", "pk,sk,a,b,c,d,e,f,g,h,i,j,k", "a,b,c,d,e,f,g,h,i,j,k,sk,pk"},
		{"twenty-eight names, two resizes", "customer,seq,g0,g1,g2,g3,g4,g5,g6,g7,g8,g9,g10,g11,g12,g13,g14,g15,g16,g17,g18,g19,g20,g21,g22,g23,g24,g25",
			"g11,g10,g13,g12,g15,g14,g17,g16,g19,g18,seq,g20,g22,g21,g24,g0,g23,g1,g2,g25,g3,g4,g5,g6,g7,g8,g9,customer"},
		{"equal hash codes and non-ASCII", "Aa,BB,pk,ünï,日本", "Aa,BB,pk,日本,ünï"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := strings.Join(javaSetOrder(strings.Split(tc.added, ",")), ",")
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("order (-want +got):\n%s", diff)
			}
		})
	}
}
