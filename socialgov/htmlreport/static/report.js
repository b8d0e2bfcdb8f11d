
(function () {
  "use strict";
  var form = document.getElementById("finding-filters");
  var table = document.getElementById("findings-table");
  if (form && table) {
    var rows = Array.prototype.slice.call(table.tBodies[0].rows);
    var texts = rows.map(function (r) { return r.textContent.toLowerCase(); });
    var out = document.getElementById("findings-shown");
    var total = rows.length;
    var apply = function () {
      var sev = form.elements.severity.value, kind = form.elements.kind.value,
          dept = form.elements.department.value, q = form.elements.q.value.trim().toLowerCase();
      var shown = 0;
      for (var i = 0; i < rows.length; i++) {
        var d = rows[i].dataset;
        var ok = (!sev || d.severity === sev) && (!kind || d.kind === kind) &&
                 (!dept || d.department === dept) && (!q || texts[i].indexOf(q) !== -1);
        rows[i].hidden = !ok;
        if (ok) { shown++; }
      }
      out.value = shown === total ? "Showing all " + total + " findings"
                                  : "Showing " + shown + " of " + total + " findings";
    };
    form.addEventListener("input", apply);
    form.addEventListener("change", apply);
    form.addEventListener("submit", function (ev) { ev.preventDefault(); apply(); });
    form.addEventListener("reset", function () { window.setTimeout(apply, 0); });
    form.hidden = false;
    apply();
  }
  document.documentElement.setAttribute("data-ready", "1");
})();
