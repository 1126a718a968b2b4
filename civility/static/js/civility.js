// Small progressive enhancements; every page works without them.
document.documentElement.classList.add("js");

// Tree nodes: htmx loads the children once; later clicks only show or hide them.
document.addEventListener("click", (event) => {
  const toggle = event.target.closest(".tree-toggle");
  if (!toggle) return;
  const list = document.getElementById(toggle.getAttribute("aria-controls"));
  const expanded = toggle.getAttribute("aria-expanded") === "true";
  toggle.setAttribute("aria-expanded", expanded ? "false" : "true");
  if (list) list.hidden = expanded;
});

// Behaviours declared in the markup, because the Content-Security-Policy forbids inline
// handlers (onclick=, onchange=): a filter that applies on change, a field selected on click,
// a form that asks before it is sent (data-confirm holds the question).
document.addEventListener("change", (event) => {
  const field = event.target.closest("[data-autosubmit]");
  if (field && field.form) field.form.submit();
});
document.addEventListener("click", (event) => {
  const field = event.target.closest("[data-select-on-click]");
  if (field) field.select();
});
document.addEventListener("submit", (event) => {
  const form = event.target.closest("form[data-confirm]");
  if (form && !window.confirm(form.dataset.confirm)) event.preventDefault();
});

// Every POST form carries a key made when the page is shown, so a double click or a reload
// that re-posts it runs once: the server answers the copy with the first one's answer
// (civility/core/idempotency.py). getRandomValues, unlike randomUUID, also works over plain
// http on an office network.
function addSubmissionKeys(root) {
  for (const form of root.querySelectorAll("form")) {
    if ((form.getAttribute("method") || "").toLowerCase() !== "post") continue;
    if (form.querySelector("input[name=_submission]")) continue;
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    const input = document.createElement("input");
    input.type = "hidden";
    input.name = "_submission";
    input.value = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
    form.append(input);
  }
}
addSubmissionKeys(document);
document.addEventListener("htmx:load", (event) => addSubmissionKeys(event.target));

// --- Pickers of units and people (civility/orgs/pickers.py) --------------------------------
// A select[data-picker] holds only the chosen options; Tom Select makes it a search box that
// asks data-search-url as one types (the server ignores accents, keeps to the person's scope
// and answers at most 50 matches), shows each unit's parent path and each person's unit and
// post, and chooses several without Ctrl (a remove button on each). Run again after htmx swaps.
function initPickers(root) {
  if (!window.TomSelect) return;
  const selects = root.matches("select[data-picker]")
    ? [root]
    : root.querySelectorAll("select[data-picker]");
  for (const select of selects) {
    if (select.tomselect) continue;
    const url = new URL(select.dataset.searchUrl, window.location.href);
    const people = select.dataset.picker === "people";
    const detail = (data) => (people ? [data.post, data.unit].filter(Boolean).join(" · ") : data.path);
    new window.TomSelect(select, {
      valueField: "value",
      labelField: "text",
      searchField: [],
      // The server has already matched; keep its order and every answer it sent.
      score: () => () => 1,
      sortField: [{ field: "$order" }],
      maxOptions: 50,
      preload: "focus",
      loadThrottle: 200,
      placeholder: select.dataset.placeholder,
      hidePlaceholder: true,
      plugins: select.multiple
        ? { remove_button: { title: select.dataset.remove } }
        : select.required
          ? {}
          : { clear_button: { title: select.dataset.remove } },
      closeAfterSelect: !select.multiple,
      load(query, callback) {
        url.searchParams.set("q", query);
        fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
          .then((response) => (response.ok ? response.json() : { results: [] }))
          .then((answer) => {
            this.clearOptions();
            callback(answer.results);
          })
          .catch(() => callback());
      },
      // Each query asks the server again (Tom Select caches by default).
      shouldLoad: () => true,
      onType() {
        this.loadedSearches = {};
      },
      render: {
        option(data, escape) {
          const more = detail(data);
          return (
            `<div class="picker-option"><div>${escape(data.text)}</div>` +
            (more ? `<small>${escape(more)}</small>` : "") +
            "</div>"
          );
        },
        no_results(_data, escape) {
          return `<div class="no-results">${escape(select.dataset.noResults)}</div>`;
        },
        // A chosen unit keeps its nearest parent, a chosen person their unit: two counters
        // called "Quầy số 1" stay told apart once chosen.
        item(data, escape) {
          const more = people ? data.unit : (data.path || "").split(" › ").pop();
          return (
            `<div title="${escape(detail(data) || data.text)}">${escape(data.text)}` +
            (more ? `<small>&nbsp;· ${escape(more)}</small>` : "") +
            "</div>"
          );
        },
      },
    });
  }
}
initPickers(document.documentElement);
document.addEventListener("htmx:load", (event) => initPickers(event.target));
