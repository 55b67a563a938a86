// Model list: "select all" for the bulk decision of leadership (no inline script: CSP).
document.addEventListener("DOMContentLoaded", () => {
  const all = document.getElementById("select-all");
  if (!all) return;
  all.addEventListener("change", () => {
    document.querySelectorAll("input.bulk-item").forEach((box) => { box.checked = all.checked; });
  });
});
