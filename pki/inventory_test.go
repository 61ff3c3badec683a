package pki

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestCheckClientName(t *testing.T) {
	for _, ok := range []string{"alice", "Bob", "team-3", "a.b_c", "0day", strings.Repeat("x", 64)} {
		if err := CheckClientName(ok); err != nil {
			t.Errorf("%q refused: %v", ok, err)
		}
	}
	for bad, want := range map[string]string{
		"":                      "empty",
		"a b":                   "contains ' '",
		"a/b":                   "contains '/'",
		"..":                    "start with a letter",
		"-rf":                   `try "rf"`,
		".hidden":               "start with a letter",
		"alice$":                "contains '$'",
		"émile":                 "contains 'é'",
		strings.Repeat("x", 65): "at most 64",
	} {
		err := CheckClientName(bad)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: %v, want an error saying %q", bad, err, want)
		}
	}
}

// TestInventoryRecordsOnceAndTellsStatus: a record is kept once per
// fingerprint, distribution notes add up without repeats, and the status
// follows the dates and later records of the same kind and name.
func TestInventoryRecordsOnceAndTellsStatus(t *testing.T) {
	d, err := OpenDir(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	ca := testCA(t)
	old := mustClient(t, ca, testKey(t), "alice")
	renewed := mustClient(t, ca, testKey(t), "alice")
	bob := mustClient(t, ca, testKey(t), "bob")
	if err := d.Record(NewRecord(KindWorkshop, "alice", old, ca.Cert), NewRecord(KindWorkshop, "bob", bob, ca.Cert)); err != nil {
		t.Fatal(err)
	}
	if err := d.Record(NewRecord(KindWorkshop, "alice", old, ca.Cert), NewRecord(KindWorkshop, "alice", renewed, ca.Cert)); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if err := d.RecordDistribution(Fingerprint(bob), "bundle /x/bob"); err != nil {
			t.Fatal(err)
		}
	}
	recs, err := d.Inventory()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 3 || recs[2].SHA256 != Fingerprint(renewed) {
		t.Fatalf("inventory: %d records, want old alice, bob, renewed alice", len(recs))
	}
	if got := recs[1].Distributed; len(got) != 1 || got[0] != "bundle /x/bob" {
		t.Errorf("bob distributed to %q, want one note", got)
	}
	if recs[0].CASHA256 != Fingerprint(ca.Cert) || recs[0].CASerial != SerialHex(ca.Cert) {
		t.Errorf("alice's issuer %s/%s, want the CA's fingerprint and serial", recs[0].CASHA256, recs[0].CASerial)
	}
	now := time.Now()
	warn := 30 * 24 * time.Hour
	want := []Status{StatusSuperseded, StatusValid, StatusValid}
	for i, w := range want {
		if got := StatusOf(recs, i, now, warn); got != w {
			t.Errorf("record %d (%s): %s, want %s", i, recs[i].Name, got, w)
		}
	}
	if got := StatusOf(recs, 1, recs[1].NotAfter.Add(-24*time.Hour), warn); got != StatusExpiring {
		t.Errorf("a day before expiry: %s, want expiring", got)
	}
	if got := StatusOf(recs, 1, recs[1].NotAfter.Add(time.Second), warn); got != StatusExpired {
		t.Errorf("after expiry: %s, want expired", got)
	}
}

// TestCertificatesFindsFilesTheInventoryMisses: certificates made by the
// tutorial's openssl commands are listed, marked found, with their issuer
// when the directory's CA signed them.
func TestCertificatesFindsFilesTheInventoryMisses(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "pki")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	o := newOpenSSL(t, dir)
	o.must("ecparam", "-name", "prime256v1", "-genkey", "-out", FileCAKey)
	o.must("req", "-new", "-x509", "-days", "30", "-key", FileCAKey, "-sha256", "-subj", "/CN=Tutorial CA", "-out", FileCA)
	o.must("ecparam", "-name", "prime256v1", "-genkey", "-out", "client-carol-key.pem")
	o.must("req", "-new", "-key", "client-carol-key.pem", "-subj", "/CN=carol", "-out", "carol.csr")
	o.must("x509", "-req", "-days", "10", "-in", "carol.csr", "-CA", FileCA, "-CAkey", FileCAKey, "-CAcreateserial", "-out", "client-carol-cert.pem")
	d, err := OpenDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := d.Certificates()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 2 {
		t.Fatalf("%d certificates, want the CA and carol: %+v", len(recs), recs)
	}
	ca, carol := recs[0], recs[1]
	if ca.Kind != KindCA || !ca.Found || ca.CASHA256 != ca.SHA256 {
		t.Errorf("the CA: %+v", ca)
	}
	if carol.Kind != KindWorkshop || carol.Name != "carol" || !carol.Found || carol.CASHA256 != ca.SHA256 {
		t.Errorf("carol: %+v, want a found workshop client issued by the CA", carol)
	}
	if got := StatusOf(recs, 1, time.Now(), 30*24*time.Hour); got != StatusExpiring {
		t.Errorf("carol (10 days left): %s, want expiring", got)
	}
	if _, err := os.Stat(d.Path(FileInventory)); err == nil {
		t.Error("listing wrote an inventory")
	}
}
