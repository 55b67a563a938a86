/* The unit picker: every <select data-unit-picker="URL"> becomes a search box that asks the
   server (search without diacritics, in the user's scope) and shows each unit's path.
   Tom Select (from npm, served by the portal) is loaded only on pages that have a picker. */
(function () {
  "use strict";
  function load(tag, attrs) {
    return new Promise(function (resolve, reject) {
      var el = document.createElement(tag);
      Object.keys(attrs).forEach(function (k) { el[k] = attrs[k]; });
      el.onload = resolve;
      el.onerror = reject;
      document.head.appendChild(el);
    });
  }
  function init(root) {
    var selects = (root || document).querySelectorAll("select[data-unit-picker]:not(.tomselected)");
    if (!selects.length) return;
    var first = selects[0];
    var ready = window.TomSelect ? Promise.resolve() : Promise.all([
      load("link", {rel: "stylesheet", href: first.dataset.pickerCss}),
      load("script", {src: first.dataset.pickerJs})
    ]);
    ready.then(function () {
      selects.forEach(function (select) {
        var url = select.dataset.unitPicker;
        var extra = select.dataset.includeEnded ? "&ended=1" : "";
        var within = select.dataset.within ? "&within=" + encodeURIComponent(select.dataset.within) : "";
        var label = select.id ? document.querySelector("label[for='" + select.id + "']") : null;
        var name = select.getAttribute("aria-label") || (label ? label.textContent.trim() : "");
        new window.TomSelect(select, {
          valueField: "id", labelField: "text", searchField: [],
          maxOptions: 20, loadThrottle: 250, preload: "focus", hideSelected: true,
          plugins: select.multiple ? ["remove_button"] : [],
          score: function () { return function () { return 1; }; },
          load: function (query, callback) {
            var self = this;
            fetch(url + "?q=" + encodeURIComponent(query) + extra + within, {credentials: "same-origin"})
              .then(function (r) { return r.json(); })
              .then(function (data) {
                // The server has matched (without diacritics): show exactly its answer, not
                // options left from earlier queries, and ask again when a query comes back.
                self.clearOptions();
                self.loadedSearches = {};
                callback(data.results);
              })
              .catch(function () { callback(); });
          },
          render: {
            option: function (item, escape) {
              return "<div>" + escape(item.text) + (item.ended ? " <small class=\"text-body-secondary\">(" +
                escape(select.dataset.endedLabel || "đã kết thúc") + ")</small>" : "") + "</div>";
            },
            no_results: function () {
              return "<div class=\"no-results\">" + (select.dataset.noResults || "Không tìm thấy đơn vị") + "</div>";
            }
          }
        });
        // Tom Select points the label at its search box; the hidden select keeps the same name.
        if (name) select.setAttribute("aria-label", name);
      });
    });
  }
  document.addEventListener("DOMContentLoaded", function () { init(document); });
  document.addEventListener("htmx:afterSettle", function (e) { init(e.target); });
})();
