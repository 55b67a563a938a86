// Polls a report request's status and moves the progress bar; shows the download link when done.
(function () {
  const box = document.getElementById("report-progress");
  if (!box) return;
  const bar = box.querySelector("[data-progress-bar]");
  const text = box.querySelector("[data-status-text]");
  const link = box.querySelector("[data-download]");
  const meter = box.querySelector("[role=progressbar]");
  function show(data) {
    const pct = Math.max(0, Math.min(100, data.progress || 0));
    bar.style.width = pct + "%";
    bar.textContent = pct + "%";
    meter.setAttribute("aria-valuenow", String(pct));
    text.textContent = data.status_label + (data.message ? " — " + data.message : "");
    if (data.status === "done" && data.download_url) {
      link.href = data.download_url;
      link.classList.remove("d-none");
    }
  }
  function poll() {
    fetch(box.dataset.statusUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then((r) => r.json())
      .then((data) => {
        show(data);
        if (data.status === "queued" || data.status === "running") setTimeout(poll, 700);
      })
      .catch(() => setTimeout(poll, 2000));
  }
  if (box.dataset.status === "queued" || box.dataset.status === "running") poll();
})();
