/**
 * The sandbox page: the Telegram channel as a follower sees it (bold, links, buttons) beside the X
 * timeline with its threads, refreshed every second, plus a form to queue a story as an editor and, when
 * the server has an editor chat, a chat with the editor bot (typed commands and pressable buttons).
 * Everything from the feed is inserted as text nodes, never as HTML.
 */
export const SANDBOX_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>regwire sandbox</title>
<style>
  :root { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; color: #111; background: #eef1f4; }
  body { margin: 0; }
  header { background: #17212b; color: #fff; padding: 10px 18px; display: flex; gap: 16px; align-items: baseline; }
  header h1 { font-size: 18px; margin: 0; }
  header small { opacity: .7; }
  main { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr) 320px; gap: 16px; padding: 16px; }
  section { background: #fff; border-radius: 10px; padding: 12px; min-height: 300px; }
  h2 { font-size: 15px; margin: 0 0 10px; color: #555; }
  .tg { background: #8fb98b22; }
  .msg { background: #fff; border-radius: 10px; padding: 8px 10px; margin: 8px 0; box-shadow: 0 1px 2px #0002; white-space: pre-wrap; overflow-wrap: anywhere; }
  .msg.deleted, .tweet.deleted { color: #999; background: #f2f2f2; font-style: italic; }
  .marker { display: inline-block; font-size: 11px; color: #fff; background: #999; border-radius: 4px; padding: 0 5px; margin-right: 4px; }
  .marker.edited { background: #8a8f98; }
  .marker.correction { background: #c77c02; }
  .msg img { max-width: 100%; border-radius: 8px; display: block; margin-bottom: 6px; }
  .msg .meta { font-size: 11px; color: #888; text-align: right; }
  .msg.pinned { border-left: 3px solid #2a6bb3; }
  .msg .quote { font-size: 12px; color: #2a6bb3; border-left: 2px solid #2a6bb3; padding-left: 6px; margin-bottom: 4px; }
  .kb { display: flex; gap: 4px; margin-top: 6px; }
  .kb a { flex: 1; text-align: center; background: #e8f0fb; border-radius: 6px; padding: 6px; color: #2a6bb3; text-decoration: none; font-size: 13px; }
  .thread { border-bottom: 1px solid #e6ecf0; padding: 8px 0; }
  .tweet { display: grid; grid-template-columns: 36px 1fr; gap: 8px; padding: 6px 0; white-space: pre-wrap; overflow-wrap: anywhere; }
  .avatar { width: 32px; height: 32px; border-radius: 50%; background: #1d9bf0; color: #fff; display: grid; place-items: center; font-weight: 700; }
  .tweet .meta { font-size: 12px; color: #536471; }
  .tweet.reply { border-left: 2px solid #cfd9de; margin-left: 15px; padding-left: 8px; }
  form label { display: block; font-size: 13px; margin-top: 8px; }
  form input, form textarea { width: 100%; box-sizing: border-box; font: inherit; padding: 6px; }
  form textarea { min-height: 140px; }
  button { margin-top: 10px; padding: 8px 14px; font: inherit; cursor: pointer; }
  #result { font-size: 13px; margin-top: 8px; white-space: pre-wrap; }
  .empty { color: #999; font-style: italic; }
  code, pre { font-family: ui-monospace, monospace; background: #f2f2f2; }
  /* editor chat (sandbox): a person acts as an editor talking to the bot */
  #editor-chat { grid-column: 1 / -1; }
  #chat-log { max-height: 480px; overflow-y: auto; background: #dfe8d6; border-radius: 8px; padding: 8px; }
  .chat-line { max-width: 75%; margin: 6px 0; padding: 8px 10px; border-radius: 10px; white-space: pre-wrap; overflow-wrap: anywhere; box-shadow: 0 1px 2px #0002; }
  .chat-line.bot { background: #fff; }
  .chat-line.editor { background: #effdde; margin-left: auto; }
  .chat-line .kb button { flex: 1; margin: 0; padding: 6px; font-size: 13px; background: #e8f0fb; border: 0; border-radius: 6px; color: #2a6bb3; }
  #chat-form { display: flex; gap: 8px; margin-top: 8px; }
  #chat-form textarea { flex: 1; min-height: 44px; font: inherit; padding: 6px; }
  #chat-form button { margin: 0; }
</style>
</head>
<body>
<header><h1>regwire</h1><small id="mode">sandbox</small></header>
<main>
  <section class="tg" aria-label="Telegram channel"><h2 id="tg-title">Telegram channel</h2><div id="channel"><p class="empty">No posts yet.</p></div></section>
  <section aria-label="X timeline"><h2 id="x-title">X timeline</h2><div id="timeline"><p class="empty">No tweets yet.</p></div></section>
  <section aria-label="Queue a story">
    <h2>Queue a story (as an editor)</h2>
    <form id="queue-form">
      <label>Title <input name="title" required maxlength="400"></label>
      <label>Body <textarea name="body"></textarea></label>
      <label>Source URL <input name="url" type="url" placeholder="https://…"></label>
      <button type="submit">Post now</button>
    </form>
    <div id="result" role="status"></div>
  </section>
  <section id="editor-chat" aria-label="Editor chat" hidden>
    <h2>Editor chat (you are an editor talking to the bot; try /help)</h2>
    <div id="chat-log" role="log" aria-live="polite"><p class="empty">Say /help to start.</p></div>
    <form id="chat-form"><textarea name="text" placeholder="/queue https://… or paste an article" aria-label="Message to the bot"></textarea><button type="submit">Send</button></form>
    <div id="chat-error" role="status"></div>
  </section>
</main>
<script>
"use strict";
const TAGS = { bold: "b", italic: "i", underline: "u", strikethrough: "s", code: "code", pre: "pre", spoiler: "span", blockquote: "blockquote" };
function renderEntities(text, entities) {
  const frag = document.createDocumentFragment();
  const cuts = new Set([0, text.length]);
  for (const e of entities || []) { cuts.add(e.offset); cuts.add(e.offset + e.length); }
  const points = [...cuts].filter((n) => n >= 0 && n <= text.length).sort((a, b) => a - b);
  for (let i = 0; i + 1 < points.length; i++) {
    const start = points[i], end = points[i + 1];
    let node = document.createTextNode(text.slice(start, end));
    for (const e of entities || []) {
      if (e.offset <= start && e.offset + e.length >= end) {
        let el;
        if (e.type === "text_link") { el = document.createElement("a"); el.href = e.url; el.target = "_blank"; el.rel = "noopener"; }
        else if (e.type === "url") { el = document.createElement("a"); el.href = text.slice(e.offset, e.offset + e.length); el.target = "_blank"; el.rel = "noopener"; }
        else if (TAGS[e.type]) { el = document.createElement(TAGS[e.type]); }
        else continue;
        el.appendChild(node); node = el;
      }
    }
    frag.appendChild(node);
  }
  return frag;
}
function time(sec) { return new Date(sec * 1000).toLocaleTimeString(); }
function marker(kind, label) { const span = document.createElement("span"); span.className = "marker " + kind; span.textContent = label; return span; }
function renderChannel(tg) {
  const box = document.getElementById("channel");
  document.getElementById("tg-title").textContent = "Telegram channel " + tg.channel;
  if (!tg.messages.length) return;
  box.replaceChildren(...tg.messages.map((m) => {
    const div = document.createElement("div");
    div.className = "msg" + (m.deleted ? " deleted" : "") + (m.pinned ? " pinned" : "");
    div.dataset.messageId = m.id;
    // A deleted post is gone for followers; only this page keeps a grey marker where it was.
    if (m.deleted) { div.append(marker("deleted", "deleted"), document.createTextNode(" at " + time(m.date) + " (the page only: followers see nothing)")); return div; }
    if (m.replyToId) { const q = document.createElement("div"); q.className = "quote"; const to = tg.messages.find((o) => o.id === m.replyToId); q.textContent = "↩ " + (to ? to.text.split("\\n")[0].slice(0, 80) : "message " + m.replyToId); div.appendChild(q); }
    if (m.photo) { const img = document.createElement("img"); img.src = m.photo; img.alt = ""; div.appendChild(img); }
    const body = document.createElement("div"); body.className = "text"; body.appendChild(renderEntities(m.text, m.entities)); div.appendChild(body);
    for (const row of m.buttons || []) {
      const kb = document.createElement("div"); kb.className = "kb";
      for (const b of row) { const a = document.createElement("a"); a.textContent = b.text; if (b.url) { a.href = b.url; a.target = "_blank"; a.rel = "noopener"; } kb.appendChild(a); }
      div.appendChild(kb);
    }
    const meta = document.createElement("div"); meta.className = "meta"; if (m.edited) meta.appendChild(marker("edited", "edited")); meta.appendChild(document.createTextNode((m.pinned ? "📌 pinned · " : "") + time(m.date))); div.appendChild(meta);
    return div;
  }).reverse());
}
function renderTimeline(x) {
  const box = document.getElementById("timeline");
  const bill = x.billing ? " · billed $" + x.billing.spentUsd.toFixed(3) + " · balance " + (x.billing.balanceUsd === null ? "unlimited" : "$" + x.billing.balanceUsd.toFixed(3)) : "";
  document.getElementById("x-title").textContent = "X timeline @" + x.account + bill;
  if (!x.tweets.length) return;
  const byId = new Map(x.tweets.map((t) => [t.id, t]));
  const threads = new Map();
  for (const t of x.tweets) {
    let root = t; while (root.inReplyToId && byId.has(root.inReplyToId)) root = byId.get(root.inReplyToId);
    if (!threads.has(root.id)) threads.set(root.id, []);
    threads.get(root.id).push(t);
  }
  box.replaceChildren(...[...threads.values()].reverse().map((tweets) => {
    const th = document.createElement("div"); th.className = "thread";
    for (const t of tweets) {
      const tw = document.createElement("div"); tw.className = "tweet" + (t.inReplyToId ? " reply" : "") + (t.correction ? " correction" : "") + (t.deleted ? " deleted" : ""); tw.dataset.tweetId = t.id;
      const av = document.createElement("div"); av.className = "avatar"; av.textContent = "R";
      const col = document.createElement("div");
      const meta = document.createElement("div"); meta.className = "meta"; meta.textContent = "@" + x.account + " · " + new Date(t.createdAt).toLocaleTimeString();
      const text = document.createElement("div"); text.className = "text";
      if (t.deleted) text.appendChild(marker("deleted", "deleted"));
      else { if (t.correction) text.appendChild(marker("correction", "correction reply")); text.appendChild(document.createTextNode(t.text)); }
      col.append(meta, text); tw.append(av, col); th.appendChild(tw);
    }
    return th;
  }));
}
async function refresh() {
  try {
    const res = await fetch("api/feed", { cache: "no-store" });
    if (res.ok) { const feed = await res.json(); renderChannel(feed.telegram); renderTimeline(feed.x); }
  } catch (e) { /* server restarting; try again next tick */ }
}
document.getElementById("queue-form").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  const data = Object.fromEntries(new FormData(ev.target).entries());
  if (!data.url) delete data.url;
  const res = await fetch("api/stories", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(data) });
  const out = await res.json().catch(() => ({ error: res.statusText }));
  document.getElementById("result").textContent = res.ok ? "Queued " + out.storyId : "Refused: " + out.error;
  if (res.ok) ev.target.reset();
  refresh();
});
// ---- editor chat (sandbox): typed text and button presses go to the bot through the Telegram stand-in ----
let chatShown = "";
async function refreshChat() {
  try {
    const res = await fetch("api/editor/chat", { cache: "no-store" });
    if (!res.ok) return;
    document.getElementById("editor-chat").hidden = false;
    const chat = await res.json();
    const key = JSON.stringify(chat.entries);
    if (key === chatShown) return;
    chatShown = key;
    const log = document.getElementById("chat-log");
    const atBottom = log.scrollTop + log.clientHeight >= log.scrollHeight - 20;
    if (!chat.entries.length) return;
    log.replaceChildren(...chat.entries.map((e) => {
      const div = document.createElement("div");
      div.className = "chat-line " + e.from;
      if (e.photo) { const img = document.createElement("img"); img.src = e.photo; img.alt = ""; img.style.maxWidth = "100%"; div.appendChild(img); }
      const body = document.createElement("div"); body.appendChild(renderEntities(e.text, e.entities)); div.appendChild(body);
      for (const row of e.buttons || []) {
        const kb = document.createElement("div"); kb.className = "kb";
        for (const b of row) {
          if (b.url) { const a = document.createElement("a"); a.textContent = b.text; a.href = b.url; a.target = "_blank"; a.rel = "noopener"; kb.appendChild(a); continue; }
          const btn = document.createElement("button"); btn.type = "button"; btn.textContent = b.text;
          btn.addEventListener("click", () => chatPost("api/editor/press", { messageId: e.messageId, data: b.data }));
          kb.appendChild(btn);
        }
        div.appendChild(kb);
      }
      if (e.edited) { const meta = document.createElement("div"); meta.className = "meta"; meta.textContent = "edited"; div.appendChild(meta); }
      return div;
    }));
    if (atBottom) log.scrollTop = log.scrollHeight;
  } catch (e) { /* server restarting; try again next tick */ }
}
async function chatPost(path, body) {
  const res = await fetch(path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  const out = await res.json().catch(() => ({ error: res.statusText }));
  document.getElementById("chat-error").textContent = res.ok ? "" : "Refused: " + out.error;
  setTimeout(refreshChat, 300);
  return res.ok;
}
document.getElementById("chat-form").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  const box = ev.target.elements.text;
  if (await chatPost("api/editor/messages", { text: box.value })) box.value = "";
});
document.getElementById("chat-form").elements.text.addEventListener("keydown", (ev) => {
  if (ev.key === "Enter" && !ev.shiftKey) { ev.preventDefault(); ev.target.form.requestSubmit(); }
});
refreshChat();
setInterval(refreshChat, 1000);
refresh();
setInterval(refresh, 1000);
</script>
</body>
</html>
`;
