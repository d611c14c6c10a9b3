// Form entry: each field is checked by the engine (on the server) while it is typed and when it is
// left; the French message appears next to the field. Without JavaScript the form works the same,
// the messages coming back with the page.
(function () {
  "use strict";
  var form = document.querySelector("form[data-verifier]");
  if (!form || !window.fetch || !window.FormData) { return; }
  var url = form.getAttribute("data-verifier");
  var touched = {};
  var timer = null;
  var sequence = 0;

  function fieldOf(name) {
    return form.querySelector("[data-champ=\"" + (window.CSS && CSS.escape ? CSS.escape(name) : name) + "\"]");
  }

  function show(name, texts) {
    var input = fieldOf(name);
    if (!input) { return; }
    var block = input.closest(".champ");
    var out = document.getElementById(input.id + "-erreur");
    var text = (texts || []).join(" ");
    if (out) { out.textContent = text; }
    if (text) {
      input.setAttribute("aria-invalid", "true");
      if (block) { block.classList.add("en-erreur"); }
    } else {
      input.removeAttribute("aria-invalid");
      if (block) { block.classList.remove("en-erreur"); }
    }
  }

  // Messages about the whole row (e.g. "one of these two columns"): shown by the server once the
  // form is sent, then kept up to date here (and gone once fixed).
  var rowBox = document.getElementById("erreurs-ligne");
  function showRow(texts) {
    if (!rowBox || rowBox.classList.contains("vide")) { return; }
    rowBox.textContent = "";
    texts.forEach(function (text) {
      var p = document.createElement("p");
      p.textContent = text;
      rowBox.appendChild(p);
    });
    if (!texts.length) { rowBox.classList.add("vide"); }
  }

  // A message appearing above the field being typed in pushes it down: keep it in the window, so the
  // keyboard's focus stays visible.
  function keepFocusInView() {
    var active = document.activeElement;
    if (!active || !form.contains(active) || !active.getBoundingClientRect) { return; }
    var box = active.getBoundingClientRect();
    if (box.top < 0 || box.bottom > window.innerHeight) {
      active.scrollIntoView({ block: "nearest" });
    }
  }

  function check(current) {
    var mine = ++sequence;
    var data = new FormData(form);
    data.delete("garder");
    fetch(url, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "X-Requested-With": "fetch", "Accept": "application/json" }
    }).then(function (response) {
      return response.json();
    }).then(function (answer) {
      if (mine !== sequence) { return; }  // a later check is on its way
      if (answer.erreur) { return; }
      var errors = answer.erreurs || {};
      Object.keys(touched).forEach(function (name) { show(name, errors[name]); });
      if (current) { show(current, errors[current]); }
      showRow(answer.erreurs_ligne || []);
      keepFocusInView();
    }).catch(function () { /* the server will say it when the form is sent */ });
  }

  function nameOf(target) {
    return target && target.getAttribute ? target.getAttribute("data-champ") : null;
  }

  form.addEventListener("input", function (event) {
    var name = nameOf(event.target);
    if (!name) { return; }
    window.clearTimeout(timer);
    timer = window.setTimeout(function () { check(name); }, 450);
  });
  form.addEventListener("change", function (event) {
    var name = nameOf(event.target);
    if (!name) { return; }
    touched[name] = true;
    window.clearTimeout(timer);
    check(name);
  });
  form.addEventListener("focusout", function (event) {
    var name = nameOf(event.target);
    if (!name || touched[name]) { return; }
    touched[name] = true;
    check(name);
  });
  // Fields shown with an error by the server are followed from the start.
  Array.prototype.forEach.call(form.querySelectorAll("[aria-invalid=true][data-champ]"), function (input) {
    touched[input.getAttribute("data-champ")] = true;
  });
})();
