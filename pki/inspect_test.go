package pki

import (
	"crypto/sha256"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestInspect(t *testing.T) {
	ca := testCA(t)
	c, err := ca.IssueDaemon(LeafOptions{SANs: []string{"node3", "10.0.0.12"}, Key: mustRSA(t, 2048), Days: 100})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	s := Inspect(c, now)
	if s.Subject != "node3" || s.Issuer != "Test CA" || s.SelfSigned || s.IsCA {
		t.Errorf("names: %+v", s)
	}
	if !slices.Equal(s.DNSNames, []string{"node3"}) || !slices.Equal(s.IPAddresses, []string{"10.0.0.12"}) {
		t.Errorf("SANs %v %v", s.DNSNames, s.IPAddresses)
	}
	if s.KeyType != RSA2048 || s.KeyBits != 2048 || s.KeyAlgo != "RSA 2048" || s.Signature != "ECDSA-SHA256" {
		t.Errorf("key %q %d %q sig %q", s.KeyType, s.KeyBits, s.KeyAlgo, s.Signature)
	}
	if !slices.Equal(s.ExtKeyUsage, []string{"serverAuth"}) || !slices.Equal(s.KeyUsage, []string{"digitalSignature", "keyEncipherment"}) {
		t.Errorf("usage %v %v", s.ExtKeyUsage, s.KeyUsage)
	}
	if s.DaysLeft != 99 || s.Expired || s.NotYetValid {
		t.Errorf("days left %d expired %v", s.DaysLeft, s.Expired)
	}
	sum := sha256.Sum256(c.Raw)
	if strings.ReplaceAll(s.SHA256, ":", "") != strings.ToUpper(string(hexOf(sum[:]))) || s.SHA256 != Fingerprint(c) {
		t.Errorf("fingerprint %s", s.SHA256)
	}
	if strings.ReplaceAll(s.Serial, ":", "") != strings.ToUpper(c.SerialNumber.Text(16)) && strings.ReplaceAll(s.Serial, ":", "") != "0"+strings.ToUpper(c.SerialNumber.Text(16)) {
		t.Errorf("serial %s vs %s", s.Serial, c.SerialNumber.Text(16))
	}
	text := s.String()
	for _, want := range []string{`certificate "node3"`, `"Test CA"`, "DNS:node3, IP:10.0.0.12", "RSA 2048", "serverAuth", "99 days left", s.SHA256} {
		if !strings.Contains(text, want) {
			t.Errorf("String() lacks %q:\n%s", want, text)
		}
	}
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	var back map[string]any
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"subject", "issuer", "serial", "dns_names", "ip_addresses", "key_type", "key_bits", "ext_key_usage", "key_usage", "is_ca", "not_after", "days_left", "sha256_fingerprint"} {
		if _, ok := back[k]; !ok {
			t.Errorf("JSON lacks %q: %s", k, b)
		}
	}

	ci := Inspect(ca.Cert, now)
	if !ci.IsCA || !ci.SelfSigned || !slices.Equal(ci.KeyUsage, []string{"keyCertSign", "cRLSign"}) || !strings.HasPrefix(ci.String(), "CA certificate") {
		t.Errorf("CA summary %+v", ci)
	}
	later := Inspect(c, now.AddDate(0, 0, 120))
	if !later.Expired || later.DaysLeft >= 0 || !strings.Contains(later.String(), "EXPIRED") {
		t.Errorf("expired summary %+v", later)
	}
	earlier := Inspect(c, now.Add(-time.Hour))
	if !earlier.NotYetValid || !strings.Contains(earlier.String(), "NOT YET VALID") {
		t.Errorf("not yet valid summary %+v", earlier)
	}
}

func hexOf(b []byte) []byte {
	const digits = "0123456789abcdef"
	out := make([]byte, 0, 2*len(b))
	for _, x := range b {
		out = append(out, digits[x>>4], digits[x&15])
	}
	return out
}
