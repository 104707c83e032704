"""What makes the MkDocs site live and offline: diagrams inline, pan/zoom, highlighting without a CDN.

- A diagram line `![caption](name.svg)` becomes the SVG itself inside the page (`<div
  class="ga-diagram">`), so its node links and tooltips work (an `<img>` makes them dead); a small
  script of ours (assets/panzoom.js + assets/diagrams.js) adds zoom buttons, Ctrl+wheel zoom and
  drag to pan, and a link to the picture at full size.
- Code is highlighted by Pygments at build time (MkDocs' `codehilite`), with its stylesheet
  written beside the pages; the theme's highlight.js, which the mkdocs theme loads from a CDN, is
  switched off. Without Pygments, code stays plain — still offline.

An SVG is inlined only when it holds nothing active (no script, no event handler attribute, no
`javascript:` link); Graphviz writes none, but the labels come from analysed code, so it is checked.
"""

from __future__ import annotations

__all__ = ["inline_diagrams", "write_assets"]

import html
import re
from importlib import resources
from pathlib import Path

from goanalyzer.outputs import write_file

_IMAGE = re.compile(r"^!\[(?P<caption>[^\]]*)\]\((?P<file>[A-Za-z0-9_.-]+\.svg)\)$")
_ACTIVE = re.compile(r"<script|<foreignObject|\son[a-z]+\s*=|javascript:|<iframe|<embed|<object", re.I)
_PROLOG = re.compile(r"<\?xml.*?\?>|<!DOCTYPE.*?>|<!--.*?-->", re.S)
_ID = re.compile(r'\b(id|xlink:href|href)="#?([^"]*)"')
_ANCHOR = re.compile(r"<a\b[^>]*>")


def _same_tab(match: re.Match) -> str:
    """A link to another page of the site opens in place (Graphviz writes target="_blank" for all)."""
    tag = match[0]
    href = re.search(r'href="([^"]*)"', tag)
    if href and not re.match(r"[a-z][a-z0-9+.-]*:", href[1], re.I):
        tag = re.sub(r'\starget="_blank"', "", tag)
    return tag


def _svg_markup(text: str, prefix: str) -> str | None:
    """The `<svg>` element to place in a page: prolog and comments dropped, ids made unique to the
    diagram, natural size kept as a maximum; None when it must not be inlined."""
    if _ACTIVE.search(text):
        return None
    text = _PROLOG.sub("", text).strip()
    start = text.find("<svg")
    if start < 0:
        return None
    text = text[start:]
    ids = set(re.findall(r'\bid="([^"]*)"', text))

    def rename(match: re.Match) -> str:
        attribute, value = match[1], match[2]
        if attribute == "id":
            return f'id="{prefix}-{value}"'
        if match[0].endswith(f'="#{value}"') and value in ids:
            return f'{attribute}="#{prefix}-{value}"'
        return match[0]

    text = _ID.sub(rename, text)
    text = _ANCHOR.sub(_same_tab, text)
    text = re.sub(r"url\(#([^)]*)\)", lambda m: f"url(#{prefix}-{m[1]})" if m[1] in ids else m[0], text)
    size = re.search(r'<svg[^>]*\swidth="([\d.]+)pt"', text)
    text = re.sub(r'(<svg[^>]*?)\s(width|height)="[^"]*"', r"\1", text, count=1)
    text = re.sub(r'(<svg[^>]*?)\s(width|height)="[^"]*"', r"\1", text, count=1)
    style = f' style="max-width:{float(size[1]) * 4 / 3:.0f}px"' if size else ""
    text = text.replace("<svg", f'<svg class="ga-svg"{style}', 1)
    return "\n".join(line for line in text.splitlines() if line.strip())


def inline_diagrams(lines: list[str], docs: Path) -> list[str]:
    """The page's lines with each diagram image replaced by the SVG itself (when it may be)."""
    out: list[str] = []
    for line in lines:
        match = _IMAGE.match(line.strip())
        path = docs / match["file"] if match else None
        if path is None or not path.is_file():
            out.append(line)
            continue
        markup = _svg_markup(path.read_text(encoding="utf-8", errors="replace"), path.stem)
        if markup is None:
            out.append(line)
            continue
        caption = html.escape(match["caption"])
        out += ["", f'<div class="ga-diagram" data-full="{html.escape(match["file"])}" role="figure" '
                    f'aria-label="{caption}">', markup, "</div>", ""]
    return out


def _asset(name: str) -> str:
    return resources.files("goanalyzer.views").joinpath("assets", name).read_text(encoding="utf-8")


def write_assets(docs: Path) -> dict:
    """Write the scripts and stylesheets into docs/ and return the mkdocs.yml settings that use them."""
    write_file(docs / "js" / "goanalyzer.js", _asset("panzoom.js") + "\n" + _asset("diagrams.js"), docs)
    write_file(docs / "css" / "goanalyzer.css", _asset("diagrams.css"), docs)
    extensions: list = ["tables", "toc"]
    css = ["css/goanalyzer.css"]
    try:
        from pygments.formatters import HtmlFormatter
    except ImportError:  # highlighting is a nicety: without Pygments the code stays plain
        HtmlFormatter = None
    if HtmlFormatter is not None:
        write_file(docs / "css" / "pygments.css", HtmlFormatter(style="default").get_style_defs(".codehilite"), docs)
        extensions.append({"codehilite": {"guess_lang": False, "css_class": "codehilite"}})
        css.insert(0, "css/pygments.css")
    return {"theme": {"name": "mkdocs", "highlightjs": False}, "markdown_extensions": extensions,
            "extra_css": css, "extra_javascript": ["js/goanalyzer.js"]}
