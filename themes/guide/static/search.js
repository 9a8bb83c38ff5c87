// The search page of the guide theme: runs the query of the field against the
// static Pagefind index of the site. Loaded only by /search/; no other page
// has a script. Everything comes from this site.
const form = document.getElementById("search-form");
const field = document.getElementById("search-q");
const filtersBox = document.getElementById("search-filters");
const statusLine = document.getElementById("search-status");
const list = document.getElementById("search-results");
const more = document.getElementById("search-more");
const azIndex = document.getElementById("search-index");
const PAGE = 10;
const FILTERS = [
  ["section", "Section"],
  ["body_areas", "Body area"],
  ["tools", "Tool"],
];

let pagefind = null;
let run = 0;
let shown = [];
let found = [];

async function load() {
  if (!pagefind) {
    pagefind = await import(form.dataset.pagefindBase);
    await pagefind.options({ excerptLength: 24, noWorker: true });
    await pagefind.init();
  }
  return pagefind;
}

function chosenFilters() {
  const chosen = {};
  for (const select of filtersBox.querySelectorAll("select")) {
    if (select.value) chosen[select.name] = select.value;
  }
  return chosen;
}

// Keeps the query and filters in the address bar, so a result list can be shared and reloaded.
function remember(query, chosen) {
  const params = new URLSearchParams();
  if (query) params.set("q", query);
  for (const [k, v] of Object.entries(chosen)) params.set(k, v);
  const s = params.toString();
  history.replaceState(null, "", s ? `?${s}` : location.pathname);
}

// Pagefind's excerpts are text with <mark> around the matched words: keep only
// those two, as nodes, never as HTML.
function excerptNodes(html) {
  const doc = new DOMParser().parseFromString(`<p>${html}</p>`, "text/html");
  const out = [];
  for (const node of doc.body.firstChild.childNodes) {
    if (node.nodeName === "MARK") {
      const mark = document.createElement("mark");
      mark.textContent = node.textContent;
      out.push(mark);
    } else {
      out.push(document.createTextNode(node.textContent));
    }
  }
  return out;
}

// The heading whose part of the page matched best, when it is not the page top.
function bestHeading(data) {
  let best = null;
  for (const sub of data.sub_results || []) {
    if (!sub.anchor || !sub.url.includes("#")) continue;
    if (!best || sub.locations.length > best.locations.length) best = sub;
  }
  return best;
}

function render(data) {
  const li = document.createElement("li");
  li.className = "search-result";
  const h = document.createElement("h3");
  const a = document.createElement("a");
  a.href = data.url;
  a.textContent = data.meta.title || data.url;
  h.append(a);
  li.append(h);
  const section = data.filters && data.filters.section && data.filters.section[0];
  if (section) {
    const p = document.createElement("p");
    p.className = "search-section";
    p.textContent = section;
    li.append(p);
  }
  const heading = bestHeading(data);
  const excerpt = document.createElement("p");
  excerpt.className = "search-excerpt";
  excerpt.append(...excerptNodes(heading ? heading.excerpt : data.excerpt));
  li.append(excerpt);
  if (heading) {
    const p = document.createElement("p");
    p.className = "search-heading";
    const link = document.createElement("a");
    link.href = heading.url;
    link.textContent = heading.title;
    p.append("Found under: ", link);
    li.append(p);
  }
  return li;
}

async function showMore(id) {
  const next = found.slice(shown.length, shown.length + PAGE);
  const datas = await Promise.all(next.map((r) => r.data()));
  if (id !== run) return;
  shown = shown.concat(datas);
  list.append(...datas.map(render));
  more.hidden = shown.length >= found.length;
}

async function search() {
  const id = ++run;
  const query = field.value.trim();
  const chosen = chosenFilters();
  remember(query, chosen);
  if (!query) {
    list.replaceChildren();
    list.hidden = true;
    more.hidden = true;
    azIndex.hidden = false;
    statusLine.textContent = "";
    return;
  }
  const pf = await load();
  const response = await pf.search(query, { filters: chosen });
  if (id !== run || !response) return;
  found = response.results;
  shown = [];
  list.replaceChildren();
  await showMore(id);
  if (id !== run) return;
  list.hidden = found.length === 0;
  azIndex.hidden = found.length > 0;
  const n = found.length;
  statusLine.textContent =
    n === 0
      ? `No results for “${query}”.`
      : `${n} result${n === 1 ? "" : "s"} for “${query}”.`;
}

async function addFilters(params) {
  const pf = await load();
  const available = await pf.filters();
  for (const [name, label] of FILTERS) {
    const values = Object.keys(available[name] || {}).sort((a, b) => a.localeCompare(b));
    if (values.length === 0) continue;
    const wrap = document.createElement("div");
    const id = `search-filter-${name}`;
    const l = document.createElement("label");
    l.htmlFor = id;
    l.textContent = label;
    const select = document.createElement("select");
    select.id = id;
    select.name = name;
    select.append(new Option("All", ""));
    for (const v of values) select.append(new Option(v, v));
    if (params.get(name) && values.includes(params.get(name))) select.value = params.get(name);
    select.addEventListener("change", search);
    wrap.append(l, select);
    filtersBox.append(wrap);
  }
  filtersBox.hidden = filtersBox.childElementCount === 0;
}

const params = new URLSearchParams(location.search);
field.value = params.get("q") || "";
document.getElementById("search-help").textContent =
  "Results appear as you type. Use the filters to narrow them.";
field.addEventListener("input", search);
form.addEventListener("submit", (e) => {
  e.preventDefault();
  search();
});
more.addEventListener("click", () => {
  const first = shown.length;
  showMore(run).then(() => list.children[first]?.querySelector("a")?.focus());
});
addFilters(params).then(search, (e) => {
  statusLine.textContent = "Search is not available right now.";
  console.error(e);
});
