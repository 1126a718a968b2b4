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
