// Front-end behaviour, kept out of the templates: the content security policy allows no
// inline script. <select data-submit-on-change> submits its form when changed.
document.addEventListener("change", (event) => {
  if (event.target.matches("select[data-submit-on-change]")) {
    event.target.form.submit();
  }
});
