/* The search page's script (templates/search.html). It is a file of its own, not
   inline, so the site's Content-Security-Policy can forbid every inline script; the
   page's strings and paths come from the JSON block before it. */
const config = JSON.parse(document.getElementById("search-config").textContent);
const strings = config.strings;
const bundle = config.bundle;
const baseUrl = config.baseUrl;
// Until the site has an article there is no index; the page then finds nothing.
const pagefind = await import(bundle + "pagefind.js").catch(() => null);
// Pagefind knows pages by their path in the output; the base path makes them links.
await pagefind?.options({ baseUrl });
// A large site's index is split into shards (the first is the one imported above);
// shards.json lists the others, searched together with it as one index.
async function mergeShards(instance, folder) {
  const manifest = await fetch(folder + "shards.json")
    .then((response) => response.ok ? response.json() : { shards: [] })
    .catch(() => ({ shards: [] }));
  await Promise.all((manifest.shards || []).map((shard) => instance.mergeIndex(folder + shard, { baseUrl })));
}
if (pagefind) await mergeShards(pagefind, bundle);
pagefind?.init();

// A site with editions: "all editions" searches every other edition's index too, each
// with its own Pagefind (its language's word stemming), and ranks the results together.
const editions = config.editions || [];
let others = null;
function otherEditions() {
  others ||= Promise.all(editions.map(async (folder) => {
    const instance = await import(folder + "pagefind.js");
    await instance.options({ baseUrl });
    await mergeShards(instance, folder);
    instance.init();
    return instance;
  })).catch(() => []);
  return others;
}
async function searchEverywhere(query) {
  const engines = [pagefind, ...(scope?.checked ? await otherEditions() : [])].filter(Boolean);
  const found = await Promise.all(engines.map((engine) => engine.debouncedSearch(query, {}, 150)));
  if (found.some((search) => search === null)) return null;
  return { results: found.flatMap((search) => search.results).sort((a, b) => b.score - a.score) };
}
const scope = document.getElementById("search-all");

const input = document.getElementById("search-input");
const list = document.getElementById("search-results");
const status = document.getElementById("search-status");
let latest = 0;

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text) node.textContent = text;
  return node;
}

function card(result) {
  const article = element("article", "card card-row");
  if (result.meta.image) {
    const media = element("div", "card-media");
    const img = element("img");
    img.src = result.meta.image;
    img.alt = result.meta.image_alt || "";
    img.loading = "lazy";
    media.append(img);
    article.append(media);
  }
  const body = element("div", "card-body");
  const meta = element("p", "meta");
  if (result.meta.section) meta.append(element("span", "section-label", result.meta.section), " ");
  if (result.meta.date) meta.append(element("span", "date", result.meta.date));
  const title = element("h2", "card-title");
  const link = element("a", "", result.meta.title);
  link.href = result.url;
  title.append(link);
  // Pagefind's excerpt is the page's own text, escaped, with <mark> around the matches.
  const excerpt = element("p", "dek");
  excerpt.innerHTML = result.excerpt;
  body.append(meta, title, excerpt);
  article.append(body);
  return article;
}

async function run(query) {
  const ticket = ++latest;
  const url = new URL(location.href);
  query ? url.searchParams.set("q", query) : url.searchParams.delete("q");
  scope?.checked ? url.searchParams.set("all", "1") : url.searchParams.delete("all");
  history.replaceState(null, "", url);
  const search = await searchEverywhere(query);
  if (search === null || ticket !== latest) return;
  const results = await Promise.all(search.results.slice(0, 30).map((r) => r.data()));
  if (ticket !== latest) return;
  list.replaceChildren(...results.map(card));
  status.textContent = !query.trim() ? strings.results
    : results.length ? `${strings.results}: ${search.results.length}` : strings.none;
}

input.addEventListener("input", () => run(input.value));
input.form.addEventListener("submit", (event) => { event.preventDefault(); run(input.value); });
scope?.addEventListener("change", () => run(input.value));
if (scope && new URLSearchParams(location.search).get("all")) scope.checked = true;
// A query typed while this script was still loading fired no input event: search it too.
const initial = new URLSearchParams(location.search).get("q") || input.value;
if (initial) { input.value = initial; run(initial); }
