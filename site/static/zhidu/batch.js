// A background job's progress bar (templates/records/includes/batch_progress.html): poll the
// job's status as JSON, move the bar, reload the page when the job ends or stops.
(function () {
  var box = document.getElementById("batch");
  if (!box || box.dataset.active !== "true") return;
  var bar = document.getElementById("batch-progress");
  var state = document.getElementById("batch-state");
  var count = document.getElementById("batch-count");
  function poll() {
    fetch(box.dataset.statusUrl, { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (s) {
        bar.max = s.total;
        bar.value = s.done;
        bar.textContent = s.percent + "%";
        state.textContent = s.state_display;
        count.textContent = count.dataset.template.replace("DONE", s.done).replace("TOTAL", s.total);
        if (s.state === "done" || s.state === "failed" || s.stalled) window.location.reload();
        else window.setTimeout(poll, 1500);
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 1000);
})();
