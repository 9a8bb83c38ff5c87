// The search page of the guide theme: runs the query of the field against the
// static index that fascia writes into search-index/ (see src/search.rs). Loaded only by /search/; no other page
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

let run = 0;
let shown = 0;
let found = [];
let terms = [];

const INDEX = form.dataset.index;
const BASE = form.dataset.base;
const files = new Map();

// Index files ending in .gz are gzip, unpacked here so that any host can serve them as they are.
async function fetchIndex(path) {
  const response = await fetch(INDEX + path);
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
    return JSON.parse(await new Response(stream).text());
  }
  return JSON.parse(new TextDecoder().decode(bytes));
}

function get(path) {
  if (!files.has(path)) {
    files.set(path, fetchIndex(path).catch((e) => {
      files.delete(path);
      throw e;
    }));
  }
  return files.get(path);
}

// The same words as fascia's indexer: lower case, split at anything not a
// letter or digit, plural "s" removed.
function stem(w) {
  const n = [...w].length;
  if (n > 4 && w.endsWith("ies")) return `${w.slice(0, -3)}y`;
  if (n > 3 && w.endsWith("s") && !/(ss|us|is)$/.test(w)) return w.slice(0, -1);
  return w;
}

function words(text) {
  return text
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean)
    .map(stem)
    .filter((w) => [...w].length > 1 || /^\d+$/.test(w));
}

function shardKey(word) {
  const key = [...word].slice(0, 2).join("");
  return /^[a-z0-9]+$/.test(key) ? key : "_";
}

// Pages that have a word starting with `term`: id → {score, part}. A whole-word match counts double.
async function postings(term, meta) {
  const key = shardKey(term);
  const found = new Map();
  if (!meta.shards.includes(key)) return found;
  const shard = await get(`w/${key}.gz`);
  for (const [word, list] of Object.entries(shard)) {
    if (!word.startsWith(term)) continue;
    const factor = word === term ? 2 : 1;
    let id = 0;
    for (let i = 0; i < list.length; i += 3) {
      id += list[i];
      const score = list[i + 1] * factor;
      const had = found.get(id);
      if (!had) found.set(id, { score, part: list[i + 2], best: score });
      else {
        had.score += score;
        if (score > had.best) {
          had.best = score;
          had.part = list[i + 2];
        }
      }
    }
  }
  return found;
}

async function filterIds(name, value) {
  const all = await get(`f/${name}.gz`);
  const ids = new Set();
  let id = 0;
  for (const d of all[value] || []) {
    id += d;
    ids.add(id);
  }
  return ids;
}

// Every page that has all the words of the query (the last one may be unfinished), best first.
async function query(chosen) {
  const meta = await get("meta.json");
  const lists = await Promise.all(terms.map((t) => postings(t, meta)));
  const filters = await Promise.all(Object.entries(chosen).map(([k, v]) => filterIds(k, v)));
  lists.sort((a, b) => a.size - b.size);
  const out = [];
  for (const [id, first] of lists[0] || []) {
    if (!lists.every((l) => l.has(id)) || !filters.every((f) => f.has(id))) continue;
    let score = 0;
    let part = first.part;
    let best = -1;
    for (const l of lists) {
      const p = l.get(id);
      score += p.score;
      if (p.best > best) {
        best = p.best;
        part = p.part;
      }
    }
    out.push({ id, score, part });
  }
  out.sort((a, b) => b.score - a.score || a.id - b.id);
  return { meta, results: out };
}

async function pageData(meta, hit) {
  const chunk = await get(`d/${Math.floor(hit.id / meta.chunk)}.gz`);
  const [path, title, section, parts] = chunk[hit.id % meta.chunk];
  return { path, title, section, parts, part: hit.part };
}

function chosenFilters() {
  const chosen = {};
  for (const select of filtersBox.querySelectorAll("select")) {
    if (select.value) chosen[select.name] = select.value;
  }
  return chosen;
}

// Keeps the query and filters in the address bar, so a result list can be shared and reloaded.
function remember(text, chosen) {
  const params = new URLSearchParams();
  if (text) params.set("q", text);
  for (const [k, v] of Object.entries(chosen)) params.set(k, v);
  const s = params.toString();
  history.replaceState(null, "", s ? `?${s}` : location.pathname);
}

// The snippet as text nodes, with the words that match the query in <mark>.
function excerptNodes(text) {
  const out = [];
  for (const piece of text.split(/([\p{L}\p{N}]+)/u)) {
    if (!piece) continue;
    const w = stem(piece.toLowerCase());
    if (/^[\p{L}\p{N}]+$/u.test(piece) && terms.some((t) => w.startsWith(t))) {
      const mark = document.createElement("mark");
      mark.textContent = piece;
      out.push(mark);
    } else {
      out.push(document.createTextNode(piece));
    }
  }
  return out;
}

function render(data) {
  const li = document.createElement("li");
  li.className = "search-result";
  const h = document.createElement("h3");
  const a = document.createElement("a");
  const url = new URL(data.path.replace(/^\//, ""), BASE).href;
  a.href = url;
  a.textContent = data.title;
  h.append(a);
  li.append(h);
  if (data.section) {
    const p = document.createElement("p");
    p.className = "search-section";
    p.textContent = data.section;
    li.append(p);
  }
  const part = data.parts[data.part] || data.parts[0];
  const excerpt = document.createElement("p");
  excerpt.className = "search-excerpt";
  excerpt.append(...excerptNodes(part[2] || data.parts[0][2]));
  li.append(excerpt);
  if (data.part > 0 && part[0]) {
    const p = document.createElement("p");
    p.className = "search-heading";
    const link = document.createElement("a");
    link.href = `${url}#${encodeURIComponent(part[0])}`;
    link.textContent = part[1];
    p.append("Found under: ", link);
    li.append(p);
  }
  return li;
}

async function showMore(id, meta) {
  const next = found.slice(shown, shown + PAGE);
  const datas = await Promise.all(next.map((hit) => pageData(meta, hit)));
  if (id !== run) return;
  shown += datas.length;
  list.append(...datas.map(render));
  more.hidden = shown >= found.length;
}

let lastMeta = null;

async function search() {
  const id = ++run;
  const text = field.value.trim();
  const chosen = chosenFilters();
  remember(text, chosen);
  terms = [...new Set(words(text))];
  if (terms.length === 0) {
    list.replaceChildren();
    list.hidden = true;
    more.hidden = true;
    azIndex.hidden = false;
    statusLine.textContent = text ? "Type at least two letters." : "";
    return;
  }
  const { meta, results } = await query(chosen);
  if (id !== run) return;
  lastMeta = meta;
  found = results;
  shown = 0;
  list.replaceChildren();
  await showMore(id, meta);
  if (id !== run) return;
  list.hidden = found.length === 0;
  azIndex.hidden = found.length > 0;
  const n = found.length;
  statusLine.textContent =
    n === 0 ? `No results for “${text}”.` : `${n} result${n === 1 ? "" : "s"} for “${text}”.`;
}

async function addFilters(params) {
  const available = (await get("meta.json")).filters || {};
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
  const first = shown;
  showMore(run, lastMeta).then(() => list.children[first]?.querySelector("a")?.focus());
});
addFilters(params).then(search, (e) => {
  statusLine.textContent = "Search is not available right now.";
  console.error(e);
});
