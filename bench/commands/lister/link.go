package main

import (
	"go/ast"
	"go/token"
)

// env binds a range variable to one value while a statement is evaluated (a registry entry), or a
// called function's parameters to what that call passes (`nonNil(a, b)` returns a and b, not what
// every caller of nonNil passes).
type env map[*ast.Object][]ast.Node

// link sets parents, the first adoption winning: children in a parent's literal, then
// `p.Commands = ...` assignments, then `p.AddCommand(c...)` calls and kingpin's receivers.
func (l *lister) link() {
	adopt := func(parent, child *command) {
		if parent != nil && child != nil && parent != child && child.parent == nil {
			child.parent = parent
		}
	}
	for _, c := range l.order {
		lit, ok := c.node.(*ast.CompositeLit)
		if !ok {
			continue
		}
		file := l.fileOfPos(lit.Pos())
		for _, e := range lit.Elts {
			if kv, ok := e.(*ast.KeyValueExpr); ok {
				if k, ok := kv.Key.(*ast.Ident); ok && childFields[k.Name] {
					for _, v := range l.values(file, kv.Value, nil, 0) {
						adopt(c, l.commands[v])
					}
				}
			}
		}
	}
	for _, file := range l.files() {
		ast.Inspect(file, func(n ast.Node) bool {
			if a, ok := n.(*ast.AssignStmt); ok && len(a.Lhs) == len(a.Rhs) {
				for i, lhs := range a.Lhs {
					if sel, ok := lhs.(*ast.SelectorExpr); ok && childFields[sel.Sel.Name] {
						for _, p := range l.values(file, sel.X, nil, 0) {
							for _, v := range l.values(file, a.Rhs[i], nil, 0) {
								adopt(l.commands[p], l.commands[v])
							}
						}
					}
				}
			}
			return true
		})
	}
	for _, file := range l.files() {
		for _, decl := range file.Decls {
			fn, _ := decl.(*ast.FuncDecl)
			ast.Inspect(decl, func(n ast.Node) bool {
				call, ok := n.(*ast.CallExpr)
				if !ok {
					return true
				}
				sel, ok := call.Fun.(*ast.SelectorExpr)
				if !ok {
					return true
				}
				if c := l.commands[call]; c != nil && c.kingpin && sel.Sel.Name == "Command" {
					for _, p := range l.values(file, sel.X, nil, 0) {
						adopt(l.commands[p], c)
					}
					return true
				}
				if sel.Sel.Name != "AddCommand" {
					return true
				}
				for _, base := range l.callEnvs(fn, file, sel.X) {
					for _, bound := range l.bindings(file, call, base) {
						for _, p := range l.values(file, sel.X, bound, 0) {
							for _, arg := range call.Args {
								for _, v := range l.values(file, arg, bound, 0) {
									adopt(l.commands[p], l.commands[v])
								}
							}
						}
					}
				}
				return true
			})
		}
	}
}

// callEnvs: when the receiver of an AddCommand is a parameter of the function holding it (a helper
// `AddGroup(parent, title, cmds...)`), one env per call of that function, so that each call's
// parent gets that call's commands; else one empty env.
func (l *lister) callEnvs(fn *ast.FuncDecl, file *ast.File, receiver ast.Expr) []env {
	if fn == nil || fn.Recv != nil || !l.refersToParam(receiver, fn) {
		return []env{nil}
	}
	var out []env
	for _, other := range l.files() {
		ast.Inspect(other, func(n ast.Node) bool {
			if call, ok := n.(*ast.CallExpr); ok && l.calls(other, call, fn, file) {
				out = append(out, l.callEnv(other, fn.Type, call, nil, 0))
			}
			return true
		})
	}
	if len(out) == 0 {
		return []env{nil}
	}
	return out
}

func (l *lister) refersToParam(e ast.Expr, fn *ast.FuncDecl) bool {
	found := false
	ast.Inspect(e, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok && id.Obj != nil {
			if field, ok := id.Obj.Decl.(*ast.Field); ok {
				for _, f := range fn.Type.Params.List {
					found = found || f == field
				}
			}
		}
		return !found
	})
	return found
}

// bindings: when the call's receiver and arguments select fields of one range variable
// (`c.Parent.AddCommand(c.Command)`), one env per value of it; else one empty env.
func (l *lister) bindings(file *ast.File, call *ast.CallExpr, base env) []env {
	var shared *ast.Object
	receiver := call.Fun.(*ast.SelectorExpr).X
	for _, e := range append([]ast.Expr{receiver}, call.Args...) {
		// only the receiver and the arguments themselves: a range variable used inside a
		// function literal passed as an argument (`for _, c := range cmds { c.Name() }`) is not an entry
		if sel, ok := e.(*ast.SelectorExpr); ok {
			if id, ok := sel.X.(*ast.Ident); ok && id.Obj != nil && isRange(id.Obj) {
				shared = id.Obj
			}
		}
	}
	if shared == nil {
		return []env{base}
	}
	var out []env
	for _, v := range l.values(file, &ast.Ident{Name: shared.Name, Obj: shared}, base, 0) {
		entry := env{shared: {v}}
		for k, vs := range base {
			entry[k] = vs
		}
		out = append(out, entry)
	}
	if len(out) == 0 {
		return []env{base}
	}
	return out
}

func isRange(obj *ast.Object) bool {
	if a, ok := obj.Decl.(*ast.AssignStmt); ok && len(a.Rhs) == 1 {
		if u, ok := a.Rhs[0].(*ast.UnaryExpr); ok && u.Op == token.RANGE {
			return true
		}
	}
	return false
}

// values: the composite literals and kingpin calls an expression may evaluate to.
func (l *lister) values(file *ast.File, e ast.Expr, bound env, depth int) []ast.Node {
	if e == nil || depth > 12 || file == nil {
		return nil
	}
	switch x := e.(type) {
	case *ast.ParenExpr:
		return l.values(file, x.X, bound, depth+1)
	case *ast.UnaryExpr:
		if x.Op == token.AND || x.Op == token.RANGE {
			return l.values(file, x.X, bound, depth+1)
		}
	case *ast.CompositeLit:
		if elementType(x.Type) != nil || x.Type == nil && l.commands[x] == nil {
			var out []ast.Node
			for _, el := range x.Elts {
				if kv, ok := el.(*ast.KeyValueExpr); ok {
					el = kv.Value
				}
				out = append(out, l.values(file, el, bound, depth+1)...)
			}
			if x.Type != nil {
				return out
			}
			return append(out, x)
		}
		return []ast.Node{x}
	case *ast.Ident:
		return l.identValues(file, x, bound, depth)
	case *ast.SelectorExpr:
		if pkg, ok := x.X.(*ast.Ident); ok && pkg.Obj == nil {
			if p := l.pkgs[l.imports[file][pkg.Name]]; p != nil {
				return l.packageVar(p, x.Sel.Name, depth)
			}
		}
		var out []ast.Node
		for _, v := range l.values(file, x.X, bound, depth+1) {
			if lit, ok := v.(*ast.CompositeLit); ok && l.commands[lit] == nil {
				out = append(out, l.values(l.fileOfPos(lit.Pos()), l.field(lit, x.Sel.Name), nil, depth+1)...)
			}
		}
		return out
	case *ast.SliceExpr: // `cmds[:0]`
		return l.values(file, x.X, bound, depth+1)
	case *ast.FuncLit: // a function value: called later, its returns are the call's values
		return []ast.Node{x}
	case *ast.CallExpr:
		return l.callValues(file, x, bound, depth)
	}
	return nil
}

func (l *lister) identValues(file *ast.File, x *ast.Ident, bound env, depth int) []ast.Node {
	if x.Obj == nil {
		return l.packageVar(l.fileOf[file], x.Name, depth)
	}
	if l.active[x.Obj] {
		return nil // `out = append(out, c)`: the cycle adds nothing new
	}
	l.active[x.Obj] = true
	defer delete(l.active, x.Obj)
	var out []ast.Node
	v, isBound := bound[x.Obj]
	if isBound && isRange(x.Obj) {
		return v
	}
	switch d := x.Obj.Decl.(type) {
	case *ast.ValueSpec:
		for i, n := range d.Names {
			if n.Name == x.Name && i < len(d.Values) {
				out = append(out, l.values(file, d.Values[i], bound, depth+1)...)
			}
		}
		if isPackageLevel(file, d) {
			return l.packageVar(l.fileOf[file], x.Name, depth)
		}
	case *ast.FuncDecl: // a function of this file as a value
		return []ast.Node{d}
	case *ast.Field: // what this call passes, else every caller; and the assignments below (`dst = append(dst, v)`)
		if isBound {
			out = append(out, v...)
		} else {
			out = l.paramValues(file, x, d, depth)
		}
	case *ast.AssignStmt: // a range variable: its AssignStmt is the parser's, not in the tree
		if isRange(x.Obj) {
			if len(d.Lhs) == 2 && d.Lhs[1].(*ast.Ident).Name == x.Name {
				return l.values(file, d.Rhs[0], bound, depth+1)
			}
			return nil
		}
	}
	// every assignment to the variable in its file (:= and =)
	ast.Inspect(file, func(n ast.Node) bool {
		if a, ok := n.(*ast.AssignStmt); ok {
			for i, lhs := range a.Lhs {
				if id, ok := lhs.(*ast.Ident); ok && id.Obj == x.Obj {
					if len(a.Rhs) == len(a.Lhs) {
						out = append(out, l.values(file, a.Rhs[i], bound, depth+1)...)
					} else if isRange(x.Obj) && i == 1 || len(a.Rhs) == 1 && i == 0 && !isRange(x.Obj) {
						out = append(out, l.values(file, a.Rhs[0], bound, depth+1)...)
					}
				}
			}
		}
		return true
	})
	return out
}

func isPackageLevel(file *ast.File, spec *ast.ValueSpec) bool {
	for _, decl := range file.Decls {
		if g, ok := decl.(*ast.GenDecl); ok {
			for _, s := range g.Specs {
				if s == spec {
					return true
				}
			}
		}
	}
	return false
}

// packageVar: a package-level variable's initialiser and every `name = ...` in its package.
func (l *lister) packageVar(p *pkgInfo, name string, depth int) []ast.Node {
	if p == nil {
		return nil
	}
	if fn := p.funcs[name]; fn != nil {
		return []ast.Node{fn} // a function value (`maybeCmd = serveCmd`)
	}
	key := p.path + "." + name
	if l.activeVars[key] {
		return nil
	}
	l.activeVars[key] = true
	defer delete(l.activeVars, key)
	var out []ast.Node
	for _, file := range p.files {
		if init, ok := p.vars[name]; ok && init.Pos() >= file.Pos() && init.Pos() <= file.End() {
			out = append(out, l.values(file, init, nil, depth+1)...)
		}
		ast.Inspect(file, func(n ast.Node) bool {
			if a, ok := n.(*ast.AssignStmt); ok && a.Tok == token.ASSIGN && len(a.Lhs) == len(a.Rhs) {
				for i, lhs := range a.Lhs {
					if id, ok := lhs.(*ast.Ident); ok && id.Name == name && (id.Obj == nil || isGlobal(id.Obj)) {
						out = append(out, l.values(file, a.Rhs[i], nil, depth+1)...)
					}
				}
			}
			return true
		})
	}
	return out
}

func isGlobal(obj *ast.Object) bool {
	_, ok := obj.Decl.(*ast.ValueSpec)
	return ok
}

// paramValues: what every call of the function passes for the parameter (a variadic one: all
// the arguments from its index on, or the slice spread into it).
func (l *lister) paramValues(file *ast.File, x *ast.Ident, field *ast.Field, depth int) []ast.Node {
	fn, index, variadic := l.enclosing(file, field, x.Name)
	if fn == nil {
		return nil
	}
	var out []ast.Node
	for _, other := range l.files() {
		ast.Inspect(other, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok || !l.calls(other, call, fn, file) {
				return true
			}
			for i, arg := range call.Args {
				if i == index || variadic && i > index {
					out = append(out, l.values(other, arg, nil, depth+1)...)
				}
			}
			return true
		})
	}
	return out
}

func (l *lister) enclosing(file *ast.File, field *ast.Field, name string) (*ast.FuncDecl, int, bool) {
	for _, decl := range file.Decls {
		fn, ok := decl.(*ast.FuncDecl)
		if !ok || fn.Recv != nil {
			continue
		}
		index := 0
		for _, f := range fn.Type.Params.List {
			for _, n := range f.Names {
				if f == field && n.Name == name {
					_, variadic := f.Type.(*ast.Ellipsis)
					return fn, index, variadic
				}
				index++
			}
		}
	}
	return nil, 0, false
}

func (l *lister) calls(file *ast.File, call *ast.CallExpr, fn *ast.FuncDecl, fnFile *ast.File) bool {
	switch f := call.Fun.(type) {
	case *ast.Ident:
		return l.fileOf[file] == l.fileOf[fnFile] && f.Name == fn.Name.Name
	case *ast.SelectorExpr:
		if pkg, ok := f.X.(*ast.Ident); ok && pkg.Obj == nil {
			return l.imports[file][pkg.Name] == l.fileOf[fnFile].path && f.Sel.Name == fn.Name.Name
		}
	}
	return false
}

// callValues: kingpin calls themselves; append; what a function (or a literal called inline) returns.
func (l *lister) callValues(file *ast.File, x *ast.CallExpr, bound env, depth int) []ast.Node {
	if l.commands[x] != nil {
		return []ast.Node{x}
	}
	var body *ast.BlockStmt
	var fnType *ast.FuncType
	bodyFile := file
	switch f := x.Fun.(type) {
	case *ast.Ident:
		if f.Name == "append" && f.Obj == nil {
			var out []ast.Node
			for _, arg := range x.Args {
				out = append(out, l.values(file, arg, bound, depth+1)...)
			}
			return out
		}
		if fn := l.fileOf[file].funcs[f.Name]; fn != nil && f.Obj == nil || f.Obj != nil && f.Obj.Kind == ast.Fun {
			if fn := l.fileOf[file].funcs[f.Name]; fn != nil {
				body, fnType, bodyFile = fn.Body, fn.Type, l.fileOfPos(fn.Pos())
			}
		}
	case *ast.FuncLit:
		body, fnType = f.Body, f.Type
	case *ast.SelectorExpr:
		if pkg, ok := f.X.(*ast.Ident); ok && pkg.Obj == nil {
			if p := l.pkgs[l.imports[file][pkg.Name]]; p != nil && p.funcs[f.Sel.Name] != nil {
				fn := p.funcs[f.Sel.Name]
				body, fnType, bodyFile = fn.Body, fn.Type, l.fileOfPos(fn.Pos())
			}
		} else {
			// kingpin chains (.Action(...), .Alias(...)) evaluate to their receiver
			for _, v := range l.values(file, f.X, bound, depth+1) {
				if c := l.commands[v]; c != nil && c.kingpin {
					return []ast.Node{v}
				}
			}
			var out []ast.Node
			for _, m := range l.methodsOf(f) { // `action.GetCommands()`: the methods it may call
				out = append(out, l.returns(m.Body, l.fileOfPos(m.Pos()), l.callEnv(file, m.Type, x, bound, depth), depth)...)
			}
			return out
		}
	}
	if body == nil {
		return l.calledValues(file, x, bound, depth)
	}
	return l.returns(body, bodyFile, l.callEnv(file, fnType, x, bound, depth), depth)
}

// callEnv binds a function's parameters to what one call passes (a variadic one: the arguments from
// its index on, or the slice spread into it).
func (l *lister) callEnv(file *ast.File, fnType *ast.FuncType, call *ast.CallExpr, bound env, depth int) env {
	if fnType == nil || fnType.Params == nil {
		return nil
	}
	out := env{}
	index := 0
	for _, field := range fnType.Params.List {
		_, variadic := field.Type.(*ast.Ellipsis)
		for _, name := range field.Names {
			var passed []ast.Node
			for i, arg := range call.Args {
				if i == index || variadic && i > index {
					passed = append(passed, l.values(file, arg, bound, depth+1)...)
				}
			}
			if name.Obj != nil {
				out[name.Obj] = passed
			}
			index++
		}
	}
	return out
}

// calledValues: a call of a function value (`f()` with `f` a parameter or a variable holding a
// function or a function literal): what those functions return.
func (l *lister) calledValues(file *ast.File, x *ast.CallExpr, bound env, depth int) []ast.Node {
	var out []ast.Node
	for _, v := range l.values(file, x.Fun, bound, depth+1) {
		switch fn := v.(type) {
		case *ast.FuncLit:
			out = append(out, l.returns(fn.Body, l.fileOfPos(fn.Pos()), l.callEnv(file, fn.Type, x, bound, depth), depth)...)
		case *ast.FuncDecl:
			out = append(out, l.returns(fn.Body, l.fileOfPos(fn.Pos()), l.callEnv(file, fn.Type, x, bound, depth), depth)...)
		}
	}
	return out
}

// returns: the values of the first result of a body's return statements (not those of nested literals).
func (l *lister) returns(body *ast.BlockStmt, bodyFile *ast.File, bound env, depth int) []ast.Node {
	if body == nil {
		return nil
	}
	var out []ast.Node
	ast.Inspect(body, func(n ast.Node) bool {
		if _, ok := n.(*ast.FuncLit); ok {
			return false
		}
		if r, ok := n.(*ast.ReturnStmt); ok && len(r.Results) > 0 {
			out = append(out, l.values(bodyFile, r.Results[0], bound, depth+1)...)
		}
		return true
	})
	return out
}

// methodsOf: the methods a call `x.M(...)` may reach: those named M whose receiver's type has the
// name of x's declared type (a parameter or variable with a written type), else every method M.
func (l *lister) methodsOf(sel *ast.SelectorExpr) []*ast.FuncDecl {
	candidates := l.methods[sel.Sel.Name]
	want := ""
	if id, ok := sel.X.(*ast.Ident); ok && id.Obj != nil {
		switch d := id.Obj.Decl.(type) {
		case *ast.Field:
			want = typeName(d.Type)
		case *ast.ValueSpec:
			want = typeName(d.Type)
		}
	}
	if want == "" {
		return candidates
	}
	var out []*ast.FuncDecl
	for _, m := range candidates {
		if typeName(m.Recv.List[0].Type) == want {
			out = append(out, m)
		}
	}
	return out
}

// typeName: the base name of a type expression (`*ap.Action` -> "Action"), "" when there is none.
func typeName(t ast.Expr) string {
	switch x := t.(type) {
	case *ast.StarExpr:
		return typeName(x.X)
	case *ast.SelectorExpr:
		return x.Sel.Name
	case *ast.Ident:
		return x.Name
	case *ast.IndexExpr: // a generic receiver `T[K]`
		return typeName(x.X)
	case *ast.IndexListExpr:
		return typeName(x.X)
	}
	return ""
}
