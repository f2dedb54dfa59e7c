// Staff pages: a banner as soon as a tip reporting people in danger arrives
// (server-sent events). Without JavaScript the queue refreshes itself.
(function () {
  "use strict";
  var box = document.getElementById("alerts");
  if (!box || !window.EventSource) return;
  var source = new EventSource("/staff/alerts");
  source.addEventListener("alert", function (e) {
    var a;
    try { a = JSON.parse(e.data); } catch (err) { return; }
    var p = document.createElement("p");
    p.className = "alert";
    p.setAttribute("role", "alert");
    var link = document.createElement("a");
    link.href = a.url;
    link.textContent = box.getAttribute("data-label") + " " + a.tip + " (" + a.signals.join(", ") + ")";
    p.appendChild(link);
    box.insertBefore(p, box.firstChild);
  });
})();

// The officer's screen, enhanced: a letter picks the choice whose value starts
// with it (the letter shown before each choice), in Khmer as in English, and
// pressed again moves to the next such choice (posts sharing a first letter);
// Enter on a select or a yes/no answer screens; on the advice, C, I or R
// chooses the decision and Enter on it records. Without JavaScript the
// browser's own type-ahead (each choice starts with its Latin letter, a post
// with its code), accesskeys and Enter in a text field do.
(function () {
  "use strict";
  // The Latin letter on the key pressed, whatever the keyboard layout (a
  // Khmer layout types Khmer letters on the same keys).
  function letter(e) {
    var c = e.code || "";
    return /^Key[A-Z]$/.test(c) ? c.charAt(3).toLowerCase() : (e.key || "").toLowerCase();
  }
  function plain(e) {
    return !(e.altKey || e.ctrlKey || e.metaKey);
  }
  // Enter in a select or on a radio button submits its form, as it does in
  // a text field.
  function enterSubmits(form) {
    form.addEventListener("keydown", function (e) {
      var t = e.target;
      if (e.key !== "Enter" || !plain(e) || e.isComposing) return;
      if (t.tagName === "SELECT" || (t.tagName === "INPUT" && (t.type === "radio" || t.type === "checkbox"))) {
        e.preventDefault();
        if (form.requestSubmit) form.requestSubmit(); else form.submit();
      }
    });
  }
  var form = document.getElementById("screen-form");
  if (form) {
    enterSubmits(form);
    form.addEventListener("keydown", function (e) {
      var s = e.target;
      if (s.tagName !== "SELECT" || !plain(e) || e.key.length !== 1) return;
      var k = letter(e);
      var n = s.options.length;
      for (var step = 1; step <= n; step++) {
        var i = (s.selectedIndex + step) % n;
        var v = s.options[i].value;
        if (v && v.charAt(0).toLowerCase() === k) {
          s.selectedIndex = i;
          e.preventDefault();
          return;
        }
      }
    });
  }
  var decision = document.getElementById("decision-form");
  if (decision) {
    enterSubmits(decision);
    var keys = { c: "decide-clear", i: "decide-interview", r: "decide-refer" };
    document.addEventListener("keydown", function (e) {
      var t = e.target;
      if (!plain(e) || t.tagName === "TEXTAREA" ||
          (t.tagName === "INPUT" && t.type === "text")) return;
      var id = keys[letter(e)];
      if (!id) return;
      var r = document.getElementById(id);
      r.checked = true;
      r.focus();
      e.preventDefault();
    });
  }
})();

// The home village field, enhanced: villages matching what is typed are
// offered (value: the village code, label: village, commune, district in the
// page's language). Without JavaScript the name, "name, commune" or the code
// typed is read on the server.
(function () {
  "use strict";
  var input = document.querySelector("input[data-suggest]");
  var list = input && document.getElementById(input.getAttribute("list"));
  if (!input || !list || !window.fetch) return;
  var timer = null;
  var asked = "";
  function ask() {
    var q = input.value.trim();
    if (q.length < 2 || q === asked || /^\d+$/.test(q)) return;
    asked = q;
    fetch(input.getAttribute("data-suggest") + "?q=" + encodeURIComponent(q), { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : []; })
      .then(function (villages) {
        if (input.value.trim() !== q) return;
        while (list.firstChild) list.removeChild(list.firstChild);
        villages.forEach(function (v) {
          var o = document.createElement("option");
          o.value = v.code;
          o.label = v.label;
          o.textContent = v.label;
          list.appendChild(o);
        });
      })
      .catch(function () {});
  }
  input.addEventListener("input", function () {
    if (timer) clearTimeout(timer);
    timer = setTimeout(ask, 250);
  });
})();
