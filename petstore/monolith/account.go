package monolith

import (
	"net/http"

	"github.com/faasport/faasport/faas"
	"github.com/faasport/faasport/petstore/httpapi"
)

func (m *monolith) signupPage(w http.ResponseWriter, r *http.Request) {
	p := m.newPage(r, "Sign up")
	p.Next = localPath(r.URL.Query().Get("next"))
	m.render(w, r, http.StatusOK, "signup", p)
}

func (m *monolith) signinPage(w http.ResponseWriter, r *http.Request) {
	p := m.newPage(r, "Sign in")
	p.Next = localPath(r.URL.Query().Get("next"))
	m.render(w, r, http.StatusOK, "signin", p)
}

func (m *monolith) signup(w http.ResponseWriter, r *http.Request) {
	next := localPath(r.PostFormValue("next"))
	u, err := m.users.create(r.Context(), r.PostFormValue("username"), r.PostFormValue("password"))
	if err != nil {
		m.accountError(w, r, "signup", "Sign up", next, err)
		return
	}
	m.startSession(w, r, u, "Welcome to the Pet Store, "+u.Username+"!")
	redirect(w, r, next)
}

func (m *monolith) signin(w http.ResponseWriter, r *http.Request) {
	next := localPath(r.PostFormValue("next"))
	u, err := m.users.authenticate(r.Context(), r.PostFormValue("username"), r.PostFormValue("password"))
	if err != nil {
		m.accountError(w, r, "signin", "Sign in", next, err)
		return
	}
	m.startSession(w, r, u, "Welcome back, "+u.Username+".")
	redirect(w, r, next)
}

// accountError shows the sign-up or sign-in form again with what went
// wrong, keeping the username typed (never the password).
func (m *monolith) accountError(w http.ResponseWriter, r *http.Request, name, title, next string, err error) {
	if faas.KindOf(err) == faas.Internal {
		m.errorPage(w, r, err)
		return
	}
	p := m.newPage(r, title)
	p.Error = httpapi.Message(err)
	p.Username = normalizeUsername(r.PostFormValue("username"))
	p.Next = next
	m.render(w, r, faas.KindOf(err).HTTPStatus(), name, p)
}

// startSession signs u in on a new session that keeps the visitor's
// cart: the session id changes whenever the user does.
func (m *monolith) startSession(w http.ResponseWriter, r *http.Request, u user, flash string) {
	s := m.sessions.create(sessionFrom(r.Context()))
	s.mu.Lock()
	s.user = &u
	s.flash = flash
	s.mu.Unlock()
	m.setCookie(w, s)
}

func (m *monolith) signout(w http.ResponseWriter, r *http.Request) {
	if old := sessionFrom(r.Context()); old != nil {
		m.sessions.delete(old.id)
	}
	s := m.sessions.create(nil)
	s.setFlash("You are signed out.")
	m.setCookie(w, s)
	redirect(w, r, "/")
}
