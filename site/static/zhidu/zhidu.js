// Front-end behaviour, kept out of the templates: the content security policy allows no
// inline script. <select data-submit-on-change> submits its form when changed.
document.addEventListener("change", (event) => {
  if (event.target.matches("select[data-submit-on-change]")) {
    event.target.form.submit();
  }
});

// A clause's label links to it (第十二条): clicking also copies the link to share.
document.addEventListener("click", (event) => {
  const link = event.target.closest("a.permalink");
  if (!link || !navigator.clipboard) return;
  const holder = link.closest("[data-copied]");
  navigator.clipboard.writeText(link.href).then(() => {
    link.dataset.copiedText = holder ? holder.dataset.copied : "✓";
    link.classList.add("copied");
    window.setTimeout(() => link.classList.remove("copied"), 2000);
  }).catch(() => {});
});
