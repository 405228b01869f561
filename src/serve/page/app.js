// Vigie's search page. Its whole state lives in its address (a copied link reproduces the
// view; Back and Forward work); it asks the JSON API and builds the page from text nodes only:
// nothing an indexed article holds is ever read as HTML.
"use strict";

(() => {
  const PAGE = 10;
  const LISTS = ["year", "lang", "location", "actor", "event"];
  /** Parameters of the page only, not of the API. */
  const PAGE_ONLY = ["doc", "ui", "timeline"];

  const TEXT = {
    fr: {
      search: "Rechercher", search_label: "Rechercher dans les articles", help: "Aide",
      placeholder: "embuscade Bandiagara, « attaque kamikaze », Gao OR Ménaka -Wagner",
      sort: "Tri", relevance: "pertinence", date: "date", export_csv: "Exporter CSV",
      export_jsonl: "Exporter JSON Lines", timeline: "Chronologie",
      timeline_hint: "Cliquez un mois ou glissez sur plusieurs pour filtrer la période.",
      places: "Lieux", actors: "Acteurs", years: "Années", languages: "Langues",
      all_places: "Tous les lieux", no_match: "Aucun résultat", match: "résultat", matches: "résultats",
      stories: "récits", shown: "affichés", previous: "Précédent", next: "Suivant",
      undated: "sans date", partial: "tous les mots sauf un", copies_one: "1 autre copie", copies_many: "autres copies",
      hide_copies: "Masquer les copies", back: "← Retour aux résultats", copies: "Autres copies de ce récit",
      none: "aucun", remove: "Retirer le filtre", from: "depuis", to: "jusqu'à", year: "année",
      lang: "langue", location: "lieu", actor: "acteur", all_copies: "toutes les copies",
      loading: "Recherche…", source: "source", named: "nommé par", untitled: "(sans titre)",
      other_ui: "English", note: "Note",
      saved: "Recherches enregistrées", save_as: "Enregistrer cette recherche sous", save: "Enregistrer",
      saved_none: "Aucune recherche enregistrée.", new_one: "1 nouveau récit", new_many: "nouveaux récits",
      nothing_new: "rien de nouveau", feed: "Atom", saved_done: "Recherche enregistrée :",
      events: "Événements", event: "événement", killed: "tués", killed_title: "Tués",
      matches_view: "résultats", killed_view: "tués", min_killed: "au moins", min_killed_apply: "tués au moins",
      date_of: "dates", published: "de publication", event_day: "de l'événement", on: "le",
      killed_stories: "dans {n} récits qui rapportent des morts (un récit compté une fois, au bilan le plus bas de ses copies)",
      counted: "compté", rejected: "écarté", event_date: "date de l'événement", no_death: "aucun mort rapporté",
      types: {
        ambush: "embuscade", attack: "attaque", attack_on_civilians: "attaque contre des civils",
        armed_clash: "affrontements", military_operation: "opération militaire", ied: "engin explosif",
        suicide_bomb: "attentat-suicide", air_strike: "frappe aérienne", shelling: "tirs d'obus",
        abduction: "enlèvement", coup: "coup d'État", protest: "manifestation",
      },
      help_text: [
        ["mots", "tous requis : embuscade Bandiagara"],
        ["« … » ou \"…\"", "une expression exacte : « attaque kamikaze »"],
        ["OR", "l'un ou l'autre : Bankass OR Bandiagara"],
        ["-mot", "exclut : attaque -Wagner"],
        ["champ:valeur", "title:, body:, year:, lang:, location:, actor:, event:, source:, id:"],
        ["accents", "facultatifs : Segou = Ségou ; les pluriels et féminins se retrouvent"],
      ],
    },
    en: {
      search: "Search", search_label: "Search the articles", help: "Help",
      placeholder: "embuscade Bandiagara, « attaque kamikaze », Gao OR Ménaka -Wagner",
      sort: "Sort", relevance: "relevance", date: "date", export_csv: "Export CSV",
      export_jsonl: "Export JSON Lines", timeline: "Timeline",
      timeline_hint: "Click a month, or drag across several, to filter that period.",
      places: "Places", actors: "Actors", years: "Years", languages: "Languages",
      all_places: "All places", no_match: "No match", match: "match", matches: "matches",
      stories: "stories", shown: "shown", previous: "Previous", next: "Next",
      undated: "undated", partial: "all the words but one", copies_one: "1 other copy", copies_many: "other copies",
      hide_copies: "Hide the copies", back: "← Back to the results", copies: "Other copies of this story",
      none: "none", remove: "Remove the filter", from: "from", to: "to", year: "year",
      lang: "language", location: "place", actor: "actor", all_copies: "every copy",
      loading: "Searching…", source: "source", named: "named by", untitled: "(untitled)",
      other_ui: "Français", note: "Note",
      saved: "Saved searches", save_as: "Save this search as", save: "Save",
      saved_none: "No saved search.", new_one: "1 new story", new_many: "new stories",
      nothing_new: "nothing new", feed: "Atom", saved_done: "Search saved:",
      events: "Events", event: "event", killed: "killed", killed_title: "Killed",
      matches_view: "matches", killed_view: "killed", min_killed: "at least", min_killed_apply: "killed at least",
      date_of: "dates", published: "of publication", event_day: "of the event", on: "on",
      killed_stories: "in {n} stories reporting deaths (a story counted once, at its copies' lowest toll)",
      counted: "counted", rejected: "rejected", event_date: "event date", no_death: "no death reported",
      types: {
        ambush: "ambush", attack: "attack", attack_on_civilians: "attack on civilians",
        armed_clash: "armed clash", military_operation: "military operation", ied: "IED",
        suicide_bomb: "suicide bomb", air_strike: "air strike", shelling: "shelling",
        abduction: "abduction", coup: "coup", protest: "protest",
      },
      help_text: [
        ["words", "all required: embuscade Bandiagara"],
        ["« … » or \"…\"", "an exact phrase: « attaque kamikaze »"],
        ["OR", "either: Bankass OR Bandiagara"],
        ["-word", "excludes: attaque -Wagner"],
        ["field:value", "title:, body:, year:, lang:, location:, actor:, event:, source:, id:"],
        ["accents", "optional: Segou = Ségou; plurals and feminine forms are found too"],
      ],
    },
  };

  const $ = (selector) => document.querySelector(selector);

  /** Replaces the children of `node`, leaving out the absent ones (null would show as text). */
  const fill = (node, ...children) => node.replaceChildren(...children.flat(Infinity).filter((c) => c !== null && c !== undefined && c !== false));

  /** An element with attributes (`on…` are listeners) and children (strings become text). */
  function el(tag, attributes, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) {
      if (value === undefined || value === null || value === false) continue;
      if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
      else if (name === "class") node.className = value;
      else node.setAttribute(name, value === true ? "" : String(value));
    }
    for (const child of children.flat(Infinity)) {
      if (child === undefined || child === null || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  const svg = (tag, attributes) => {
    const node = document.createElementNS("http://www.w3.org/2000/svg", tag);
    for (const [name, value] of Object.entries(attributes || {})) node.setAttribute(name, String(value));
    return node;
  };

  const params = () => new URLSearchParams(location.search);
  const ui = () => (params().get("ui") === "en" ? "en" : "fr");
  const t = (key) => TEXT[ui()][key] ?? key;
  const number = (n) => n.toLocaleString(ui() === "en" ? "en-GB" : "fr-FR");
  const typeLabel = (name) => t("types")[name] || name;

  /** The address of the page with `p`, and its view. */
  function go(p, replace, state) {
    const query = p.toString();
    history[replace ? "replaceState" : "pushState"](state || null, "", query ? `/?${query}` : "/");
    render();
  }

  /** A new search from the current one, changed by `change`, from its first page. */
  function refine(change) {
    const p = params();
    change(p);
    p.delete("offset");
    p.delete("doc");
    go(p);
  }

  /** The API's parameters for the page's state. */
  function apiParams(p, page) {
    const out = new URLSearchParams();
    for (const [name, value] of p) if (!PAGE_ONLY.includes(name)) out.append(name, value);
    if (page) out.set("limit", PAGE);
    else {
      out.delete("limit");
      out.delete("offset");
    }
    return out;
  }

  async function api(path, query) {
    const address = query && query.toString() ? `${path}?${query}` : path;
    const response = await fetch(address, { headers: { Accept: "application/json" } });
    const body = await response.json().catch(() => ({ error: response.statusText }));
    if (!response.ok) throw new Error(body.error || response.statusText);
    return body;
  }

  function showError(message) {
    const box = $("#error");
    box.replaceChildren(message || "");
    box.hidden = !message;
  }

  /** Fixed text in the interface's language. */
  function translate() {
    document.documentElement.lang = ui();
    for (const node of document.querySelectorAll("[data-text]")) node.textContent = t(node.dataset.text);
    $("#q").placeholder = t("placeholder");
    $("#ui-toggle").textContent = t("other_ui");
    $("#ui-toggle").lang = ui() === "en" ? "fr" : "en";
    $("#help").replaceChildren(
      el("dl", {}, t("help_text").map(([term, meaning]) => [el("dt", {}, term), el("dd", {}, meaning)])),
    );
  }

  /** The passage of a hit, its matches marked. Highlights are byte ranges of UTF-8 text. */
  function passage(snippet) {
    const bytes = new TextEncoder().encode(snippet.text);
    const text = (from, to) => new TextDecoder().decode(bytes.slice(from, to));
    const parts = ["…"];
    let at = 0;
    for (const [start, end] of snippet.highlights) {
      parts.push(text(at, start), el("mark", {}, text(start, end)));
      at = end;
    }
    parts.push(text(at), "…");
    return parts;
  }

  /** A link to a page of the web, only for http and https addresses. */
  function webLink(url, label) {
    try {
      const parsed = new URL(url);
      if (parsed.protocol === "http:" || parsed.protocol === "https:") {
        return el("a", { href: parsed.href, rel: "noopener noreferrer nofollow", target: "_blank" }, label);
      }
    } catch (_) { /* not an address */ }
    return el("span", {}, label);
  }

  function docAddress(id) {
    const p = params();
    p.set("doc", id);
    return `/?${p}`;
  }

  function openDoc(event, id) {
    if (event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey) return;
    event.preventDefault();
    const p = params();
    const fromResults = !p.get("doc");
    p.set("doc", id);
    go(p, false, { fromResults });
  }

  /** A button adding a filter (replacing an ancestor place: drilling down). */
  function filterButton(name, value, label, count, extraClass) {
    return el("button", {
      type: "button", class: `filter ${extraClass || ""}`, "data-filter": name, "data-value": value,
      onclick: () => addFilter(name, value),
    }, label, count === undefined ? null : el("span", { class: "count" }, number(count)));
  }

  function addFilter(name, value) {
    refine((p) => {
      if (name === "location") {
        const kept = p.getAll("location").filter((v) => !value.startsWith(`${v}/`) && v !== value);
        p.delete("location");
        kept.forEach((v) => p.append("location", v));
        p.append("location", value);
        p.set("facet_location", value);
      } else if (!p.getAll(name).includes(value)) {
        p.append(name, value);
      }
    });
  }

  function chips(p) {
    const list = [];
    for (const name of LISTS) {
      for (const value of p.getAll(name)) list.push([name, value]);
    }
    for (const name of ["from", "to", "min_killed"]) if (p.get(name)) list.push([name, p.get(name)]);
    if (p.get("all_copies")) list.push(["all_copies", ""]);
    fill($("#chips"), list.map(([name, value]) => el("button", {
      type: "button", class: "chip", title: t("remove"),
      onclick: () => refine((q) => {
        const rest = q.getAll(name).filter((v) => v !== value);
        q.delete(name);
        rest.forEach((v) => q.append(name, v));
        if (name === "location" && q.get("facet_location") === value) q.delete("facet_location");
      }),
    }, `${t(name)} : ${name === "event" ? typeLabel(value) : value}`, el("span", { "aria-hidden": "true" }, " ×"))));
  }

  function copiesButton(hit) {
    if (!hit.copies) return null;
    const list = el("ul", { class: "copies", hidden: true });
    const label = hit.copies === 1 ? t("copies_one") : `${number(hit.copies)} ${t("copies_many")}`;
    const button = el("button", {
      type: "button", class: "link", "aria-expanded": "false",
      onclick: async () => {
        const open = button.getAttribute("aria-expanded") === "true";
        button.setAttribute("aria-expanded", String(!open));
        button.textContent = open ? label : t("hide_copies");
        list.hidden = open;
        if (!open && !list.childElementCount) {
          const doc = await api(`/api/doc/${encodeURIComponent(hit.id)}`).catch((e) => showError(e.message));
          for (const copy of (doc && doc.copies) || []) {
            list.append(el("li", {}, el("a", { href: docAddress(copy.id), onclick: (e) => openDoc(e, copy.id) },
              copy.title || t("untitled")), " · ", copy.date || t("undated"), " · ", copy.source));
          }
        }
      },
    }, label);
    return [button, list];
  }

  function hitItem(hit) {
    const meta = [hit.date || t("undated"), hit.lang, hit.url ? webLink(hit.url, hit.source) : hit.source,
      hit.partial ? t("partial") : null]
      .filter(Boolean);
    return el("li", { class: hit.partial ? "hit partial" : "hit" },
      el("h3", {}, el("a", { href: docAddress(hit.id), onclick: (e) => openDoc(e, hit.id) }, hit.title || t("untitled"))),
      el("p", { class: "meta" }, meta.map((part, i) => [i ? " · " : null, part])),
      coding(hit),
      el("p", { class: "snippet" }, passage(hit.snippet)),
      el("p", { class: "tags" },
        hit.actors.map((a) => filterButton("actor", a, a, undefined, "actor")),
        hit.locations.map((l) => filterButton("location", l, l.split("/").pop() || l, undefined, "place"))),
      el("div", {}, copiesButton(hit)));
  }

  /** What a hit reports: its event types (each a filter), the killed, the event's day. */
  function coding(hit) {
    if (!hit.events.length && hit.killed === null) return null;
    return el("p", { class: "tags coded" },
      hit.events.map((e) => filterButton("event", e, typeLabel(e), undefined, "event")),
      hit.killed !== null ? el("span", { class: "killed" }, `${number(hit.killed)} ${t("killed")}`) : null,
      hit.event_date ? el("span", { class: "meta" }, `${t("on")} ${hit.event_date}`) : null);
  }

  function status(results, p) {
    const offset = Number(p.get("offset") || 0);
    if (!results.total) return t("no_match");
    const parts = [`${number(results.total)} ${results.total === 1 ? t("match") : t("matches")}`];
    if (results.stories < results.total) parts.push(`(${number(results.stories)} ${t("stories")})`);
    if (results.hits.length) parts.push(`— ${offset + 1}–${offset + results.hits.length} ${t("shown")}`);
    return parts.join(" ");
  }

  function pager(results, p) {
    const offset = Number(p.get("offset") || 0);
    const page = (to) => () => {
      const q = params();
      if (to > 0) q.set("offset", to); else q.delete("offset");
      go(q);
      window.scrollTo(0, 0);
    };
    fill($("#pager"),
      offset > 0 ? el("button", { type: "button", onclick: page(Math.max(0, offset - PAGE)) }, t("previous")) : null,
      offset + PAGE < results.stories ? el("button", { type: "button", onclick: page(offset + PAGE) }, t("next")) : null,
    );
  }

  function countList(target, name, counts, label) {
    $(target).replaceChildren(...Object.entries(counts).map(([value, n]) =>
      el("li", {}, filterButton(name, value, label ? label(value) : value, n))));
    if (!Object.keys(counts).length) $(target).replaceChildren(el("li", { class: "empty" }, t("none")));
  }

  function places(results, p) {
    const parent = results.facets.location_parent || "/";
    const crumbs = [el("button", { type: "button", class: "link", onclick: () => refine((q) => q.delete("facet_location")) }, t("all_places"))];
    let path = "";
    for (const part of parent.split("/").filter(Boolean)) {
      path += `/${part}`;
      const to = path;
      crumbs.push(" › ", el("button", { type: "button", class: "link", onclick: () => refine((q) => q.set("facet_location", to)) }, part));
    }
    $("#place-path").replaceChildren(...crumbs);
    countList("#places", "location", results.facets.location, (value) => value.split("/").pop());
  }

  /** The switch of the timeline between matches and killed per month. */
  function timelineSwitch(p) {
    const killed = p.get("timeline") === "killed";
    const option = (value, label, on) => el("button", {
      type: "button", class: on ? "on" : null, "aria-pressed": String(on), "data-view": value,
      onclick: () => {
        const q = params();
        if (value === "killed") q.set("timeline", "killed"); else q.delete("timeline");
        go(q, true);
      },
    }, label);
    const dated = p.get("date_of") === "event";
    const dates = el("select", {
      id: "date-of", "aria-label": t("date_of"),
      onchange: (event) => refine((q) => {
        if (event.target.value === "event") q.set("date_of", "event"); else q.delete("date_of");
      }),
    }, el("option", { value: "published", selected: !dated }, `${t("date_of")} ${t("published")}`),
    el("option", { value: "event", selected: dated }, `${t("date_of")} ${t("event_day")}`));
    fill($("#timeline-switch"), option("matches", t("matches_view"), !killed), option("killed", t("killed_view"), killed), dates);
    return killed;
  }

  /** The matches (or killed) per month as bars; a click filters a month, a drag a period. */
  function timeline(months) {
    const box = $("#timeline");
    const keys = Object.keys(months);
    if (!keys.length) {
      box.replaceChildren(el("p", { class: "empty" }, t("none")));
      return;
    }
    const width = 300;
    const height = 90;
    const step = width / keys.length;
    const max = Math.max(1, ...Object.values(months));
    const chart = svg("svg", { viewBox: `0 0 ${width} ${height}`, class: "timeline", role: "img", tabindex: "0" });
    chart.setAttribute("aria-label", `${t("timeline")} ${keys[0]} – ${keys[keys.length - 1]}`);
    const bars = keys.map((month, i) => {
      const h = Math.max(months[month] ? 2 : 0, (months[month] / max) * (height - 4));
      const bar = svg("rect", { x: i * step + step * 0.1, y: height - h, width: Math.max(step * 0.8, 0.5), height: h, class: "month" });
      bar.dataset.month = month;
      const tip = svg("title", {});
      tip.textContent = `${month} : ${number(months[month])}`;
      bar.append(tip);
      chart.append(bar);
      return bar;
    });
    let from = null;
    let to = null;
    let cursor = keys.length - 1;
    const at = (event) => {
      const box = chart.getBoundingClientRect();
      return Math.min(keys.length - 1, Math.max(0, Math.floor(((event.clientX - box.left) / box.width) * keys.length)));
    };
    const mark = () => bars.forEach((bar, i) => bar.classList.toggle("selected",
      from !== null && i >= Math.min(from, to) && i <= Math.max(from, to)));
    const choose = (a, b) => refine((q) => {
      q.set("from", keys[Math.min(a, b)]);
      q.set("to", keys[Math.max(a, b)]);
    });
    chart.addEventListener("pointerdown", (event) => {
      from = to = at(event);
      chart.setPointerCapture(event.pointerId);
      mark();
    });
    chart.addEventListener("pointermove", (event) => {
      if (from === null) return;
      to = at(event);
      mark();
    });
    chart.addEventListener("pointerup", () => {
      if (from === null) return;
      const [a, b] = [from, to];
      from = to = null;
      choose(a, b);
    });
    chart.addEventListener("keydown", (event) => {
      if (event.key === "ArrowLeft" || event.key === "ArrowRight") {
        cursor = Math.min(keys.length - 1, Math.max(0, cursor + (event.key === "ArrowLeft" ? -1 : 1)));
        from = to = cursor;
        mark();
        from = null;
        event.preventDefault();
      } else if (event.key === "Enter") {
        choose(cursor, cursor);
      }
    });
    box.replaceChildren(chart, el("p", { class: "axis" },
      el("span", {}, keys[0]), el("span", {}, `max ${number(max)}`), el("span", {}, keys[keys.length - 1])));
  }

  function showResults(results, p) {
    $("#status").textContent = status(results, p);
    $("#hits").replaceChildren(...results.hits.map(hitItem));
    for (const note of results.notes || []) $("#hits").prepend(el("li", { class: "note" }, `${t("note")} : ${note}`));
    pager(results, p);
    const killedView = timelineSwitch(p);
    timeline((killedView ? results.facets.killed.month : results.facets.month) || {});
    killedSummary(results.facets.killed, p);
    countList("#events", "event", results.facets.event || {}, typeLabel);
    places(results, p);
    countList("#actors", "actor", results.facets.actor);
    const years = Object.fromEntries(Object.entries(results.facets.year).reverse());
    countList("#years", "year", years);
    countList("#langs", "lang", results.facets.lang || {});
  }

  /** The killed of the result set: its total, per event type, and the minimum filter. */
  function killedSummary(killed, p) {
    const min = el("input", {
      id: "min-killed", type: "number", min: "0", step: "1", inputmode: "numeric",
      value: p.get("min_killed") || "", "aria-label": t("min_killed_apply"),
    });
    const form = el("form", {
      class: "min-killed",
      onsubmit: (event) => {
        event.preventDefault();
        const value = min.value.trim();
        refine((q) => { if (value) q.set("min_killed", value); else q.delete("min_killed"); });
      },
    }, el("label", { for: "min-killed" }, t("min_killed_apply")), min, el("button", { type: "submit" }, "OK"));
    const byType = Object.entries(killed.event || {}).map(([name, n]) =>
      el("li", {}, filterButton("event", name, typeLabel(name), n)));
    fill($("#killed"),
      el("p", {}, el("strong", { id: "killed-total" }, number(killed.total)), ` ${t("killed")} `,
        el("span", { class: "meta" }, t("killed_stories").replace("{n}", number(killed.stories)))),
      byType.length ? el("ul", { class: "counts" }, byType) : null,
      form);
  }

  const isWordChar = (c) => c !== undefined && /[\p{L}\p{N}]/u.test(c);

  /** Where `word` stands whole in `text` from `from` on (not inside a longer word), or -1. */
  function wholeWord(text, word, from) {
    for (let at = text.indexOf(word, from); at >= 0; at = text.indexOf(word, at + 1)) {
      if (!isWordChar(text[at - 1]) && !isWordChar(text[at + word.length])) return at;
    }
    return -1;
  }

  /** A paragraph with the words that named places and actors marked. */
  function marked(paragraph, names) {
    const out = [];
    let at = 0;
    while (at < paragraph.length) {
      let best = null;
      for (const name of names) {
        const found = wholeWord(paragraph, name.word, at);
        if (found >= 0 && (!best || found < best.at || (found === best.at && name.word.length > best.name.word.length))) {
          best = { at: found, name };
        }
      }
      if (!best) break;
      out.push(paragraph.slice(at, best.at));
      out.push(el("mark", { class: best.name.kind, title: best.name.value }, best.name.word));
      at = best.at + best.name.word.length;
    }
    out.push(paragraph.slice(at));
    return out;
  }

  async function showDoc(id) {
    const view = $("#doc");
    view.replaceChildren(el("p", {}, t("loading")));
    let doc;
    try {
      doc = await api(`/api/doc/${encodeURIComponent(id)}`);
    } catch (e) {
      view.replaceChildren(backButton());
      showError(e.message);
      return;
    }
    const names = [];
    for (const [kind, found] of [["place", doc.locations], ["actor", doc.actors]]) {
      for (const entity of found) for (const word of entity.words) if (word) names.push({ kind, value: entity.value, word });
    }
    const entities = (kind, found, name) => el("p", { class: "tags" }, el("strong", {}, `${t(name)} : `),
      found.length ? found.map((f) => filterButton(kind, f.value, f.value, undefined, kind === "location" ? "place" : "actor")) : t("none"));
    fill(view,
      backButton(),
      el("h1", {}, doc.title || t("untitled")),
      el("p", { class: "meta" }, doc.date || t("undated"), doc.lang ? ` · ${doc.lang}` : null, " · ",
        doc.url ? webLink(doc.url, doc.source) : doc.source),
      entities("location", doc.locations, "places"),
      entities("actor", doc.actors, "actors"),
      docCoding(doc),
      el("div", { class: "body" }, doc.body.split(/\n\n+/).map((p) => el("p", {}, marked(p, names)))),
      doc.copies.length ? el("section", { class: "copies" }, el("h2", {}, t("copies")), el("ul", {},
        doc.copies.map((c) => el("li", {}, el("a", { href: docAddress(c.id), onclick: (e) => openDoc(e, c.id) },
          c.title || t("untitled")), " · ", c.date || t("undated"), " · ", c.source)))) : null,
    );
    document.title = `${doc.title} — Vigie`;
    view.querySelector("h1").focus?.();
  }

  /** What event coding read in a document: types with their words, the fatality phrases
   *  counted and rejected (with why), the event's day with its words. */
  function docCoding(doc) {
    const types = el("p", { class: "tags" }, el("strong", {}, `${t("events")} : `),
      doc.events.length ? doc.events.map((e) => [filterButton("event", e.type, typeLabel(e.type), undefined, "event"),
        el("span", { class: "meta" }, `← ${e.words.join(", ")}`)]) : t("none"));
    const phrases = el("ul", { class: "fatalities" }, doc.fatalities.map((f) => el("li", { class: f.rejected ? "rejected" : "counted" },
      f.rejected ? `${t("rejected")} (${f.rejected}) ` : `${t("counted")} ${number(f.figure)} · `, el("q", {}, f.words))));
    return el("section", { class: "coding" }, types,
      el("p", {}, el("strong", {}, `${t("killed_title")} : `), doc.killed !== null ? number(doc.killed) : t("no_death")),
      doc.fatalities.length ? phrases : null,
      el("p", {}, el("strong", {}, `${t("event_date")} : `), doc.event_date || t("none"),
        doc.event_date_words ? el("span", { class: "meta" }, ` ← « ${doc.event_date_words} »`) : null));
  }

  function backButton() {
    return el("button", {
      type: "button", class: "link back",
      onclick: () => {
        if (history.state && history.state.fromResults) history.back();
        else {
          const p = params();
          p.delete("doc");
          go(p);
        }
      },
    }, t("back"));
  }

  let generation = 0;

  async function render() {
    const p = params();
    const current = ++generation;
    translate();
    $("#q").value = p.get("q") || "";
    $("#sort").value = p.get("sort") || (p.get("q") ? "relevance" : "date");
    const exported = apiParams(p, false);
    for (const format of ["csv", "jsonl"]) {
      const q = new URLSearchParams(exported);
      q.set("format", format);
      $(`#export-${format}`).href = `/api/export?${q}`;
    }
    chips(p);
    showError("");
    const doc = p.get("doc");
    $("#doc").hidden = !doc;
    $("#results").hidden = Boolean(doc);
    $("#facets").hidden = Boolean(doc);
    if (doc) {
      await showDoc(doc);
      return;
    }
    document.title = p.get("q") ? `${p.get("q")} — Vigie` : "Vigie";
    $("#status").textContent = t("loading");
    document.body.setAttribute("aria-busy", "true");
    try {
      const results = await api("/api/search", apiParams(p, true));
      if (current === generation) showResults(results, p);
    } catch (e) {
      if (current === generation) {
        showError(e.message);
        $("#status").textContent = "";
      }
    } finally {
      if (current === generation) document.body.removeAttribute("aria-busy");
    }
  }

  /** The saved searches, each a link that runs it, its count of new stories and its feed. */
  async function showWatch() {
    let body;
    try {
      body = await api("/api/watch");
    } catch (e) {
      $("#watch-status").textContent = e.message;
      return;
    }
    const items = body.searches.map((s) => {
      const p = new URLSearchParams(s.params);
      if (ui() === "en") p.set("ui", "en");
      const fresh = s.new === 0 ? t("nothing_new") : s.new === 1 ? t("new_one") : `${s.new} ${t("new_many")}`;
      return el("li", { "data-name": s.name },
        el("a", { href: `/?${p}`, title: s.command, onclick: (event) => { event.preventDefault(); go(p); } }, s.name),
        el("span", { class: "count" }, fresh),
        " ",
        el("a", { href: s.feed, class: "feed" }, t("feed")));
    });
    fill($("#watch-list"), items.length ? items : el("li", {}, t("saved_none")));
  }

  async function saveSearch(event) {
    event.preventDefault();
    const name = $("#watch-name").value.trim();
    const query = apiParams(params(), false);
    query.set("name", name);
    const response = await fetch(`/api/watch?${query}`, {
      method: "POST",
      headers: { Accept: "application/json", "X-Vigie-Save": "1" },
    });
    const body = await response.json().catch(() => ({ error: response.statusText }));
    $("#watch-status").textContent = response.ok ? `${t("saved_done")} ${body.name}` : (body.error || response.statusText);
    if (response.ok) {
      $("#watch-name").value = "";
      await showWatch();
    }
  }

  function start() {
    $("#watch-save").addEventListener("submit", saveSearch);
    showWatch();
    $("#search").addEventListener("submit", (event) => {
      event.preventDefault();
      refine((p) => {
        const q = $("#q").value.trim();
        if (q) p.set("q", q); else p.delete("q");
        p.delete("sort");
      });
    });
    $("#sort").addEventListener("change", () => refine((p) => p.set("sort", $("#sort").value)));
    $("#help-toggle").addEventListener("click", () => {
      const help = $("#help");
      help.hidden = !help.hidden;
      $("#help-toggle").setAttribute("aria-expanded", String(!help.hidden));
    });
    $("#ui-toggle").addEventListener("click", () => {
      const p = params();
      if (ui() === "en") p.delete("ui"); else p.set("ui", "en");
      go(p, true);
    });
    $("#home").addEventListener("click", (event) => {
      event.preventDefault();
      const p = new URLSearchParams();
      if (ui() === "en") p.set("ui", "en");
      go(p);
    });
    window.addEventListener("popstate", render);
    render();
  }

  start();
})();
