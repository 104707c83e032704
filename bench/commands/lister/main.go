// Command lister is the independent oracle of the commands benchmark: it lists the CLI commands
// of a Go module tree with go/ast alone (no goanalyzer code, no type checker), one per line:
//
//	framework <TAB> position <TAB> name <TAB> parent position
//
// A name it cannot fold from literals, constants, `+` and fmt.Sprintf is "-" (not scored); a root's
// parent is "-". Values are followed by its own small evaluator (see values): locals, package
// vars and their assignments, parameters (bound to a call's arguments when its returns are read,
// else from every call site; variadics too), returns of functions, of methods (by the name of the
// receiver's written type, else every method of that name), of function literals called inline
// and of function values called (`f()`), append, slices, range variables, and fields of struct
// literals (a registry of {Command, Parent} entries, one entry at a time).
//
// Files are selected as for a linux/amd64 build with no extra tags (go/build's MatchFile: //go:build
// lines and _GOOS/_GOARCH names; cgo as the go command decides; release tags up to go1.22, as
// goanalyzer's default build context).
//
// Usage: go run . ROOT   (ROOT holds go.mod; _gomodcache, vendor, testdata and dot dirs are skipped)
package main

import (
	"bufio"
	"fmt"
	"go/ast"
	"go/build"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

type command struct {
	framework string
	node      ast.Node
	pos       token.Pos
	name      string
	parent    *command
	kingpin   bool
	external  string
}

type pkgInfo struct {
	path   string
	files  []*ast.File
	funcs  map[string]*ast.FuncDecl
	vars   map[string]ast.Expr
	consts map[string]ast.Expr
}

type lister struct {
	fset       *token.FileSet
	root       string
	module     string
	pkgs       map[string]*pkgInfo
	fileOf     map[*ast.File]*pkgInfo
	imports    map[*ast.File]map[string]string
	commands   map[ast.Node]*command
	order      []*command
	visiting   map[ast.Node]bool
	parents    map[*ast.Object]*ast.FuncDecl
	fileAt     map[token.Pos]*ast.File
	active     map[*ast.Object]bool
	activeVars map[string]bool
	methods    map[string][]*ast.FuncDecl // by method name, every package
}

var frameworks = map[string]string{
	"github.com/spf13/cobra":              "cobra",
	"github.com/urfave/cli":               "urfave",
	"github.com/urfave/cli/v2":            "urfave",
	"github.com/peterbourgon/ff/v3/ffcli": "ffcli",
	"github.com/peterbourgon/ff/v4/ffcli": "ffcli",
	"github.com/peterbourgon/ff/ffcli":    "ffcli",
	"github.com/traefik/paerser/cli":      "paerser",
	"gopkg.in/alecthomas/kingpin.v2":      "kingpin",
	"github.com/alecthomas/kingpin/v2":    "kingpin",
	"github.com/mitchellh/cli":            "mitchellh",
}

// nameField is the field holding a command's name, per framework and type.
var nameField = map[string]string{
	"cobra.Command": "Use", "urfave.App": "Name", "urfave.Command": "Name", "ffcli.Command": "Name",
	"paerser.Command": "Name",
}

var childFields = map[string]bool{"Commands": true, "Subcommands": true}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: lister ROOT")
		os.Exit(2)
	}
	l := &lister{fset: token.NewFileSet(), root: os.Args[1], pkgs: map[string]*pkgInfo{},
		fileOf: map[*ast.File]*pkgInfo{}, imports: map[*ast.File]map[string]string{},
		commands: map[ast.Node]*command{}, visiting: map[ast.Node]bool{}, fileAt: map[token.Pos]*ast.File{},
		active: map[*ast.Object]bool{}, activeVars: map[string]bool{}, methods: map[string][]*ast.FuncDecl{}}
	if err := l.load(); err != nil {
		fmt.Fprintln(os.Stderr, "lister:", err)
		os.Exit(1)
	}
	l.collect()
	l.link()
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	for _, c := range l.order {
		name, parent := c.name, "-"
		if name == "" {
			name = "-"
		}
		if c.parent != nil {
			parent = l.key(c.parent)
		}
		fmt.Fprintf(out, "%s\t%s\t%s\t%s\n", c.framework, l.key(c), name, parent)
	}
}

func (l *lister) key(c *command) string {
	if c.external != "" {
		return c.external
	}
	return l.position(c.pos)
}

func (l *lister) position(pos token.Pos) string {
	p := l.fset.Position(pos)
	rel, err := filepath.Rel(l.root, p.Filename)
	if err != nil {
		rel = p.Filename
	}
	return fmt.Sprintf("%s:%d:%d", filepath.ToSlash(rel), p.Line, p.Column)
}

// buildContext: linux/amd64, the default tags (see the package doc).
var buildContext = func() build.Context {
	ctx := build.Default
	ctx.GOOS, ctx.GOARCH, ctx.BuildTags = "linux", "amd64", nil
	ctx.ReleaseTags = nil
	for minor := 1; minor <= 22; minor++ {
		ctx.ReleaseTags = append(ctx.ReleaseTags, fmt.Sprintf("go1.%d", minor))
	}
	return ctx
}()

func (l *lister) load() error {
	data, err := os.ReadFile(filepath.Join(l.root, "go.mod"))
	if err != nil {
		return err
	}
	for _, line := range strings.Split(string(data), "\n") {
		if f := strings.Fields(line); len(f) == 2 && f[0] == "module" {
			l.module = strings.Trim(f[1], `"`)
		}
	}
	return filepath.Walk(l.root, func(path string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		name := info.Name()
		if info.IsDir() {
			if path != l.root && (strings.HasPrefix(name, "_") || strings.HasPrefix(name, ".") ||
				name == "vendor" || name == "testdata") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			return nil
		}
		if match, err := buildContext.MatchFile(filepath.Dir(path), name); err != nil || !match {
			return nil
		}
		file, err := parser.ParseFile(l.fset, path, nil, parser.SkipObjectResolution*0)
		if err != nil {
			return nil
		}
		rel, _ := filepath.Rel(l.root, filepath.Dir(path))
		importPath := l.module
		if rel != "." {
			importPath += "/" + filepath.ToSlash(rel)
		}
		pkg := l.pkgs[importPath]
		if pkg == nil {
			pkg = &pkgInfo{path: importPath, funcs: map[string]*ast.FuncDecl{}, vars: map[string]ast.Expr{},
				consts: map[string]ast.Expr{}}
			l.pkgs[importPath] = pkg
		}
		pkg.files = append(pkg.files, file)
		l.fileOf[file] = pkg
		table := map[string]string{}
		for _, spec := range file.Imports {
			p := strings.Trim(spec.Path.Value, `"`)
			alias := p[strings.LastIndex(p, "/")+1:]
			if fw, ok := frameworks[p]; ok && (fw == "kingpin") {
				alias = "kingpin"
			} else if strings.HasPrefix(alias, "v") && len(alias) <= 3 && strings.Count(p, "/") > 0 {
				parts := strings.Split(p, "/")
				alias = parts[len(parts)-2]
			}
			if spec.Name != nil {
				alias = spec.Name.Name
			}
			table[alias] = p
		}
		l.imports[file] = table
		for _, decl := range file.Decls {
			switch d := decl.(type) {
			case *ast.FuncDecl:
				if d.Recv == nil {
					pkg.funcs[d.Name.Name] = d
				} else {
					l.methods[d.Name.Name] = append(l.methods[d.Name.Name], d)
				}
			case *ast.GenDecl:
				for _, s := range d.Specs {
					if vs, ok := s.(*ast.ValueSpec); ok {
						for i, n := range vs.Names {
							if i < len(vs.Values) {
								if d.Tok == token.CONST {
									pkg.consts[n.Name] = vs.Values[i]
								} else {
									pkg.vars[n.Name] = vs.Values[i]
								}
							}
						}
					}
				}
			}
		}
		return nil
	})
}

// fileOfNode finds the file holding a position.
func (l *lister) fileOfPos(pos token.Pos) *ast.File {
	for f := range l.fileOf {
		if f.Pos() <= pos && pos <= f.End() {
			return f
		}
	}
	return nil
}

func sortedPkgs(m map[string]*pkgInfo) []*pkgInfo {
	var out []*pkgInfo
	for _, p := range m {
		out = append(out, p)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].path < out[j].path })
	return out
}

func (l *lister) files() []*ast.File {
	var out []*ast.File
	for _, p := range sortedPkgs(l.pkgs) {
		files := append([]*ast.File(nil), p.files...)
		sort.Slice(files, func(i, j int) bool {
			return l.fset.Position(files[i].Pos()).Filename < l.fset.Position(files[j].Pos()).Filename
		})
		out = append(out, files...)
	}
	return out
}

// typeKey is "cobra.Command" for a framework type expression, "" otherwise.
func (l *lister) typeKey(file *ast.File, t ast.Expr) string {
	for {
		if s, ok := t.(*ast.StarExpr); ok {
			t = s.X
			continue
		}
		break
	}
	sel, ok := t.(*ast.SelectorExpr)
	if !ok {
		return ""
	}
	x, ok := sel.X.(*ast.Ident)
	if !ok {
		return ""
	}
	fw := frameworks[l.imports[file][x.Name]]
	if fw == "" {
		return ""
	}
	key := fw + "." + sel.Sel.Name
	if _, ok := nameField[key]; ok {
		return key
	}
	return ""
}

func elementType(t ast.Expr) ast.Expr {
	switch a := t.(type) {
	case *ast.ArrayType:
		return a.Elt
	case *ast.SelectorExpr: // urfave/cli v1's named slice `cli.Commands`
		if a.Sel.Name == "Commands" {
			return &ast.SelectorExpr{X: a.X, Sel: &ast.Ident{Name: "Command"}}
		}
	}
	return nil
}
