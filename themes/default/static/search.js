/* gongshi offline search (vanilla JavaScript, no framework, no request to any other host).
 *
 * Reads the index that gongshi wrote into window.GONGSHI_SEARCH (search/index.js, loaded by
 * the page), loads term shards and document blocks on demand with <script> tags (fetch does
 * not work from file://), and turns every <form class="gs-search"> into a search box:
 * ranked results (title, then measures, then the rest), highlighted matches, grade badges,
 * filters, ↑/↓/Enter/Esc. Without JavaScript the form submits ?q= to the departments index,
 * where this script picks the query up again. The index format is described in
 * docs/search.md; the tokeniser mirrors src/search/tokenize.rs.
 *
 * One file, longer than gongshi's modules usually are, because pages load exactly one script
 * for search and there is no bundler; its sections follow the pipeline: tokeniser, index
 * access (shards, postings, facets), ranking, rendering, the search box, start-up.
 */
(function () {
  "use strict";

  var FORMAT_VERSION = 1;
  var PAGE_SIZE = 20;
  var HINT = "输入关键词搜索风险点、措施、岗位，可按等级、类别、科室、层级筛选。";
  var MAX_WORD_CHARS = 40;
  // Title and id, measures, details (department, post, category, grade, people), body.
  var FIELD_WEIGHTS = [100, 10, 3, 1];
  var FIELD_NAMES = ["标题", "措施", "基本信息", "正文"];
  var GRADE_LABELS = { 1: "一级", 2: "二级", 3: "三级" };
  var FILTERS = [
    { key: "grade", label: "等级", all: "全部等级" },
    { key: "category", label: "类别", all: "全部类别" },
    { key: "dept", label: "科室", all: "全部科室" },
    { key: "level", label: "层级", all: "全部层级" }
  ];
  var DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  var DIGIT_VALUE = new Int8Array(128);
  for (var d = 0; d < DIGITS.length; d++) DIGIT_VALUE[DIGITS.charCodeAt(d)] = d;

  /* ---------------------------------------------------------------- tokeniser */

  var WORD_CHAR = /^[\p{Alphabetic}\p{N}]$/u;

  function fold(ch) {
    var cp = ch.codePointAt(0);
    if (cp >= 0xff01 && cp <= 0xff5e) ch = String.fromCodePoint(cp - 0xfee0);
    else if (cp === 0x3000) ch = " ";
    return ch.toLowerCase();
  }

  function isCjk(ch) {
    var cp = ch.codePointAt(0);
    return (cp >= 0x3005 && cp <= 0x3007) || (cp >= 0x3040 && cp <= 0x30ff) ||
      (cp >= 0x3400 && cp <= 0x4dbf) || (cp >= 0x4e00 && cp <= 0x9fff) ||
      (cp >= 0xac00 && cp <= 0xd7af) || (cp >= 0xf900 && cp <= 0xfaff) ||
      (cp >= 0x20000 && cp <= 0x3fffd);
  }

  function isWord(ch) {
    return WORD_CHAR.test(ch) && !isCjk(ch);
  }

  function isJoiner(ch) {
    return ch === "-" || ch === "_";
  }

  // CJK runs and words of folded text, as arrays of characters.
  function pieces(text) {
    var chars = [];
    for (var ch of String(text)) for (var c of fold(ch)) chars.push(c);
    var out = [];
    var i = 0;
    while (i < chars.length) {
      var start = i;
      if (isCjk(chars[i])) {
        while (i < chars.length && isCjk(chars[i])) i++;
        out.push({ cjk: true, chars: chars.slice(start, i) });
      } else if (isWord(chars[i])) {
        i++;
        for (;;) {
          if (i < chars.length && isWord(chars[i])) i++;
          else if (i + 1 < chars.length && isJoiner(chars[i]) && isWord(chars[i + 1])) i += 2;
          else break;
        }
        out.push({ cjk: false, chars: chars.slice(start, i).slice(0, MAX_WORD_CHARS) });
      } else {
        i++;
      }
    }
    return out;
  }

  // The index terms of a text: the same as gongshi::search::tokenize.
  function tokenize(text) {
    var terms = [];
    pieces(text).forEach(function (piece) {
      var c = piece.chars;
      if (!piece.cjk) {
        terms.push(c.join(""));
        return;
      }
      for (var i = 0; i + 1 < c.length; i++) terms.push(c[i] + c[i + 1]);
      terms.push(c[c.length - 1]);
    });
    return terms;
  }

  // What a query looks for: a CJK run of two or more characters needs all its bigrams; a
  // single character or a word matches every term that starts with it.
  function queryUnits(text) {
    var seen = {};
    var units = [];
    pieces(text).forEach(function (piece) {
      var c = piece.chars;
      var unit = { text: c.join(""), word: !piece.cjk, bigrams: null };
      if (piece.cjk && c.length > 1) {
        unit.bigrams = [];
        for (var i = 0; i + 1 < c.length; i++) unit.bigrams.push(c[i] + c[i + 1]);
      }
      if (!seen[unit.text]) {
        seen[unit.text] = true;
        units.push(unit);
      }
    });
    return units;
  }

  /* ---------------------------------------------------------------- index access */

  var G = window.GONGSHI_SEARCH;
  var indexReady = !!(G && G.v === FORMAT_VERSION && G.shards && G.docs);
  var root = "";
  var loading = {};
  var parsedShards = {};
  var facetCache = null;
  var unitCache = new Map();
  var NO_RESULTS = { docs: new Int32Array(0), hits: [] };

  function pad2(n) {
    return n < 10 ? "0" + n : String(n);
  }

  // Loads shard or block n of kind "shards" | "docs" with a <script> tag (works from file://).
  function load(kind, n) {
    if (G[kind][n]) return Promise.resolve(G[kind][n]);
    var key = kind + n;
    if (!loading[key]) {
      loading[key] = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = root + "search/" + (kind === "shards" ? "shard-" : "docs-") + pad2(n) + ".js?v=" + G.h;
        script.onload = function () {
          if (G[kind][n]) resolve(G[kind][n]);
          else reject(new Error("index file without data: " + script.src));
        };
        script.onerror = function () {
          delete loading[key];
          reject(new Error("index file failed to load: " + script.src));
        };
        document.head.appendChild(script);
      });
    }
    return loading[key];
  }

  function shardOf(term) {
    return term.codePointAt(0) % Math.max(G.ts, 1);
  }

  // A shard as maps: term -> encoded postings, first character -> its terms. Parsed once,
  // however many bigrams of a query ask for it at the same time.
  function shard(n) {
    if (!parsedShards[n]) {
      parsedShards[n] = load("shards", n).then(parseShard);
      parsedShards[n].catch(function () { delete parsedShards[n]; });
    }
    return parsedShards[n];
  }

  function parseShard(raw) {
    var postings = new Map();
    var groups = new Map();
    var lists = raw.p === "" ? [] : raw.p.split(" ");
    var k = 0;
    raw.t.split(" ").forEach(function (group) {
      if (!group) return;
      var first = String.fromCodePoint(group.codePointAt(0));
      var rests = isCjk(first)
        ? Array.from(group.slice(first.length)).map(function (r) { return r === "." ? "" : r; })
        : group.slice(first.length).split(",").slice(1);
      var terms = rests.map(function (rest) {
        var term = first + rest;
        postings.set(term, lists[k++]);
        return term;
      });
      groups.set(first, terms);
    });
    return { postings: postings, groups: groups };
  }

  // Calls visit(doc, field) for each posting of an encoded list (src/search/encoding.rs): a
  // Rice parameter, then per document a Rice-coded gap and a prefix-coded field (body 0,
  // details 10, measures 110, title 111), six bits to a base64 digit. The padding (one-bits)
  // reads as an unfinished gap: the end. Bits are read inline: this is the hot loop.
  function decode(list, visit) {
    var length = list.length;
    var k = DIGIT_VALUE[list.charCodeAt(0)];
    var scale = Math.pow(2, k);
    var pos = 1;
    var word = 0;
    var left = 0;
    var next = 0;
    for (;;) {
      var quotient = 0;
      for (;;) {
        if (left === 0) {
          if (pos >= length) return;
          word = DIGIT_VALUE[list.charCodeAt(pos++)];
          left = 6;
        }
        if (((word >> --left) & 1) === 0) break;
        quotient++;
      }
      var low = 0;
      for (var i = 0; i < k; i++) {
        if (left === 0) {
          if (pos >= length) return;
          word = DIGIT_VALUE[list.charCodeAt(pos++)];
          left = 6;
        }
        low = low * 2 + ((word >> --left) & 1);
      }
      var field = 3;
      for (var ones = 0; ones < 3; ones++) {
        if (left === 0) {
          if (pos >= length) return;
          word = DIGIT_VALUE[list.charCodeAt(pos++)];
          left = 6;
        }
        if (((word >> --left) & 1) === 0) break;
      }
      if (ones > 0) field = ones === 1 ? 2 : ones === 2 ? 1 : 0;
      var doc = next + quotient * scale + low;
      visit(doc, field);
      next = doc + 1;
    }
  }

  // The documents matching one unit, as one byte per document: 0 for no match, else
  // 1 + the field, plus 8 when a word matched a whole term rather than a prefix of one.
  // Kept for the units of the last few queries: typing "药品 回" then "药品 回扣" or changing
  // a filter decodes only what is new.
  function matchUnit(unit) {
    var cached = unitCache.get(unit.text);
    if (cached) return cached;
    var hits = findUnit(unit);
    unitCache.set(unit.text, hits);
    hits.catch(function () { unitCache.delete(unit.text); });
    if (unitCache.size > 32) unitCache.delete(unitCache.keys().next().value);
    return hits;
  }

  function findUnit(unit) {
    if (unit.bigrams) {
      return Promise.all(unit.bigrams.map(function (b) { return shard(shardOf(b)); })).then(function (shards) {
        var lists = unit.bigrams.map(function (b, i) { return shards[i].postings.get(b); });
        var hits = new Uint8Array(G.n);
        if (lists.some(function (l) { return l === undefined; })) return hits;
        lists.sort(function (a, b) { return a.length - b.length; });
        decode(lists[0], function (doc, field) { hits[doc] = field + 1; });
        for (var i = 1; i < lists.length; i++) {
          var also = new Uint8Array(G.n);
          decode(lists[i], function (doc, field) { also[doc] = field + 1; });
          // A phrase counts for the weakest field any of its bigrams is in.
          for (var doc = 0; doc < hits.length; doc++) {
            if (hits[doc]) hits[doc] = also[doc] ? Math.max(hits[doc], also[doc]) : 0;
          }
        }
        return hits;
      });
    }
    var first = String.fromCodePoint(unit.text.codePointAt(0));
    return shard(shardOf(unit.text)).then(function (s) {
      var hits = new Uint8Array(G.n);
      (s.groups.get(first) || []).forEach(function (term) {
        if (term.lastIndexOf(unit.text, 0) !== 0) return;
        var exact = unit.word && term === unit.text ? 8 : 0;
        decode(s.postings.get(term), function (doc, field) {
          var had = hits[doc];
          hits[doc] = had ? Math.min(had & 7, field + 1) | (had & 8) | exact : (field + 1) | exact;
        });
      });
      return hits;
    });
  }

  /* ---------------------------------------------------------------- ranking */

  // Facet indexes of every document, decoded once: { dept, category, level, grade } arrays.
  function facets() {
    if (facetCache) return facetCache;
    var names = ["dept", "category", "level", "grade"];
    var radix = [G.depts.length, G.cats.length, G.levels.length, G.grades.length].map(function (n) {
      return Math.max(n, 1);
    });
    facetCache = {};
    names.forEach(function (name) { facetCache[name] = new Int32Array(G.n); });
    for (var i = 0; i < G.n; i++) {
      var code = 0;
      for (var j = 0; j < G.fw; j++) code = code * 64 + DIGIT_VALUE[G.f.charCodeAt(i * G.fw + j)];
      for (var r = 3; r >= 0; r--) {
        var at = code % radix[r];
        facetCache[names[r]][i] = at;
        code = (code - at) / radix[r];
      }
    }
    return facetCache;
  }

  // Ranked matches: { docs, hits } with docs best first. filters hold table indexes.
  // Rank: the sum over query units of the weight of the field each matched in (doubled for a
  // whole-word match), then the graver grade, then the order of the notice.
  function search(text, filters) {
    var units = queryUnits(text);
    var wanted = FILTERS.map(function (f) {
      var v = filters[f.key];
      return v === undefined || v === "" ? -1 : Number(v);
    });
    if (!units.length && wanted.every(function (v) { return v < 0; })) {
      return Promise.resolve(NO_RESULTS);
    }
    return Promise.all(units.map(matchUnit)).then(function (hits) {
      var f = facets();
      var columns = FILTERS.map(function (filter) { return f[filter.key]; });
      // One number per match, ordered as the ranking: score, then grade, then notice order.
      var DOC_SPAN = 16777216; // 2^24 documents at most
      var keys = new Float64Array(G.n);
      var count = 0;
      for (var doc = 0; doc < G.n; doc++) {
        var score = 0;
        var u = 0;
        for (; u < hits.length; u++) {
          var h = hits[u][doc];
          if (!h) break;
          score += FIELD_WEIGHTS[(h & 7) - 1] * (h & 8 ? 2 : 1);
        }
        if (u < hits.length) continue;
        var c = 0;
        for (; c < 4; c++) if (wanted[c] >= 0 && columns[c][doc] !== wanted[c]) break;
        if (c < 4) continue;
        var grade = Math.min(f.grade[doc], 15);
        keys[count++] = (score * 16 + 15 - grade) * DOC_SPAN + (DOC_SPAN - 1 - doc);
      }
      var sorted = keys.subarray(0, count).sort();
      var docs = new Int32Array(count);
      for (var i = 0; i < count; i++) docs[i] = DOC_SPAN - 1 - (sorted[count - 1 - i] % DOC_SPAN);
      return { docs: docs, hits: hits };
    });
  }

  // The fields (0 title … 3 body) a document matched the query in.
  function fieldsOf(results, doc) {
    var fields = [];
    results.hits.forEach(function (h) {
      var field = (h[doc] & 7) - 1;
      if (field >= 0 && fields.indexOf(field) < 0) fields.push(field);
    });
    return fields.sort();
  }

  // Someone who focuses the box is about to search: load every record block now (a 10,000-
  // point site has about a dozen), so that results show as soon as the terms are ranked
  // instead of after another round of script loads. Failures are retried on demand.
  var prefetched = false;
  function prefetchRecords() {
    if (prefetched) return;
    prefetched = true;
    facets();
    for (var block = 0; block * G.db < G.n; block++) load("docs", block).catch(function () {});
  }

  // The shown part of a document: { title, id, post, url, dept, category, level, grade }.
  function record(doc) {
    var block = Math.floor(doc / G.db);
    return load("docs", block).then(function (records) {
      var r = records[doc - block * G.db];
      var f = facets();
      return {
        title: r[0],
        id: r[1],
        post: r[2],
        url: typeof r[3] === "number" ? G.dirs[r[3]] + r[1] + ".html" : r[3],
        dept: G.depts[f.dept[doc]][1],
        category: G.cats[f.category[doc]],
        level: G.levels[f.level[doc]],
        grade: G.grades[f.grade[doc]]
      };
    });
  }

  /* ---------------------------------------------------------------- rendering */

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // Appends text to parent with every occurrence of the needles (folded query text) wrapped in
  // <mark>. Matching runs on the folded text; marks map back to the original characters.
  function appendHighlighted(parent, text, needles) {
    var folded = "";
    var origin = [];
    for (var i = 0; i < text.length;) {
      var ch = String.fromCodePoint(text.codePointAt(i));
      var f = fold(ch);
      for (var k = 0; k < f.length; k++) origin.push(i);
      folded += f;
      i += ch.length;
    }
    origin.push(text.length);
    var ranges = [];
    needles.forEach(function (needle) {
      if (!needle) return;
      for (var at = folded.indexOf(needle); at >= 0; at = folded.indexOf(needle, at + needle.length)) {
        ranges.push([origin[at], origin[at + needle.length]]);
      }
    });
    ranges.sort(function (a, b) { return a[0] - b[0]; });
    var pos = 0;
    ranges.forEach(function (r) {
      var start = Math.max(r[0], pos);
      if (r[1] <= start) return;
      if (start > pos) parent.appendChild(document.createTextNode(text.slice(pos, start)));
      parent.appendChild(el("mark", "", text.slice(start, r[1])));
      pos = r[1];
    });
    if (pos < text.length) parent.appendChild(document.createTextNode(text.slice(pos)));
  }

  function gradeLabel(grade) {
    return GRADE_LABELS[grade] || grade + "级";
  }

  /* ---------------------------------------------------------------- the search box */

  var boxes = 0;

  function SearchBox(form) {
    this.form = form;
    this.input = form.querySelector('input[name="q"]');
    this.panel = form.querySelector(".gs-search-results");
    this.results = NO_RESULTS;
    this.shown = 0;
    this.active = -1;
    this.seq = 0;
    this.filters = {};
    boxes++;
    this.id = "gs-search-" + boxes;
    this.build();
  }

  SearchBox.prototype.build = function () {
    var box = this;
    var input = this.input;
    if (!this.panel) {
      this.panel = el("div", "gs-search-results");
      this.panel.hidden = true;
      this.form.appendChild(this.panel);
    }
    this.filterBar = el("div", "gs-search-filters");
    this.selects = {};
    FILTERS.forEach(function (filter) {
      var label = el("label", "gs-search-filter");
      label.appendChild(el("span", "gs-search-filter-name", filter.label));
      var select = el("select");
      select.name = filter.key;
      select.appendChild(new Option(filter.all, ""));
      optionsFor(filter.key).forEach(function (o) { select.appendChild(new Option(o[1], o[0])); });
      select.addEventListener("change", function () {
        box.filters[filter.key] = select.value;
        box.run(performance.now());
      });
      label.appendChild(select);
      box.selects[filter.key] = select;
      box.filterBar.appendChild(label);
    });
    this.status = el("p", "gs-search-status");
    this.status.setAttribute("role", "status");
    this.list = el("ul", "gs-search-list");
    this.list.id = this.id + "-list";
    this.list.setAttribute("role", "listbox");
    this.list.setAttribute("aria-label", "搜索结果");
    this.more = el("button", "gs-search-more", "显示更多");
    this.more.type = "button";
    this.more.hidden = true;
    this.more.addEventListener("click", function () {
      box.shown += PAGE_SIZE;
      box.render(box.seq, null);
    });
    this.panel.appendChild(this.filterBar);
    this.panel.appendChild(this.status);
    this.panel.appendChild(this.list);
    this.panel.appendChild(this.more);

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", this.list.id);
    // A Chinese input method sends pinyin while composing: search what it commits.
    input.addEventListener("input", function (e) {
      if (!e.isComposing) box.run(performance.now());
    });
    input.addEventListener("compositionend", function () { box.run(performance.now()); });
    input.addEventListener("focus", function () {
      prefetchRecords();
      box.open();
    });
    input.addEventListener("keydown", function (e) { box.key(e); });
    this.form.addEventListener("submit", function (e) {
      e.preventDefault();
      box.follow();
    });
    document.addEventListener("click", function (e) {
      if (!box.form.contains(e.target)) box.close();
    });
  };

  // [value, label] pairs of a filter's select.
  function optionsFor(key) {
    if (key === "grade") return G.grades.map(function (g, i) { return [String(i), gradeLabel(g)]; });
    if (key === "category") return G.cats.map(function (c, i) { return [String(i), c]; });
    if (key === "dept") return G.depts.map(function (d, i) { return [String(i), d[1]]; });
    return G.levels.map(function (l, i) { return [String(i), l]; });
  }

  // Maps a URL parameter (grade=1, category=业务流程风险, dept=caiwu, level=科室) to a select value.
  function filterValue(key, param) {
    var options = optionsFor(key);
    for (var i = 0; i < options.length; i++) {
      var raw = key === "grade" ? String(G.grades[i]) : key === "dept" ? G.depts[i][0] : null;
      if (param === raw || param === options[i][1]) return options[i][0];
    }
    return "";
  }

  SearchBox.prototype.open = function () {
    this.panel.hidden = false;
    this.input.setAttribute("aria-expanded", "true");
    if (!this.input.value && !this.status.textContent) {
      this.status.textContent = HINT;
    }
  };

  SearchBox.prototype.close = function () {
    this.panel.hidden = true;
    this.input.setAttribute("aria-expanded", "false");
    this.setActive(-1);
  };

  SearchBox.prototype.key = function (e) {
    // Arrows and Enter belong to the input method while it composes.
    if (e.isComposing || e.keyCode === 229) return;
    var options = this.list.children;
    if (e.key === "ArrowDown" || e.key === "Down") {
      e.preventDefault();
      this.open();
      if (options.length) this.setActive(Math.min(this.active + 1, options.length - 1));
    } else if (e.key === "ArrowUp" || e.key === "Up") {
      e.preventDefault();
      if (options.length) this.setActive(Math.max(this.active - 1, -1));
    } else if (e.key === "Escape" || e.key === "Esc") {
      // First Esc closes the results, the second clears the box.
      if (!this.panel.hidden) this.close();
      else {
        this.seq++;
        this.input.value = "";
        this.results = NO_RESULTS;
        this.list.textContent = "";
        this.status.textContent = "";
        this.more.hidden = true;
      }
    }
  };

  SearchBox.prototype.setActive = function (n) {
    var options = this.list.children;
    if (this.active >= 0 && options[this.active]) options[this.active].setAttribute("aria-selected", "false");
    this.active = n;
    if (n >= 0 && options[n]) {
      options[n].setAttribute("aria-selected", "true");
      this.input.setAttribute("aria-activedescendant", options[n].id);
      if (options[n].scrollIntoView) options[n].scrollIntoView({ block: "nearest" });
    } else {
      this.input.removeAttribute("aria-activedescendant");
    }
  };

  // Enter: open the highlighted result, or the first one.
  SearchBox.prototype.follow = function () {
    var option = this.list.children[Math.max(this.active, 0)];
    var link = option && option.querySelector("a");
    if (link) window.location.href = link.href;
  };

  SearchBox.prototype.run = function (started) {
    var box = this;
    var seq = ++this.seq;
    var query = this.input.value;
    this.form.setAttribute("data-search-state", "loading");
    this.open();
    search(query, this.filters).then(function (results) {
      if (seq !== box.seq) return;
      box.results = results;
      box.units = queryUnits(query);
      box.shown = PAGE_SIZE;
      box.render(seq, started);
    }).catch(function () {
      if (seq !== box.seq) return;
      box.list.textContent = "";
      box.status.textContent = "搜索索引加载失败，请刷新页面后重试。";
      box.finish(started);
    });
  };

  SearchBox.prototype.render = function (seq, started) {
    var box = this;
    var results = this.results;
    var total = results.docs.length;
    var shown = Array.from(results.docs.subarray(0, this.shown));
    Promise.all(shown.map(record)).then(function (records) {
      if (seq !== box.seq) return;
      var needles = box.units.map(function (u) { return u.text; });
      box.list.textContent = "";
      box.active = -1;
      box.input.removeAttribute("aria-activedescendant");
      records.forEach(function (rec, i) {
        box.list.appendChild(resultItem(box.id + "-r" + i, rec, fieldsOf(results, shown[i]), needles));
      });
      var query = box.input.value.trim();
      if (!query && !total && !FILTERS.some(function (f) { return box.filters[f.key]; })) {
        box.status.textContent = HINT;
      } else if (!total) {
        box.status.textContent = query ? "未找到与“" + query + "”相关的风险点。" : "没有符合筛选条件的风险点。";
      } else {
        box.status.textContent = "共 " + total + " 条结果" +
          (total > shown.length ? "，显示前 " + shown.length + " 条" : "") + "。↑↓ 选择，回车打开。";
      }
      box.more.hidden = total <= shown.length;
      box.form.setAttribute("data-search-total", String(total));
      box.finish(started);
    }).catch(function () {
      if (seq !== box.seq) return;
      box.status.textContent = "搜索索引加载失败，请刷新页面后重试。";
      box.finish(started);
    });
  };

  // Records how long the query took (browser tests and the benchmark read these attributes).
  SearchBox.prototype.finish = function (started) {
    if (started !== null) this.form.setAttribute("data-search-ms", (performance.now() - started).toFixed(1));
    this.form.setAttribute("data-search-state", "done");
  };

  function resultItem(id, rec, fields, needles) {
    var item = el("li", "gs-result");
    item.id = id;
    item.setAttribute("role", "option");
    item.setAttribute("aria-selected", "false");
    var link = el("a", "gs-result-link");
    link.href = root + rec.url;
    link.tabIndex = -1;
    var head = el("span", "gs-result-head");
    var grade = el("span", "gs-grade grade-" + rec.grade, gradeLabel(rec.grade));
    head.appendChild(grade);
    var title = el("span", "gs-result-title");
    appendHighlighted(title, rec.title, needles);
    head.appendChild(title);
    link.appendChild(head);
    var meta = el("span", "gs-result-meta");
    [
      ["gs-result-id", rec.id],
      ["gs-result-dept", rec.dept],
      ["gs-result-post", rec.post],
      ["gs-result-category", rec.category],
      ["gs-result-level", rec.level]
    ].forEach(function (part) {
      if (!part[1]) return;
      var span = el("span", part[0]);
      appendHighlighted(span, part[1], needles);
      meta.appendChild(span);
    });
    link.appendChild(meta);
    if (fields.length) {
      var names = fields.map(function (f) { return FIELD_NAMES[f]; }).join("、");
      link.appendChild(el("span", "gs-result-hit", "匹配：" + names));
    }
    item.appendChild(link);
    return item;
  }

  /* ---------------------------------------------------------------- start */

  function start() {
    var forms = document.querySelectorAll("form.gs-search");
    var params = new URLSearchParams(window.location.search);
    var q = params.get("q");
    for (var i = 0; i < forms.length; i++) {
      var form = forms[i];
      var input = form.querySelector('input[name="q"]');
      if (!input) continue;
      if (q !== null && i === 0) input.value = q;
      if (!indexReady) {
        // Leave the plain form alone: it still submits to the departments index.
        if (q) {
          var panel = form.querySelector(".gs-search-results");
          if (panel) {
            panel.textContent = "";
            panel.appendChild(el("p", "gs-search-status", "搜索索引未能加载，请浏览科室列表查找。"));
            panel.hidden = false;
          }
        }
        continue;
      }
      root = form.getAttribute("data-root") || "";
      var box = new SearchBox(form);
      if (i !== 0) continue;
      var fromUrl = false;
      FILTERS.forEach(function (filter) {
        var param = params.get(filter.key);
        if (param === null) return;
        var value = filterValue(filter.key, param);
        box.filters[filter.key] = value;
        box.selects[filter.key].value = value;
        fromUrl = fromUrl || value !== "";
      });
      if (q || fromUrl) box.run(performance.now());
    }
  }

  window.gongshiSearch = {
    tokenize: tokenize,
    // Ranked [{ id, title, grade, fields }] for a query; filters are given as in the URL.
    query: function (text, params) {
      if (!indexReady) return Promise.reject(new Error("no search index"));
      var filters = {};
      FILTERS.forEach(function (f) {
        if (params && params[f.key] !== undefined) filters[f.key] = filterValue(f.key, String(params[f.key]));
      });
      return search(text, filters).then(function (results) {
        return Promise.all(Array.from(results.docs).map(function (doc) {
          return record(doc).then(function (rec) {
            return { id: rec.id, title: rec.title, grade: rec.grade, fields: fieldsOf(results, doc) };
          });
        }));
      });
    }
  };

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
