/* A citizen's rating form: the contact fields appear once a dissatisfied level is chosen
 * (without JavaScript they are always shown). */
(function () {
  "use strict";
  for (const box of document.querySelectorAll("[data-contact]")) {
    const form = box.closest("form");
    const levels = new Set((box.dataset.dissatisfied || "").split(" ").filter(Boolean));
    const update = () => {
      const chosen = form.querySelector("input[name=level]:checked");
      const hasErrors = box.querySelector(".error") !== null;
      box.hidden = !hasErrors && !(chosen && levels.has(chosen.value));
    };
    form.addEventListener("change", update);
    update();
  }
})();
