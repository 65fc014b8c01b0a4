/**
 * GET /l: the one-tap page an SMS link (PUBLIC_BASE_URL/l#<token>) opens. It reads the token from
 * the fragment, which the browser never sends, shows the report and the officer's buttons, and
 * calls /api/v1/link with the token in the link-token header, so the credential appears in no
 * path, query or access log. Plain HTML with its script and style inline, so it loads in one round
 * trip on any phone browser over a weak rural network; the Content-Security-Policy allows exactly
 * those two inline blocks by hash and nothing else. The same route serves it locally and on AWS
 * (CloudFront sends /l to the API), so the link in the SMS works in both places.
 */
import { createHash } from 'node:crypto';
import { type ApiHandler, route } from './http.ts';

export const LINK_PAGE = `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>网格吹哨 · 一键办理</title>
<style>
body{font-family:system-ui,sans-serif;margin:0;padding:1rem;background:#f5f6f8;color:#222}
.card{background:#fff;border-radius:12px;padding:1rem;max-width:32rem;margin:auto;box-shadow:0 1px 3px #0002}
h1{font-size:1.2rem;margin:.2rem 0 .6rem}.meta{color:#666;font-size:.9rem;margin:.2rem 0}
textarea{width:100%;box-sizing:border-box;min-height:4rem;margin:.6rem 0;font:inherit}
button{font-size:1.1rem;padding:.8rem;width:100%;margin:.3rem 0;border:0;border-radius:8px;color:#fff;background:#0958d9}
button.return,button.visit_unsatisfied{background:#ad4e00}.msg{margin-top:.8rem;font-weight:600}
</style></head><body><main class="card" id="card" aria-live="polite">加载中…</main>
<script>
const token = location.hash.slice(1);
const labels = {
  check_in: '报到',
  accept: '签收',
  resolve: '办结',
  return: '退回（需填写原因）',
  visit_satisfied: '回访：群众满意',
  visit_unsatisfied: '回访：不满意（重新办理）',
};
const tiers = { grid: '网格', village: '村（社区）', township: '乡镇（街道）', department: '职能部门', supervision: '县级督办' };
const card = document.getElementById('card');
const esc = (s) => String(s ?? '').replace(/[&<>"']/g, (c) => '&#' + c.charCodeAt(0) + ';');
const when = (iso) => iso ? new Date(iso).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false }) : '—';
async function call(method, body) {
  const headers = { 'link-token': token };
  if (body) headers['content-type'] = 'application/json';
  const res = await fetch('/api/v1/link', { method, headers, body: body ? JSON.stringify(body) : undefined });
  const data = await res.json();
  if (!res.ok) throw new Error(data.error ? data.error.message : res.statusText);
  return data;
}
function render(data, message) {
  const r = data.report;
  card.innerHTML = '<h1>' + esc(r.title) + '</h1>' +
    '<p class="meta">当前层级：' + esc(tiers[r.tier] || r.tier) + ' · ' + esc(r.ownerName) + '</p>' +
    '<p class="meta">' + (r.checkInBy ? '报到时限：' + when(r.checkInBy) + '　' : '') + '签收时限：' + when(r.acceptBy) + '　办结时限：' + when(r.completeBy) + '</p>' +
    '<p>' + esc(r.description) + '</p>' +
    (data.actions.length ? '<textarea id="note" aria-label="处理说明 / 退回原因" placeholder="处理说明 / 退回原因"></textarea>' : '') +
    data.actions.map((a) => '<button class="' + a + '" data-action="' + a + '">' + labels[a] + '</button>').join('') +
    '<p class="msg">' + esc(message || (data.actions.length ? '' : '此事件当前无需您操作。')) + '</p>';
  for (const b of card.querySelectorAll('button')) b.onclick = async () => {
    const note = document.getElementById('note').value.trim() || undefined;
    try { const next = await call('POST', { action: b.dataset.action, note }); render({ ...data, ...next }, b.dataset.action.startsWith('visit') ? '已记录回访' : '已' + labels[b.dataset.action].slice(0, 2)); }
    catch (e) { render(data, e.message); }
  };
}
call('GET').then((d) => render(d), (e) => { card.textContent = e.message; });
</script></body></html>`;

const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
const inline = (tag: string) => {
  const match = new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`).exec(LINK_PAGE);
  if (!match?.[1]) throw new Error(`the link page has no inline <${tag}>`);
  return match[1];
};

/** Exactly the page's own script and style; it may call its own origin's API and nothing else. */
export const LINK_PAGE_CSP = [
  "default-src 'none'",
  `script-src ${sha256(inline('script'))}`,
  `style-src ${sha256(inline('style'))}`,
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const PAGE_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  // A page opened from a credential link: never cached by a browser or proxy, never sent on as a Referer.
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'content-security-policy': LINK_PAGE_CSP,
};

/** The page is the same for every link: the token never reaches this route (it stays in the fragment). */
export const createLinkPageHandler = (): ApiHandler => route(async () => ({ statusCode: 200, headers: PAGE_HEADERS, body: LINK_PAGE }));
