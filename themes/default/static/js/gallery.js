// Photo galleries (sitegen/markup.py writes each as a strip that scrolls sideways, which
// works without this script): previous and next buttons, arrow keys on the focused strip,
// and a count "2 / 5" that screen readers hear as it changes.
document.querySelectorAll(".gallery").forEach((strip) => {
  const items = [...strip.querySelectorAll(".gallery-item")];
  if (items.length < 2) return;
  let current = 0;
  const bar = document.createElement("div");
  bar.className = "gallery-controls";
  const count = document.createElement("p");
  count.className = "gallery-count";
  count.setAttribute("aria-live", "polite");
  const step = (label, text, by) => {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "gallery-step";
    button.setAttribute("aria-label", label);
    button.textContent = text;
    button.addEventListener("click", () => go(current + by));
    return button;
  };
  const previous = step(strip.dataset.previous || "Previous", "\u2039", -1);
  const next = step(strip.dataset.next || "Next", "\u203a", 1);
  const show = () => {
    count.textContent = `${current + 1} / ${items.length}`;
    // aria-disabled, not disabled: a focused button must keep the focus at either end.
    previous.setAttribute("aria-disabled", String(current === 0));
    next.setAttribute("aria-disabled", String(current === items.length - 1));
  };
  const go = (index) => {
    current = Math.max(0, Math.min(items.length - 1, index));
    const left = items[current].getBoundingClientRect().left - strip.getBoundingClientRect().left;
    strip.scrollTo({ left: strip.scrollLeft + left, behavior: "smooth" });
    show();
  };
  let settle;
  strip.addEventListener("scroll", () => {
    clearTimeout(settle);
    settle = setTimeout(() => {
      const start = strip.getBoundingClientRect().left;
      const distances = items.map((item) => Math.abs(item.getBoundingClientRect().left - start));
      current = distances.indexOf(Math.min(...distances));
      show();
    }, 120);
  });
  strip.addEventListener("keydown", (event) => {
    const by = { ArrowRight: 1, ArrowLeft: -1 }[event.key];
    if (by) {
      event.preventDefault();
      go(current + by);
    }
  });
  bar.append(previous, count, next);
  strip.after(bar);
  show();
});
