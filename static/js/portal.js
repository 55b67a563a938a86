// The portal's own behaviour: confirmation of destructive actions (no inline script, CSP).
document.addEventListener("submit", (event) => {
  const form = event.target;
  const question = form.getAttribute("data-confirm");
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
});

// A table that scrolls sideways (on a phone) must be reachable with the keyboard; one that fits
// gets no extra tab stop, so keyboard work in grids is not interrupted.
function markScrollableTables() {
  document.querySelectorAll(".table-responsive").forEach((region) => {
    const scrolls = region.scrollWidth > region.clientWidth + 1;
    if (scrolls && !region.hasAttribute("tabindex")) {
      region.setAttribute("tabindex", "0");
      region.setAttribute("role", "region");
      const caption = region.querySelector("caption, th");
      region.setAttribute("aria-label", region.getAttribute("aria-label") || (caption ? "Bảng: " + caption.textContent.trim() : "Bảng"));
    } else if (!scrolls && region.getAttribute("tabindex") === "0" && region.dataset.autoFocusable !== undefined) {
      region.removeAttribute("tabindex");
    }
    if (scrolls) region.dataset.autoFocusable = "";
  });
}
document.addEventListener("DOMContentLoaded", markScrollableTables);
window.addEventListener("resize", markScrollableTables);

// After an invalid submit the error summary takes the focus, so a screen reader reads it first and
// a keyboard user can follow its links to each field.
document.addEventListener("DOMContentLoaded", () => {
  const summary = document.querySelector("[data-error-summary]");
  if (summary) summary.focus();
});

// Filter panels: open on a wide screen, folded on a phone (the chips show what is in force).
const WIDE = window.matchMedia("(min-width: 768px)");
function openFilterPanels() {
  document.querySelectorAll("details[data-open-wide]").forEach((panel) => { panel.open = WIDE.matches; });
}
document.addEventListener("DOMContentLoaded", openFilterPanels);

// A sort choice applies at once; the button stays for browsers without script.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("form.sort-form").forEach((form) => {
    form.querySelectorAll("[data-hide-with-js]").forEach((button) => { button.hidden = true; });
    form.querySelectorAll("select").forEach((select) => {
      select.addEventListener("change", () => form.requestSubmit());
    });
  });
});

// Long forms in steps: one fieldset at a time with "Tiếp"/"Quay lại"; without script, all show.
// A step holding an error opens first; every field stays in the one form, so nothing is lost.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("form[data-steps]").forEach((form) => {
    const steps = Array.from(form.querySelectorAll("fieldset[data-step]"));
    const nav = form.querySelector("[data-step-nav]");
    if (steps.length < 2 || !nav) return;
    const label = nav.querySelector("[data-step-label]");
    const back = nav.querySelector("[data-step-back]");
    const next = nav.querySelector("[data-step-next]");
    const template = label.dataset.template;
    let current = Math.max(0, steps.findIndex((s) => s.querySelector(".is-invalid, .invalid-feedback")));
    function show(index, focus) {
      current = index;
      steps.forEach((step, i) => { step.hidden = i !== index; });
      label.textContent = template.replace("{n}", index + 1).replace("{total}", steps.length)
        .replace("{name}", steps[index].querySelector("legend").textContent.trim());
      back.hidden = index === 0;
      next.hidden = index === steps.length - 1;
      if (focus) steps[index].querySelector("legend").focus();
    }
    nav.hidden = false;
    steps.forEach((step) => { step.querySelector("legend").setAttribute("tabindex", "-1"); });
    back.addEventListener("click", () => show(current - 1, true));
    next.addEventListener("click", () => show(current + 1, true));
    // A link of the error summary opens the step that holds its field.
    document.querySelectorAll("[data-error-summary] a[href^='#']").forEach((link) => {
      link.addEventListener("click", () => {
        const field = document.getElementById(link.getAttribute("href").slice(1));
        const step = field && field.closest("fieldset[data-step]");
        if (step) show(steps.indexOf(step), false);
      });
    });
    show(current, false);
  });
});
