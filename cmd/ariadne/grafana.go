package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/ariadne-dev/ariadne/correlation/grafana"
)

// Bounds on what provisioning reads: a provisioning directory is a few
// small files, and $__file{} names a secret or a certificate.
const (
	maxProvisioningFiles = 64
	maxProvisioningBytes = 1 << 20
	maxExpandedFileBytes = 256 << 10
)

// loadProvisioning reads Grafana's datasource provisioning named by spec
// (--grafana-datasources): files or directories, comma-separated; a
// directory gives its *.yaml and *.yml files in name order, as Grafana
// reads them. Secrets stay in memory (the Result's backends), never in a
// file of ours and never in a note.
func loadProvisioning(spec string, getenv func(string) string) (grafana.Result, error) {
	var paths []string
	for _, p := range strings.Split(spec, ",") {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		st, err := os.Stat(p)
		if err != nil {
			return grafana.Result{}, err
		}
		if !st.IsDir() {
			paths = append(paths, p)
			continue
		}
		entries, err := os.ReadDir(p)
		if err != nil {
			return grafana.Result{}, err
		}
		for _, e := range entries {
			if ext := filepath.Ext(e.Name()); !e.IsDir() && (ext == ".yaml" || ext == ".yml") {
				paths = append(paths, filepath.Join(p, e.Name()))
			}
		}
	}
	if len(paths) > maxProvisioningFiles {
		return grafana.Result{}, fmt.Errorf("%d files: Ariadne reads at most %d", len(paths), maxProvisioningFiles)
	}
	lk := grafana.Lookup{
		Env:      getenv,
		ReadFile: func(p string) ([]byte, error) { return readBounded(p, maxExpandedFileBytes) },
	}
	var files []grafana.File
	for _, p := range paths {
		b, err := readBounded(p, maxProvisioningBytes)
		if err != nil {
			return grafana.Result{}, err
		}
		f, err := grafana.Parse(p, b, lk)
		if err != nil {
			return grafana.Result{}, fmt.Errorf("%s: %w", p, err)
		}
		files = append(files, f)
	}
	return grafana.Map(files), nil
}

// readBounded reads a whole file of at most max bytes.
func readBounded(path string, max int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > max {
		return nil, fmt.Errorf("%s is larger than %d bytes", path, max)
	}
	return b, nil
}
