/* goanalyzer explorer. Reads the analysis from the JSON block #data, draws it with the DOM and SVG.
   Every text that comes from the analysed code is set with textContent (never parsed as markup). */
(function () {
  "use strict";
  var D = JSON.parse(document.getElementById("data").textContent);
  var F = D.funcs, P = D.pkgs, FILES = D.files, T = D.types, C = D.commands;
  var SVG = "http://www.w3.org/2000/svg";
  var callees = F.map(function () { return []; }), callers = F.map(function () { return []; });
  var dynamic = new Set();
  D.edges.forEach(function (e) {
    callees[e[0]].push(e[1]); callers[e[1]].push(e[0]);
    if (e[2]) dynamic.add(e[0] * F.length + e[1]);
  });
  F.forEach(function (f) {  // the short name: `cli.Execute`, `(*cli.Command).Run`
    var pkg = P[f.p];
    f.s = f.n.indexOf(pkg + ".") >= 0 ? f.n.replace(pkg + ".", lastElem(pkg) + ".") : f.n;
  });
  var byName = new Map(F.map(function (f, i) { return [f.n, i]; }));
  var state = { focus: null, selected: null, up: 1, down: 2, group: "package", hideStd: true,
                collapsed: new Set(), colMax: 40, showSide: false, openAll: false };

  // ------------------------------------------------------------------ DOM helpers
  function el(tag, attrs) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      var value = attrs[key];
      if (key === "text") node.textContent = value;
      else if (key.slice(0, 2) === "on") node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value);
    });
    for (var i = 2; i < arguments.length; i++) {
      var child = arguments[i];
      if (child === null || child === undefined) continue;
      node.append(typeof child === "string" ? document.createTextNode(child) : child);
    }
    return node;
  }
  function fill(node) {
    var children = Array.prototype.slice.call(arguments, 1).filter(function (c) { return c !== null && c !== undefined; });
    node.replaceChildren.apply(node, children);
    return node;
  }
  function svgEl(tag, attrs) {
    var node = document.createElementNS(SVG, tag);
    Object.keys(attrs || {}).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    return node;
  }
  function safeUrl(url) { return url && /^(https?:\/\/|[^:]*$)/i.test(url) ? url : null; }
  function urlFor(file, line) {
    var f = FILES[file];
    return f && f.u ? safeUrl(f.u.split("{line}").join(String(line || 1))) : null;
  }
  function where(file, line) {
    if (file === undefined) return el("span", { class: "muted", text: "(no source position)" });
    var text = FILES[file].p + (line ? ":" + line : ""), url = urlFor(file, line);
    return url ? el("a", { href: url, target: "_blank", rel: "noopener noreferrer", text: text })
               : el("code", { text: text });
  }
  function funcButton(i, label) {
    return el("button", { class: "link", type: "button", title: F[i].n, text: label || F[i].s,
                          onclick: function () { select(i); } });
  }
  function lastElem(path) { return path.slice(path.lastIndexOf("/") + 1); }

  // ------------------------------------------------------------------ source excerpts
  var GO = /(\/\/.*$|\/\*.*?\*\/)|("(?:[^"\\]|\\.)*"|`[^`]*`|'(?:[^'\\]|\\.)*')|\b(break|case|chan|const|continue|default|defer|else|fallthrough|for|func|go|goto|if|import|interface|map|package|range|return|select|struct|switch|type|var|nil|true|false)\b|\b(\d[\w.]*)\b/g;
  function highlight(line, row) {
    var last = 0, m;
    GO.lastIndex = 0;
    while ((m = GO.exec(line)) !== null) {
      if (m.index > last) row.append(document.createTextNode(line.slice(last, m.index)));
      var cls = m[1] ? "tok-c" : m[2] ? "tok-s" : m[3] ? "tok-k" : "tok-n";
      row.append(el("span", { class: cls, text: m[0] }));
      last = m.index + m[0].length;
      if (m[0].length === 0) GO.lastIndex++;
    }
    if (last < line.length) row.append(document.createTextNode(line.slice(last)));
  }
  function excerpt(src, file, more) {
    var pre = el("pre", { class: "src" }), first = src[0];
    for (var k = 1; k < src.length; k++) {
      var n = first + k - 1, url = urlFor(file, n);
      var num = url ? el("a", { href: url, target: "_blank", rel: "noopener noreferrer", text: String(n) })
                    : document.createTextNode(String(n));
      var row = el("span", { class: "row" }, el("span", { class: "ln" }, num));
      highlight(src[k], row);
      pre.append(row);
    }
    var box = el("div", {}, pre);
    if (more) box.append(el("p", { class: "muted", text: "… " + more + " more lines" + (urlFor(file, 1) ? " (follow the link above)" : "") }));
    return box;
  }

  // ------------------------------------------------------------------ details panel
  var details = document.getElementById("details");
  function list(title, items, render) {
    if (!items.length) return null;
    var ul = el("ul", { class: "calls" });
    items.slice(0, 80).forEach(function (item) { ul.append(el("li", {}, render(item))); });
    if (items.length > 80) ul.append(el("li", { class: "muted", text: "… " + (items.length - 80) + " more" }));
    return el("div", {}, el("h3", { text: title + " (" + items.length + ")" }), ul);
  }
  function showFunc(i) {
    var f = F[i];
    fill(details,
      el("h2", { text: f.s }), el("div", { class: "full", text: f.n }),
      el("p", {}, el("span", { class: "badge", text: f.k }), " ", el("span", { class: "badge", text: P[f.p] }),
         f.x ? " " : null, f.x ? el("span", { class: "badge", text: "standard library" }) : null),
      el("p", {}, "Defined at ", where(f.f, f.l)),
      el("div", { class: "actions" },
         el("button", { type: "button", id: "focus-here", text: "Focus the call graph here",
                        onclick: function () { setFocus(i); showView("graph"); } })),
      f.d ? el("div", { class: "doc", text: f.d }) : null,
      f.src ? el("h3", { text: "Source" }) : null,
      f.src ? excerpt(f.src, f.f, f.more) : el("p", { class: "muted", text: f.f === undefined
        ? "Not in the analysed source (an external function)." : "No excerpt in this page: follow the position." }),
      list("Callers", callers[i], function (j) { return funcButton(j); }),
      list("Callees", callees[i], function (j) { return funcButton(j); }));
  }
  function showType(t) {
    var methods = [];
    F.forEach(function (f, i) { if (f.t === t.n) methods.push(i); });
    var fields = null;
    if (t.fields) {
      fields = el("ul", { class: "calls" });
      t.fields.forEach(function (fd) { fields.append(el("li", { text: fd[0] + "  " + fd[1] })); });
    }
    fill(details,
      el("h2", { text: t.s }), el("div", { class: "full", text: t.n }),
      el("p", {}, el("span", { class: "badge", text: t.k }), " ", el("span", { class: "badge", text: P[t.p] })),
      el("p", {}, "Declared at ", where(t.f, t.l)),
      t.d ? el("div", { class: "doc", text: t.d }) : null,
      t.src ? excerpt(t.src, t.f, 0) : null,
      fields ? el("h3", { text: "Fields" }) : null, fields,
      list("Methods", methods, function (j) { return funcButton(j); }));
  }
  function showCommand(c) {
    var parent = c.parent !== undefined ? C[c.parent] : null;
    fill(details,
      el("h2", { text: c.name }), el("p", {}, el("span", { class: "badge", text: "command" })),
      c.desc ? el("div", { class: "doc", text: c.desc }) : null,
      el("p", {}, "Built at ", where(c.f, c.l)),
      el("p", {}, "Built in ", byName.has(c.in) ? funcButton(byName.get(c.in)) : el("code", { text: c.in })),
      c.runName ? el("p", {}, "Runs ", c.run >= 0 ? funcButton(c.run) : el("code", { text: c.runName })) : null,
      parent ? el("p", {}, "Parent: ", commandButton(parent)) : null,
      list("Sub-commands", c.kids.map(function (k) { return C[k]; }), commandButton));
  }
  function commandButton(c) {
    return el("button", { class: "link", type: "button", text: c.name, onclick: function () { showCommand(c); } });
  }
  function select(i) {
    state.selected = i;
    showFunc(i);
    document.querySelectorAll("#graph .node.selected").forEach(function (n) { n.classList.remove("selected"); });
    var node = document.querySelector('#graph .node[data-func="' + i + '"]');
    if (node) node.classList.add("selected");
    document.querySelectorAll("#graph .edge").forEach(function (e) {
      e.classList.toggle("hot", e.dataset.a === "f" + i || e.dataset.b === "f" + i);
    });
  }

  // ------------------------------------------------------------------ views
  var rendered = {};
  function showView(name) {
    document.querySelectorAll("#tabs button").forEach(function (b) { b.classList.toggle("active", b.dataset.view === name); });
    document.querySelectorAll(".view").forEach(function (v) { v.classList.toggle("active", v.id === "view-" + name); });
    if (!rendered[name]) { rendered[name] = true; ({ overview: renderOverview, graph: renderGraph, flow: renderFlow })[name](); }
  }
  document.querySelectorAll("#tabs button").forEach(function (b) {
    b.addEventListener("click", function () { showView(b.dataset.view); });
  });

  // ------------------------------------------------------------------ overview
  function renderOverview() {
    var box = document.getElementById("view-overview");
    var own = F.filter(function (f) { return !f.x && f.k !== "external"; }).length;
    box.append(el("h2", { text: D.module }));
    D.notes.forEach(function (n) { box.append(el("p", { class: "muted", text: n })); });
    var stats = el("div", { class: "stats" });
    [[D.roots.length, "packages of the module"], [own, "functions (not std)"], [T.length, "types"],
     [C.length, "commands"], [D.edges.length, "calls"]].forEach(function (s) {
      stats.append(el("div", {}, el("b", { text: String(s[0]) }), s[1]));
    });
    box.append(stats);
    box.append(el("p", { class: "muted", text: D.linksFrom ? "Source positions link to " + D.linksFrom + "."
      : "Source positions are not links: no --link-base was given and the tree is not a git checkout with a github.com or gitlab.com remote." }));
    var flow = D.flow;
    if (flow) {
      box.append(el("h3", { text: "Where it starts" }),
                 el("p", {}, flow.i >= 0 ? funcButton(flow.i) : el("code", { text: flow.entry }), " in ", where(flow.f, flow.l)));
      if (flow.happy && flow.happy.length) {
        box.append(el("h3", { text: "The main path, in run order" }),
                   el("p", { class: "muted", text: "What runs when nothing fails and the default command runs; error handling, logging, help and validation are left out (see the startup flow)." }));
        var ol = el("ol", { class: "path" });
        flow.happy.forEach(function (h) {
          ol.append(el("li", { style: "padding-left:" + (h.d * 18) + "px" }, stepLabel(h),
                       h.note ? el("span", { class: "desc", text: h.note }) : null,
                       el("span", { class: "pos" }, " ", where(h.f, h.l))));
        });
        box.append(ol);
      }
    } else {
      box.append(el("p", { class: "muted", text: "No startup flow: this tree has no entry point (a library)." }));
    }
    if (C.length) {
      box.append(el("h3", { text: "Commands" }));
      var tree = el("ul", { class: "tree" });
      C.forEach(function (c) { if (c.parent === undefined) tree.append(commandItem(c)); });
      box.append(tree);
    }
  }
  function commandItem(c) {
    var li = el("li", {}, commandButton(c), c.desc ? el("span", { class: "desc", text: c.desc.split("\n")[0] }) : null);
    if (c.runName) li.append(el("span", { class: "desc" }, "→ ", c.run >= 0 ? funcButton(c.run) : el("code", { text: c.runName })));
    if (c.kids.length) {
      var ul = el("ul", { class: "tree" });
      c.kids.forEach(function (k) { ul.append(commandItem(C[k])); });
      li.append(ul);
    }
    return li;
  }
  function stepLabel(s) {
    var prefix = s.k === "go" || s.k === "defer" ? s.k + " " : "";
    if (s.i !== undefined) return el("span", { class: "label" }, prefix, funcButton(s.i, s.c));
    return el("span", { class: "label", text: prefix + s.c });
  }

  // ------------------------------------------------------------------ startup flow
  function isSide(s) { return !!s.side; }
  function count(steps) {
    return steps.reduce(function (n, s) { return n + 1 + (s.s ? count(s.s) : 0); }, 0);
  }
  function renderFlow() {
    var box = document.getElementById("flow");
    box.replaceChildren();
    if (!D.flow) { box.append(el("p", { class: "muted", text: "No startup flow: this tree has no entry point." })); return; }
    box.append(el("div", { class: "step" }, el("b", {}, D.flow.i >= 0 ? funcButton(D.flow.i) : D.flow.entry)),
               stepsList(D.flow.steps, 0));
  }
  function stepsList(steps, depth) {
    var ul = el("ul", { class: "steps" }), i = 0;
    while (i < steps.length) {
      if (!state.showSide && isSide(steps[i])) {
        var j = i;
        while (j < steps.length && isSide(steps[j])) j++;
        ul.append(foldedRun(steps.slice(i, j), depth));
        i = j;
        continue;
      }
      ul.append(stepItem(steps[i], depth));
      i++;
    }
    return ul;
  }
  function foldedRun(run, depth) {
    var n = count(run);
    var li = el("li", { class: "folded" });
    li.append(el("span", { class: "fold", role: "button", tabindex: "0",
                           text: "▸ " + n + " step" + (n === 1 ? "" : "s") + " on side paths: " +
                                 run.map(function (s) { return s.side; })
                                    .filter(function (v, k, all) { return all.indexOf(v) === k; }).join(", "),
                           onclick: function () { li.replaceWith.apply(li, run.map(function (s) { return stepItem(s, depth); })); } }));
    return li;
  }
  function stepItem(s, depth) {
    var li = el("li", { class: "step " + s.k + (isSide(s) ? " side" : "") });
    var open = state.openAll || (depth < 2 && !s.init);
    var toggle = el("span", { class: "toggle", text: s.s ? (open ? "▾" : "▸") : "" });
    li.append(toggle, stepLabel(s));
    if (s.ctx) li.append(el("span", { class: "ctx", text: s.ctx.join(" › ") }));
    if (s.rec) li.append(el("span", { class: "ctx", text: "(recursive)" }));
    if (s.seen) li.append(el("span", { class: "ctx", text: "(expanded elsewhere)" }));
    if (s.f !== undefined) li.append(el("span", { class: "pos" }, where(s.f, s.l)));
    if (s.s) {
      var children = null;
      var flip = function () {
        if (children) { children.remove(); children = null; toggle.textContent = "▸"; return; }
        children = stepsList(s.s, depth + 1); li.append(children); toggle.textContent = "▾";
      };
      toggle.addEventListener("click", flip);
      if (open) flip();
    }
    return li;
  }
  document.getElementById("show-side").addEventListener("change", function (e) { state.showSide = e.target.checked; renderFlow(); });
  document.getElementById("expand-flow").addEventListener("click", function () {
    if (D.flow && count(D.flow.steps) > 4000) { alert("The flow has too many steps to unfold at once; unfold the parts you need."); return; }
    state.openAll = true; renderFlow();
  });
  document.getElementById("collapse-flow").addEventListener("click", function () { state.openAll = false; renderFlow(); });

  // ------------------------------------------------------------------ call graph: model
  function groupKey(i) {
    if (state.group === "none") return "";
    if (state.group === "type" && F[i].t) return F[i].t;
    return P[F[i].p];
  }
  function nodeLabel(i) {
    var f = F[i], label = f.s;
    if (state.group !== "none") {
      var short = lastElem(P[f.p]) + ".";
      label = label.split(short).join("");
    }
    return label.length > 36 ? label.slice(0, 35) + "…" : label;
  }
  function levels() {
    var level = new Map([[state.focus, 0]]);
    function visible(i) { return i === state.focus || !(state.hideStd && F[i].x); }
    [[state.down, callees, 1], [state.up, callers, -1]].forEach(function (spec) {
      var frontier = [state.focus];
      for (var d = 1; d <= spec[0] && frontier.length; d++) {
        var next = [];
        frontier.forEach(function (n) {
          spec[1][n].forEach(function (m) {
            if (!level.has(m) && visible(m) && next.length < 2000) { level.set(m, d * spec[2]); next.push(m); }
          });
        });
        frontier = next;
      }
    });
    return level;
  }
  function graphModel() {
    var level = levels(), nodes = new Map(), edges = new Map();
    function id(i) {
      var g = groupKey(i);
      return i !== state.focus && g && state.collapsed.has(g) ? "g" + g : "f" + i;
    }
    level.forEach(function (lvl, i) {
      var key = id(i), node = nodes.get(key);
      if (!node) {
        node = key[0] === "g" ? { id: key, group: key.slice(1), members: 0, level: lvl, kind: "group" }
                              : { id: key, func: i, group: groupKey(i), level: lvl, kind: F[i].k };
        nodes.set(key, node);
      }
      if (node.kind === "group") {
        node.members++;
        if (Math.abs(lvl) < Math.abs(node.level)) node.level = lvl;
      }
    });
    level.forEach(function (_lvl, i) {
      callees[i].forEach(function (j) {
        if (!level.has(j)) return;
        var a = id(i), b = id(j);
        if (a === b) return;
        var edge = edges.get(a + " " + b) || { a: a, b: b, dynamic: true };
        edge.dynamic = edge.dynamic && dynamic.has(i * F.length + j);
        edges.set(a + " " + b, edge);
      });
    });
    return { nodes: nodes, edges: Array.from(edges.values()) };
  }
  function order(model) {
    var columns = new Map();
    model.nodes.forEach(function (n) {
      if (!columns.has(n.level)) columns.set(n.level, []);
      columns.get(n.level).push(n);
    });
    var neighbours = new Map();
    model.edges.forEach(function (e) {
      [[e.a, e.b], [e.b, e.a]].forEach(function (p) {
        if (!neighbours.has(p[0])) neighbours.set(p[0], []);
        neighbours.get(p[0]).push(p[1]);
      });
    });
    var position = new Map();
    var levelsSorted = Array.from(columns.keys()).sort(function (a, b) { return Math.abs(a) - Math.abs(b) || b - a; });
    levelsSorted.forEach(function (lvl) {
      var column = columns.get(lvl), inner = lvl > 0 ? lvl - 1 : lvl + 1;
      column.forEach(function (n) {
        var ps = (neighbours.get(n.id) || []).filter(function (m) {  // dropped nodes have no position
          return position.has(m) && model.nodes.get(m).level === inner;
        })
                                              .map(function (m) { return position.get(m); });
        n.bary = ps.length ? ps.reduce(function (a, b) { return a + b; }, 0) / ps.length : 1e9;
        n.label = n.kind === "group" ? lastElem(n.group) + " (" + n.members + ")" : nodeLabel(n.func);
      });
      var groups = new Map();
      column.forEach(function (n) {
        if (!groups.has(n.group)) groups.set(n.group, []);
        groups.get(n.group).push(n);
      });
      var blocks = Array.from(groups.values()).map(function (members) {
        members.sort(function (a, b) { return a.bary - b.bary || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0); });
        var b = Math.min.apply(null, members.map(function (m) { return m.bary; }));
        return { members: members, bary: b, group: members[0].group };
      });
      blocks.sort(function (a, b) { return a.bary - b.bary || (a.group < b.group ? -1 : 1); });
      var flat = [];
      blocks.forEach(function (b) { b.members.forEach(function (m) { flat.push(m); }); });
      if (flat.length > state.colMax) {
        var dropped = flat.splice(state.colMax);
        dropped.forEach(function (n) { model.nodes.delete(n.id); });
        var more = { id: "more" + lvl, kind: "more", group: "", level: lvl, label: "… " + dropped.length + " more (click)" };
        model.nodes.set(more.id, more);
        flat.push(more);
      }
      flat.forEach(function (n, k) { position.set(n.id, k); });
      columns.set(lvl, flat);
    });
    model.edges = model.edges.filter(function (e) { return model.nodes.has(e.a) && model.nodes.has(e.b); });
    return columns;
  }

  // ------------------------------------------------------------------ call graph: drawing
  var W = 250, H = 22, GAP = 6, COLW = 330, HEAD = 18;
  var zoom = null;
  function renderGraph() {
    var box = document.getElementById("graph");
    box.replaceChildren();
    if (state.focus === null) { box.append(el("p", { class: "muted", text: "Search for a function to focus the graph on it." })); return; }
    document.getElementById("focus-name").textContent = F[state.focus].s;
    var model = graphModel(), columns = order(model);
    var lvls = Array.from(columns.keys()).sort(function (a, b) { return a - b; });
    var minLvl = lvls[0], svg = svgEl("svg", { role: "img" });
    svg.append(defs());
    var gEdges = svgEl("g"), gClusters = svgEl("g"), gNodes = svgEl("g");
    svg.append(gClusters, gEdges, gNodes);
    var top = 0, bottom = 0;
    lvls.forEach(function (lvl) {
      var column = columns.get(lvl), x = (lvl - minLvl) * COLW, height = 0, prev = null;
      column.forEach(function (n) {
        if (state.group !== "none" && n.group !== prev) height += HEAD + 8;
        prev = n.group; height += H + GAP;
      });
      var y = -height / 2;
      top = Math.min(top, y - 30); bottom = Math.max(bottom, y + height);
      var head = lvl === 0 ? "focus" : lvl < 0 ? "callers" + (lvl < -1 ? " ×" + -lvl : "") : "callees" + (lvl > 1 ? " ×" + lvl : "");
      gNodes.append(svgText(x, y - 20, head, "colhead"));
      var cluster = null;
      prev = null;
      column.forEach(function (n) {
        if (state.group !== "none" && n.group !== prev && n.kind !== "more") {
          y += 8;
          cluster = clusterBox(gClusters, x, y, n.group, n.kind === "group");
          y += HEAD;
        }
        prev = n.group;
        n.x = x; n.y = y;
        gNodes.append(nodeBox(n));
        y += H + GAP;
        if (cluster) cluster.setAttribute("height", y - Number(cluster.getAttribute("y")) - GAP + 4);
      });
    });
    model.edges.forEach(function (e) { gEdges.append(edgePath(model.nodes.get(e.a), model.nodes.get(e.b), e)); });
    var width = (lvls[lvls.length - 1] - minLvl) * COLW + W;
    svg.setAttribute("viewBox", [-30, top - 10, width + 60, bottom - top + 40].join(" "));
    box.append(svg);
    zoom = gaPanZoom(svg);
    readable(svg, model.nodes.get("f" + state.focus));
    if (state.selected !== null) select(state.selected);
  }
  function readable(svg, focus) {
    // Fitting a big neighbourhood shrinks the labels below reading size, fitting a small one blows
    // them up: show it at 85 % around the focus, or at 100 % centred, instead (drag and wheel reach the rest).
    var b = svg.viewBox.baseVal, rect = svg.getBoundingClientRect();
    var fit = Math.min(rect.width / b.width, rect.height / b.height);
    if (!focus || !rect.width || (fit >= 0.85 && fit <= 1)) return;
    var scale = fit > 1 ? 1 : 0.85, w = rect.width / scale, h = rect.height / scale;
    var x = fit > 1 ? b.x + b.width / 2 - w / 2 : Math.max(b.x, Math.min(focus.x + W / 2 - w / 2, b.x + b.width - w));
    var y = fit > 1 ? b.y + b.height / 2 - h / 2 : Math.max(b.y, Math.min(focus.y - h / 2, b.y + b.height - h));
    svg.setAttribute("viewBox", [x, y, w, h].join(" "));
  }
  function defs() {
    var d = svgEl("defs"), marker = svgEl("marker", { id: "arrow", viewBox: "0 0 10 10", refX: "9", refY: "5",
      markerWidth: "7", markerHeight: "7", orient: "auto-start-reverse" });
    marker.append(svgEl("path", { d: "M0,0 L10,5 L0,10 z", fill: "#8c959f" }));
    d.append(marker);
    return d;
  }
  function svgText(x, y, text, cls) {
    var t = svgEl("text", { x: x, y: y, class: cls || "" });
    t.textContent = text;
    return t;
  }
  function clusterBox(parent, x, y, group, collapsed) {
    var rect = svgEl("rect", { x: x - 6, y: y, width: W + 12, height: HEAD, rx: 6 });
    var g = svgEl("g", { class: "cluster" });
    var title = svgText(x, y + 13, (collapsed ? "▸ " : "▾ ") + (group.length > 40 ? "…" + group.slice(-39) : group));
    var tip = svgEl("title");
    tip.textContent = group + (collapsed ? " (click to expand)" : " (click to collapse)");
    title.append(tip);
    title.addEventListener("click", function () {
      if (state.collapsed.has(group)) state.collapsed.delete(group); else state.collapsed.add(group);
      renderGraph();
    });
    g.append(rect, title);
    parent.append(g);
    return rect;
  }
  function nodeBox(n) {
    var cls = "node " + n.kind + (n.func === state.focus && n.func !== undefined ? " focus" : "");
    var g = svgEl("g", { class: cls, transform: "translate(" + n.x + "," + n.y + ")" });
    if (n.func !== undefined) g.dataset.func = n.func;
    var tip = svgEl("title");
    if (n.func !== undefined) {
      var f = F[n.func];
      tip.textContent = f.n + (f.f !== undefined ? "\n" + FILES[f.f].p + ":" + f.l : "") + (f.d ? "\n\n" + f.d : "");
    } else tip.textContent = n.kind === "group" ? n.group + ": " + n.members + " functions (click to expand)" : "show more";
    g.append(tip, svgEl("rect", { width: W, height: H }), svgText(8, 15, n.label));
    g.addEventListener("click", function () {
      if (n.kind === "group") { state.collapsed.delete(n.group); renderGraph(); }
      else if (n.kind === "more") { state.colMax += 40; renderGraph(); }
      else select(n.func);
    });
    g.addEventListener("dblclick", function () { if (n.func !== undefined) setFocus(n.func); });
    return g;
  }
  function edgePath(a, b, e) {
    var x1 = a.x + W, y1 = a.y + H / 2, x2 = b.x, y2 = b.y + H / 2, d;
    if (b.x > a.x) {
      var mid = (x2 - x1) / 2;
      d = "M" + x1 + "," + y1 + " C" + (x1 + mid) + "," + y1 + " " + (x2 - mid) + "," + y2 + " " + x2 + "," + y2;
    } else {
      x2 = b.x + W;
      d = "M" + x1 + "," + y1 + " C" + (x1 + 50) + "," + y1 + " " + (x2 + 50) + "," + y2 + " " + x2 + "," + y2;
    }
    var path = svgEl("path", { d: d, class: "edge" + (e.dynamic ? " dynamic" : ""), "marker-end": "url(#arrow)" });
    path.dataset.a = e.a; path.dataset.b = e.b;
    return path;
  }
  function setFocus(i) {
    state.focus = i;
    state.colMax = 40;
    var g = groupKey(i);
    if (g) state.collapsed.delete(g);
    select(i);
    if (rendered.graph) renderGraph();
  }
  function control(id, key, parse) {
    document.getElementById(id).addEventListener("change", function (e) {
      state[key] = parse(e.target); if (rendered.graph) renderGraph();
    });
  }
  control("up", "up", function (t) { return Math.max(0, Math.min(6, parseInt(t.value, 10) || 0)); });
  control("down", "down", function (t) { return Math.max(0, Math.min(6, parseInt(t.value, 10) || 0)); });
  control("group", "group", function (t) { state.collapsed.clear(); return t.value; });
  control("hide-std", "hideStd", function (t) { return t.checked; });
  document.getElementById("collapse-all").addEventListener("click", function () {
    var model = graphModel(), keep = state.focus === null ? "" : groupKey(state.focus);
    model.nodes.forEach(function (n) { if (n.group && n.group !== keep) state.collapsed.add(n.group); });
    renderGraph();
  });
  document.getElementById("fit").addEventListener("click", function () { if (zoom) zoom.reset(); });
  document.getElementById("expand-all").addEventListener("click", function () { state.collapsed.clear(); renderGraph(); });

  // ------------------------------------------------------------------ search
  var items = [];
  F.forEach(function (f, i) {
    var base = f.s.slice(f.s.lastIndexOf(".") + 1);
    items.push({ kind: f.k === "external" ? "external" : f.k, label: f.s, base: base, full: f.n, std: !!f.x, where: P[f.p],
                 pick: function () { setFocus(i); showView("graph"); } });
  });
  T.forEach(function (t) {
    items.push({ kind: "type", label: t.s, base: t.s.slice(t.s.lastIndexOf(".") + 1), full: t.n, std: false, where: P[t.p],
                 pick: function () { showType(t); } });
  });
  C.forEach(function (c) {
    items.push({ kind: "command", label: c.name, base: c.name, full: c.name, std: false, where: FILES[c.f].p,
                 pick: function () { showCommand(c); } });
  });
  items.forEach(function (it) { it.lbase = it.base.toLowerCase(); it.llabel = it.label.toLowerCase(); it.lfull = it.full.toLowerCase(); });
  var results = document.getElementById("results"), search = document.getElementById("search"), hits = [], hot = 0;
  function score(it, q) {
    if (it.lbase === q) return 0;
    if (it.llabel === q || it.lfull === q) return 0;
    if (it.lbase.indexOf(q) === 0) return 2;
    if (it.llabel.indexOf(q) >= 0) return 3;
    if (it.lfull.indexOf(q) >= 0) return 4;
    return -1;
  }
  function runSearch() {
    var q = search.value.trim().toLowerCase();
    results.replaceChildren();
    if (!q) { results.hidden = true; hits = []; return; }
    hits = [];
    items.forEach(function (it) {
      var s = score(it, q);
      if (s >= 0) hits.push({ it: it, s: s + (it.std ? 0.5 : 0) + (it.kind === "external" ? 0.3 : 0) });
    });
    hits.sort(function (a, b) { return a.s - b.s || a.it.label.length - b.it.label.length || (a.it.label < b.it.label ? -1 : 1); });
    var total = hits.length;
    hits = hits.slice(0, 60);
    hot = 0;
    hits.forEach(function (h, k) {
      results.append(el("li", { class: k === 0 ? "hot" : "", title: h.it.full,
                                onmousedown: function (e) { e.preventDefault(); pick(k); } },
                        el("span", { class: "badge", text: h.it.kind }), el("span", { class: "name", text: h.it.label }),
                        el("span", { class: "where", text: h.it.where })));
    });
    if (!hits.length) results.append(el("li", { class: "muted", text: "nothing matches" }));
    else if (total > hits.length) results.append(el("li", { class: "muted", text: (total - hits.length) + " more: type more of the name" }));
    results.hidden = false;
  }
  function pick(k) {
    if (!hits[k]) return;
    results.hidden = true;
    hits[k].it.pick();
  }
  var timer = null;
  search.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(runSearch, 60); });
  search.addEventListener("keydown", function (e) {
    var rows = results.querySelectorAll("li");
    if (e.key === "Enter") { clearTimeout(timer); runSearch(); pick(hot); }
    else if (e.key === "Escape") results.hidden = true;
    else if ((e.key === "ArrowDown" || e.key === "ArrowUp") && hits.length) {
      e.preventDefault();
      hot = (hot + (e.key === "ArrowDown" ? 1 : hits.length - 1)) % hits.length;
      rows.forEach(function (r, k) { r.classList.toggle("hot", k === hot); });
    }
  });
  search.addEventListener("blur", function () { results.hidden = true; });
  search.addEventListener("focus", function () { if (search.value.trim()) runSearch(); });
  document.addEventListener("keydown", function (e) {
    if (e.key === "/" && document.activeElement !== search) { e.preventDefault(); search.focus(); }
  });

  // ------------------------------------------------------------------ start
  var start = D.flow && D.flow.i >= 0 ? D.flow.i : (D.entry && byName.has(D.entry) ? byName.get(D.entry) : null);
  if (start === null) {
    var best = -1;
    F.forEach(function (f, i) {
      if (!f.x && f.k !== "external" && D.roots.indexOf(P[f.p]) >= 0 && callees[i].length > best) { best = callees[i].length; start = i; }
    });
  }
  state.focus = start;
  showView("overview");
  document.body.dataset.ready = "1";
})();
