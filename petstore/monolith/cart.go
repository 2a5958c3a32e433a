package monolith

import (
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/faasport/faasport/faas"
	"github.com/faasport/faasport/petstore"
	"github.com/faasport/faasport/petstore/httpapi"
)

// cartLines prices the session's cart at the store's current prices.
// Products that are gone are dropped from the cart, with a note.
func (m *monolith) cartLines(r *http.Request, s *session) ([]cartLine, petstore.Cents, error) {
	items := s.cartItems()
	var lines []cartLine
	var total petstore.Cents
	var kept []petstore.LineItem
	var gone []string
	for _, it := range items {
		p, err := m.cat.Get(r.Context(), it.ProductID)
		if faas.KindOf(err) == faas.NotFound {
			gone = append(gone, it.ProductID)
			continue
		}
		if err != nil {
			return nil, 0, err
		}
		l := cartLine{OrderLine: petstore.OrderLine{ProductID: p.ID, Name: p.Name, Quantity: it.Quantity, UnitPrice: p.Price}, Stock: p.Stock}
		lines = append(lines, l)
		total += l.Subtotal()
		kept = append(kept, it)
	}
	if len(gone) > 0 {
		s.setCart(kept)
		s.setFlash("Some products are no longer sold and were removed from your cart: " + strings.Join(gone, ", ") + ".")
	}
	return lines, total, nil
}

func (m *monolith) cartPage(w http.ResponseWriter, r *http.Request) {
	s := sessionFrom(r.Context())
	lines, total, err := m.cartLines(r, s)
	if err != nil {
		m.errorPage(w, r, err)
		return
	}
	p := m.newPage(r, "Your cart")
	p.Cart, p.Total = lines, total
	m.render(w, r, http.StatusOK, "cart", p)
}

// formItem reads the productId and quantity fields of a cart form.
func formItem(r *http.Request) (petstore.LineItem, error) {
	q, err := strconv.Atoi(strings.TrimSpace(r.PostFormValue("quantity")))
	if err != nil {
		return petstore.LineItem{}, faas.Errorf(faas.Invalid, "The quantity must be a number.")
	}
	return petstore.LineItem{ProductID: r.PostFormValue("productId"), Quantity: q}, nil
}

func (m *monolith) cartAdd(w http.ResponseWriter, r *http.Request) {
	s := sessionFrom(r.Context())
	it, err := formItem(r)
	if err != nil {
		m.errorPage(w, r, err)
		return
	}
	p, err := m.cat.Get(r.Context(), it.ProductID)
	if err != nil {
		m.errorPage(w, r, err)
		return
	}
	back := "/products/" + p.ID
	if it.Quantity < 1 || it.Quantity > petstore.MaxQuantity {
		s.setFlash("Choose a quantity from 1 to " + strconv.Itoa(petstore.MaxQuantity) + ".")
		redirect(w, r, back)
		return
	}
	cart := s.cartItems()
	i := slices.IndexFunc(cart, func(l petstore.LineItem) bool { return l.ProductID == p.ID })
	switch {
	case i >= 0 && cart[i].Quantity+it.Quantity > petstore.MaxQuantity:
		s.setFlash("You can buy at most " + strconv.Itoa(petstore.MaxQuantity) + " of one product.")
		redirect(w, r, back)
		return
	case i >= 0:
		cart[i].Quantity += it.Quantity
	case len(cart) >= petstore.MaxLineItems:
		s.setFlash("Your cart is full: an order holds at most " + strconv.Itoa(petstore.MaxLineItems) + " different products.")
		redirect(w, r, "/cart")
		return
	default:
		cart = append(cart, petstore.LineItem{ProductID: p.ID, Quantity: it.Quantity})
	}
	s.setCart(cart)
	s.setFlash("Added " + strconv.Itoa(it.Quantity) + " × " + p.Name + " to your cart.")
	redirect(w, r, "/cart")
}

func (m *monolith) cartUpdate(w http.ResponseWriter, r *http.Request) {
	s := sessionFrom(r.Context())
	it, err := formItem(r)
	if err != nil {
		m.errorPage(w, r, err)
		return
	}
	if it.Quantity < 0 || it.Quantity > petstore.MaxQuantity {
		s.setFlash("Choose a quantity from 0 to " + strconv.Itoa(petstore.MaxQuantity) + ".")
		redirect(w, r, "/cart")
		return
	}
	cart := s.cartItems()
	i := slices.IndexFunc(cart, func(l petstore.LineItem) bool { return l.ProductID == it.ProductID })
	if i >= 0 {
		if it.Quantity == 0 {
			cart = slices.Delete(cart, i, i+1)
		} else {
			cart[i].Quantity = it.Quantity
		}
		s.setCart(cart)
	}
	redirect(w, r, "/cart")
}

func (m *monolith) checkoutPage(w http.ResponseWriter, r *http.Request) {
	if _, ok := m.requireUser(w, r); !ok {
		return
	}
	s := sessionFrom(r.Context())
	m.renderCheckout(w, r, s, http.StatusOK, "", newKey())
}

func newKey() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func (m *monolith) renderCheckout(w http.ResponseWriter, r *http.Request, s *session, status int, msg, key string) {
	p := m.newPage(r, "Checkout")
	p.Error = msg
	p.IdempotencyKey = key
	if items := s.cartItems(); len(items) > 0 {
		q, err := m.cat.Quote(r.Context(), items)
		if err != nil {
			if faas.KindOf(err) == faas.NotFound {
				// A product went away: the cart page drops it.
				redirect(w, r, "/cart")
				return
			}
			m.errorPage(w, r, err)
			return
		}
		p.Quote = &q
	}
	m.render(w, r, status, "checkout", p)
}

func (m *monolith) checkoutPlace(w http.ResponseWriter, r *http.Request) {
	u, ok := m.requireUser(w, r)
	if !ok {
		return
	}
	s := sessionFrom(r.Context())
	key := r.PostFormValue("idempotencyKey")
	s.mu.Lock()
	lastKey, lastOrder := s.checkout, s.lastOrder
	s.mu.Unlock()
	if key != "" && key == lastKey {
		// The form was sent twice (a double click, a reload): the first
		// placed the order and emptied the cart.
		redirect(w, r, "/orders?placed="+url.QueryEscape(lastOrder))
		return
	}
	items := s.cartItems()
	if len(items) == 0 {
		redirect(w, r, "/cart")
		return
	}
	o, err := m.cat.Purchase(r.Context(), u.ID, items, key)
	if err != nil {
		switch faas.KindOf(err) {
		case faas.Conflict, faas.Invalid, faas.NotFound, faas.TooManyRequests:
			m.renderCheckout(w, r, s, faas.KindOf(err).HTTPStatus(), httpapi.Message(err), newKey())
		default:
			m.errorPage(w, r, err)
		}
		return
	}
	s.mu.Lock()
	s.cart, s.checkout, s.lastOrder = nil, key, o.ID
	s.mu.Unlock()
	redirect(w, r, "/orders?placed="+url.QueryEscape(o.ID))
}

func (m *monolith) ordersPage(w http.ResponseWriter, r *http.Request) {
	u, ok := m.requireUser(w, r)
	if !ok {
		return
	}
	orders, err := m.cat.Orders(r.Context(), u.ID)
	if err != nil {
		m.errorPage(w, r, err)
		return
	}
	p := m.newPage(r, "Your orders")
	p.Orders = orders
	p.Placed = r.URL.Query().Get("placed")
	m.render(w, r, http.StatusOK, "orders", p)
}
