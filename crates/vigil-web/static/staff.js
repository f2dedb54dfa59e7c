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
