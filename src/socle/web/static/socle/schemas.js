// A search box above the list of schemas: typing keeps only the schemas whose name or title contains
// every word typed (accents and case ignored). Without JavaScript the list is a plain select.
(function () {
  "use strict";
  var select = document.getElementById("id_schema");
  if (!select) { return; }
  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  var box = document.createElement("div");
  box.className = "champ";
  var label = document.createElement("label");
  label.setAttribute("for", "recherche-schema");
  label.textContent = "Chercher un schéma (nom ou mot-clé)";
  var input = document.createElement("input");
  input.type = "search";
  input.id = "recherche-schema";
  input.setAttribute("aria-controls", "id_schema");
  var status = document.createElement("p");
  status.className = "aide";
  status.id = "recherche-schema-etat";
  status.setAttribute("role", "status");
  input.setAttribute("aria-describedby", status.id);
  box.appendChild(label);
  box.appendChild(input);
  box.appendChild(status);
  var field = select.closest(".champ") || select;
  field.parentNode.insertBefore(box, field);
  var options = Array.prototype.slice.call(select.options);
  input.addEventListener("input", function () {
    var words = fold(input.value).split(/\s+/).filter(Boolean);
    var shown = 0, first = null;
    options.forEach(function (option) {
      var text = fold(option.textContent + " " + option.value);
      var match = words.every(function (word) { return text.indexOf(word) >= 0; });
      option.hidden = !match;
      option.disabled = !match;
      if (match) { shown += 1; if (!first) { first = option; } }
    });
    if (first && select.selectedOptions.length && select.selectedOptions[0].hidden) { first.selected = true; }
    status.textContent = words.length ? shown + " schéma" + (shown > 1 ? "s" : "") + " trouvé" + (shown > 1 ? "s" : "") : "";
  });
})();
