// Follows a background import: asks for its state every second, moves the bar, reloads at the end.
(function () {
  "use strict";
  var box = document.getElementById("avancement");
  if (!box) { return; }
  var url = box.getAttribute("data-etat");
  var bar = document.getElementById("barre");
  var stage = document.getElementById("etape");
  function poll() {
    fetch(url, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
      .then(function (answer) { return answer.ok ? answer.json() : null; })
      .then(function (state) {
        if (!state) { setTimeout(poll, 3000); return; }
        bar.value = state.progress;
        bar.textContent = state.progress + " %";
        stage.textContent = state.label + " — " + state.stage;
        if (["ready", "done", "failed"].indexOf(state.status) >= 0) {
          window.location.reload();  // the analysis, the result or the failure: the page shows it
          return;
        }
        setTimeout(poll, 1000);
      })
      .catch(function () { setTimeout(poll, 3000); });
  }
  setTimeout(poll, 1000);
})();
