// Package static holds Ariadne's CSS, JavaScript and images, embedded in the
// binary and served under content-hashed URLs (/static/{hash}/{path}) so
// browsers may cache them forever and still see every change at once.
package static

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
)

//go:embed css js img
var files embed.FS

// Prefix is where the handler is mounted.
const Prefix = "/static/"

var hashes = func() map[string]string {
	m := map[string]string{}
	fs.WalkDir(files, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := files.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		m[p] = hex.EncodeToString(sum[:])[:12]
		return nil
	})
	return m
}()

// URL returns the cache-busting URL of an embedded file, e.g.
// URL("css/app.css") = "/static/3f2a9c.../css/app.css". It panics on a
// name that is not embedded: a typo must fail the first test that renders it.
func URL(name string) string {
	h, ok := hashes[name]
	if !ok {
		panic("static: no embedded file " + name)
	}
	return Prefix + h + "/" + name
}

// Handler serves /static/{hash}/{path}. A current hash gets a year of
// immutable caching; a stale one (a page cached across a deploy) still gets
// the file, but not cached, so it never pins old content.
func Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rest := strings.TrimPrefix(r.URL.Path, Prefix)
		hash, name, ok := strings.Cut(rest, "/")
		if !ok || name == "" || strings.Contains(name, "..") {
			http.NotFound(w, r)
			return
		}
		b, err := files.ReadFile(name)
		if err != nil {
			http.NotFound(w, r)
			return
		}
		if ct := mime.TypeByExtension(path.Ext(name)); ct != "" {
			w.Header().Set("Content-Type", ct)
		}
		if hashes[name] == hash {
			w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		} else {
			w.Header().Set("Cache-Control", "no-cache")
		}
		w.Write(b)
	})
}
