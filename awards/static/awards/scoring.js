// The scoring grid: saves each cell as you leave it, shows each row's running weighted total
// (0..100) and what is left, and moves with the keyboard: Enter or ArrowDown down, Shift+Enter or
// ArrowUp up, ArrowLeft/ArrowRight (at the edge of the text) and Tab sideways. Score cells are text
// fields, not number fields: "9,5" and "9.5" both mean nine and a half, arrows never change a saved
// score, and a letter is refused instead of emptying the cell.
(function () {
  "use strict";
  const grid = document.getElementById("score-grid");
  if (!grid) return;
  const saveUrl = grid.dataset.saveUrl;
  const editable = grid.dataset.editable === "1";
  const errorBox = document.getElementById("grid-error");
  const statusBox = document.getElementById("grid-status");
  const remainingEl = document.getElementById("remaining");
  const remainingBadge = document.getElementById("remaining-badge");
  const submitForm = document.getElementById("submit-form");
  const pending = new Set();

  function csrfToken() {
    const input = document.querySelector("input[name=csrfmiddlewaretoken]");
    if (input) return input.value;
    const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  function parse(value) {
    if (value === null || value.trim() === "") return null;
    const number = Number(value.trim().replace(",", "."));
    return Number.isFinite(number) ? number : NaN;
  }

  function rowTotal(row) {
    let weightSum = 0;
    let sum = 0;
    let filled = 0;
    const inputs = row.querySelectorAll(".score-input");
    inputs.forEach((input) => {
      const weight = Number(input.dataset.weight);
      const max = Number(input.dataset.max);
      weightSum += weight;
      const value = parse(input.value);
      if (value !== null && !Number.isNaN(value) && value >= 0 && value <= max) {
        sum += (value / max) * weight;
        filled += 1;
      }
    });
    const out = row.querySelector(".row-total");
    if (!out) return;
    if (filled === 0 || weightSum === 0) {
      out.textContent = "—";
      out.classList.remove("text-body-secondary");
      return;
    }
    const total = (100 * sum) / weightSum;
    out.textContent = total.toLocaleString("vi-VN", { maximumFractionDigits: 1, minimumFractionDigits: 1 });
    // A partly filled row shows its running total in grey until every criterion is scored.
    out.classList.toggle("text-body-secondary", filled < inputs.length);
  }

  function updateRemaining() {
    if (!remainingEl) return;
    let left = 0;
    grid.querySelectorAll(".score-input:not([disabled])").forEach((input) => {
      if (input.value.trim() === "" || input.classList.contains("is-invalid")) left += 1;
    });
    remainingEl.textContent = String(left);
    if (remainingBadge) {
      remainingBadge.classList.toggle("text-bg-warning", left > 0);
      remainingBadge.classList.toggle("text-bg-success", left === 0);
    }
  }

  function showError(message) {
    errorBox.textContent = message;
    errorBox.classList.toggle("d-none", !message);
  }

  function save(input, body) {
    body.append("pledge", input.dataset.pledge);
    input.classList.remove("is-valid", "is-invalid");
    const request = fetch(saveUrl, {
      method: "POST",
      body: body,
      headers: { "X-CSRFToken": csrfToken(), "X-Requested-With": "fetch" },
      credentials: "same-origin",
    })
      .then((response) => response.json().then((data) => ({ response, data })))
      .then(({ response, data }) => {
        if (response.ok && data.ok) {
          // Show the value as stored, in the page's number format (9.5 → "9,5").
          if (typeof data.value === "string" && document.activeElement !== input) input.value = data.value;
          input.classList.add("is-valid");
          input.removeAttribute("aria-invalid");
          input.title = "";
          statusBox.textContent = "Đã lưu.";
          showError("");
        } else {
          input.classList.add("is-invalid");
          input.setAttribute("aria-invalid", "true");
          input.title = data.error || "Không lưu được.";
          showError((input.getAttribute("aria-label") || "") + ": " + (data.error || "Không lưu được."));
        }
      })
      .catch(() => {
        input.classList.add("is-invalid");
        showError("Mất kết nối: điểm chưa được lưu, hãy thử lại.");
      })
      .finally(() => {
        pending.delete(request);
        updateRemaining();
      });
    pending.add(request);
    return request;
  }

  function saveScore(input) {
    const value = parse(input.value);
    const max = Number(input.dataset.max);
    if (value !== null && (Number.isNaN(value) || value < 0 || value > max)) {
      // The server refuses it too; say so at once and keep what was typed.
      input.classList.add("is-invalid");
      showError((input.getAttribute("aria-label") || "") + ": điểm phải từ 0 đến " + max.toLocaleString("vi-VN") + ".");
      updateRemaining();
      return;
    }
    const body = new FormData();
    body.append("criterion", input.dataset.criterion);
    body.append("value", input.value.trim());
    save(input, body);
  }

  function saveComment(input) {
    const body = new FormData();
    body.append("comment", input.value);
    save(input, body);
  }

  function moveSideways(input, delta) {
    const cells = Array.from(input.closest("tr").querySelectorAll(".score-input, .comment-input"))
      .filter((cell) => !cell.disabled);
    const target = cells[cells.indexOf(input) + delta];
    if (!target) return;
    target.focus();
    if (target.select) target.select();
  }

  function move(input, delta) {
    const cls = input.classList.contains("score-input") ? ".score-input" : ".comment-input";
    const row = input.closest("tr");
    const index = Array.from(row.querySelectorAll(cls)).indexOf(input);
    let next = row;
    for (;;) {
      next = delta > 0 ? next.nextElementSibling : next.previousElementSibling;
      if (!next) return;
      const target = next.querySelectorAll(cls)[index];
      if (target && !target.disabled) {
        target.focus();
        if (target.select) target.select();
        return;
      }
    }
  }

  grid.querySelectorAll(".score-row").forEach(rowTotal);
  updateRemaining();
  if (!editable) return;

  grid.addEventListener("input", (event) => {
    if (event.target.classList.contains("score-input")) {
      event.target.classList.remove("is-valid", "is-invalid");
      rowTotal(event.target.closest("tr"));
    }
  });
  grid.addEventListener("change", (event) => {
    if (event.target.classList.contains("score-input")) saveScore(event.target);
    else if (event.target.classList.contains("comment-input")) saveComment(event.target);
  });
  grid.addEventListener("keydown", (event) => {
    const target = event.target;
    const isScore = target.classList.contains("score-input");
    if (!isScore && !target.classList.contains("comment-input")) return;
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    if (event.key === "Enter" || event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      move(target, event.key === "ArrowUp" || (event.key === "Enter" && event.shiftKey) ? -1 : 1);
      return;
    }
    const start = target.selectionStart;
    const end = target.selectionEnd;
    const length = target.value.length;
    // Left at the start of the text (or with it all selected) and right at its end move between cells.
    if (event.key === "ArrowLeft" && start === 0 && !event.shiftKey) {
      event.preventDefault();
      moveSideways(target, -1);
      return;
    }
    if (event.key === "ArrowRight" && end === length && !event.shiftKey) {
      event.preventDefault();
      moveSideways(target, 1);
      return;
    }
    if (isScore && event.key.length === 1 && !/[0-9.,]/.test(event.key)) {
      // A letter is not a score: keep what is there (saved or typed) and say why.
      event.preventDefault();
      showError((target.getAttribute("aria-label") || "") + ": chỉ nhập chữ số, dấu phẩy hoặc dấu chấm (ví dụ 9,5).");
    }
  });
  if (submitForm) {
    submitForm.addEventListener("submit", (event) => {
      if (pending.size === 0) return;
      // Wait for the last cell to be saved, then submit again (the confirmation runs then).
      event.preventDefault();
      event.stopImmediatePropagation();
      Promise.allSettled(Array.from(pending)).then(() => submitForm.requestSubmit());
    });
  }
})();
