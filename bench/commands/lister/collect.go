package main

import (
	"fmt"
	"go/ast"
	"go/token"
	"strconv"
	"strings"
)

// collect finds the commands: framework composite literals (an elided element type is its
// slice's), kingpin's New/Command calls, mitchellh/cli's factory map keys.
func (l *lister) collect() {
	for _, file := range l.files() {
		var implied func(lit *ast.CompositeLit, t ast.Expr)
		implied = func(lit *ast.CompositeLit, t ast.Expr) {
			if lit.Type != nil {
				t = lit.Type
			}
			if key := l.typeKey(file, t); key != "" && l.commands[lit] == nil {
				l.add(&command{framework: strings.Split(key, ".")[0], node: lit, pos: lit.Pos(),
					name: l.word(file, key, l.field(lit, nameField[key]))})
			}
			element := elementType(t)
			for _, e := range lit.Elts {
				v := e
				if kv, ok := e.(*ast.KeyValueExpr); ok {
					v = kv.Value
				}
				if u, ok := v.(*ast.UnaryExpr); ok && u.Op == token.AND {
					v = u.X
				}
				if inner, ok := v.(*ast.CompositeLit); ok {
					implied(inner, element)
				}
			}
		}
		ast.Inspect(file, func(n ast.Node) bool {
			switch x := n.(type) {
			case *ast.CompositeLit:
				if x.Type != nil {
					implied(x, nil)
				}
				l.mitchellhMap(file, x)
			case *ast.CallExpr:
				l.kingpinCall(file, x)
				l.urfaveNewApp(file, x)
			}
			return true
		})
	}
	l.mitchellhTree()
}

func (l *lister) add(c *command) {
	l.commands[c.node] = c
	l.order = append(l.order, c)
}

func (l *lister) field(lit *ast.CompositeLit, name string) ast.Expr {
	for _, e := range lit.Elts {
		if kv, ok := e.(*ast.KeyValueExpr); ok {
			if k, ok := kv.Key.(*ast.Ident); ok && k.Name == name {
				return kv.Value
			}
		}
	}
	return nil
}

// word is the command's name from its name field: cobra's first word of Use, else all of it.
func (l *lister) word(file *ast.File, key string, e ast.Expr) string {
	if e == nil {
		return ""
	}
	text, complete := l.fold(file, e, 0)
	if strings.HasSuffix(key, "cobra.Command") || nameField[key] == "Use" {
		fields := strings.Fields(text)
		if len(fields) == 0 || (!complete && !strings.ContainsAny(text[strings.Index(text, fields[0]):], " \t")) {
			return ""
		}
		return fields[0]
	}
	if !complete {
		return ""
	}
	return text
}

// fold gives the known text of a string expression and whether it is all of it.
func (l *lister) fold(file *ast.File, e ast.Expr, depth int) (string, bool) {
	if depth > 10 {
		return "", false
	}
	switch x := e.(type) {
	case *ast.BasicLit:
		if x.Kind == token.STRING {
			s, err := strconv.Unquote(x.Value)
			return s, err == nil
		}
	case *ast.ParenExpr:
		return l.fold(file, x.X, depth+1)
	case *ast.BinaryExpr:
		if x.Op == token.ADD {
			a, ok := l.fold(file, x.X, depth+1)
			if !ok {
				return a, false
			}
			b, ok := l.fold(file, x.Y, depth+1)
			return a + b, ok
		}
	case *ast.Ident:
		if c, ok := l.fileOf[file].consts[x.Name]; ok {
			return l.fold(file, c, depth+1)
		}
	case *ast.CallExpr:
		if sel, ok := x.Fun.(*ast.SelectorExpr); ok && len(x.Args) > 0 {
			if pkg, ok := sel.X.(*ast.Ident); ok && l.imports[file][pkg.Name] == "fmt" && sel.Sel.Name == "Sprintf" {
				format, ok := l.fold(file, x.Args[0], depth+1)
				if !ok {
					return "", false
				}
				out, arg := "", 1
				for i := 0; i < len(format); i++ {
					if format[i] != '%' || i+1 >= len(format) {
						out += string(format[i])
						continue
					}
					i++
					if format[i] == '%' {
						out += "%"
						continue
					}
					if format[i] != 's' && format[i] != 'v' || arg >= len(x.Args) {
						return out, false
					}
					s, ok := l.fold(file, x.Args[arg], depth+1)
					arg++
					out += s
					if !ok {
						return out, false
					}
				}
				return out, true
			}
		}
	}
	return "", false
}

// kingpinCall: `kingpin.New(name, help)` is a root, `X.Command(name, help)` a command.
func (l *lister) kingpinCall(file *ast.File, call *ast.CallExpr) {
	sel, ok := call.Fun.(*ast.SelectorExpr)
	if !ok || len(call.Args) < 1 || !l.importsFramework(file, "kingpin") {
		return
	}
	if x, ok := sel.X.(*ast.Ident); ok && frameworks[l.imports[file][x.Name]] == "kingpin" && sel.Sel.Name == "New" {
		name, _ := l.fold(file, call.Args[0], 0)
		l.add(&command{framework: "kingpin", node: call, pos: call.Lparen, name: name, kingpin: true})
		return
	}
	if sel.Sel.Name == "Command" && len(call.Args) == 2 {
		name, ok := l.fold(file, call.Args[0], 0)
		if !ok {
			name = ""
		}
		l.add(&command{framework: "kingpin", node: call, pos: call.Lparen, name: name, kingpin: true})
	}
}

// urfaveNewApp: urfave/cli v1's `cli.NewApp()` builds the App inside the framework; it is
// printed as "framework:urfave.NewApp" (its literal is in the module cache, not the tree).
func (l *lister) urfaveNewApp(file *ast.File, call *ast.CallExpr) {
	sel, ok := call.Fun.(*ast.SelectorExpr)
	if !ok || sel.Sel.Name != "NewApp" {
		return
	}
	if x, ok := sel.X.(*ast.Ident); ok && frameworks[l.imports[file][x.Name]] == "urfave" {
		l.add(&command{framework: "urfave", node: call, pos: call.Lparen, external: "framework:urfave.NewApp"})
	}
}

func (l *lister) importsFramework(file *ast.File, fw string) bool {
	for _, p := range l.imports[file] {
		if frameworks[p] == fw {
			return true
		}
	}
	return false
}

type mitchellhEntry struct {
	key string
	cmd *command
}

var mitchellhEntries []mitchellhEntry
var mitchellhRoots []*command

// mitchellhMap: keys of a map[string]cli.CommandFactory literal; the CLI itself.
func (l *lister) mitchellhMap(file *ast.File, lit *ast.CompositeLit) {
	if sel, ok := lit.Type.(*ast.SelectorExpr); ok {
		if x, ok := sel.X.(*ast.Ident); ok && frameworks[l.imports[file][x.Name]] == "mitchellh" && sel.Sel.Name == "CLI" {
			nameExpr := l.field(lit, "Name")
			if nameExpr == nil { // `HelpFunc: cli.BasicHelpFunc("app")` names the app in its help
				if call, ok := l.field(lit, "HelpFunc").(*ast.CallExpr); ok && len(call.Args) == 1 {
					if sel, ok := call.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "BasicHelpFunc" {
						nameExpr = call.Args[0]
					}
				}
			}
			name := ""
			if nameExpr != nil {
				name, _ = l.fold(file, nameExpr, 0)
			}
			c := &command{framework: "mitchellh", node: lit, pos: lit.Pos(), name: name}
			l.add(c)
			mitchellhRoots = append(mitchellhRoots, c)
		}
	}
	m, ok := lit.Type.(*ast.MapType)
	if !ok {
		return
	}
	sel, ok := m.Value.(*ast.SelectorExpr)
	if !ok || sel.Sel.Name != "CommandFactory" {
		return
	}
	if x, ok := sel.X.(*ast.Ident); !ok || frameworks[l.imports[file][x.Name]] != "mitchellh" {
		return
	}
	for _, e := range lit.Elts {
		kv, ok := e.(*ast.KeyValueExpr)
		if !ok {
			continue
		}
		key, _ := l.fold(file, kv.Key, 0)
		c := &command{framework: "mitchellh", node: kv.Value, pos: kv.Value.Pos(), name: key}
		l.add(c)
		mitchellhEntries = append(mitchellhEntries, mitchellhEntry{key, c})
	}
}

func (l *lister) mitchellhNewCLI() {
	for _, file := range l.files() {
		ast.Inspect(file, func(n ast.Node) bool {
			if call, ok := n.(*ast.CallExpr); ok {
				if sel, ok := call.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "NewCLI" && len(call.Args) > 0 {
					if x, ok := sel.X.(*ast.Ident); ok && frameworks[l.imports[file][x.Name]] == "mitchellh" {
						name, _ := l.fold(file, call.Args[0], 0)
						c := &command{framework: "mitchellh", node: call, pos: call.Lparen, name: name}
						l.add(c)
						mitchellhRoots = append(mitchellhRoots, c)
					}
				}
			}
			return true
		})
	}
}

// mitchellhTree: "a b" under "a"; the others under the program's one CLI.
func (l *lister) mitchellhTree() {
	l.mitchellhNewCLI()
	byKey := map[string]*command{}
	for _, e := range mitchellhEntries {
		if _, ok := byKey[e.key]; !ok && e.key != "" {
			byKey[e.key] = e.cmd
		}
	}
	for _, e := range mitchellhEntries {
		words := strings.Fields(e.key)
		for size := len(words) - 1; size > 0; size-- {
			if p := byKey[strings.Join(words[:size], " ")]; p != nil {
				e.cmd.parent = p
				e.cmd.name = strings.Join(words[size:], " ")
				break
			}
		}
		if e.cmd.parent == nil && len(mitchellhRoots) == 1 {
			e.cmd.parent = mitchellhRoots[0]
		}
	}
}

var _ = fmt.Sprint
