// `/playground`: a small local web chat on the emulator, for people without a bot token. The page plays a Telegram
// user through the control API (`/__control/...`): it sends messages, presses inline buttons and long-polls the
// state version, re-drawing the chat on every change, so progress edits, reports and photos appear as in Telegram.
import type { IncomingMessage, ServerResponse } from 'node:http';

import { readBody } from './body';
import { sniffImage } from './image';
import { sendJson, type ControlHandler } from './server';
import type { BotState } from './state';

export interface PlaygroundOptions {
  /** Example messages offered under the input (e.g. a fresh demo lobby's room link), asked for on demand. */
  suggestions?: () => Promise<{ label: string; text: string }[]>;
}

export function createPlaygroundHandler(
  state: () => BotState,
  botName: () => string,
  options: PlaygroundOptions,
): ControlHandler {
  return async (req: IncomingMessage, res: ServerResponse, url: URL) => {
    await readBody(req).catch(() => undefined);
    if (url.pathname === '/playground' || url.pathname === '/playground/') {
      const html = PAGE.replaceAll('{{BOT}}', escapeHtml(botName()));
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      res.end(html);
      return;
    }
    const photo = /^\/playground\/photo\/([\w-]+)$/.exec(url.pathname);
    if (photo) {
      const data = state().fileBytes.get(photo[1]);
      if (!data) return sendJson(res, 404, { ok: false, error: 'no such photo' });
      res.writeHead(200, { 'content-type': `image/${sniffImage(data)?.format ?? 'png'}` });
      res.end(data);
      return;
    }
    if (url.pathname === '/playground/suggestions') {
      try {
        return sendJson(res, 200, { ok: true, result: (await options.suggestions?.()) ?? [] });
      } catch (err) {
        return sendJson(res, 500, { ok: false, error: err instanceof Error ? err.message : String(err) });
      }
    }
    sendJson(res, 404, { ok: false, error: 'not found' });
  };
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>@{{BOT}} — playground</title>
<style>
  body { margin: 0; font: 15px/1.4 system-ui, sans-serif; background: #e6ebee; display: flex; flex-direction: column; height: 100vh; }
  header { background: #517da2; color: #fff; padding: 10px 16px; font-weight: 600; }
  header small { font-weight: 400; opacity: .8; margin-left: 8px; }
  #chat { flex: 1; overflow-y: auto; padding: 12px; display: flex; flex-direction: column; gap: 6px; }
  .msg { max-width: 75%; padding: 6px 10px; border-radius: 10px; white-space: pre-wrap; word-wrap: break-word; box-shadow: 0 1px 1px rgba(0,0,0,.1); }
  .bot { align-self: flex-start; background: #fff; }
  .user { align-self: flex-end; background: #effdde; }
  .msg img { max-width: 100%; border-radius: 6px; display: block; margin-bottom: 4px; }
  .edited { font-size: 11px; color: #8a9aa9; margin-left: 6px; }
  .kb { display: grid; gap: 4px; margin-top: 6px; }
  .kb-row { display: flex; gap: 4px; }
  .kb button, .kb a { flex: 1; border: 0; border-radius: 6px; padding: 6px; background: #dfe8f0; color: #2a5885; cursor: pointer; font: inherit; text-align: center; text-decoration: none; }
  form { display: flex; gap: 8px; padding: 10px; background: #fff; }
  #text { flex: 1; font: inherit; padding: 8px; border: 1px solid #ccd; border-radius: 8px; }
  #suggestions { display: flex; gap: 6px; flex-wrap: wrap; padding: 0 10px 10px; background: #fff; }
  #suggestions button, form button { border: 0; border-radius: 8px; padding: 6px 10px; background: #517da2; color: #fff; cursor: pointer; font: inherit; }
  #toast { position: fixed; top: 50px; left: 50%; transform: translateX(-50%); background: rgba(0,0,0,.75); color: #fff; padding: 8px 14px; border-radius: 8px; display: none; }
  code, pre { font-family: ui-monospace, monospace; background: #f3f3f3; border-radius: 4px; }
</style>
</head>
<body>
<header>@{{BOT}}<small>local playground: the real bot, the Telegram and FACEIT emulators</small></header>
<div id="chat" aria-live="polite"></div>
<div id="toast"></div>
<form id="send"><input id="text" autocomplete="off" placeholder="Message, a command like /start, or a FACEIT room link"><button>Send</button></form>
<div id="suggestions"><button type="button" id="demo-lobby">Demo lobby link</button></div>
<script>
const params = new URLSearchParams(location.search);
const userId = Number(params.get('user') || localStorage.getItem('playgroundUser') || (100000 + Math.floor(Math.random() * 899999)));
localStorage.setItem('playgroundUser', String(userId));
const lang = params.get('lang') || (navigator.language || 'en').slice(0, 2);
const from = { id: userId, first_name: params.get('name') || 'Player', language_code: lang };
const chat = document.getElementById('chat');

async function op(name, body) {
  const res = await fetch('/__control/' + name, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body || {}) });
  const answer = await res.json();
  if (!answer.ok) throw new Error(answer.error || res.status);
  return answer.result;
}

// Telegram entities (UTF-16 offsets, like JS strings) rendered as DOM nodes: never HTML from the bot.
function renderText(el, text, entities) {
  const marks = new Array(text.length).fill(null).map(() => []);
  for (const e of entities || []) for (let i = e.offset; i < e.offset + e.length && i < text.length; i++) marks[i].push(e);
  let i = 0;
  while (i < text.length) {
    let j = i + 1;
    while (j < text.length && marks[j].length === marks[i].length && marks[j].every((m, k) => m === marks[i][k])) j++;
    let node = document.createTextNode(text.slice(i, j));
    for (const e of marks[i]) {
      const tag = { bold: 'b', italic: 'i', underline: 'u', strikethrough: 's', code: 'code', pre: 'pre', text_link: 'a', url: 'a', spoiler: 'span', blockquote: 'blockquote' }[e.type];
      if (!tag) continue;
      const wrap = document.createElement(tag);
      if (tag === 'a') { wrap.href = e.url || text.slice(e.offset, e.offset + e.length); wrap.target = '_blank'; wrap.rel = 'noopener'; }
      wrap.appendChild(node);
      node = wrap;
    }
    el.appendChild(node);
    i = j;
  }
}

function toast(text) {
  const el = document.getElementById('toast');
  el.textContent = text;
  el.style.display = 'block';
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => (el.style.display = 'none'), 3000);
}

async function press(message, data) {
  const { callbackQueryId } = await op('clickButton', { chatId: userId, messageId: message.messageId, data, from });
  const answer = await op('waitForCallbackAnswer', { callbackQueryId, timeoutMs: 15000 }).catch(() => null);
  if (answer && answer.text) toast(answer.text);
}

function render(messages) {
  const atBottom = chat.scrollHeight - chat.scrollTop - chat.clientHeight < 40;
  chat.replaceChildren();
  for (const m of messages) {
    if (m.deleted) continue;
    const el = document.createElement('div');
    el.className = 'msg ' + m.from;
    el.dataset.messageId = m.messageId;
    if (m.photo) {
      const img = document.createElement('img');
      img.src = m.photo.url || '/playground/photo/' + m.photo.fileId;
      img.alt = 'photo';
      el.appendChild(img);
    }
    if (m.text !== undefined) renderText(el, m.text, m.entities);
    if (m.caption !== undefined) renderText(el, m.caption, m.captionEntities);
    if (m.invoice) el.appendChild(document.createTextNode('🧾 ' + m.invoice.title + ' — ' + m.invoice.description));
    if (m.editCount > 0) {
      const edited = document.createElement('span');
      edited.className = 'edited';
      edited.textContent = 'edited';
      el.appendChild(edited);
    }
    const rows = (m.replyMarkup && m.replyMarkup.inline_keyboard) || [];
    if (rows.length) {
      const kb = document.createElement('div');
      kb.className = 'kb';
      for (const row of rows) {
        const r = document.createElement('div');
        r.className = 'kb-row';
        for (const b of row) {
          let btn;
          if (b.url) { btn = document.createElement('a'); btn.href = b.url; btn.target = '_blank'; btn.rel = 'noopener'; }
          else { btn = document.createElement('button'); btn.type = 'button'; btn.onclick = () => press(m, b.callback_data).catch((e) => toast(String(e.message || e))); }
          btn.textContent = b.text;
          r.appendChild(btn);
        }
        kb.appendChild(r);
      }
      el.appendChild(kb);
    }
    chat.appendChild(el);
  }
  if (atBottom) chat.scrollTop = chat.scrollHeight;
}

async function follow() {
  let version = -1;
  for (;;) {
    try {
      const now = (await op('version')).version;
      if (now !== version) {
        version = now;
        render(await op('messages', { chatId: userId }).catch(() => []));
      }
      await op('waitForChange', { since: version, timeoutMs: 25000 });
    } catch (e) {
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
}

document.getElementById('send').onsubmit = async (event) => {
  event.preventDefault();
  const input = document.getElementById('text');
  const text = input.value.trim();
  if (!text) return;
  input.value = '';
  await op('sendUserMessage', { from, text }).catch((e) => toast(String(e.message || e)));
};
let nextDemo = 0; // each press offers the next demo lobby (a party, a level-10 room, a map vote…)
document.getElementById('demo-lobby').onclick = async () => {
  const res = await fetch('/playground/suggestions');
  const answer = await res.json();
  if (!answer.ok || !answer.result.length) return toast(answer.error || 'no demo lobby available');
  const demo = answer.result[nextDemo++ % answer.result.length];
  toast(demo.label);
  document.getElementById('text').value = demo.text;
  document.getElementById('text').focus();
};
follow();
</script>
</body>
</html>
`;
