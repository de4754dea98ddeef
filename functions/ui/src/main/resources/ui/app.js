import { ApiError, get, seg, session } from './api.js';
import { renderChart } from './chart.js';

const $ = (id) => document.getElementById(id);
const fmt = (n) => (n === undefined || n === null ? '' : Number(n).toLocaleString('en-US'));
const ZONE = 'Asia/Seoul';
const when = (iso, zone = ZONE) => (iso ? new Date(iso).toLocaleString('sv-SE', { timeZone: zone }) : '');
const state = { deals: [], ledgerNext: null, memberId: null };

// ------------------------------------------------------------------ messages: as the API words them

function showError(e) {
  const p = $('error');
  p.textContent = e instanceof ApiError ? e.toString() : `ERROR: ${e && e.message ? e.message : e}`;
  p.dataset.code = e instanceof ApiError ? e.code : 'ERROR';
  p.hidden = false;
}

function clearError() {
  $('error').hidden = true;
  $('error').textContent = '';
}

/** Runs one user action: errors are shown, a rejected key signs out to the sign-in form with the API's words. */
async function act(action) {
  clearError();
  $('loading').hidden = false;
  document.body.dataset.busy = 'true';
  try {
    await action();
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) {
      session.signOut();
      signedIn(false);
      signInError(e);
    } else {
      showError(e);
    }
  } finally {
    $('loading').hidden = true;
    delete document.body.dataset.busy;
  }
}

// ------------------------------------------------------------------ sign-in

function signInError(e) {
  const p = $('signin-error');
  p.textContent = e.toString();
  p.dataset.code = e.code;
  p.hidden = false;
}

function signedIn(on) {
  $('signin').hidden = on;
  $('app').hidden = !on;
  $('sign-out').hidden = !on;
  if (on) {
    $('signin-error').hidden = true;
    if (!$('merchant-month').value) {
      const now = new Date().toLocaleString('sv-SE', { timeZone: ZONE });
      $('merchant-month').value = now.slice(0, 4) + now.slice(5, 7);
    }
  } else {
    $('member-view').hidden = true;
    $('merchant-view').hidden = true;
  }
}

async function signIn(event) {
  event.preventDefault();
  const input = $('api-key');
  const key = input.value.trim();
  input.value = '';
  $('signin-error').hidden = true;
  try {
    // an admin-only read that changes nothing: 404 (no such merchant) or 200 means the key is the admin's
    await get('merchants/dashboard-sign-in-check', key);
  } catch (e) {
    if (!(e instanceof ApiError && e.code === 'MERCHANT_NOT_FOUND')) {
      signInError(e instanceof ApiError ? e : new ApiError(0, 'ERROR', String(e)));
      return;
    }
  }
  session.signIn(key);
  signedIn(true);
  $('member-query').focus();
}

// ------------------------------------------------------------------ member view

function cell(row, text, className) {
  const td = document.createElement('td');
  td.textContent = text;
  if (className) {
    td.className = className;
  }
  row.append(td);
  return td;
}

/** An id column: the first 8 characters, the whole id on hover. */
function idCell(row, id) {
  const td = cell(row, id && id.length > 12 ? `${id.slice(0, 8)}…` : id || '', 'id');
  td.title = id || '';
  return td;
}

function signed(points) {
  return points > 0 ? `+${fmt(points)}` : fmt(points);
}

async function findMember(event) {
  event.preventDefault();
  const q = $('member-query').value.trim();
  await act(async () => {
    const idLike = /^[A-Za-z0-9_-]{1,64}$/.test(q);
    const phoneLike = /^[+0-9 ().-]+$/.test(q) && q.replace(/\D/g, '').length >= 7;
    let member = null;
    if (idLike) {
      try {
        member = await get(`members/${seg(q)}`);
      } catch (e) {
        if (!(phoneLike && e instanceof ApiError && e.code === 'MEMBER_NOT_FOUND')) {
          throw e;
        }
      }
    }
    if (!member) {
      member = await get(`members?phone=${seg(q)}`);
    }
    await showMember(member);
  });
}

async function showMember(member) {
  const id = member.memberId;
  const [points, ledger, dashboard] = await Promise.all([
    get(`points/${seg(id)}`),
    get(`members/${seg(id)}/ledger?limit=100`),
    dealsOf(id),
  ]);
  state.memberId = id;
  state.deals = dashboard;
  state.ledgerNext = ledger.nextToken || null;
  $('merchant-view').hidden = true;
  $('member-id').textContent = id;
  $('member-name').textContent = member.name || '—';
  $('member-phone').textContent = member.phone || '—';
  $('member-status').textContent = member.status;
  $('member-status').className = `status-${member.status}`;
  $('member-balance').textContent = fmt(points.balance);
  $('member-account').textContent = points.status;
  $('statement').tBodies[0].replaceChildren();
  $('refunds').tBodies[0].replaceChildren();
  appendLedger(ledger.entries);
  $('statement-more').hidden = !state.ledgerNext;
  renderDeals();
  $('member-view').hidden = false;
  $('member-view').dataset.memberId = id;
}

/** The member's deals from the dashboard read model, every page (newest first). */
async function dealsOf(id) {
  const deals = [];
  let token = null;
  for (let page = 0; page < 20; page++) {
    let body;
    try {
      body = await get(`dashboard/members/${seg(id)}${token ? `?nextToken=${seg(token)}` : ''}`);
    } catch (e) {
      if (e instanceof ApiError && e.code === 'MEMBER_NOT_FOUND') {
        return deals; // not projected yet: the read model follows within a second
      }
      throw e;
    }
    deals.push(...body.deals);
    token = body.nextToken;
    if (!token) {
      break;
    }
  }
  return deals;
}

function appendLedger(entries) {
  const statement = $('statement').tBodies[0];
  const refunds = $('refunds').tBodies[0];
  for (const e of entries) {
    const row = document.createElement('tr');
    row.dataset.kind = e.kind;
    cell(row, when(e.at));
    cell(row, e.kind);
    cell(row, signed(e.points), `num ${e.points >= 0 ? 'plus' : 'minus'}`);
    cell(row, fmt(e.balanceAfter), 'num balance-after');
    idCell(row, e.refundId || e.dealId || e.adjustmentId);
    statement.append(row);
    if (e.refundId) {
      const r = document.createElement('tr');
      cell(r, when(e.at));
      idCell(r, e.refundId);
      idCell(r, e.dealId);
      cell(r, e.kind);
      cell(r, signed(e.points), 'num');
      refunds.append(r);
    }
  }
}

async function olderEntries() {
  await act(async () => {
    const ledger = await get(`members/${seg(state.memberId)}/ledger?limit=100&nextToken=${seg(state.ledgerNext)}`);
    appendLedger(ledger.entries);
    state.ledgerNext = ledger.nextToken || null;
    $('statement-more').hidden = !state.ledgerNext;
  });
}

function statusText(deal) {
  if (deal.status === 'FAILED') {
    return `refused (${deal.failureReason || 'FAILED'})`;
  }
  if (deal.status === 'CANCELLED') {
    return deal.restoration ? `cancelled (restore ${deal.restoration.toLowerCase()})` : 'cancelled';
  }
  return 'success';
}

function renderDeals() {
  const type = $('deal-type').value;
  const status = $('deal-status').value;
  const body = $('deals').tBodies[0];
  body.replaceChildren();
  const shown = state.deals.filter((d) => (!type || d.type === type) && (!status || d.status === status));
  for (const d of shown) {
    const row = document.createElement('tr');
    row.dataset.dealId = d.dealId;
    row.dataset.status = d.status;
    row.dataset.type = d.type;
    cell(row, when(d.occurredAt));
    cell(row, d.type);
    cell(row, d.merchantId);
    cell(row, fmt(d.amount), 'num');
    cell(row, fmt(d.points), 'num');
    cell(row, statusText(d), `status-${d.status}`);
    const refunded = d.type === 'earn' ? d.refundedAmount : d.refundedPoints;
    cell(row, refunded ? fmt(refunded) + (d.type === 'earn' ? ' KRW' : ' pts') : '', 'num');
    idCell(row, d.dealId);
    body.append(row);
  }
  $('deal-count').textContent = `${shown.length} of ${state.deals.length}`;
}

// ------------------------------------------------------------------ merchant view

async function openMonth(event) {
  event.preventDefault();
  const merchantId = $('merchant-id').value.trim();
  const month = $('merchant-month').value.trim();
  await act(async () => {
    const [figures, settlement] = await Promise.all([
      get(`merchants/${seg(merchantId)}/days?month=${seg(month)}`),
      get(`billings/${seg(merchantId)}/${seg(month)}`).catch((e) => {
        if (e instanceof ApiError && e.status === 404) {
          return e; // not settled (yet): shown as the API says it
        }
        throw e;
      }),
    ]);
    showMonth(figures, settlement);
  });
}

function showMonth(figures, settlement) {
  const t = figures.totals;
  $('member-view').hidden = true;
  $('merchant-name').textContent = figures.merchantId;
  $('merchant-period').textContent = `${figures.month.slice(0, 4)}-${figures.month.slice(4)}`;
  $('merchant-zone').textContent = figures.timeZone;
  $('total-earned').textContent = fmt(t.earnedPoints);
  $('total-earn-count').textContent = fmt(t.earnCount);
  $('total-used').textContent = fmt(t.usedPoints);
  $('total-use-count').textContent = fmt(t.useCount);
  $('total-cancel-count').textContent = fmt(t.cancelCount);
  $('total-cancelled-points').textContent = fmt(t.earnCancelledPoints + t.useCancelledPoints);
  $('total-refund-count').textContent = fmt(t.refundCount);
  $('total-refunded-points').textContent = fmt(t.earnRefundedPoints + t.useRefundedPoints);
  $('total-refused').textContent = fmt(t.refusedCount);
  $('total-net-earned').textContent = fmt(t.netEarnedPoints);
  $('total-net-used').textContent = fmt(t.netUsedPoints);
  const box = $('settlement');
  box.replaceChildren();
  if (settlement instanceof ApiError) {
    box.dataset.settled = 'false';
    box.textContent = `Not settled — ${settlement.toString()}`;
  } else {
    box.dataset.settled = 'true';
    box.textContent = `Settled ${when(settlement.settledAt, figures.timeZone)}: ${fmt(settlement.usedPoints)} points used `
      + `in ${fmt(settlement.useCount)} uses, adjustments ${fmt(settlement.adjustments)}, `
      + `settlement amount ${fmt(settlement.settlementAmount)} KRW at rate ${settlement.settlementRate}`;
  }
  renderChart($('chart'), figures.days);
  $('merchant-view').hidden = false;
  $('merchant-view').dataset.loaded = `${figures.merchantId}/${figures.month}`;
}

// ------------------------------------------------------------------ wiring

$('signin-form').addEventListener('submit', signIn);
$('sign-out').addEventListener('click', () => {
  session.signOut();
  signedIn(false);
});
$('member-form').addEventListener('submit', findMember);
$('merchant-form').addEventListener('submit', openMonth);
$('deal-type').addEventListener('change', renderDeals);
$('deal-status').addEventListener('change', renderDeals);
$('statement-more').addEventListener('click', olderEntries);
signedIn(Boolean(session.key()));
document.body.dataset.ready = 'true';
