// Real mermaid (the version whose folder is argv[2]) as an oracle for tests/page/test_mermaid_differential.py.
//
// Reads one JSON string per line on stdin (a diagram's text, as it stands in {{#mermaid:...}})
// and writes one JSON object per line on stdout, in the same order:
//   {"ok": false, "error": "first line of mermaid's message"}
//   {"ok": true, "type": "flowchart-v2", "nodes": [[id, text, shape]],
//    "edges": [[source, target, text, type, stroke, length]]}
// It goes the way mermaid.render goes (preprocessing, entity encoding, the diagram's own parser)
// and reports what the flowchart's db then holds; entity codes (#quot;) are shown decoded, as the
// rendered page shows them. One process answers a whole batch.
import { createRequire } from "node:module";
import { createInterface } from "node:readline";
import { pathToFileURL } from "node:url";

const require = createRequire(`${process.argv[2]}/package.json`);
const { JSDOM } = require("jsdom");
const dom = new JSDOM("<!doctype html><html><body></body></html>");
globalThis.window = dom.window;
globalThis.document = dom.window.document;
const mermaid = (await import(pathToFileURL(require.resolve("mermaid")).href)).default;
mermaid.initialize({ startOnLoad: false, logLevel: 5 });

const decoder = dom.window.document.createElement("textarea");

/** Mermaid's entity markers (as its encodeEntities leaves them) as the characters they show. */
function shown(text) {
  return String(text ?? "").replace(/ﬂ°(°?)(\w+)¶ß/g, (_, hash, name) => {
    decoder.innerHTML = `&${hash ? "#" : ""}${name};`;
    return decoder.value;
  });
}

function answer(text) {
  return mermaid.mermaidAPI.getDiagramFromText(text).then((diagram) => {
    const db = diagram.db;
    if (typeof db.getVertices !== "function") return { ok: true, type: diagram.type };
    const nodes = Object.values(db.getVertices()).map((v) => [v.id, shown(v.text), v.type ?? null]);
    const edges = db.getEdges().map((e) => [e.start, e.end, shown(e.text), e.type, e.stroke, e.length]);
    return { ok: true, type: diagram.type, nodes, edges };
  }, (error) => ({ ok: false, error: String(error?.message ?? error).split("\n")[0] }));
}

const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
for await (const line of lines) {
  if (line.trim() === "") continue;
  process.stdout.write(`${JSON.stringify(await answer(JSON.parse(line)))}\n`);
}
