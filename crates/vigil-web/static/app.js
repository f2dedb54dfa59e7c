// Vigil public pages: optional enhancements. Everything works without this file.
// With JavaScript on, choosing a province fills the district list (and so on)
// without reloading the page.
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  var lang = document.documentElement.lang || "km";
  function clearFrom(id) {
    while (id) {
      var sel = document.getElementById(id);
      if (!sel) { return; }
      while (sel.options.length > 1) { sel.remove(1); }
      id = sel.getAttribute("data-next");
    }
  }
  function fill(sel, places) {
    places.forEach(function (p) {
      var o = document.createElement("option");
      o.value = p.code;
      o.textContent = lang === "km" ? p.name_km : p.name_en + " (" + p.name_km + ")";
      sel.appendChild(o);
    });
  }
  document.addEventListener("change", function (ev) {
    var sel = ev.target;
    if (!sel.matches || !sel.matches("select[data-next]")) { return; }
    var next = sel.getAttribute("data-next");
    clearFrom(next);
    if (!sel.value) { return; }
    fetch("/api/v1/places/" + encodeURIComponent(sel.value) + "/children", { credentials: "omit" })
      .then(function (r) { return r.ok ? r.json() : []; })
      .then(function (places) { fill(document.getElementById(next), places); })
      .catch(function () { document.documentElement.classList.remove("js"); });
  });
})();
