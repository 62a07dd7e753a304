// Draws each page's Mermaid diagram (securityLevel 'strict': labels are text, never HTML, and
// click directives are ignored), then links each node that stands for a step to the step's
// section. The node -> anchor map comes from the page's data-steps attribute (no inline script).
(function () {
  "use strict";
  if (!window.mermaid) { return; }
  window.mermaid.initialize({ startOnLoad: false, securityLevel: "strict", theme:
    window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "default" });
  var blocks = document.querySelectorAll("pre.mermaid");
  function linkSteps(block) {
    var steps;
    try { steps = JSON.parse(block.getAttribute("data-steps") || "{}"); } catch (e) { return; }
    var nodes = block.querySelectorAll("g.node");
    for (var i = 0; i < nodes.length; i++) {
      var match = /^flowchart-(.+)-\d+$/.exec(nodes[i].id || "");
      if (!match || !Object.prototype.hasOwnProperty.call(steps, match[1])) { continue; }
      var anchor = steps[match[1]];
      var node = nodes[i];
      node.classList.add("step-link");
      node.setAttribute("role", "link");
      node.setAttribute("tabindex", "0");
      node.setAttribute("aria-label", "Go to " + anchor.replace(/-/g, " "));
      (function (target) {
        function go() { window.location.hash = target; }
        node.addEventListener("click", go);
        node.addEventListener("keydown", function (event) {
          if (event.key === "Enter" || event.key === " ") { event.preventDefault(); go(); }
        });
      })(anchor);
    }
  }
  window.mermaid.run({ nodes: blocks }).then(function () {
    for (var i = 0; i < blocks.length; i++) { linkSteps(blocks[i]); }
    document.documentElement.setAttribute("data-diagrams", "drawn");
  }, function (error) {
    document.documentElement.setAttribute("data-diagrams", "failed");
    for (var i = 0; i < blocks.length; i++) {
      if (!blocks[i].querySelector("svg")) { blocks[i].classList.add("unrendered"); }
    }
    if (window.console) { window.console.warn("diagram not drawn: " + (error && error.message)); }
  });
})();
