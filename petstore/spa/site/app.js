// The faasport pet store, as a single-page app: the serverless split's
// client. It signs users in against the user pool, gets AWS credentials
// from the identity pool, reads products and the user's orders straight
// from the product store (SigV4-signed DynamoDB calls), and searches and
// buys through the API gateway. Everything goes through fetch; session
// and navigation live here.
//
// Routes (hash routing):
//   #/                    all products (Scan), #/?page=N
//   #/category/{name}     one category (Query on category-index), ?page=N
//   #/product/{id}        one product (GetItem)
//   #/search?q=…&page=N   search (GET {apiURL}/api/search)
//   #/cart                the cart (localStorage) and checkout (POST {apiURL}/api/purchase)
//   #/orders              the signed-in user's orders (Query on the Orders table)
//   #/signin, #/signup    ?next=/route to return to afterwards
// A deep link without a hash (/cart) is turned into its hash route.
//
// Element contract for browser tests (ids are unique; classes repeat).
// Keep these stable; add to them rather than rename.
//
//   Header
//     #logo                   link home
//     #search-form            the search form; #search-input, #search-button
//     #category-nav a[data-category]   category links ("" is all); the current one has aria-current="page"
//     #cart-link, #cart-count  the cart link and its item count (text: a number)
//     #signin-link, #signup-link      shown when signed out
//     #user-name, #orders-link, #signout-button   shown when signed in
//   #message                  status line (role=status); data-kind is "info", "success" or "error"; hidden when empty
//   #view                     the page; aria-busy="true" while loading; its h1 names the page
//   Listings (home, category, search)
//     #product-grid           the grid; each .product-card[data-product-id] holds
//                             a.product-link, img.product-image, .product-name, .product-price, .product-stock
//     #no-products            shown instead of the grid when there is nothing to list
//     #prev-page, #next-page  pagination links (absent when there is no such page); #page-number
//     #search-summary         search only: "N products found."
//   Product page
//     #product-detail[data-product-id] with .product-name, .product-price, .product-stock,
//     .product-description, .product-image; #quantity, #add-to-cart (disabled when out of stock)
//   Cart
//     #cart-items             list of .cart-item[data-product-id] with .cart-item-name,
//                             .cart-item-price, input.cart-quantity, button.remove-item, .cart-line-total
//     #cart-total             estimated total (the store sets the real prices)
//     #checkout-button        places the order (or asks to sign in first)
//     #empty-cart             shown when the cart is empty
//   Orders
//     #order-list             list of .order[data-order-id], each with .order-id, .order-date,
//                             .order-total and .order-lines > .order-line
//     #no-orders              shown when there are none; #more-orders (hidden unless there are more) loads older ones
//   Forms
//     #signin-form  (#signin-username, #signin-password, #signin-submit)
//     #signup-form  (#signup-username, #signup-email, #signup-password, #signup-submit)
//   #not-found                the page for unknown routes
//   html[data-ready="true"]   set once the app has started and drawn its first page
//   html[data-route]          the hash of the page last drawn ("#/" for home): wait for it after navigating

import { AWS, AWSError, unmarshalItem } from './aws.js';

/** The store's categories, in display order (petstore.Categories). */
export const CATEGORIES = [
  { id: 'dogs', title: 'Dogs' },
  { id: 'cats', title: 'Cats' },
  { id: 'fish', title: 'Fish' },
  { id: 'birds', title: 'Birds' },
  { id: 'small-pets', title: 'Small pets' },
];

const PAGE_SIZE = 12; // products per listing page (petstore.DefaultPageSize)
const ORDERS_PAGE = 20;
const SITE = 'faasport pets';

/** The public product attributes, as the catalog projects them; "name" is a reserved word. */
const PRODUCT_PROJECTION = {
  ProjectionExpression: 'id, category, #name, description, price, stock, image',
  ExpressionAttributeNames: { '#name': 'name' },
};

let config = null;
let aws = null;

// --- Small helpers ---

/** h builds an element: h('a', {href: '#/'}, 'Home'). Text is always text, never HTML. */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else if (v === true) el.setAttribute(k, '');
    else el.setAttribute(k, String(v));
  }
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : String(c));
  }
  return el;
}

/** formatPrice formats cents as dollars, "$12.34", as the monolith does. */
export function formatPrice(cents) {
  let c = Math.round(Number(cents) || 0);
  const sign = c < 0 ? '-' : '';
  c = Math.abs(c);
  return `${sign}$${Math.floor(c / 100)}.${String(c % 100).padStart(2, '0')}`;
}

function formatDate(v) {
  let d;
  if (typeof v === 'number') d = new Date(v > 1e12 ? v : v * 1000);
  else if (/^\d+$/.test(String(v || ''))) d = new Date(Number(v) > 1e12 ? Number(v) : Number(v) * 1000);
  else d = new Date(v);
  if (Number.isNaN(d.getTime())) return { text: String(v || ''), iso: '' };
  return { text: d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' }), iso: d.toISOString() };
}

function uuid() {
  if (crypto.randomUUID) return crypto.randomUUID();
  // crypto.randomUUID needs a secure context; getRandomValues does not.
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const x = [...b].map((n) => n.toString(16).padStart(2, '0')).join('');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

/** apiURL joins the API gateway's base URL (which may have a stage path) and a path. */
function apiURL(path) {
  return (config.apiURL || '').replace(/\/+$/, '') + path;
}

/** imageURL resolves a product's image: a path on the site is served by the API gateway. */
function imageURL(image) {
  if (!image) return '/logo.svg';
  if (/^[a-z][a-z0-9+.-]*:/i.test(image) || image.startsWith('//')) return image;
  if (image.startsWith('/')) return apiURL(image);
  return image;
}

/** describe turns an error into a sentence for the user. */
function describe(err) {
  if (err instanceof AWSError) {
    if (err.type === 'AccessDeniedException') return `The store refused the request: ${err.message}`;
    return err.message;
  }
  if (err instanceof APIError) return err.message;
  if (err instanceof TypeError) return 'The store could not be reached. Check your connection and try again.';
  return (err && err.message) || String(err);
}

// --- Messages ---

const messageEl = () => document.getElementById('message');
let flash = null; // a message to show after the next navigation

function showMessage(text, kind = 'info', ...extra) {
  const el = messageEl();
  el.replaceChildren(h('span', { class: 'message-text' }, text), ...extra);
  el.dataset.kind = kind;
  el.setAttribute('aria-live', kind === 'error' ? 'assertive' : 'polite');
  el.hidden = !text;
}

function clearMessage() {
  const el = messageEl();
  el.replaceChildren();
  el.hidden = true;
  delete el.dataset.kind;
}

function flashMessage(text, kind = 'info') {
  flash = { text, kind };
}

// --- The cart (localStorage) ---

const CART_KEY = 'petstore.cart';

/**
 * cart is the shopping cart: product id → quantity, with the name and
 * price for display only, and the idempotency key of the purchase being
 * attempted. The key is made when checkout starts and kept until the
 * purchase succeeds or the cart changes, so a retry after a network error
 * repeats the same purchase instead of making a second one.
 */
export const cart = {
  read() {
    try {
      const c = JSON.parse(localStorage.getItem(CART_KEY) || 'null');
      if (c && typeof c.lines === 'object' && c.lines) return c;
    } catch {
      // A damaged cart is an empty one.
    }
    return { lines: {}, idempotencyKey: null };
  },
  write(c) {
    localStorage.setItem(CART_KEY, JSON.stringify(c));
    updateCartCount();
  },
  lines() {
    return Object.entries(this.read().lines).map(([productId, l]) => ({ productId, ...l }));
  },
  count() {
    return this.lines().reduce((n, l) => n + l.quantity, 0);
  },
  add(product, quantity) {
    const c = this.read();
    const prev = c.lines[product.id] ? c.lines[product.id].quantity : 0;
    c.lines[product.id] = { quantity: prev + quantity, name: product.name, price: product.price };
    c.idempotencyKey = null; // a different cart is a different purchase
    this.write(c);
  },
  set(productId, quantity) {
    const c = this.read();
    if (!c.lines[productId]) return;
    if (quantity > 0) c.lines[productId].quantity = quantity;
    else delete c.lines[productId];
    c.idempotencyKey = null;
    this.write(c);
  },
  idempotencyKey() {
    const c = this.read();
    if (!c.idempotencyKey) {
      c.idempotencyKey = uuid();
      this.write(c);
    }
    return c.idempotencyKey;
  },
  clear() {
    localStorage.removeItem(CART_KEY);
    updateCartCount();
  },
};

// --- The API gateway ---

/** APIError is an error answer from the API: {"error": {"kind", "message"}}. */
class APIError extends Error {
  constructor(status, kind, message) {
    super(message || `The store answered ${status}.`);
    this.status = status;
    this.kind = kind;
  }
}

async function api(path, { method = 'GET', body, token } = {}) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (token) headers.Authorization = `Bearer ${token}`;
  const res = await fetch(apiURL(path), {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: 'omit',
    cache: 'no-store',
  });
  let data = null;
  try {
    data = await res.json();
  } catch {
    data = null;
  }
  if (!res.ok) {
    const e = (data && data.error) || {};
    // API Gateway's own errors say {"message": "..."}.
    throw new APIError(res.status, e.kind || '', e.message || (data && data.message) || '');
  }
  return data;
}

// --- The product store ---

/** listPages remembers, per listing, the key each page starts at (null for page 1). */
const cursors = new Map();

/**
 * pageOf returns page `page` of a listing whose pages fetchPage(startKey)
 * reads. Pages are walked forward from the last one known, so a reloaded
 * deep link to page 3 costs three requests.
 */
async function pageOf(listing, page, fetchPage) {
  let keys = cursors.get(listing);
  if (!keys) cursors.set(listing, (keys = [null]));
  while (keys.length < page) {
    const out = await fetchPage(keys[keys.length - 1]);
    if (!out.LastEvaluatedKey) return { items: [], hasNext: false };
    keys.push(out.LastEvaluatedKey);
  }
  const out = await fetchPage(keys[page - 1]);
  if (out.LastEvaluatedKey) keys[page] = out.LastEvaluatedKey;
  return { items: (out.Items || []).map(unmarshalItem), hasNext: Boolean(out.LastEvaluatedKey) };
}

function scanProducts(startKey) {
  const input = { TableName: config.productsTable, Limit: PAGE_SIZE, ...PRODUCT_PROJECTION };
  if (startKey) input.ExclusiveStartKey = startKey;
  return aws.dynamo('Scan', input);
}

function queryCategory(category, startKey) {
  const input = {
    TableName: config.productsTable,
    IndexName: 'category-index',
    KeyConditionExpression: '#category = :category',
    ExpressionAttributeValues: { ':category': { S: category } },
    Limit: PAGE_SIZE,
    ...PRODUCT_PROJECTION,
  };
  input.ExpressionAttributeNames = { ...PRODUCT_PROJECTION.ExpressionAttributeNames, '#category': 'category' };
  if (startKey) input.ExclusiveStartKey = startKey;
  return aws.dynamo('Query', input);
}

async function getProduct(id) {
  const out = await aws.dynamo('GetItem', {
    TableName: config.productsTable,
    Key: { id: { S: id } },
    ...PRODUCT_PROJECTION,
  });
  return out.Item ? unmarshalItem(out.Item) : null;
}

function queryOrders(userId, startKey) {
  const input = {
    TableName: config.ordersTable,
    KeyConditionExpression: '#userId = :userId',
    ExpressionAttributeNames: { '#userId': 'userId' },
    ExpressionAttributeValues: { ':userId': { S: userId } },
    ScanIndexForward: false, // order ids sort by time: newest first
    ConsistentRead: true, // so that an order placed a moment ago is there
    Limit: ORDERS_PAGE,
  };
  if (startKey) input.ExclusiveStartKey = startKey;
  return aws.dynamo('Query', input);
}

// --- Header ---

function updateCartCount() {
  const el = document.getElementById('cart-count');
  if (el) el.textContent = String(cart.count());
}

function updateHeader() {
  const user = aws && aws.session();
  const signedIn = Boolean(user);
  document.getElementById('signin-link').hidden = signedIn;
  document.getElementById('signup-link').hidden = signedIn;
  document.getElementById('orders-link').hidden = !signedIn;
  document.getElementById('signout-button').hidden = !signedIn;
  const name = document.getElementById('user-name');
  name.hidden = !signedIn;
  name.textContent = signedIn ? `Hi, ${user.username}` : '';
  updateCartCount();
}

function markCategory(category) {
  for (const a of document.querySelectorAll('#category-nav a[data-category]')) {
    if (category !== null && a.dataset.category === category) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
}

// --- Views ---

function stock(p) {
  const n = Number(p.stock) || 0;
  return h('p', { class: `product-stock ${n > 0 ? 'in-stock' : 'out-of-stock'}`, 'data-stock': n },
    n > 0 ? `${n} in stock` : 'Out of stock');
}

function productImage(p, size) {
  return h('img', {
    class: 'product-image',
    src: imageURL(p.image),
    alt: size === 'large' ? p.name : '', // on cards the name follows in the same link
    width: size === 'large' ? 480 : 240,
    height: size === 'large' ? 360 : 180,
    loading: size === 'large' ? 'eager' : 'lazy',
    onerror: (e) => {
      if (!e.target.src.endsWith('/logo.svg')) {
        e.target.src = '/logo.svg';
        e.target.classList.add('placeholder');
      }
    },
  });
}

function productCard(p) {
  return h('article', { class: 'product-card', 'data-product-id': p.id },
    h('a', { class: 'product-link', href: `#/product/${encodeURIComponent(p.id)}` },
      productImage(p, 'small'),
      h('h2', { class: 'product-name' }, p.name)),
    h('div', { class: 'product-meta' },
      h('p', { class: 'product-price' }, formatPrice(p.price)),
      stock(p)));
}

function productGrid(products, empty) {
  if (!products.length) return h('p', { id: 'no-products', class: 'empty' }, empty);
  return h('div', { id: 'product-grid', class: 'product-grid' }, products.map(productCard));
}

/** pager links to the pages before and after page; route builds a page's hash. */
function pager(page, hasNext, route) {
  if (page <= 1 && !hasNext) return null;
  return h('nav', { class: 'pager', 'aria-label': 'Pages' },
    page > 1 ? h('a', { id: 'prev-page', class: 'button-link secondary', href: route(page - 1), rel: 'prev' }, '← Previous') : h('span'),
    h('span', { id: 'page-number', 'aria-current': 'page' }, `Page ${page}`),
    hasNext ? h('a', { id: 'next-page', class: 'button-link secondary', href: route(page + 1), rel: 'next' }, 'Next →') : h('span'));
}

function heading(text, ...extra) {
  return h('div', { class: 'page-heading' }, h('h1', { tabindex: '-1' }, text), ...extra);
}

async function listingView(ctx, category) {
  const page = ctx.page;
  const cat = CATEGORIES.find((c) => c.id === category);
  if (category && !cat) return notFoundView(ctx);
  markCategory(category || '');
  const title = cat ? cat.title : 'All pets';
  ctx.title(title);
  const { items, hasNext } = category
    ? await pageOf(`category:${category}`, page, (k) => queryCategory(category, k))
    : await pageOf('all', page, (k) => scanProducts(k));
  const base = category ? `#/category/${category}` : '#/';
  const route = (n) => (n > 1 ? `${base}?page=${n}` : base);
  return [
    heading(title, h('p', { class: 'subtitle' }, cat ? `Everything for ${cat.title.toLowerCase()}.` : 'Friends, food and fun for every kind of pet.')),
    productGrid(items, page > 1 ? 'No more products.' : 'There is nothing here yet.'),
    pager(page, hasNext, route),
  ];
}

async function productView(ctx, id) {
  const p = await getProduct(id);
  if (!p) return notFoundView(ctx, 'There is no such product.');
  ctx.title(p.name);
  const cat = CATEGORIES.find((c) => c.id === p.category);
  markCategory(p.category);
  const n = Number(p.stock) || 0;
  const qty = h('input', { id: 'quantity', name: 'quantity', type: 'number', min: 1, max: Math.max(n, 1), value: 1, inputmode: 'numeric', disabled: n <= 0 });
  const add = h('button', { id: 'add-to-cart', type: 'submit', class: 'primary', disabled: n <= 0 }, n > 0 ? 'Add to cart' : 'Out of stock');
  const form = h('form', {
    class: 'add-form',
    onsubmit: (e) => {
      e.preventDefault();
      const q = Math.floor(Number(qty.value));
      if (!(q >= 1)) {
        showMessage('Choose a quantity of at least 1.', 'error');
        return;
      }
      const inCart = (cart.read().lines[p.id] || { quantity: 0 }).quantity;
      if (inCart + q > n) {
        showMessage(`Only ${n} in stock${inCart ? `, and ${inCart} already in your cart` : ''}.`, 'error');
        return;
      }
      cart.add(p, q);
      showMessage(`Added ${q} × ${p.name} to your cart.`, 'success', ' ', h('a', { href: '#/cart', id: 'view-cart-link' }, 'View cart'));
    },
  },
  h('label', { for: 'quantity' }, 'Quantity'), qty, add);
  return [
    h('nav', { class: 'breadcrumbs', 'aria-label': 'Breadcrumbs' },
      h('a', { href: '#/' }, 'All pets'), ' › ',
      cat ? h('a', { href: `#/category/${cat.id}` }, cat.title) : p.category),
    h('article', { id: 'product-detail', class: 'product-detail', 'data-product-id': p.id },
      h('div', { class: 'product-detail-image' }, productImage(p, 'large')),
      h('div', { class: 'product-detail-info' },
        h('h1', { class: 'product-name', tabindex: '-1' }, p.name),
        h('p', { class: 'product-price large' }, formatPrice(p.price)),
        stock(p),
        h('p', { class: 'product-description' }, p.description || ''),
        form)),
  ];
}

/** searchPageSize is the most results a search page has held, to tell whether another follows. */
let searchPageSize = PAGE_SIZE;

async function searchView(ctx) {
  const q = (ctx.params.get('q') || '').trim();
  const page = ctx.page;
  document.getElementById('search-input').value = q;
  markCategory(null);
  if (!q) {
    ctx.title('Search');
    return [heading('Search'), h('p', { id: 'no-products', class: 'empty' }, 'Type what you are looking for in the search box above.')];
  }
  ctx.title(`Search: ${q}`);
  const data = await api(`/api/search?q=${encodeURIComponent(q)}&page=${page}`);
  const results = data.results || data.products || [];
  const total = Number(data.total) || 0;
  searchPageSize = Math.max(searchPageSize, Number(data.pageSize) || 0, results.length);
  const hasNext = data.pages ? page < data.pages : results.length > 0 && (page - 1) * searchPageSize + results.length < total;
  const route = (n) => `#/search?q=${encodeURIComponent(q)}${n > 1 ? `&page=${n}` : ''}`;
  return [
    heading(`Results for “${q}”`,
      h('p', { id: 'search-summary', class: 'subtitle' }, total === 1 ? '1 product found.' : `${total} products found.`)),
    productGrid(results, page > 1 ? 'No more results.' : `Nothing matches “${q}”. Try another word.`),
    pager(page, hasNext, route),
  ];
}

function cartView(ctx) {
  ctx.title('Your cart');
  markCategory(null);
  const lines = cart.lines();
  if (!lines.length) {
    return [heading('Your cart'),
      h('p', { id: 'empty-cart', class: 'empty' }, 'Your cart is empty. ', h('a', { href: '#/' }, 'Browse the store'), '.')];
  }
  const total = lines.reduce((s, l) => s + l.quantity * (Number(l.price) || 0), 0);
  const items = h('ul', { id: 'cart-items', class: 'cart-items' }, lines.map((l) => {
    const qid = `qty-${l.productId}`;
    return h('li', { class: 'cart-item', 'data-product-id': l.productId },
      h('a', { class: 'cart-item-name', href: `#/product/${encodeURIComponent(l.productId)}` }, l.name || l.productId),
      h('span', { class: 'cart-item-price' }, formatPrice(l.price)),
      h('span', { class: 'cart-item-qty' },
        h('label', { for: qid, class: 'visually-hidden' }, `Quantity of ${l.name || l.productId}`),
        h('input', {
          id: qid, class: 'cart-quantity', type: 'number', min: 0, value: l.quantity, inputmode: 'numeric',
          onchange: (e) => {
            const q = Math.max(0, Math.floor(Number(e.target.value) || 0));
            cart.set(l.productId, q);
            rerender();
          },
        })),
      h('span', { class: 'cart-line-total' }, formatPrice(l.quantity * (Number(l.price) || 0))),
      h('button', {
        type: 'button', class: 'remove-item link-button', 'aria-label': `Remove ${l.name || l.productId}`,
        onclick: () => {
          cart.set(l.productId, 0);
          rerender();
        },
      }, 'Remove'));
  }));
  const signedIn = Boolean(aws.session());
  const button = h('button', { id: 'checkout-button', type: 'button', class: 'primary', onclick: (e) => checkout(e.target) },
    signedIn ? 'Place order' : 'Sign in to check out');
  return [
    heading('Your cart'),
    items,
    h('div', { class: 'cart-summary' },
      h('p', null, 'Estimated total: ', h('strong', { id: 'cart-total' }, formatPrice(total))),
      h('p', { class: 'fine-print' }, 'The store confirms prices and stock when you place the order.'),
      button),
  ];
}

let checkingOut = false;

async function checkout(button) {
  if (checkingOut) return;
  const token = await aws.idToken().catch(() => null);
  if (!token) {
    flashMessage('Please sign in to check out.', 'info');
    navigate('/signin?next=' + encodeURIComponent('/cart'));
    return;
  }
  const lines = cart.lines().filter((l) => l.quantity > 0);
  if (!lines.length) return;
  checkingOut = true;
  button.disabled = true;
  button.textContent = 'Placing order…';
  const body = {
    items: lines.map((l) => ({ productId: l.productId, quantity: l.quantity })),
    idempotencyKey: cart.idempotencyKey(),
  };
  try {
    const data = await api('/api/purchase', { method: 'POST', body, token });
    cart.clear();
    // The purchase function answers with the order itself; accept an
    // {"order": ...} envelope too.
    const o = (data && (data.order || data)) || {};
    const id = o.id ?? o.orderId;
    flashMessage(`Thank you! Your order${id ? ` ${id}` : ''} is placed${o.total !== undefined ? `: ${formatPrice(o.total)}` : ''}.`, 'success');
    navigate('/orders');
  } catch (err) {
    if (err instanceof APIError && err.status === 401) {
      aws.setSession(null);
      flashMessage('Your session has ended. Please sign in again to check out.', 'info');
      navigate('/signin?next=' + encodeURIComponent('/cart'));
    } else if (err instanceof TypeError) {
      // The order may or may not have been placed: keep the cart and its
      // idempotency key, so that trying again cannot buy twice.
      showMessage('The store could not be reached, so we do not know yet whether your order went through. Press “Place order” again: you will not be charged twice.', 'error');
    } else {
      showMessage(describe(err), 'error');
    }
  } finally {
    checkingOut = false;
    if (button.isConnected) {
      button.disabled = false;
      button.textContent = 'Place order';
    }
  }
}

function orderView(o) {
  const date = formatDate(o.createdAt);
  const lines = Array.isArray(o.lines) ? o.lines : [];
  return h('li', { class: 'order', 'data-order-id': o.orderId },
    h('div', { class: 'order-head' },
      h('span', { class: 'order-id' }, `Order ${o.orderId}`),
      h('time', { class: 'order-date', datetime: date.iso || null }, date.text),
      h('span', { class: 'order-total' }, formatPrice(o.total))),
    h('ul', { class: 'order-lines' }, lines.map((l) =>
      h('li', { class: 'order-line', 'data-product-id': l.productId },
        h('span', { class: 'order-line-qty' }, `${l.quantity} ×`), ' ',
        h('a', { href: `#/product/${encodeURIComponent(l.productId)}` }, l.name || l.productId),
        h('span', { class: 'order-line-price' }, formatPrice(l.unitPrice ?? l.price))))));
}

async function ordersView(ctx) {
  ctx.title('Your orders');
  markCategory(null);
  const token = await aws.idToken();
  if (!token) {
    flashMessage('Please sign in to see your orders.', 'info');
    navigate('/signin?next=' + encodeURIComponent('/orders'), { replace: true });
    return null;
  }
  const sub = aws.user().sub;
  const out = await queryOrders(sub, null);
  const orders = (out.Items || []).map(unmarshalItem);
  if (!orders.length) {
    return [heading('Your orders'), h('p', { id: 'no-orders', class: 'empty' }, 'You have no orders yet. ', h('a', { href: '#/' }, 'Find something nice'), '.')];
  }
  const list = h('ul', { id: 'order-list', class: 'order-list' }, orders.map(orderView));
  let next = out.LastEvaluatedKey;
  const more = h('button', {
    id: 'more-orders', type: 'button', class: 'secondary', hidden: !next,
    onclick: async () => {
      more.disabled = true;
      try {
        const page = await queryOrders(sub, next);
        list.append(...(page.Items || []).map(unmarshalItem).map(orderView));
        next = page.LastEvaluatedKey;
        more.hidden = !next;
      } catch (err) {
        showMessage(describe(err), 'error');
      } finally {
        more.disabled = false;
      }
    },
  }, 'Show older orders');
  return [heading('Your orders'), list, more];
}

function nextRoute(ctx) {
  const next = ctx.params.get('next') || '/';
  // Only routes of this app: no other site, no scheme.
  return /^\/[^/\\]/.test(next) || next === '/' ? next : '/';
}

function field(id, label, attrs) {
  return h('div', { class: 'field' }, h('label', { for: id }, label), h('input', { id, name: id, ...attrs }));
}

function signinView(ctx) {
  ctx.title('Sign in');
  markCategory(null);
  const next = nextRoute(ctx);
  const form = h('form', { id: 'signin-form', class: 'auth-form' },
    field('signin-username', 'Username', { type: 'text', autocomplete: 'username', required: true, autocapitalize: 'none', spellcheck: 'false' }),
    field('signin-password', 'Password', { type: 'password', autocomplete: 'current-password', required: true }),
    h('button', { id: 'signin-submit', type: 'submit', class: 'primary' }, 'Sign in'),
    h('p', { class: 'fine-print' }, 'New here? ', h('a', { href: `#/signup?next=${encodeURIComponent(next)}` }, 'Create an account'), '.'));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const submit = form.querySelector('#signin-submit');
    submit.disabled = true;
    try {
      const s = await aws.signIn(form.elements['signin-username'].value.trim(), form.elements['signin-password'].value);
      flashMessage(`Welcome back, ${s.username}.`, 'success');
      navigate(next);
    } catch (err) {
      showMessage(describe(err), 'error');
      submit.disabled = false;
    }
  });
  return [heading('Sign in'), form];
}

function signupView(ctx) {
  ctx.title('Create an account');
  markCategory(null);
  const next = nextRoute(ctx);
  const form = h('form', { id: 'signup-form', class: 'auth-form' },
    field('signup-username', 'Username', { type: 'text', autocomplete: 'username', required: true, autocapitalize: 'none', spellcheck: 'false', maxlength: 128 }),
    field('signup-email', 'Email (optional)', { type: 'email', autocomplete: 'email' }),
    field('signup-password', 'Password', { type: 'password', autocomplete: 'new-password', required: true, minlength: 8, 'aria-describedby': 'password-hint' }),
    h('p', { id: 'password-hint', class: 'fine-print' }, 'At least 8 characters, with a lower-case letter and a digit.'),
    h('button', { id: 'signup-submit', type: 'submit', class: 'primary' }, 'Create account'),
    h('p', { class: 'fine-print' }, 'Already have an account? ', h('a', { href: `#/signin?next=${encodeURIComponent(next)}` }, 'Sign in'), '.'));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const submit = form.querySelector('#signup-submit');
    submit.disabled = true;
    const username = form.elements['signup-username'].value.trim();
    const password = form.elements['signup-password'].value;
    try {
      const out = await aws.signUp(username, password, form.elements['signup-email'].value.trim());
      if (out.UserConfirmed === false) {
        showMessage('Your account is created, but it must be confirmed before you can sign in.', 'info');
        submit.disabled = false;
        return;
      }
      const s = await aws.signIn(username, password);
      flashMessage(`Welcome to the store, ${s.username}!`, 'success');
      navigate(next);
    } catch (err) {
      showMessage(describe(err), 'error');
      submit.disabled = false;
    }
  });
  return [heading('Create an account'), form];
}

function notFoundView(ctx, text = 'There is no page here.') {
  ctx.title('Not found');
  markCategory(null);
  return [h('div', { id: 'not-found' }, heading('Not found'), h('p', null, text, ' ', h('a', { href: '#/' }, 'Back to the store'), '.'))];
}

// --- Routing ---

/** navigate goes to a route such as "/cart" (without the #). */
function navigate(route, { replace = false } = {}) {
  const hash = '#' + route;
  if (location.hash === hash) {
    rerender();
  } else if (replace) {
    history.replaceState(null, '', hash);
    rerender();
  } else {
    location.hash = hash;
  }
}

function parseRoute() {
  const raw = location.hash.replace(/^#/, '') || '/';
  const qi = raw.indexOf('?');
  const path = qi >= 0 ? raw.slice(0, qi) : raw;
  const params = new URLSearchParams(qi >= 0 ? raw.slice(qi + 1) : '');
  let parts;
  try {
    parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  } catch {
    parts = ['\u0000'];
  }
  const page = Math.min(Math.max(parseInt(params.get('page') || '1', 10) || 1, 1), 1000);
  return { parts, params, page };
}

function route(ctx) {
  const [first, second, ...rest] = ctx.parts;
  if (rest.length) return notFoundView(ctx);
  switch (first) {
    case undefined:
      return listingView(ctx, '');
    case 'category':
      return second ? listingView(ctx, second) : notFoundView(ctx);
    case 'product':
      return second ? productView(ctx, second) : notFoundView(ctx);
  }
  if (second !== undefined) return notFoundView(ctx);
  switch (first) {
    case 'search':
      return searchView(ctx);
    case 'cart':
      return cartView(ctx);
    case 'orders':
      return ordersView(ctx);
    case 'signin':
      return signinView(ctx);
    case 'signup':
      return signupView(ctx);
  }
  return notFoundView(ctx);
}

let generation = 0;
let firstRender = true;

/** rerender draws the current route. Answers for routes left meanwhile are dropped. */
async function rerender() {
  const gen = ++generation;
  const view = document.getElementById('view');
  if (flash) {
    showMessage(flash.text, flash.kind);
    flash = null;
  } else if (!firstRender) {
    clearMessage();
  }
  view.setAttribute('aria-busy', 'true');
  const ctx = { ...parseRoute(), title: (t) => { document.title = `${t} · ${SITE}`; } };
  if (ctx.parts[0] !== 'search') document.getElementById('search-input').value = '';
  let nodes;
  try {
    nodes = await route(ctx);
  } catch (err) {
    if (gen !== generation) return;
    console.error(err);
    nodes = [heading('Something went wrong'), h('p', { id: 'view-error', class: 'empty' }, describe(err))];
    showMessage(describe(err), 'error');
  }
  if (gen !== generation || nodes === null) return;
  view.replaceChildren(...[nodes].flat(Infinity).filter(Boolean));
  view.setAttribute('aria-busy', 'false');
  document.documentElement.dataset.route = location.hash || '#/';
  if (!firstRender) {
    const h1 = view.querySelector('h1');
    if (h1) h1.focus({ preventScroll: true });
    window.scrollTo(0, 0);
  }
  firstRender = false;
}

// --- Start ---

async function start() {
  // A deep link without a hash (/cart, served index.html by the host)
  // becomes its hash route.
  if (location.pathname !== '/' && !location.hash) {
    history.replaceState(null, '', '/#' + location.pathname + location.search);
  }
  const view = document.getElementById('view');
  try {
    if (!window.crypto || !crypto.subtle) {
      throw new Error('This page must be served over HTTPS or from localhost: it signs requests with WebCrypto.');
    }
    const res = await fetch(new URL('config.json', import.meta.url), { cache: 'no-store' });
    if (!res.ok) throw new Error(`config.json: HTTP ${res.status}`);
    config = await res.json();
  } catch (err) {
    view.replaceChildren(heading('The store cannot start'), h('p', { id: 'view-error' }, describe(err)));
    view.setAttribute('aria-busy', 'false');
    return;
  }
  config.productsTable = config.productsTable || 'Products';
  config.ordersTable = config.ordersTable || 'Orders';
  aws = new AWS(config, { onSessionChange: updateHeader });

  // The skip link must not become a route.
  document.getElementById('skip-link').addEventListener('click', (e) => {
    e.preventDefault();
    view.focus();
  });
  document.getElementById('search-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const q = document.getElementById('search-input').value.trim();
    navigate(q ? `/search?q=${encodeURIComponent(q)}` : '/search');
  });
  document.getElementById('signout-button').addEventListener('click', async () => {
    await aws.signOut();
    flashMessage('You are signed out.', 'info');
    navigate('/');
  });
  // Another tab changed the cart.
  window.addEventListener('storage', (e) => {
    if (e.key === CART_KEY || e.key === null) {
      updateCartCount();
      if (parseRoute().parts[0] === 'cart') rerender();
    }
  });
  window.addEventListener('hashchange', rerender);
  updateHeader();
  await rerender();
  document.documentElement.dataset.ready = 'true';
}

start();
