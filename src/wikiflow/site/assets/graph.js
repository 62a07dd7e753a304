// The graph view: nodes and edges drawn on a <canvas>, laid out by a force simulation whose
// repulsion only looks at nearby nodes (a grid of cells), so that 10,000 pages lay out in
// seconds. Drag to pan, wheel or pinch to zoom, click a node to open its page.
// Data: window.wikiflowGraph (the whole wiki, graph-data.js) for canvas.whole, else the
// canvas's data-graph attribute (a page's neighbourhood). Nothing is fetched.
(function () {
  "use strict";
  var COLOURS = { Workflow: "#3366cc", Principle: "#2a9d58", Heuristic: "#d08a00",
    Implementation: "#8e44ad", Environment: "#6c7a89" };
  var MISSING = "#d33";

  function cssColour(name, fallback) {
    var value = getComputedStyle(document.documentElement).getPropertyValue(name);
    return value ? value.trim() || fallback : fallback;
  }

  function cellKey(x, y) { return (x + 32768) * 65536 + (y + 32768); }

  function Graph(canvas, data) {
    this.canvas = canvas;
    this.context = canvas.getContext("2d");
    this.nodes = data.nodes.map(function (n, i) {
      return { t: n.t, n: n.n, h: n.h, x: 0, y: 0, vx: 0, vy: 0, degree: 0, i: i };
    });
    var nodes = this.nodes;
    this.edges = data.edges.filter(function (e) {
      return e[0] < nodes.length && e[1] < nodes.length && e[0] !== e[1];
    });
    this.edges.forEach(function (e) { nodes[e[0]].degree++; nodes[e[1]].degree++; });
    this.focus = typeof data.focus === "number" ? data.focus : -1;
    this.scale = 1; this.dx = 0; this.dy = 0;
    this.alpha = 1; this.hover = null;
    // Fewer rounds for a large graph: it settles well enough, and sooner.
    this.cooling = this.nodes.length > 2000 ? 0.96 : 0.985;
    this.place();
    this.resize();
    this.fit();
    this.listen();
    this.tick();
  }

  Graph.prototype.place = function () {
    // A sunflower spiral in breadth-first order from the focus (or each component's first
    // node): every node starts apart from the others, deterministically, and near the pages
    // it links with, so the simulation has little left to do.
    var nodes = this.nodes, links = nodes.map(function () { return []; });
    this.edges.forEach(function (e) { links[e[0]].push(e[1]); links[e[1]].push(e[0]); });
    var order = [], seen = new Uint8Array(nodes.length);
    var starts = this.focus >= 0 ? [this.focus] : [];
    for (var s = 0; s < nodes.length; s++) { starts.push(s); }
    starts.forEach(function (start) {
      if (seen[start]) { return; }
      seen[start] = 1;
      for (var head = order.push(start) - 1; head < order.length; head++) {
        links[order[head]].forEach(function (next) {
          if (!seen[next]) { seen[next] = 1; order.push(next); }
        });
      }
    });
    var angle = Math.PI * (3 - Math.sqrt(5)), spacing = 24;
    order.forEach(function (index, i) {
      var r = spacing * Math.sqrt(i + 0.5);
      nodes[index].x = r * Math.cos(i * angle);
      nodes[index].y = r * Math.sin(i * angle);
    });
    if (this.focus >= 0) { nodes[this.focus].x = 0; nodes[this.focus].y = 0; }
  };

  Graph.prototype.step = function () {
    var nodes = this.nodes, edges = this.edges, n = nodes.length, i, j, a, b;
    var cell = 60, length = 40, grid = new Map();
    for (i = 0; i < n; i++) {
      a = nodes[i];
      var key = cellKey(Math.floor(a.x / cell), Math.floor(a.y / cell));
      var bucket = grid.get(key);
      if (bucket) { bucket.push(a); } else { grid.set(key, [a]); }
    }
    for (i = 0; i < n; i++) {
      a = nodes[i];
      var cx = Math.floor(a.x / cell), cy = Math.floor(a.y / cell);
      for (var gx = cx - 1; gx <= cx + 1; gx++) {
        for (var gy = cy - 1; gy <= cy + 1; gy++) {
          var near = grid.get(cellKey(gx, gy));
          if (!near) { continue; }
          for (j = 0; j < near.length; j++) {
            b = near[j];
            if (b.i <= a.i) { continue; }
            var ddx = a.x - b.x, ddy = a.y - b.y, d2 = ddx * ddx + ddy * ddy + 0.01;
            if (d2 > cell * cell) { continue; }
            var push = 400 / d2;
            a.vx += ddx * push; a.vy += ddy * push; b.vx -= ddx * push; b.vy -= ddy * push;
          }
        }
      }
    }
    for (i = 0; i < edges.length; i++) {
      a = nodes[edges[i][0]]; b = nodes[edges[i][1]];
      var ex = b.x - a.x, ey = b.y - a.y, d = Math.sqrt(ex * ex + ey * ey) + 0.01;
      var pull = (d - length) / d * 0.08;
      a.vx += ex * pull; a.vy += ey * pull; b.vx -= ex * pull; b.vy -= ey * pull;
    }
    for (i = 0; i < n; i++) {
      a = nodes[i];
      a.vx -= a.x * 0.0005; a.vy -= a.y * 0.0005;
      var speed = Math.sqrt(a.vx * a.vx + a.vy * a.vy), most = 10 * this.alpha + 0.5;
      if (speed > most) { a.vx *= most / speed; a.vy *= most / speed; }
      if (i !== this.focus) { a.x += a.vx; a.y += a.vy; }
      a.vx *= 0.6; a.vy *= 0.6;
    }
    this.alpha *= this.cooling;
  };

  Graph.prototype.tick = function () {
    var self = this, started = performance.now();
    while (this.alpha > 0.02 && performance.now() - started < 40) { this.step(); }
    this.draw();
    if (this.alpha > 0.02) {
      window.requestAnimationFrame(function () { self.tick(); });
    } else {
      this.canvas.setAttribute("data-settled", "true");
    }
  };

  Graph.prototype.resize = function () {
    var ratio = window.devicePixelRatio || 1, width = this.canvas.clientWidth || 800;
    var height = this.canvas.clientHeight || 400;
    this.canvas.width = Math.round(width * ratio);
    this.canvas.height = Math.round(height * ratio);
    this.ratio = ratio;
  };

  Graph.prototype.fit = function () {
    var minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
    this.nodes.forEach(function (n) {
      minX = Math.min(minX, n.x); maxX = Math.max(maxX, n.x);
      minY = Math.min(minY, n.y); maxY = Math.max(maxY, n.y);
    });
    if (!this.nodes.length) { return; }
    var w = this.canvas.width / this.ratio, h = this.canvas.height / this.ratio;
    this.scale = Math.min(2, 0.8 * Math.min(w / (maxX - minX + 80), h / (maxY - minY + 80)));
    this.dx = w / 2 - this.scale * (minX + maxX) / 2;
    this.dy = h / 2 - this.scale * (minY + maxY) / 2;
  };

  Graph.prototype.draw = function () {
    var c = this.context, self = this, nodes = this.nodes;
    c.setTransform(this.ratio, 0, 0, this.ratio, 0, 0);
    c.clearRect(0, 0, this.canvas.width, this.canvas.height);
    c.translate(this.dx, this.dy);
    c.scale(this.scale, this.scale);
    c.lineWidth = 1 / this.scale;
    c.strokeStyle = cssColour("--graph-edge", "rgba(120,120,120,0.45)");
    c.beginPath();
    this.edges.forEach(function (e) {
      c.moveTo(nodes[e[0]].x, nodes[e[0]].y); c.lineTo(nodes[e[1]].x, nodes[e[1]].y);
    });
    c.stroke();
    var labels = nodes.length <= 80 || this.scale > 1.5;
    var text = cssColour("--text", "#222");
    c.font = 12 / Math.max(this.scale, 0.5) + "px sans-serif";
    var byColour = new Map(), shown = [];
    nodes.forEach(function (n) {
      var colour = n.h ? (COLOURS[n.n] || "#888") : MISSING;
      if (!byColour.has(colour)) { byColour.set(colour, []); }
      byColour.get(colour).push(n);
      if (labels || n === self.hover || n.i === self.focus ||
          (n.n === "Workflow" && self.scale > 0.6)) { shown.push(n); }
    });
    var unit = 1 / Math.sqrt(self.scale);
    byColour.forEach(function (group, colour) {  // one path per colour: 10,000 arcs, 5 fills
      c.fillStyle = colour;
      c.beginPath();
      group.forEach(function (n) {
        var r = self.radius(n) * unit;
        c.moveTo(n.x + r, n.y);
        c.arc(n.x, n.y, r, 0, 2 * Math.PI);
      });
      c.fill();
    });
    c.fillStyle = text;
    shown.forEach(function (n) {
      c.fillText(n.t, n.x + self.radius(n) * unit + 2, n.y + 4 / self.scale);
    });
  };

  Graph.prototype.radius = function (n) {
    return n.i === this.focus ? 8 : 4 + Math.min(4, Math.sqrt(n.degree));
  };

  Graph.prototype.at = function (event) {
    var box = this.canvas.getBoundingClientRect();
    var x = (event.clientX - box.left - this.dx) / this.scale;
    var y = (event.clientY - box.top - this.dy) / this.scale;
    var best = null, bestDistance = Math.pow(10 / this.scale, 2);
    this.nodes.forEach(function (n) {
      var d = (n.x - x) * (n.x - x) + (n.y - y) * (n.y - y);
      if (d < bestDistance) { best = n; bestDistance = d; }
    });
    return best;
  };

  Graph.prototype.zoom = function (factor, clientX, clientY) {
    var box = this.canvas.getBoundingClientRect(), x = clientX - box.left, y = clientY - box.top;
    var next = Math.max(0.02, Math.min(20, this.scale * factor));
    this.dx = x - (x - this.dx) * next / this.scale;
    this.dy = y - (y - this.dy) * next / this.scale;
    this.scale = next;
    this.draw();
  };

  Graph.prototype.listen = function () {
    var self = this, canvas = this.canvas, pointers = new Map(), moved = 0, spread = 0;
    canvas.style.touchAction = "none";
    canvas.addEventListener("wheel", function (event) {
      event.preventDefault();
      self.zoom(Math.exp(-event.deltaY * 0.002), event.clientX, event.clientY);
    }, { passive: false });
    canvas.addEventListener("pointerdown", function (event) {
      pointers.set(event.pointerId, { x: event.clientX, y: event.clientY });
      moved = 0;
      canvas.setPointerCapture(event.pointerId);
    });
    canvas.addEventListener("pointermove", function (event) {
      var last = pointers.get(event.pointerId);
      if (!last) {
        var over = self.at(event);
        if (over !== self.hover) {
          self.hover = over;
          canvas.style.cursor = over && over.h ? "pointer" : "grab";
          canvas.title = over ? over.t + (over.h ? "" : " (page does not exist)") : "";
          self.draw();
        }
        return;
      }
      if (pointers.size === 2) {
        var other = Array.from(pointers.entries()).filter(function (p) { return p[0] !== event.pointerId; })[0][1];
        var before = Math.hypot(last.x - other.x, last.y - other.y);
        var after = Math.hypot(event.clientX - other.x, event.clientY - other.y);
        if (before > 0) { self.zoom(after / before, (event.clientX + other.x) / 2, (event.clientY + other.y) / 2); }
        spread += Math.abs(after - before);
      } else {
        self.dx += event.clientX - last.x; self.dy += event.clientY - last.y;
        self.draw();
      }
      moved += Math.abs(event.clientX - last.x) + Math.abs(event.clientY - last.y);
      pointers.set(event.pointerId, { x: event.clientX, y: event.clientY });
    });
    function up(event) {
      var wasClick = pointers.size === 1 && moved < 5 && spread === 0;
      pointers.delete(event.pointerId);
      if (!pointers.size) { spread = 0; }
      if (wasClick && event.type === "pointerup") {
        var hit = self.at(event);
        if (hit && hit.h) { window.location.href = hit.h; }
      }
    }
    canvas.addEventListener("pointerup", up);
    canvas.addEventListener("pointercancel", up);
    window.addEventListener("resize", function () { self.resize(); self.draw(); });
  };

  var canvases = document.querySelectorAll("canvas.graph");
  for (var i = 0; i < canvases.length; i++) {
    var canvas = canvases[i], data = null;
    if (canvas.classList.contains("whole")) {
      data = window.wikiflowGraph || null;
    } else {
      try { data = JSON.parse(canvas.getAttribute("data-graph") || "null"); } catch (e) { data = null; }
    }
    if (data && data.nodes && data.nodes.length > 1) {
      canvas.wikiflowGraph = new Graph(canvas, data);
    } else {
      canvas.hidden = true;
    }
  }
})();
