// The operator page: plain DOM, no framework, no build. Everything shown comes from /api/ops/* with the operator's
// token (kept in sessionStorage only). Text from the server is always set with textContent, never as HTML.
"use strict";

const TOKEN_KEY = "mspvault.ops.token";
const DEVICE_KEY = "mspvault.ops.device";
const REFRESH_MS = 5000;
const $ = (id) => document.getElementById(id);
let refreshTimer = null;
let topicsLoaded = false;

// --- small DOM helpers ----------------------------------------------------------------------------------------------

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name === "class") node.className = value;
    else if (name === "style") Object.assign(node.style, value); // CSSOM: allowed by the page's CSP, attributes are not
    else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function fill(tableId, rows, columns, emptyText) {
  const body = $(tableId).tBodies[0];
  body.replaceChildren(...(rows.length ? rows : [el("tr", { class: "empty" }, el("td", { colspan: columns }, emptyText))]));
}

function ago(iso) {
  if (!iso) return "";
  const seconds = (Date.now() - new Date(iso).getTime()) / 1000;
  return duration(seconds) + " ago";
}

function duration(seconds) {
  if (seconds === null || seconds === undefined) return "";
  if (seconds < 1) return Math.round(seconds * 1000) + " ms";
  if (seconds < 120) return seconds.toFixed(1) + " s";
  if (seconds < 7200) return Math.round(seconds / 60) + " min";
  return Math.round(seconds / 3600) + " h";
}

function short(id) { return id ? String(id).slice(0, 8) : ""; }

// --- session --------------------------------------------------------------------------------------------------------

function token() { return sessionStorage.getItem(TOKEN_KEY); }

function claims(jwt) {
  try {
    const part = jwt.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
    return JSON.parse(atob(part + "===".slice((part.length + 3) % 4)));
  } catch (_) { return {}; }
}

function signOut(message) {
  sessionStorage.removeItem(TOKEN_KEY);
  clearInterval(refreshTimer);
  refreshTimer = null;
  topicsLoaded = false;
  $("console").hidden = true;
  $("signin").hidden = false;
  $("sign-out").hidden = true;
  $("who").textContent = "";
  $("signin-error").textContent = message || "";
}

class NotAllowed extends Error {}

async function api(method, path, body) {
  const headers = { Authorization: "Bearer " + token(), Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  if (response.status === 401 || (response.status === 404 && path.startsWith("/api/ops/") && !path.startsWith("/api/ops/trace"))) {
    throw new NotAllowed("This account is not a platform operator, or the session has ended. Sign in again.");
  }
  const data = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error((data && data.message) || ("HTTP " + response.status));
  return data;
}

function guarded(action) {
  return async (...args) => {
    try {
      return await action(...args);
    } catch (error) {
      if (error instanceof NotAllowed) signOut(error.message);
      else console.warn(error);
    }
  };
}

async function start(accessToken) {
  sessionStorage.setItem(TOKEN_KEY, accessToken);
  try {
    await api("GET", "/api/ops/outbox"); // proves the token is an operator's before showing anything
  } catch (error) {
    signOut(error.message);
    return;
  }
  const who = claims(accessToken);
  $("who").textContent = who.email || "";
  $("signin").hidden = true;
  $("console").hidden = false;
  $("sign-out").hidden = false;
  $("signin-error").textContent = "";
  await refresh();
  refreshTimer = setInterval(refresh, REFRESH_MS);
  const fromHash = new URLSearchParams(location.hash.slice(1)).get("trace");
  if (fromHash) { $("trace-id").value = fromHash; await showTrace(fromHash); }
}

// --- sign in: the Bitwarden password grant, with the master password stretched in the browser -----------------------

function b64(bytes) { return btoa(String.fromCharCode(...new Uint8Array(bytes))); }

async function pbkdf2(secret, salt, iterations) {
  const key = await crypto.subtle.importKey("raw", secret, "PBKDF2", false, ["deriveBits"]);
  return crypto.subtle.deriveBits({ name: "PBKDF2", hash: "SHA-256", salt, iterations }, key, 256);
}

async function passwordLogin(email, password) {
  if (!window.crypto || !crypto.subtle) throw new Error("This browser cannot stretch the password here (no WebCrypto): use an access token.");
  email = email.trim().toLowerCase();
  const pre = await fetch("/identity/accounts/prelogin/password", {
    method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ email }),
  }).then((r) => r.json());
  const kdf = pre.kdfSettings || { kdfType: pre.kdf, iterations: pre.kdfIterations };
  if (kdf.kdfType !== 0) throw new Error("This account uses Argon2id, which this page cannot compute: use an access token.");
  const utf8 = new TextEncoder();
  const masterKey = await pbkdf2(utf8.encode(password), utf8.encode(email), kdf.iterations);
  const hash = b64(await pbkdf2(masterKey, utf8.encode(password), 1));
  let device = localStorage.getItem(DEVICE_KEY);
  if (!device) { device = crypto.randomUUID(); localStorage.setItem(DEVICE_KEY, device); }
  const form = new URLSearchParams({
    scope: "api offline_access", client_id: "web", deviceType: "9", deviceIdentifier: device,
    deviceName: "mspvault-ops", grant_type: "password", username: email, password: hash,
  });
  const response = await fetch("/identity/connect/token", { method: "POST", body: form });
  const body = await response.json().catch(() => ({}));
  if (!response.ok || !body.access_token) {
    throw new Error((body.ErrorModel && body.ErrorModel.Message) || body.error_description || "Sign-in failed");
  }
  return body.access_token; // the rest of the answer (wrapped keys) is dropped on purpose
}

// --- panels ---------------------------------------------------------------------------------------------------------

async function refresh() {
  await Promise.all([guarded(loadLag)(), guarded(loadOutbox)(), guarded(loadDlq)(), guarded(loadTopics)()]);
}

async function loadLag() {
  const [groups, consumers] = await Promise.all([api("GET", "/api/ops/consumer-groups"), api("GET", "/api/ops/consumers")]);
  const byService = Object.fromEntries(consumers.consumers.map((c) => [c.group || c.service, c]));
  const rows = [];
  for (const group of groups.groups) {
    const topics = {};
    for (const p of group.partitions) {
      const t = (topics[p.topic] = topics[p.topic] || { lag: 0, waited: 0, parts: [] });
      t.lag += p.lag; t.waited = Math.max(t.waited, p.lagSeconds || 0); t.parts.push(p);
    }
    const consumer = byService[group.group];
    Object.entries(topics).forEach(([topic, t], index) => {
      const control = index === 0 && consumer && !consumer.error ? consumerControl(consumer) : "";
      rows.push(el("tr", { class: t.lag ? "lagging" : "", "data-group": group.group, "data-topic": topic },
        el("td", {}, index === 0 ? group.group : ""),
        el("td", { class: "mono", title: t.parts.map((p) => `p${p.partition}: ${p.committed ?? "–"}/${p.end}`).join("  ") }, topic),
        el("td", { class: "num lag" }, t.lag),
        el("td", { class: "num" }, t.lag ? duration(t.waited) : ""),
        el("td", {}, control)));
    });
  }
  fill("lag", rows, 5, "No consumer group has committed yet.");
  $("lag-stamp").textContent = "updated " + new Date().toLocaleTimeString();
}

function consumerControl(consumer) {
  const paused = consumer.paused;
  const action = paused ? "resume" : "pause";
  return el("span", {},
    el("span", { class: "pill " + (paused ? "warn" : "ok") }, paused ? "paused" : "running"), " ",
    el("button", { class: "small", type: "button", "data-action": action, "data-service": consumer.service,
      onclick: guarded(async () => { await api("POST", `/api/ops/consumers/${consumer.service}/${action}`); await loadLag(); }) },
      paused ? "Resume" : "Pause"));
}

async function loadOutbox() {
  const data = await api("GET", "/api/ops/outbox");
  fill("outbox", data.services.map((s) => el("tr", { "data-service": s.service },
    el("td", {}, s.service),
    s.error ? el("td", { colspan: 4, class: "error-text" }, s.error) : [
      el("td", { class: "num" }, s.unsent),
      el("td", { class: "num" }, s.unsent ? duration(s.oldestUnsentAgeSeconds) : "–"),
      el("td", {}, el("span", { class: "pill " + (s.relayActive ? "ok" : "bad") }, s.relayActive ? "active" : "down")),
      // Mail the sender gave up on (services that send none answer null).
      el("td", { class: "num" + (s.mailSetAside ? " error-text" : "") }, s.mailSetAside ?? "–"),
    ])), 5, "No service answered.");
}

async function loadDlq() {
  const data = await api("GET", "/api/ops/dlq");
  const pending = data.deadLetters.filter((d) => !d.replayed).length;
  $("replay-all").disabled = pending === 0;
  $("replay-all").textContent = pending ? `Replay all (${pending})` : "Replay all";
  fill("dlq", data.deadLetters.map((d) => el("tr", { "data-event-id": d.eventId || "", "data-offset": d.offset },
    el("td", { title: d.deadLetteredAt }, ago(d.deadLetteredAt)),
    el("td", {}, d.consumer || "?", d.attempts ? el("div", { class: "stamp" }, `${d.attempts} attempts`) : ""),
    el("td", {}, d.eventType || "(unparseable)", el("div", { class: "mono stamp" }, short(d.eventId))),
    el("td", { class: "error-text", title: d.error }, el("b", {}, d.errorType), " ",
      d.error.length > 240 ? d.error.slice(0, 240) + "…" : d.error),
    el("td", { class: "mono stamp" }, `${d.originalTopic} p${d.originalPartition ?? "?"}@${d.originalOffset ?? "?"}`,
      el("div", {}, `→ ${d.dlqTopic} p${d.partition}@${d.offset}`)),
    el("td", {}, d.replayed
      ? el("span", { class: "pill ok", title: `to ${d.replayed.topic} p${d.replayed.partition}@${d.replayed.offset}` }, "replayed " + ago(d.replayed.at))
      : el("button", { class: "small replay", type: "button",
          onclick: guarded(async (event) => {
            event.target.disabled = true;
            await api("POST", "/api/ops/dlq/replay", { topic: d.dlqTopic, partition: d.partition, offset: d.offset });
            await loadDlq();
          }) }, "Replay")))), 6, "No dead letters. Every event was applied.");
}

async function loadTopics() {
  const data = await api("GET", "/api/ops/topics");
  $("broker").textContent = data.broker === "tansu" ? "embedded broker (Tansu)" : "Apache Kafka";
  fill("topics", data.topics.map((t) => el("tr", {},
    el("td", { class: "mono" }, t.name, t.dlq ? el("span", { class: "pill bad" }, " DLQ") : ""),
    el("td", { class: "num" }, t.partitions.length),
    el("td", { class: "num" }, t.messages),
    el("td", { class: "mono stamp" }, t.partitions.map((p) => p.end).join(" · ")))), 4, "No topics.");
  if (!topicsLoaded) {
    topicsLoaded = true;
    const select = $("events-topic");
    select.replaceChildren(...data.topics.map((t) => el("option", { value: t.name }, t.name)));
    await loadEvents();
  }
}

async function loadEvents() {
  const topic = $("events-topic").value;
  if (!topic) return;
  const data = await api("GET", `/api/ops/events?topic=${encodeURIComponent(topic)}&limit=50`);
  fill("events", data.events.map((e) => {
    const env = e.value.envelope;
    return el("tr", {},
      el("td", { title: e.timestamp }, ago(e.timestamp)),
      el("td", {}, env ? env.type : "(not an event)", env ? el("div", { class: "stamp" }, "by " + env.producer) : ""),
      el("td", { class: "mono stamp" }, `p${e.partition}@${e.offset}`, e.replayedFrom ? el("div", {}, "replay") : ""),
      el("td", { class: "kv mono" }, env ? keyValues(env.data) : `${e.value.bytes} bytes`));
  }), 4, "This topic is empty.");
}

function keyValues(data) {
  return Object.entries(data).map(([name, value]) => el("div", {}, el("b", {}, name), " ",
    typeof value === "object" && value !== null ? JSON.stringify(value) : String(value)));
}

// --- trace ----------------------------------------------------------------------------------------------------------

async function showTrace(correlationId) {
  const box = $("trace");
  box.replaceChildren(el("div", { class: "summary" }, "Tracing…"));
  let data;
  try {
    data = await api("GET", "/api/ops/trace/" + encodeURIComponent(correlationId));
  } catch (error) {
    if (error instanceof NotAllowed) { signOut(error.message); return; }
    box.replaceChildren(el("div", { class: "error" }, error.message));
    return;
  }
  location.hash = "trace=" + encodeURIComponent(correlationId);
  if (!data.steps.length) {
    box.replaceChildren(el("div", { class: "summary" }, "Nothing was published or applied under this correlation id (yet)."));
    return;
  }
  const total = Math.max(...data.steps.map((s) => s.atMs), 1);
  const events = data.steps.filter((s) => s.kind === "published").length;
  const applied = data.steps.filter((s) => s.kind === "applied").length;
  const dead = data.steps.filter((s) => s.kind === "dead-lettered").length;
  const missing = Object.entries(data.services).filter(([, v]) => v !== "ok").map(([k, v]) => `${k}: ${v}`);
  box.replaceChildren(
    el("div", { class: "summary" }, `${events} events, ${applied} applications` + (dead ? `, ${dead} dead-lettered` : "") +
      ` over ${total.toFixed(0)} ms from ${new Date(data.start).toLocaleString()}` + (missing.length ? ` — not heard from ${missing.join(", ")}` : "")),
    ...data.steps.map((s) => el("div", { class: "step " + s.kind, "data-kind": s.kind, "data-event-type": s.eventType, "data-service": s.service },
      el("div", { class: "what", style: { paddingLeft: `${s.depth * 14}px` } },
        el("span", { class: "kind" }, s.kind),
        el("span", {}, s.kind === "published" ? `${s.service} → ${s.eventType}` : `${s.service} ← ${s.eventType}`),
        el("span", { class: "mono stamp" }, short(s.eventId)),
        s.kind === "dead-lettered" ? el("span", { class: "error-text" }, `${s.errorType}: ${s.error}`) : ""),
      el("div", { class: "axis" }, el("span", { class: "dot", style: { left: `${(100 * s.atMs) / total}%` } })),
      el("div", { class: "ms" }, `+${s.atMs.toFixed(0)} ms`,
        s.sinceCreatedMs !== undefined ? el("div", { class: "stamp" }, `${s.sinceCreatedMs.toFixed(0)} ms after publish`) : ""))));
}

// --- wiring ---------------------------------------------------------------------------------------------------------

document.addEventListener("DOMContentLoaded", () => {
  $("login-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    $("signin-error").textContent = "";
    $("login-submit").disabled = true;
    try {
      const accessToken = await passwordLogin($("login-email").value, $("login-password").value);
      $("login-password").value = "";
      await start(accessToken);
    } catch (error) {
      $("signin-error").textContent = error.message;
    } finally {
      $("login-submit").disabled = false;
    }
  });
  $("token-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const value = $("token-input").value.trim();
    $("token-input").value = "";
    await start(value);
  });
  $("sign-out").addEventListener("click", () => signOut(""));
  $("trace-form").addEventListener("submit", (event) => {
    event.preventDefault();
    showTrace($("trace-id").value.trim());
  });
  $("replay-all").addEventListener("click", guarded(async () => {
    $("replay-all").disabled = true;
    await api("POST", "/api/ops/dlq/replay-all", {});
    await loadDlq();
  }));
  $("events-topic").addEventListener("change", guarded(loadEvents));
  if (token()) start(token());
});
