// Package webhook receives Chargebee's webhook deliveries: an http.Handler
// that checks the endpoint's Basic auth credentials, reads and parses the
// event and calls back with it, and Parse for bodies read some other way.
//
// Mount the handler on the path given to Chargebee (Settings, Webhooks),
// with the user name and password set there:
//
//	h, err := webhook.NewHandler(func(ctx context.Context, e *webhook.Event) error {
//		switch e.Type {
//		case webhook.PaymentSourceAdded, webhook.PaymentSourceUpdated:
//			ps, _ := e.PaymentSource() // *gen.PaymentSource
//			return store.SavePaymentSource(ctx, e.ID, ps)
//		case webhook.PaymentSourceExpiring:
//			ps, _ := e.PaymentSource()
//			return mailer.AskForNewCard(ctx, e.ID, ps.CustomerID)
//		}
//		return nil // events you do not handle: answer 200, or Chargebee retries them
//	}, webhook.WithBasicAuth(os.Getenv("CHARGEBEE_WEBHOOK_USER"), os.Getenv("CHARGEBEE_WEBHOOK_PASSWORD")))
//	if err != nil {
//		return err
//	}
//	mux.Handle("POST /chargebee/webhook", h)
//
// # What Chargebee does
//
// Chargebee POSTs each event as JSON to the endpoint, with HTTP Basic auth
// when the endpoint has credentials set. Its webhooks have no signature,
// so those credentials (over HTTPS) are what tells a delivery from a forged
// request: NewHandler requires them, or an explicit WithoutAuth. They are
// compared in constant time.
//
// A delivery counts as done only on a 2xx answer. Any other answer, or a
// timeout, is retried with growing waits (minutes, then hours, then days;
// about seven retries over three days), after which Chargebee gives up and
// emails the site's admins. The Handler answers 200 only when the callback
// returned nil: return an error to be called again later, and keep the
// callback quick (store the event and work on it after answering, if the
// work is slow), as a delivery that times out is retried too.
//
// # Processing an event once
//
// Chargebee delivers the same event more than once (a retry after a
// timeout whose work did finish, a resend from its console), and does not
// promise order. A repeated delivery has the same event id. To process
// each event once, record e.ID in the same database transaction as the
// event's effect, under a unique key, and return nil when the key already
// exists:
//
//	tx, err := db.BeginTx(ctx, nil)
//	if err != nil {
//		return err
//	}
//	defer tx.Rollback()
//	res, err := tx.ExecContext(ctx, `INSERT INTO chargebee_events (id) VALUES ($1) ON CONFLICT DO NOTHING`, e.ID)
//	if err != nil {
//		return err
//	}
//	if n, _ := res.RowsAffected(); n == 0 {
//		return nil // processed before: a repeated delivery
//	}
//	// ...the event's effect, in tx...
//	return tx.Commit()
//
// A Deduper (WithDeduper) lets the Handler skip the ids it knows without
// calling back; MemoryDeduper keeps them in memory, for tests and single
// processes. It does not replace the unique key: see Deduper.
//
// For order, compare the resource's resource_version (or updated_at) with
// the one stored, and ignore an older one.
//
// # Events
//
// Event holds the event's attributes (id, occurred_at, event_type,
// api_version, source, user, webhook_status, ...) and its content as raw
// JSON. For the payment-method events the content's resources decode into
// the models of package gen: PaymentSource, Customer, PaymentIntent and
// Card. Event types this package has no constant for, and there are
// hundreds, are passed to the callback all the same. Event prints, with
// fmt and slog, as its id, type and occurred_at only; Raw returns the body
// as received, for your own storage.
//
// # Testing
//
// The fake Chargebee in package chargebeetest sends these events for what
// it does when given chargebeetest.WithWebhook(url, user, password), and
// retries them like Chargebee; cbpay serve --webhook-url does the same for
// other languages.
package webhook
