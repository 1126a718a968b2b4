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
