// report.js draws the jobtrends report's charts. It is static: it never
// changes with the data. Each chart's options sit in a
// <script type="application/json"> block (inert text, escaped by the
// generator) and are read with JSON.parse, so no label can become code.
(function () {
  'use strict';

  // Keys whose string values ECharts would read as templates or code. The
  // generator never sets them; anything arriving in the data is dropped.
  var DROP = { formatter: 1, renderItem: 1, rich: 1 };

  function clean(v) {
    if (Array.isArray(v)) {
      for (var i = 0; i < v.length; i++) v[i] = clean(v[i]);
      return v;
    }
    if (v && typeof v === 'object') {
      Object.keys(v).forEach(function (k) {
        if (DROP[k]) delete v[k]; else v[k] = clean(v[k]);
      });
    }
    return v;
  }

  function num(v, digits) {
    return Number(v).toLocaleString('en-US', { maximumFractionDigits: digits });
  }

  // Axis label functions, chosen by the figure's data-unit (one of ours).
  var AXIS = {
    usd: function (v) { return '$' + num(v / 1000, 0) + 'k'; },
    pct: function (v) { return num(v, 1) + '%'; },
    index: function (v) { return num(v, 0); },
    count: function (v) { return num(v, 0); }
  };

  function axes(a) { return Array.isArray(a) ? a : (a ? [a] : []); }

  function draw(el) {
    var src = document.getElementById(el.getAttribute('data-option'));
    if (!src) return null;
    var opt;
    try {
      opt = clean(JSON.parse(src.textContent));
    } catch (e) {
      el.textContent = 'This chart could not be read; see the table below.';
      return null;
    }
    // Tooltips are drawn on the canvas (rich text), never as HTML.
    opt.tooltip = Object.assign({}, opt.tooltip || {}, { renderMode: 'richText', confine: true });
    var unit = AXIS[el.getAttribute('data-unit')];
    axes(opt.xAxis).concat(axes(opt.yAxis)).forEach(function (a) {
      if (a.type === 'category' || a.data) {
        a.axisLabel = Object.assign({ hideOverlap: true }, a.axisLabel);
      } else if (unit) {
        a.axisLabel = Object.assign({}, a.axisLabel, { formatter: unit });
      }
    });
    var chart = echarts.init(el, null, { renderer: 'canvas' });
    chart.setOption(opt);
    el.setAttribute('data-drawn', 'true');
    return chart;
  }

  function init() {
    var els = document.querySelectorAll('.canvas[data-option]');
    if (typeof echarts === 'undefined') {
      els.forEach(function (el) {
        el.textContent = 'ECharts (echarts.min.js) did not load; the tables below hold the same numbers.';
      });
      return;
    }
    var charts = [];
    els.forEach(function (el) {
      var c = draw(el);
      if (c) charts.push(c);
    });
    window.addEventListener('resize', function () {
      charts.forEach(function (c) { c.resize(); });
    });
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', init);
  } else {
    init();
  }
})();
