package datasources_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// Tests must not depend on the day they run. The test servers judge
// retention (and lokitest the default end of a query) by their clock,
// which is the real one unless a test injects another; Prometheus and the
// demo world always read the real clock. A fixture written with a fixed
// calendar date therefore passes on the day it is written and fails a week
// later. The rule this test enforces, per package of test files:
//
//   - a package whose tests hold a calendar literal (time.Date(2026, …),
//     time.Unix(1795…), "2026-11-26T10:00:00Z", a 10- or 19-digit timestamp
//     string) gives every lokitest and zipkintest server it starts an injected clock
//     (WithClock(f) in the same function, f not time.Now): fixtures are
//     shared across a package's files, so the whole package counts.
//     tempotest is exempt because it dates retention by when a trace
//     arrived, never by the trace's own times (TestOldTraceOnTheRealClock
//     in tempotest holds it to that);
//   - a test file that starts a real Prometheus (promrun), a real Jaeger
//     (jaegerrun) or the demo world, which have no clock to inject, holds
//     no calendar literal
//     (their data comes from live scrapes; a literal there is a window);
//   - tests whose servers run on the real clock write their fixture times
//     relative to time.Now().
//
// scripts/clock-ahead.sh proves the rest: it runs these packages with
// time.Now a year ahead.
func TestFixturesDoNotDependOnTheDate(t *testing.T) {
	root := moduleRoot(t)
	type pkgFacts struct {
		literals []string // positions of calendar literals
		realTime []string // servers on the real clock, and why
	}
	var problems []string
	pkgs := map[string]*pkgFacts{}
	fset := token.NewFileSet()
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (strings.HasPrefix(d.Name(), ".") || d.Name() == "node_modules") && path != root {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		dir, _ := filepath.Rel(root, filepath.Dir(path))
		p := pkgs[dir]
		if p == nil {
			p = &pkgFacts{}
			pkgs[dir] = p
		}
		lits := calendarLiterals(f)
		for _, pos := range lits {
			p.literals = append(p.literals, fset.Position(pos).String())
		}
		for _, s := range realClockServers(f) {
			where := fset.Position(s.pos).String() + ": " + s.what
			if !s.fileOnly {
				p.realTime = append(p.realTime, where)
			} else if len(lits) > 0 {
				problems = append(problems, where+", and a calendar literal in the same file at "+fset.Position(lits[0]).String())
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	dirs := make([]string, 0, len(pkgs))
	for d := range pkgs {
		dirs = append(dirs, d)
	}
	sort.Strings(dirs)
	checked := 0
	for _, d := range dirs {
		p := pkgs[d]
		if len(p.literals) > 0 || len(p.realTime) > 0 {
			checked++
		}
		if len(p.literals) == 0 || len(p.realTime) == 0 {
			continue
		}
		t.Errorf("package %s mixes calendar dates with the real clock: inject a clock (lokitest/tempotest WithClock) or write fixture times relative to time.Now()\n  real clock:\n    %s\n  calendar literals (first few):\n    %s",
			d, strings.Join(p.realTime, "\n    "), strings.Join(p.literals[:min(len(p.literals), 5)], "\n    "))
	}
	for _, p := range problems {
		t.Errorf("%s: compute the window from time.Now()", p)
	}
	if checked < 5 {
		// The walk found almost nothing: the guard itself is broken.
		t.Fatalf("only %d packages with dates or test servers found under %s", checked, root)
	}
}

func moduleRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the test's directory")
		}
		dir = parent
	}
}

var (
	dateInString   = regexp.MustCompile(`\b(19|20)\d\d-[01]\d-[0-3]\d[T ][0-2]\d:[0-5]\d`)
	timestampDigit = regexp.MustCompile(`^1[5-9]\d{8}(\d{3}|\d{6}|\d{9})?$`)
)

// calendarLiterals finds fixed points in time written into a file.
func calendarLiterals(f *ast.File) []token.Pos {
	var out []token.Pos
	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.CallExpr:
			fn := selectorName(n.Fun)
			switch {
			case fn == "time.Date" && len(n.Args) > 0 && isIntLit(n.Args[0]):
				out = append(out, n.Pos())
			case (fn == "time.Unix" || fn == "time.UnixMilli" || fn == "time.UnixMicro") && len(n.Args) > 0:
				for _, a := range n.Args {
					if v, ok := intLit(a); ok && v >= 1e9 {
						out = append(out, n.Pos())
						break
					}
				}
			}
		case *ast.BasicLit:
			if n.Kind == token.STRING {
				s, err := strconv.Unquote(n.Value)
				if err == nil && (dateInString.MatchString(s) || timestampDigit.MatchString(s)) {
					out = append(out, n.Pos())
				}
			}
		}
		return true
	})
	return out
}

type realClockUse struct {
	pos      token.Pos
	what     string
	fileOnly bool // judged against its own file's literals only
}

// realClockServers finds test servers started on the real clock in a file:
// lokitest/tempotest servers built in a function that injects no clock,
// real Prometheus (promrun), real Jaeger (jaegerrun) and the demo world,
// which have no clock to inject.
func realClockServers(f *ast.File) []realClockUse {
	var out []realClockUse
	var visit func(body ast.Node)
	visit = func(body ast.Node) {
		injects := injectsClock(body)
		ast.Inspect(body, func(n ast.Node) bool {
			if lit, ok := n.(*ast.FuncLit); ok && lit.Body != body {
				visit(lit.Body)
				return false
			}
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			fn := selectorName(call.Fun)
			switch {
			case isTestServerCtor(fn, f.Name.Name):
				if !injects {
					out = append(out, realClockUse{call.Pos(), fn + " without WithClock", false})
				}
			case strings.HasPrefix(fn, "promrun.Start"), strings.HasPrefix(fn, "jaegerrun.Start"), fn == "demo.Start",
				f.Name.Name == "promrun" && strings.HasPrefix(fn, "Start"), f.Name.Name == "jaegerrun" && strings.HasPrefix(fn, "Start"),
				f.Name.Name == "demo" && fn == "Start":
				out = append(out, realClockUse{call.Pos(), fn + " (always the real clock)", true})
			}
			return true
		})
	}
	for _, d := range f.Decls {
		if fd, ok := d.(*ast.FuncDecl); ok && fd.Body != nil {
			visit(fd.Body)
		}
	}
	return out
}

func isTestServerCtor(fn, pkg string) bool {
	switch fn {
	case "lokitest.New", "lokitest.NewServer", "lokitest.NewTestServer",
		"zipkintest.New", "zipkintest.NewServer", "zipkintest.NewTestServer":
		return true
	case "New", "NewServer", "NewTestServer":
		return pkg == "lokitest" || pkg == "zipkintest" // the packages' own tests
	}
	return false
}

// injectsClock reports, in body, a WithClock(f) call with f other than
// time.Now, or WithRetention(0): with retention off no clock judges a
// fixture's age (lokitest's clock then only ends a query that names no
// end, and fixtures at a fixed date are queried with explicit ranges).
func injectsClock(body ast.Node) bool {
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok || found {
			return !found
		}
		fn := selectorName(call.Fun)
		if (fn == "WithClock" || strings.HasSuffix(fn, ".WithClock")) && len(call.Args) == 1 && selectorName(call.Args[0]) != "time.Now" {
			found = true
		}
		if (fn == "WithRetention" || strings.HasSuffix(fn, ".WithRetention")) && len(call.Args) == 1 {
			if v, ok := intLit(call.Args[0]); ok && v == 0 {
				found = true
			}
		}
		return !found
	})
	return found
}

func selectorName(e ast.Expr) string {
	switch e := e.(type) {
	case *ast.Ident:
		return e.Name
	case *ast.SelectorExpr:
		if x, ok := e.X.(*ast.Ident); ok {
			return x.Name + "." + e.Sel.Name
		}
		return "?." + e.Sel.Name
	}
	return ""
}

func isIntLit(e ast.Expr) bool {
	_, ok := intLit(e)
	return ok
}

func intLit(e ast.Expr) (float64, bool) {
	b, ok := e.(*ast.BasicLit)
	if !ok || (b.Kind != token.INT && b.Kind != token.FLOAT) {
		return 0, false
	}
	v, err := strconv.ParseFloat(strings.ReplaceAll(b.Value, "_", ""), 64)
	return v, err == nil
}
