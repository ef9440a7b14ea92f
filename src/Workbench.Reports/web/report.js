// The report page's script: draws uPlot charts from the embedded JSON. Run data reaches the page only
// through textContent and uPlot's labels (also textContent), never as HTML.
"use strict";
(function () {
  var data = JSON.parse(document.getElementById("report-data").textContent);
  var entities = data.entities;
  // Colours, dash patterns, widths, legend labels and axis titles come with the data (ChartStyle.cs),
  // so a static chart of the same runs looks the same: each entity's colour, each series' dash (train
  // solid, val dashed, ...); the baseline is black and thicker.
  var axisNames = data.axes;
  var style = data.style;
  var state = { axis: "step", smoothing: 0 };
  var blocks = [];

  var colour = function (e) { return entities[e].colour; };
  var alpha = function (hex, a) {
    var n = parseInt(hex.slice(1), 16);
    return "rgba(" + (n >> 16) + "," + ((n >> 8) & 255) + "," + (n & 255) + "," + a + ")";
  };

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // x of a step on another axis, by linear interpolation in the entity's step -> x map (clamped at the ends).
  function mapStep(map, step) {
    var s = map.s, x = map.x, lo = 0, hi = s.length - 1;
    if (step <= s[0]) return x[0];
    if (step >= s[hi]) return x[hi];
    while (hi - lo > 1) {
      var mid = (lo + hi) >> 1;
      if (s[mid] <= step) lo = mid; else hi = mid;
    }
    return x[lo] + (x[hi] - x[lo]) * (step - s[lo]) / (s[hi] - s[lo]);
  }

  function xsOf(series) {
    if (state.axis === "step") return series.s;
    var map = entities[series.e].axes[state.axis];
    return map ? series.s.map(function (step) { return mapStep(map, step); }) : null;
  }

  // Debiased exponential moving average (as TensorBoard's smoothing slider): weight 0 is the raw curve.
  // CurveSmoothing.Ema computes the same for static charts.
  function ema(y, weight) {
    if (weight <= 0) return y;
    var out = new Array(y.length), last = 0, norm = 0;
    for (var i = 0; i < y.length; i++) {
      last = last * weight + (1 - weight) * y[i];
      norm = norm * weight + (1 - weight);
      out[i] = last / norm;
    }
    return out;
  }

  // Every line on one shared x array (uPlot's aligned data), interpolated inside each line's own
  // range so that hovering shows every run's value at that x; outside its range a line has no value.
  function align(lines) {
    var all = [];
    lines.forEach(function (line) { for (var i = 0; i < line.x.length; i++) all.push(line.x[i]); });
    all.sort(function (a, b) { return a - b; });
    var xs = [];
    for (var i = 0; i < all.length; i++) if (i === 0 || all[i] !== all[i - 1]) xs.push(all[i]);
    var columns = lines.map(function (line) {
      var out = new Array(xs.length), j = 0, n = line.x.length;
      for (var k = 0; k < xs.length; k++) {
        var x = xs[k];
        if (x < line.x[0] || x > line.x[n - 1]) { out[k] = null; continue; }
        while (j < n - 1 && line.x[j + 1] <= x) j++;
        if (line.x[j] === x || j === n - 1) out[k] = line.y[j];
        else out[k] = line.y[j] + (line.y[j + 1] - line.y[j]) * (x - line.x[j]) / (line.x[j + 1] - line.x[j]);
      }
      return out;
    });
    return [xs].concat(columns);
  }

  function render(block) {
    if (block.plot) { block.plot.destroy(); block.plot = null; }
    block.empty.textContent = "";
    var spec = block.spec, log = block.log.checked;
    var lines = [], options = [{ label: axisNames[state.axis] }], bands = [];
    var positive = function (v) { return log && !(v > 0) ? null : v; };
    spec.series.forEach(function (s) {
      var x = xsOf(s);
      if (!x) return;
      var entity = entities[s.e], c = colour(s.e), key = s.e + "|" + s.m;
      var label = s.label;
      // An entity the report hides at first (a sweep's trials beyond the best few) starts hidden; its legend entry shows it.
      if (!(key in block.hidden)) block.hidden[key] = !!entity.hidden;
      var shown = !block.hidden[key];
      var main = lines.length + 1;
      lines.push({ x: x, y: ema(s.y, state.smoothing), role: "main", key: key, label: label, raw: s.y });
      options.push({ label: label, stroke: c, width: entity.baseline ? style.baselineWidth : style.width, dash: s.dash, show: shown, spanGaps: true, points: { show: false } });
      // The raw curve, faint behind the smoothed one.
      lines.push({ x: x, y: s.y, role: "raw", key: key, label: label + " (raw)" });
      options.push({ label: label + " (raw)", stroke: alpha(c, state.smoothing > 0 ? style.raw : 0), width: 1, show: shown, spanGaps: true, points: { show: false } });
      if (s.lo) {
        lines.push({ x: x, y: s.hi, role: "hi", key: key, label: label + " max" });
        options.push({ label: label + " max", stroke: alpha(c, style.bandEdge), width: 0.5, show: shown, spanGaps: true, points: { show: false } });
        lines.push({ x: x, y: s.lo, role: "lo", key: key, label: label + " min" });
        options.push({ label: label + " min", stroke: alpha(c, style.bandEdge), width: 0.5, show: shown, spanGaps: true, points: { show: false } });
        bands.push({ series: [main + 2, main + 3], fill: alpha(c, style.band) });
      }
    });
    if (lines.length === 0) {
      block.empty.textContent = "No data for this x axis (" + axisNames[state.axis] + ").";
      block.table = null;
      return;
    }
    var table = align(lines);
    for (var i = 1; i < table.length; i++) table[i] = table[i].map(positive);
    block.lines = lines;
    block.table = table;
    var opts = {
      width: Math.max(320, block.target.clientWidth || 800),
      height: 340,
      series: options,
      bands: bands,
      scales: { x: { time: false }, y: { distr: log ? 3 : 1 } },
      axes: [{ label: axisNames[state.axis] }, { values: ticks, size: 64 }],
      legend: { live: true },
      cursor: { drag: { x: true, y: false } },
      hooks: {
        setSeries: [function (u, index, change) {
          // Hiding a run's curve from the legend hides its raw curve and band with it.
          if (!change || change.show === undefined || !lines[index - 1] || lines[index - 1].role !== "main") return;
          var key = lines[index - 1].key;
          block.hidden[key] = !change.show;
          lines.forEach(function (line, j) {
            if (line.key === key && line.role !== "main" && u.series[j + 1].show !== change.show) u.setSeries(j + 1, { show: change.show });
          });
        }],
      },
    };
    block.plot = new uPlot(opts, table, block.target);
    // Only the main curves get legend entries; raw curves and band edges follow them.
    var rows = block.plot.root.querySelectorAll(".u-legend .u-series");
    lines.forEach(function (line, j) { if (line.role !== "main" && rows[j + 1]) rows[j + 1].style.display = "none"; });
  }

  // Tick labels with enough digits to tell ticks apart (uPlot's default shows 0.001 for 0.0012 and 0.0014).
  function ticks(u, splits) {
    return splits.map(function (v) { return v === null ? "" : String(Number(v.toPrecision(6))); });
  }

  function slug(text) { return text.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "") || "chart"; }

  function download(name, href) {
    var a = el("a");
    a.href = href;
    a.download = name;
    document.body.appendChild(a);
    a.click();
    a.remove();
  }

  function savePng(block) {
    if (!block.plot) return;
    var source = block.plot.ctx.canvas, canvas = document.createElement("canvas");
    canvas.width = source.width;
    canvas.height = source.height;
    var ctx = canvas.getContext("2d");
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.drawImage(source, 0, 0);
    download(slug(block.spec.title) + ".png", canvas.toDataURL("image/png"));
  }

  // A CSV of the chart's raw (unsmoothed) data on the current x axis; labels that a spreadsheet
  // would read as formulas get a leading apostrophe.
  function saveCsv(block) {
    if (!block.table) return;
    var cell = function (text) {
      text = String(text);
      if (/^[=+\-@]/.test(text)) text = "'" + text;
      return /[",\n]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
    };
    var keep = [];
    block.lines.forEach(function (line, j) { if (line.role !== "main") keep.push(j); });
    var rows = [[axisNames[state.axis]].concat(keep.map(function (j) { return block.lines[j].label.replace(/ \(raw\)$/, ""); })).map(cell).join(",")];
    var xs = block.table[0];
    for (var k = 0; k < xs.length; k++) {
      rows.push([xs[k]].concat(keep.map(function (j) { var v = block.table[j + 1][k]; return v === null || v === undefined ? "" : v; })).join(","));
    }
    var url = URL.createObjectURL(new Blob([rows.join("\n") + "\n"], { type: "text/csv" }));
    download(slug(block.spec.title) + ".csv", url);
    setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
  }

  function controls(host) {
    var bar = el("div", "controls");
    var axisLabel = el("label", null, "x axis ");
    var select = el("select");
    select.id = "x-axis";
    Object.keys(axisNames).forEach(function (axis) {
      var available = axis === "step" || entities.some(function (e) { return e.axes[axis]; });
      if (!available) return;
      var option = el("option", null, axisNames[axis]);
      option.value = axis;
      select.appendChild(option);
    });
    select.addEventListener("change", function () { state.axis = select.value; blocks.forEach(render); });
    axisLabel.appendChild(select);

    var smoothLabel = el("label", null, "smoothing ");
    var slider = el("input");
    slider.type = "range"; slider.min = "0"; slider.max = "0.99"; slider.step = "0.01"; slider.value = "0";
    slider.id = "smoothing";
    var shown = el("output", null, "0.00");
    slider.addEventListener("input", function () {
      state.smoothing = parseFloat(slider.value);
      shown.textContent = state.smoothing.toFixed(2);
      blocks.forEach(render);
    });
    smoothLabel.appendChild(slider);
    smoothLabel.appendChild(shown);
    bar.appendChild(axisLabel);
    bar.appendChild(smoothLabel);
    host.appendChild(bar);
  }

  function chartBlock(host, spec) {
    var block = { spec: spec, hidden: {}, plot: null, table: null, lines: [] };
    var box = el("div", "chart-block");
    var head = el("div", "chart-head");
    head.appendChild(el("h3", null, spec.title));
    var logLabel = el("label", null, " log y");
    block.log = el("input");
    block.log.type = "checkbox";
    block.log.addEventListener("change", function () { render(block); });
    logLabel.insertBefore(block.log, logLabel.firstChild);
    var png = el("button", null, "PNG");
    png.type = "button";
    png.addEventListener("click", function () { savePng(block); });
    var csv = el("button", null, "CSV");
    csv.type = "button";
    csv.addEventListener("click", function () { saveCsv(block); });
    [logLabel, png, csv].forEach(function (node) { head.appendChild(node); });
    box.appendChild(head);
    block.empty = el("p", "chart-empty");
    block.target = el("div", "chart");
    box.appendChild(block.empty);
    box.appendChild(block.target);
    host.appendChild(box);
    return block;
  }

  var host = document.getElementById("chart-list");
  if (data.charts.length === 0) {
    host.appendChild(el("p", null, "No metric series were logged."));
    return;
  }
  controls(host);
  data.charts.forEach(function (spec) { blocks.push(chartBlock(host, spec)); });
  blocks.forEach(render);
  var pending = 0;
  window.addEventListener("resize", function () {
    clearTimeout(pending);
    pending = setTimeout(function () {
      blocks.forEach(function (block) {
        if (block.plot) block.plot.setSize({ width: Math.max(320, block.target.clientWidth), height: 340 });
      });
    }, 150);
  });
})();
