// Grid entry: arrow keys move from cell to cell, Enter or F2 edits a cell, Enter saves it (the
// engine judges the row on the server), Escape cancels. Without JavaScript every row keeps its
// "Modifier" and "Supprimer" links.
(function () {
  "use strict";
  var table = document.getElementById("grille");
  if (!table || !window.fetch || !window.FormData) { return; }
  var url = table.getAttribute("data-cellule");
  var announce = document.getElementById("grille-annonce");
  var completion = document.getElementById("completion");
  var tokenInput = document.querySelector("input[name=csrfmiddlewaretoken]");
  var rows = Array.prototype.slice.call(table.tBodies[0].rows);
  var editing = null;

  table.setAttribute("role", "grid");
  function cellsOf(row) { return Array.prototype.slice.call(row.querySelectorAll("td[data-champ]")); }
  var current = rows.length ? cellsOf(rows[0])[0] : null;
  rows.forEach(function (row) {
    cellsOf(row).forEach(function (cell) { cell.tabIndex = -1; });
  });
  if (current) { current.tabIndex = 0; }

  function say(text) {
    if (!announce) { return; }
    announce.textContent = "";
    window.setTimeout(function () { announce.textContent = text; }, 30);
  }

  function focusCell(cell) {
    if (!cell) { return; }
    if (current) { current.tabIndex = -1; }
    current = cell;
    cell.tabIndex = 0;
    cell.focus();
  }

  function move(cell, dRow, dCol) {
    var row = cell.parentNode;
    var rowIndex = rows.indexOf(row);
    var colIndex = cellsOf(row).indexOf(cell);
    var target = rows[rowIndex + dRow];
    if (!target) { return; }
    var cells = cellsOf(target);
    focusCell(cells[Math.max(0, Math.min(cells.length - 1, colIndex + dCol))]);
  }

  function valueOf(cell) {
    var span = cell.querySelector(".valeur");
    return span ? span.textContent : "";
  }

  function setMessages(cell, texts) {
    var old = cell.querySelectorAll(".marque, .bulle");
    Array.prototype.forEach.call(old, function (node) { node.parentNode.removeChild(node); });
    if (texts && texts.length) {
      cell.classList.add("en-erreur");
      var mark = document.createElement("span");
      mark.className = "marque";
      mark.setAttribute("aria-hidden", "true");
      mark.textContent = "!";
      var bubble = document.createElement("span");
      bubble.className = "bulle";
      var hidden = document.createElement("span");
      hidden.className = "sr";
      hidden.textContent = "Erreur : ";
      bubble.appendChild(hidden);
      bubble.appendChild(document.createTextNode(texts.join(" ")));
      cell.appendChild(mark);
      cell.appendChild(bubble);
    } else {
      cell.classList.remove("en-erreur");
    }
  }

  function showRow(row, answer) {
    var errors = answer.erreurs || {};
    cellsOf(row).forEach(function (cell) { setMessages(cell, errors[cell.getAttribute("data-champ")]); });
    var head = row.querySelector("th.numero");
    if (head) { setMessages(head, answer.erreurs_ligne); }
    row.classList.toggle("a-corriger", answer.nb_erreurs > 0);
    if (completion && answer.completion) { completion.textContent = answer.completion; }
  }

  function startEdit(cell) {
    if (!url || editing) { return; }
    var value = valueOf(cell);
    // A value on several lines is edited in a multi-line box (a text box would drop its line breaks);
    // there, Shift+Enter starts a new line.
    var input = document.createElement(value.indexOf("\n") >= 0 ? "textarea" : "input");
    if (input.tagName === "INPUT") { input.type = "text"; }
    input.value = value;
    input.setAttribute("aria-label", "Nouvelle valeur de " + cell.getAttribute("data-champ") +
      ", ligne " + cell.parentNode.getAttribute("data-ligne"));
    editing = { cell: cell, input: input, before: input.value };
    cell.classList.add("en-edition");
    cell.querySelector(".valeur").hidden = true;
    cell.appendChild(input);
    input.focus();
    input.select();
  }

  function stopEdit(keepFocus) {
    var state = editing;
    if (!state) { return; }
    editing = null;  // first: removing the editor may fire focusout, which must not save
    var cell = state.cell;
    state.input.parentNode.removeChild(state.input);
    cell.querySelector(".valeur").hidden = false;
    cell.classList.remove("en-edition");
    if (keepFocus) { focusCell(cell); }
  }

  function save(then) {
    var state = editing;
    if (!state) { return; }
    if (state.input.value === state.before) { stopEdit(true); if (then) { then(); } return; }
    var cell = state.cell;
    var row = cell.parentNode;
    var data = new FormData();
    data.append("ligne", row.getAttribute("data-ligne"));
    data.append("id", row.getAttribute("data-id"));
    data.append("champ", cell.getAttribute("data-champ"));
    data.append("valeur", state.input.value);
    state.input.disabled = true;
    cell.classList.add("en-cours");
    fetch(url, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "X-CSRFToken": tokenInput ? tokenInput.value : "", "Accept": "application/json" }
    }).then(function (response) {
      return response.json().then(function (answer) { return { ok: response.ok, answer: answer }; });
    }).then(function (result) {
      cell.classList.remove("en-cours");
      if (!result.ok) {
        // Nothing is lost: the editor stays open with what was typed.
        state.input.disabled = false;
        state.input.focus();
        say(result.answer.erreur || "La cellule n'a pas pu être enregistrée.");
        return;
      }
      cell.querySelector(".valeur").textContent = result.answer.valeur;
      row.setAttribute("data-ligne", result.answer.ligne);  // rows move up when one before is deleted
      stopEdit(true);
      showRow(row, result.answer);
      var mine = (result.answer.erreurs || {})[cell.getAttribute("data-champ")];
      say(mine && mine.length ? "Enregistré, à corriger : " + mine.join(" ") : "Enregistré.");
      if (then) { then(); }
    }).catch(function () {
      cell.classList.remove("en-cours");
      state.input.disabled = false;
      state.input.focus();
      say("La connexion au serveur a échoué : la valeur n'est pas enregistrée, réessayez.");
    });
  }

  table.addEventListener("keydown", function (event) {
    if (editing) {
      if (event.key === "Enter" && !event.shiftKey) { event.preventDefault(); save(); }
      else if (event.key === "Escape") { event.preventDefault(); stopEdit(true); say("Modification annulée."); }
      return;
    }
    var cell = event.target.closest ? event.target.closest("td[data-champ]") : null;
    if (!cell || event.target !== cell) { return; }
    var handled = true;
    switch (event.key) {
      case "ArrowRight": move(cell, 0, 1); break;
      case "ArrowLeft": move(cell, 0, -1); break;
      case "ArrowDown": move(cell, 1, 0); break;
      case "ArrowUp": move(cell, -1, 0); break;
      case "Home": focusCell(cellsOf(cell.parentNode)[0]); break;
      case "End": var all = cellsOf(cell.parentNode); focusCell(all[all.length - 1]); break;
      case "Enter": case "F2": startEdit(cell); break;
      default: handled = false;
    }
    if (handled) { event.preventDefault(); }
  });
  table.addEventListener("click", function (event) {
    var cell = event.target.closest ? event.target.closest("td[data-champ]") : null;
    if (cell && !editing) { focusCell(cell); }
  });
  table.addEventListener("dblclick", function (event) {
    var cell = event.target.closest ? event.target.closest("td[data-champ]") : null;
    if (cell) { startEdit(cell); }
  });
  // Deleting: the confirmation in a dialog (without JavaScript, the link leads to a confirmation page).
  var dialog = document.getElementById("confirmer-suppression");
  var opener = null;
  if (dialog && typeof dialog.showModal === "function") {
    table.addEventListener("click", function (event) {
      var link = event.target.closest ? event.target.closest("a[data-supprimer]") : null;
      if (!link) { return; }
      event.preventDefault();
      var row = link.closest("tr");
      opener = link;
      dialog.querySelector("[data-numero]").textContent = row.getAttribute("data-ligne");
      dialog.querySelector("input[name=ligne]").value = row.getAttribute("data-ligne");
      dialog.querySelector("input[name=socle-ligne-id]").value = row.getAttribute("data-id");
      dialog.showModal();
      dialog.querySelector("[data-annuler]").focus();  // the safe choice first
    });
    dialog.querySelector("[data-annuler]").addEventListener("click", function () { dialog.close(); });
    dialog.addEventListener("close", function () { if (opener) { opener.focus(); } });
  }

  // Whatever takes the focus in the table (a sort link of the sticky header, a cell) is scrolled
  // wholly into view, so that its focus is never hidden.
  table.addEventListener("focusin", function (event) {
    if (event.target.scrollIntoView) { event.target.scrollIntoView({ block: "nearest", inline: "nearest" }); }
  });

  table.addEventListener("focusout", function (event) {
    // Leaving the editor saves what was typed (nothing is lost by clicking elsewhere).
    if (editing && event.target === editing.input && !editing.input.disabled) { save(); }
  });
})();
