// Written by sitegen: a visible message when sveltia-cms.js is missing, blocked or
// altered (its integrity hash did not match), instead of a blank page.
if (!window.CMS) {
  document.getElementById("sitegen-cms-missing").hidden = false;
}
