// Parse Mermaid diagrams with Mermaid's own parser: `node validate.mjs FILE...`.
// Prints one JSON line per file ({file, ok, type | error}); exits 1 if any diagram is invalid.
import { readFileSync } from "node:fs";
import { JSDOM } from "jsdom";

// mermaid's parse path touches DOMPurify and `window`/`document`: give it a minimal DOM.
const dom = new JSDOM("<!DOCTYPE html><html><body></body></html>", { pretendToBeVisual: true });
globalThis.window = dom.window;
globalThis.document = dom.window.document;
for (const key of ["Element", "HTMLElement", "SVGElement", "Node", "DocumentFragment", "DOMParser", "navigator"]) {
  if (!(key in globalThis)) {
    try { globalThis[key] = dom.window[key]; } catch { /* read-only global */ }
  }
}

const { default: mermaid } = await import("mermaid");
mermaid.initialize({ startOnLoad: false, securityLevel: "strict" });

let failed = 0;
for (const file of process.argv.slice(2)) {
  const text = readFileSync(file, "utf8");
  try {
    const result = await mermaid.parse(text);
    console.log(JSON.stringify({ file, ok: true, type: result && result.diagramType }));
  } catch (err) {
    failed += 1;
    console.log(JSON.stringify({ file, ok: false, error: String((err && err.message) || err).split("\n").slice(0, 6).join("\n") }));
  }
}
process.exit(failed ? 1 : 0);
