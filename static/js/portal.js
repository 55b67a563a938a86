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
