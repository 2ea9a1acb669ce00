// Places today's marker on the phase timeline. The build draws the phases; only "today" is
// known at reading time, so the page computes it (a notice is read for weeks after its build).
(function () {
  "use strict";
  var svgs = document.querySelectorAll("svg.timeline");
  var now = new Date();
  var today = Math.floor(Date.UTC(now.getFullYear(), now.getMonth(), now.getDate()) / 86400000);
  for (var i = 0; i < svgs.length; i++) {
    var svg = svgs[i];
    var first = Number(svg.getAttribute("data-first-day"));
    var last = Number(svg.getAttribute("data-last-day"));
    var left = Number(svg.getAttribute("data-left"));
    var width = Number(svg.getAttribute("data-width"));
    var line = svg.querySelector("line.today");
    if (!line || today < first || today > last) continue;
    var x = left + width * ((today - first + 0.5) / (last - first + 1));
    line.setAttribute("x1", x.toFixed(1));
    line.setAttribute("x2", x.toFixed(1));
    line.setAttribute("visibility", "visible");
    var title = document.createElementNS("http://www.w3.org/2000/svg", "title");
    title.textContent = "今天";
    line.appendChild(title);
  }
})();
