/* Embeds without trackers (sitegen/embeds.py): the page shows a placeholder that
   links to the original; only a click puts the provider's player in its place, so
   nothing is asked of the provider before the reader wants it. */
document.addEventListener("click", function (event) {
  var link = event.target.closest && event.target.closest("a[data-embed]");
  if (!link || event.ctrlKey || event.metaKey || event.shiftKey) return;
  event.preventDefault();
  var frame = document.createElement("iframe");
  frame.src = link.getAttribute("data-embed");
  frame.title = link.getAttribute("data-title");
  frame.className = "embed-player";
  frame.allow = "autoplay; encrypted-media; picture-in-picture; fullscreen";
  frame.allowFullscreen = true;
  frame.referrerPolicy = "strict-origin-when-cross-origin";
  link.replaceWith(frame);
  frame.focus();
});
