// Suggestions as you type for the fields of the editing forms that name an actor.
// Asks /api/suggest (the registry's one search: any script, codes, keys); a picked suggestion puts
// the actor's name in the field and its key in the hidden <field>_key input (for a list of owners,
// the key replaces the name being typed). Keyboard: arrows move, Enter picks, Escape closes.
(function () {
  "use strict";

  function setup(input) {
    var list = document.getElementById("s-" + input.name);
    var hidden = document.getElementById("k-" + input.name);
    var many = input.dataset.suggest === "many";
    var timer = null, active = -1, items = [], asked = "";

    function current() {
      if (!many) return input.value.trim();
      var parts = input.value.split(";");
      return parts[parts.length - 1].trim();
    }

    function close() {
      list.hidden = true;
      list.innerHTML = "";
      items = [];
      active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }

    function mark(index) {
      active = index;
      items.forEach(function (item, i) {
        item.element.setAttribute("aria-selected", i === index ? "true" : "false");
        item.element.classList.toggle("active", i === index);
      });
      if (index >= 0) input.setAttribute("aria-activedescendant", items[index].element.id);
    }

    function pick(index) {
      var chosen = items[index].data;
      if (many) {
        var parts = input.value.split(";").map(function (p) { return p.trim(); });
        parts[parts.length - 1] = chosen.key;
        input.value = parts.filter(function (p) { return p; }).join("; ");
      } else {
        input.value = chosen.label;
        if (hidden) hidden.value = chosen.key;
      }
      close();
      input.focus();
    }

    function describe(s) {
      var other = s.label === s.name_ja ? s.name_en : s.name_ja;
      var bits = [s.kind_label, s.parent, s.country].filter(function (b) { return b; });
      return { main: s.label + (other && other !== s.label ? " / " + other : ""), extra: bits.join(" · ") };
    }

    function show(suggestions) {
      close();
      suggestions.forEach(function (s, i) {
        var li = document.createElement("li");
        var text = describe(s);
        li.id = "s-" + input.name + "-" + i;
        li.setAttribute("role", "option");
        li.dataset.key = s.key;
        var main = document.createElement("span");
        main.className = "suggestion-name";
        main.textContent = text.main;
        var extra = document.createElement("small");
        extra.textContent = text.extra;
        li.appendChild(main);
        li.appendChild(document.createTextNode(" "));
        li.appendChild(extra);
        li.addEventListener("mousedown", function (event) {
          event.preventDefault();
          pick(i);
        });
        list.appendChild(li);
        items.push({ element: li, data: s });
      });
      if (items.length) {
        list.hidden = false;
        input.setAttribute("aria-expanded", "true");
      }
    }

    function ask() {
      var q = current();
      if (q.length < 2 || q === asked) return;
      asked = q;
      var url = "/api/suggest?q=" + encodeURIComponent(q) + (input.dataset.lang ? "&lang=" + input.dataset.lang : "");
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : { suggestions: [] }; })
        .then(function (answer) { if (current() === q) show(answer.suggestions || []); })
        .catch(function () { close(); });
    }

    input.addEventListener("input", function () {
      if (hidden) hidden.value = "";
      asked = "";
      clearTimeout(timer);
      timer = setTimeout(ask, 250);
    });
    input.addEventListener("keydown", function (event) {
      if (list.hidden || !items.length) {
        if (event.key === "ArrowDown") { asked = ""; ask(); }
        return;
      }
      if (event.key === "ArrowDown") { event.preventDefault(); mark((active + 1) % items.length); }
      else if (event.key === "ArrowUp") { event.preventDefault(); mark((active - 1 + items.length) % items.length); }
      else if (event.key === "Enter") { event.preventDefault(); pick(active >= 0 ? active : 0); }
      else if (event.key === "Escape") { close(); }
    });
    input.addEventListener("blur", function () { setTimeout(close, 150); });
  }

  document.querySelectorAll("input[data-suggest]").forEach(setup);
})();
