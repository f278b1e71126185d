/* The staff's keyboard grid for one household's monthly paper form.
 *
 * Enter moves to the next box (from the amount to the next line's day, adding a line at
 * the end); Tab and Shift+Tab work as usual; Ctrl+S saves. The category box suggests
 * categories: a code (C02) from the page's own list; words (ไข่ไก่, เหล้าขาว, ค่าเน็ต)
 * from the household's picker endpoint, which ranks them as the imports and the API do
 * and by what this household wrote before (ledgers/suggest.py). ↓/↑ move through the
 * suggestions, Enter or Tab takes the highlighted one, Escape closes the list; Enter
 * before the answer has come moves on at once and takes its first category when it
 * comes. Running totals of income and expense follow the typing; the server decides
 * what is saved.
 *
 * Plain JavaScript, no build step. The page works without it (the grid is a form).
 */
(function () {
  "use strict";

  var THAI_DIGITS = "๐๑๒๓๔๕๖๗๘๙";

  function readJSON(id, fallback) {
    var el = document.getElementById(id);
    if (!el) return fallback;
    try { return JSON.parse(el.textContent); } catch (e) { return fallback; }
  }

  function arabic(text) {
    return String(text || "").replace(/[๐-๙]/g, function (d) { return String(THAI_DIGITS.indexOf(d)); });
  }

  function clean(text) {
    return arabic(text).replace(/[\u200b\u200c\u200d\u2060\ufeff\u00ad]/g, "").replace(/\s+/g, " ").trim();
  }

  /* Baht as typed (๑,๒๕๐.๕๐, 1,250.50, 1250 บาท, 1,250.-) → whole satang, or null. */
  function satangOf(text) {
    var t = clean(text).replace(/บาท|฿/g, "").replace(/\s/g, "");
    if (/\.-$/.test(t)) t = t.slice(0, -2);
    if (!t) return null;
    if (!/^(\d{1,3}(,\d{3})+|\d+)(\.\d{1,2})?$/.test(t)) return NaN;
    t = t.replace(/,/g, "");
    var parts = t.split(".");
    var frac = ((parts[1] || "") + "00").slice(0, 2);
    return parseInt(parts[0], 10) * 100 + parseInt(frac, 10);
  }

  function baht(satang) {
    var negative = satang < 0;
    var s = Math.abs(satang);
    var whole = Math.floor(s / 100).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
    var frac = String(s % 100).padStart(2, "0");
    return (negative ? "-" : "") + whole + "." + frac;
  }

  var categories = readJSON("entry-categories", []);
  var saved = readJSON("entry-saved", { income: 0, expense: 0 });
  var t = readJSON("entry-i18n", {});
  var byCode = {};
  var byName = {};
  categories.forEach(function (c) {
    byCode[c.code.toUpperCase()] = c;
    [c.th, c.en].forEach(function (name) {
      var key = clean(name).toLowerCase();
      if (key && !(key in byName)) byName[key] = c;
    });
  });

  function resolve(text) {
    var v = clean(text);
    if (!v) return null;
    var first = v.split(" ")[0].toUpperCase();
    if (byCode[first]) return byCode[first];
    return byName[v.toLowerCase()] || null;
  }

  // Codes and names from the page's list: for a code typed, and when the server cannot be asked.
  function suggestions(text) {
    var q = clean(text).toLowerCase();
    if (!q) return categories.slice();
    var ranked = [];
    categories.forEach(function (c, i) {
      var th = c.th.toLowerCase();
      var en = (c.en || "").toLowerCase();
      var rank = -1;
      if (c.code.toLowerCase().indexOf(q) === 0) rank = 0;
      else if (th.indexOf(q) === 0) rank = 1;
      else if (th.indexOf(q) > 0) rank = 2;
      else if (en.indexOf(q) >= 0) rank = 3;
      if (rank >= 0) ranked.push([rank, i, c]);
    });
    ranked.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1]; });
    return ranked.map(function (r) { return r[2]; });
  }

  function isCode(text) { return /^[A-Za-z][0-9]{0,3}$/.test(clean(text)); }

  // Words: the one ranking, asked of the server once per text (kept for the page's life).
  var entryForm = document.getElementById("entry-form");
  var pickerUrl = entryForm ? entryForm.getAttribute("data-picker-url") || "" : "";
  var ranked = {};
  function rankedFor(text) {
    var q = clean(text);
    if (!q || isCode(q) || !pickerUrl) return Promise.resolve(suggestions(q));
    if (!ranked[q]) {
      ranked[q] = fetch(pickerUrl + "?q=" + encodeURIComponent(q), {
        credentials: "same-origin",
        headers: { "Accept": "application/json" }
      }).then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.json();
      }).then(function (data) {
        return (data.items || []).map(function (item) { return byCode[item.code.toUpperCase()]; }).filter(Boolean);
      }).catch(function () {
        delete ranked[q]; // asked again next time
        return suggestions(q);
      });
    }
    return ranked[q];
  }

  // --- corrections: the inline form under a saved line ---------------------------------
  function closeFix(row) {
    row.hidden = true;
    var button = document.querySelector('[data-fix="' + row.id.slice(4) + '"]');
    if (button) { button.setAttribute("aria-expanded", "false"); button.focus(); }
  }
  document.addEventListener("click", function (event) {
    var toggle = event.target.closest("[data-fix]");
    if (toggle) {
      var row = document.getElementById("fix-" + toggle.getAttribute("data-fix"));
      if (!row) return;
      var open = row.hidden;
      row.hidden = !open;
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
      if (open) {
        var first = row.querySelector("input[name=amount]") || row.querySelector("input");
        if (first) { first.focus(); first.select(); }
      }
      return;
    }
    var cancel = event.target.closest("[data-fix-cancel]");
    if (cancel) closeFix(cancel.closest(".fix-row"));
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && event.target.closest && event.target.closest(".fix-row")) {
      closeFix(event.target.closest(".fix-row"));
    }
  });
  var openFix = document.querySelector(".fix-row:not([hidden])");
  if (openFix) {
    var firstError = openFix.querySelector(".field-error");
    var target = firstError ? firstError.parentNode.querySelector("input") : openFix.querySelector("input[name=reason]");
    if (target) target.focus();
  }

  // --- the grid ---------------------------------------------------------------------
  var form = document.getElementById("entry-form");
  if (!form) return; // a closed month is read-only
  var tbody = document.getElementById("entry-rows");
  var template = document.getElementById("entry-row-template");
  var saveButton = document.getElementById("entry-save");
  var ORDER = ["e-day", "e-cat", "e-item", "e-amount"];
  var submitting = false;

  function newKey() {
    if (window.crypto && typeof window.crypto.randomUUID === "function") return window.crypto.randomUUID();
    // crypto.randomUUID needs a secure context (https); an office server on plain http
    // still has getRandomValues.
    var bytes = new Uint8Array(16);
    if (window.crypto && window.crypto.getRandomValues) window.crypto.getRandomValues(bytes);
    else for (var i = 0; i < 16; i++) bytes[i] = Math.floor(Math.random() * 256);
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) { return b.toString(16).padStart(2, "0"); }).join("");
    return hex.slice(0, 8) + "-" + hex.slice(8, 12) + "-" + hex.slice(12, 16) + "-" + hex.slice(16, 20) + "-" + hex.slice(20);
  }

  function rows() { return Array.prototype.slice.call(tbody.querySelectorAll("tr.entry-row")); }

  function fieldOf(input) {
    for (var i = 0; i < ORDER.length; i++) if (input.classList.contains(ORDER[i])) return i;
    return -1;
  }

  function addRow() {
    var n = rows().length + 1;
    var html = template.innerHTML.replace(/__n__/g, String(n));
    var holder = document.createElement("tbody");
    holder.innerHTML = html.trim();
    var row = holder.querySelector("tr");
    row.querySelector("input[name=key]").value = newKey();
    tbody.appendChild(row);
    return row;
  }

  function focusField(row, index, select) {
    var input = row.querySelector("." + ORDER[index]);
    if (!input) return;
    input.focus();
    if (select) input.select();
    keepVisible(input);
  }

  // The totals stay stuck to the bottom of the window: scroll so the box is above them.
  function keepVisible(input) {
    var footer = form.querySelector(".entry-footer");
    if (!footer) return;
    var box = input.getBoundingClientRect();
    var limit = footer.getBoundingClientRect().top - 8;
    if (box.bottom > limit) window.scrollBy(0, box.bottom - limit + 40);
  }

  function moveNext(input) {
    var row = input.closest("tr");
    var index = fieldOf(input);
    if (index < ORDER.length - 1) {
      focusField(row, index + 1, true);
      return;
    }
    var all = rows();
    var next = all[all.indexOf(row) + 1] || addRow();
    var day = next.querySelector(".e-day");
    var thisDay = row.querySelector(".e-day").value;
    if (!day.value && thisDay) day.value = thisDay; // forms list many lines of one day
    focusField(next, 0, true);
  }

  function clearError(input) {
    input.removeAttribute("aria-invalid");
    input.removeAttribute("aria-describedby");
    var cell = input.closest("td");
    var error = cell && cell.querySelector(".field-error");
    if (error) error.remove();
    var row = input.closest("tr");
    if (row && !row.querySelector(".field-error")) row.classList.remove("has-error");
  }

  function showCategory(input) {
    var row = input.closest("tr");
    var c = resolve(input.value);
    var name = row.querySelector(".cat-name");
    var kind = row.querySelector(".kind");
    name.classList.remove("unknown");
    kind.className = "kind";
    if (c) {
      name.textContent = c.th;
      kind.textContent = c.kind === "income" ? t.income : t.expense;
      kind.classList.add("kind-" + c.kind);
    } else {
      name.textContent = "";
      kind.textContent = "";
    }
    return c;
  }

  function markUnknown(input) {
    var c = showCategory(input);
    if (!c && clean(input.value)) {
      var name = input.closest("tr").querySelector(".cat-name");
      name.textContent = t.unknown || "?";
      name.classList.add("unknown");
    }
  }

  function setTotal(name, satang) {
    var cell = form.querySelector('[data-total="' + name + '"]');
    if (cell) cell.textContent = baht(satang);
  }

  function totals() {
    var income = 0;
    var expense = 0;
    var lines = 0;
    rows().forEach(function (row) {
      var c = resolve(row.querySelector(".e-cat").value);
      var amountInput = row.querySelector(".e-amount");
      var s = satangOf(amountInput.value);
      var bad = typeof s === "number" && isNaN(s);
      amountInput.classList.toggle("bad", bad);
      amountInput.title = bad ? t.notAmount || "" : "";
      if (!c || !s || isNaN(s)) return;
      lines += 1;
      if (c.kind === "income") income += s; else expense += s;
    });
    setTotal("new-income", income);
    setTotal("new-expense", expense);
    setTotal("new-net", income - expense);
    setTotal("after-income", saved.income + income);
    setTotal("after-expense", saved.expense + expense);
    setTotal("after-net", saved.income + income - saved.expense - expense);
    form.classList.toggle("has-new", lines > 0);
  }

  function dirty() {
    return rows().some(function (row) {
      return ["e-cat", "e-item", "e-amount"].some(function (cls) { return clean(row.querySelector("." + cls).value) !== ""; });
    });
  }

  // --- the suggestion list (one listbox, moved under the box being typed in) -----------
  var listbox = document.createElement("ul");
  listbox.id = "category-listbox";
  listbox.className = "cat-listbox";
  listbox.setAttribute("role", "listbox");
  listbox.hidden = true;
  var listFor = null;
  var options = [];
  var active = -1;

  var listText = null; // the text the open list answers

  function openList(input, items, text) {
    listText = text === undefined ? clean(input.value) : text;
    options = items.slice(0, 12);
    listbox.innerHTML = "";
    if (!options.length) {
      var none = document.createElement("li");
      none.className = "none";
      none.textContent = t.noMatch || "—";
      listbox.appendChild(none);
    }
    options.forEach(function (c, i) {
      var li = document.createElement("li");
      li.id = "category-option-" + i;
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", "false");
      li.dataset.code = c.code;
      var code = document.createElement("span");
      code.className = "opt-code";
      code.textContent = c.code;
      var name = document.createElement("span");
      name.className = "opt-name";
      name.textContent = c.th;
      var kind = document.createElement("span");
      kind.className = "opt-kind kind-" + c.kind;
      kind.textContent = c.kind === "income" ? t.income : t.expense;
      li.appendChild(code);
      li.appendChild(name);
      li.appendChild(kind);
      listbox.appendChild(li);
    });
    input.closest("td").appendChild(listbox);
    listbox.hidden = false;
    listFor = input;
    input.setAttribute("aria-expanded", "true");
    highlight(options.length ? 0 : -1);
  }

  function closeList() {
    if (listFor) {
      listFor.setAttribute("aria-expanded", "false");
      listFor.removeAttribute("aria-activedescendant");
    }
    listbox.hidden = true;
    listFor = null;
    listText = null;
    options = [];
    active = -1;
  }

  // Fill the list for what is in the box now (code: at once; words: when the answer comes).
  function suggestFor(input) {
    var q = clean(input.value);
    if (!q) { closeList(); return; }
    if (isCode(q)) { openList(input, suggestions(q), q); return; }
    rankedFor(q).then(function (items) {
      if (document.activeElement === input && clean(input.value) === q) openList(input, items, q);
    });
  }

  // Leaving a category box: the highlighted suggestion if the list answers what is in the
  // box; else a code or a category's name as typed; else the first category of the
  // words' ranking (when it comes, if the box still holds them).
  var settling = [];
  function settle(input) {
    var q = clean(input.value);
    if (q && listFor === input && listText === q && active >= 0 && options[active]) { pick(input, options[active]); return; }
    closeIfFor(input);
    if (!q || resolve(q)) { finish(input); return; }
    var done = rankedFor(q).then(function (items) {
      if (clean(input.value) === q && !resolve(q) && items.length) input.value = items[0].code;
      clearError(input);
      finish(input);
    });
    settling.push(done);
    done.then(function () { settling.splice(settling.indexOf(done), 1); });
  }

  function closeIfFor(input) { if (listFor === input) closeList(); }

  function finish(input) {
    var c = resolve(input.value);
    if (c && input.value !== c.code) input.value = c.code;
    markUnknown(input);
    totals();
  }

  function highlight(i) {
    active = i;
    Array.prototype.forEach.call(listbox.querySelectorAll("[role=option]"), function (li, j) {
      li.setAttribute("aria-selected", j === i ? "true" : "false");
    });
    if (listFor) {
      if (i >= 0) {
        listFor.setAttribute("aria-activedescendant", "category-option-" + i);
        var li = document.getElementById("category-option-" + i);
        if (li && li.scrollIntoView) li.scrollIntoView({ block: "nearest" });
      } else {
        listFor.removeAttribute("aria-activedescendant");
      }
    }
  }

  function pick(input, c) {
    input.value = c.code;
    clearError(input);
    closeList();
    showCategory(input);
    totals();
  }

  listbox.addEventListener("mousedown", function (event) {
    var li = event.target.closest("[role=option]");
    event.preventDefault(); // keep the focus in the box
    if (li && listFor) pick(listFor, byCode[li.dataset.code.toUpperCase()]);
  });

  // --- events -----------------------------------------------------------------------
  tbody.addEventListener("input", function (event) {
    var input = event.target;
    clearError(input);
    if (input.classList.contains("e-cat")) {
      showCategory(input);
      suggestFor(input);
    }
    totals();
  });

  tbody.addEventListener("focusin", function (event) {
    if (event.target.classList.contains("e-day")) event.target.select();
  });

  tbody.addEventListener("focusout", function (event) {
    var input = event.target;
    if (input.classList.contains("e-cat")) settle(input);
  });

  tbody.addEventListener("keydown", function (event) {
    var input = event.target;
    if (input.tagName !== "INPUT") return;
    var isCat = input.classList.contains("e-cat");
    if (isCat && (event.key === "ArrowDown" || event.key === "ArrowUp")) {
      event.preventDefault();
      if (listFor !== input) {
        if (clean(input.value)) suggestFor(input); else openList(input, suggestions(""), "");
        return;
      }
      if (!options.length) return;
      var step = event.key === "ArrowDown" ? 1 : -1;
      highlight((active + step + options.length) % options.length);
      return;
    }
    if (isCat && event.key === "Escape" && listFor === input) {
      event.preventDefault();
      closeList();
      return;
    }
    if (event.key === "Enter" && !event.ctrlKey && !event.metaKey && !event.altKey) {
      event.preventDefault(); // Enter moves on; it never submits the grid
      moveNext(input); // (settles the category box as the focus leaves it)
    }
  });

  document.addEventListener("keydown", function (event) {
    if ((event.ctrlKey || event.metaKey) && !event.altKey && (event.key === "s" || event.key === "S")) {
      event.preventDefault();
      if (typeof form.requestSubmit === "function") form.requestSubmit();
      else if (!submitting) { submitting = true; form.submit(); }
    }
  });

  form.addEventListener("submit", function (event) {
    if (submitting) { event.preventDefault(); return; }
    if (settling.length) { // a category still waits for its ranking: save once it has it
      event.preventDefault();
      Promise.all(settling).then(function () {
        if (typeof form.requestSubmit === "function") form.requestSubmit(); else form.submit();
      });
      return;
    }
    closeList();
    submitting = true;
    window.setTimeout(function () {
      saveButton.disabled = true;
      saveButton.textContent = t.saving || saveButton.textContent;
    }, 0);
  });

  window.addEventListener("beforeunload", function (event) {
    if (!submitting && dirty()) {
      event.preventDefault();
      event.returnValue = t.unsaved || "";
    }
  });

  window.addEventListener("pageshow", function (event) {
    if (event.persisted) { // back to the page from the cache: it may be submitted again
      submitting = false;
      saveButton.disabled = false;
    }
  });

  // --- start ------------------------------------------------------------------------
  rows().forEach(function (row) {
    var cat = row.querySelector(".e-cat");
    if (clean(cat.value)) markUnknown(cat);
  });
  totals();
  var invalid = tbody.querySelector("[aria-invalid=true]");
  var firstEmpty = rows().filter(function (row) {
    return ORDER.every(function (cls) { return !clean(row.querySelector("." + cls).value); });
  })[0];
  var start = invalid || (firstEmpty && firstEmpty.querySelector(".e-day"));
  if (start) {
    // Just saved: show the grid (with the note of what was saved) ready for the next form.
    // Otherwise a month with lines opens at the top, where they are; the cursor waits in
    // the grid and typing brings it into view.
    var card = form.closest(".entry-card");
    var justSaved = card && card.querySelector(".entry-saved-note");
    var hasSaved = document.querySelector(".entry-saved tbody tr[id^=line-]");
    if (justSaved && !invalid) card.scrollIntoView({ block: "start" });
    start.focus({ preventScroll: !invalid && (!!justSaved || !!hasSaved) });
  }
})();
