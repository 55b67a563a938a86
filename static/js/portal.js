// The portal's own behaviour: confirmation of destructive actions (no inline script, CSP).
document.addEventListener("submit", (event) => {
  const form = event.target;
  const question = form.getAttribute("data-confirm");
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
});

// A table that scrolls sideways on a phone must be reachable with the keyboard.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll(".table-responsive").forEach((region) => {
    if (!region.hasAttribute("tabindex")) {
      region.setAttribute("tabindex", "0");
      region.setAttribute("role", "region");
      const caption = region.querySelector("caption, th");
      region.setAttribute("aria-label", region.getAttribute("aria-label") || (caption ? "Bảng: " + caption.textContent.trim() : "Bảng"));
    }
  });
});
