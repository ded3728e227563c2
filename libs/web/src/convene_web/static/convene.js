// Progressive enhancement only: every page works without this file.
// - [data-poll="url"]: asks url for {"status": ...} every data-poll-seconds (default 2) and shows
//   the child whose data-when lists that status, until a status in data-poll-until arrives.
// - <time data-countdown datetime="ISO">: shows the minutes and seconds left, then data-expired.
// - <button data-print hidden>: shown, and opens the browser's print dialog (a receipt).
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  document.querySelectorAll("[data-poll]").forEach(function (box) {
    var every = (Number(box.dataset.pollSeconds) || 2) * 1000, tries = 0;
    var until = (box.dataset.pollUntil || "").split(" ");
    function show(status) {
      box.querySelectorAll("[data-when]").forEach(function (part) {
        part.hidden = part.dataset.when.split(" ").indexOf(status) < 0;
      });
    }
    function poll() {
      fetch(box.dataset.poll, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : {}; })
        .then(function (data) {
          if (data.status) { show(data.status); }
          if (until.indexOf(data.status) < 0 && ++tries < 600) { setTimeout(poll, every); }
        })
        .catch(function () { if (++tries < 600) { setTimeout(poll, every * 2); } });
    }
    setTimeout(poll, every);
  });
  document.querySelectorAll("time[data-countdown]").forEach(function (clock) {
    var end = Date.parse(clock.getAttribute("datetime"));
    function tick() {
      var left = Math.max(0, Math.round((end - Date.now()) / 1000));
      clock.textContent = left > 0 ? Math.floor(left / 60) + ":" + String(left % 60).padStart(2, "0")
        : (clock.dataset.expired || "0:00");
      if (left > 0) { setTimeout(tick, 1000); }
    }
    tick();
  });
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
})();
