// Package bundle writes a client's ready-to-hand-out bundle: a folder with
// the docker CLI's three files, env scripts and a README, a file that
// `docker context import` accepts, and a tar.gz of the folder.
package bundle

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"time"

	"github.com/dockertls/dockertls/internal/i18n"
	"github.com/dockertls/dockertls/pki"
)

// Bundle is what goes into one client's bundle.
type Bundle struct {
	Name     string // the client's name: folder, context and archive names
	Host     string // DOCKER_HOST, tcp://node3:2376
	CA       []byte // ca.pem
	Cert     []byte // cert.pem
	Key      []byte // key.pem, unencrypted (the docker CLI needs it so)
	NotAfter time.Time
	// Env holds the env scripts by file name (env.sh, env.fish, ...); the
	// caller renders them, so there is one renderer for `dockertls env`
	// and the bundles.
	Env map[string]string
}

// Paths are where a bundle was written.
type Paths struct {
	Dir     string // DIR/NAME
	Context string // DIR/NAME.dockercontext
	Tarball string // DIR/NAME.tar.gz
}

// The docker CLI's file names, as in ~/.docker.
const (
	FileCA   = "ca.pem"
	FileCert = "cert.pem"
	FileKey  = "key.pem"
	FileREAD = "README.txt"
)

// PathsOf names the files of the bundle called name in dir.
func PathsOf(dir, name string) Paths {
	return Paths{Dir: filepath.Join(dir, name), Context: filepath.Join(dir, name+".dockercontext"), Tarball: filepath.Join(dir, name+".tar.gz")}
}

// Exists reports whether any part of the bundle called name is in dir.
func Exists(dir, name string) bool {
	p := PathsOf(dir, name)
	for _, f := range []string{p.Dir, p.Context, p.Tarball} {
		if _, err := os.Lstat(f); err == nil {
			return true
		}
	}
	return false
}

// Write writes the bundle into dir (created 0700: the bundles hold private
// keys), replacing an earlier bundle of the same name. The folder is built
// beside its final place and renamed into it, so a crash leaves the old
// bundle or the new one, never a mix.
func Write(dir string, b Bundle) (Paths, error) {
	if err := pki.CheckClientName(b.Name); err != nil {
		return Paths{}, err
	}
	out, err := pki.OpenDir(dir)
	if err != nil {
		return Paths{}, i18n.Errorf("bundle.dir", "Err", err)
	}
	p := PathsOf(out.Root(), b.Name)
	files := b.files()
	tmp, err := os.MkdirTemp(out.Root(), "."+b.Name+".tmp-")
	if err != nil {
		return p, i18n.Errorf("bundle.write", "Name", b.Name, "Err", err)
	}
	defer os.RemoveAll(tmp) // gone after the rename; left only on failure
	folder, err := pki.OpenDir(tmp)
	if err != nil {
		return p, err
	}
	if err := folder.WriteFiles(files...); err != nil {
		return p, i18n.Errorf("bundle.write", "Name", b.Name, "Err", err)
	}
	ctxFile, err := b.dockerContext()
	if err != nil {
		return p, err
	}
	tarball, err := tarGz(b.Name, files)
	if err != nil {
		return p, err
	}
	if err := replaceDir(tmp, p.Dir); err != nil {
		return p, i18n.Errorf("bundle.write", "Name", b.Name, "Err", err)
	}
	if err := out.WriteFiles(
		pki.File{Name: filepath.Base(p.Context), Data: ctxFile, Mode: 0o600},
		pki.File{Name: filepath.Base(p.Tarball), Data: tarball, Mode: 0o600},
	); err != nil {
		return p, i18n.Errorf("bundle.write", "Name", b.Name, "Err", err)
	}
	return p, nil
}

// files are the folder's files with the docker CLI's modes (0444 for
// certificates, 0400 for the key, as the tutorial's chmod).
func (b Bundle) files() []pki.File {
	files := []pki.File{
		{Name: FileCA, Data: b.CA, Mode: pki.CertMode},
		{Name: FileCert, Data: b.Cert, Mode: pki.CertMode},
		{Name: FileKey, Data: b.Key, Mode: pki.KeyMode},
		{Name: FileREAD, Data: []byte(b.readme()), Mode: 0o644},
	}
	names := make([]string, 0, len(b.Env))
	for n := range b.Env {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		files = append(files, pki.File{Name: n, Data: []byte(b.Env[n]), Mode: 0o644})
	}
	return files
}

// replaceDir puts the finished folder tmp at final, moving an older folder
// aside first and removing it once the new one is in place.
func replaceDir(tmp, final string) error {
	old := ""
	if _, err := os.Lstat(final); err == nil {
		old = tmp + ".old"
		if err := os.Rename(final, old); err != nil {
			return err
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	if err := os.Rename(tmp, final); err != nil {
		if old != "" {
			_ = os.Rename(old, final)
		}
		return err
	}
	if old != "" {
		return os.RemoveAll(old)
	}
	return nil
}

// contextMeta is the meta.json of `docker context export`.
type contextMeta struct {
	Name      string                     `json:"Name"`
	Metadata  map[string]string          `json:"Metadata"`
	Endpoints map[string]contextEndpoint `json:"Endpoints"`
}

type contextEndpoint struct {
	Host          string `json:"Host"`
	SkipTLSVerify bool   `json:"SkipTLSVerify"`
}

// dockerContext is the file `docker context export` writes: a tar with
// meta.json and the endpoint's TLS files under tls/docker/, so that
// `docker context import NAME FILE` takes it.
func (b Bundle) dockerContext() ([]byte, error) {
	meta, err := json.Marshal(contextMeta{
		Name:      b.Name,
		Metadata:  map[string]string{"Description": "Docker TLS client " + b.Name + " for " + b.Host},
		Endpoints: map[string]contextEndpoint{"docker": {Host: b.Host}},
	})
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	now := time.Now()
	entries := []struct {
		name string
		data []byte
		mode int64
	}{
		{"meta.json", meta, 0o644},
		{"tls/", nil, 0o700},
		{"tls/docker/", nil, 0o700},
		{"tls/docker/" + FileCA, b.CA, 0o600},
		{"tls/docker/" + FileCert, b.Cert, 0o600},
		{"tls/docker/" + FileKey, b.Key, 0o600},
	}
	for _, e := range entries {
		h := &tar.Header{Name: e.name, Mode: e.mode, Size: int64(len(e.data)), ModTime: now, Typeflag: tar.TypeReg}
		if e.data == nil {
			h.Typeflag = tar.TypeDir
		}
		if err := tw.WriteHeader(h); err != nil {
			return nil, i18n.Errorf("bundle.context", "Name", b.Name, "Err", err)
		}
		if _, err := tw.Write(e.data); err != nil {
			return nil, i18n.Errorf("bundle.context", "Name", b.Name, "Err", err)
		}
	}
	if err := tw.Close(); err != nil {
		return nil, i18n.Errorf("bundle.context", "Name", b.Name, "Err", err)
	}
	return buf.Bytes(), nil
}

// tarGz packs the folder as NAME/..., with the files' modes, so `tar xzf`
// gives the participant a ready folder.
func tarGz(name string, files []pki.File) ([]byte, error) {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	tw := tar.NewWriter(zw)
	now := time.Now()
	if err := tw.WriteHeader(&tar.Header{Name: name + "/", Mode: 0o700, ModTime: now, Typeflag: tar.TypeDir}); err != nil {
		return nil, err
	}
	for _, f := range files {
		h := &tar.Header{Name: name + "/" + f.Name, Mode: int64(f.Mode), Size: int64(len(f.Data)), ModTime: now, Typeflag: tar.TypeReg}
		if err := tw.WriteHeader(h); err != nil {
			return nil, i18n.Errorf("bundle.pack", "Name", name, "Err", err)
		}
		if _, err := tw.Write(f.Data); err != nil {
			return nil, i18n.Errorf("bundle.pack", "Name", name, "Err", err)
		}
	}
	if err := tw.Close(); err != nil {
		return nil, i18n.Errorf("bundle.pack", "Name", name, "Err", err)
	}
	if err := zw.Close(); err != nil {
		return nil, i18n.Errorf("bundle.pack", "Name", name, "Err", err)
	}
	return buf.Bytes(), nil
}
