// Command minimal is the smallest program using the client, for
// TestProductionClientLinksNoSpecLibraries: what it links is what the
// client adds to a service's binary.
package main

import (
	"context"
	"fmt"
	"os"

	cbpay "github.com/cbpay/cbpay/facade"
)

func main() {
	c, err := cbpay.NewFromEnv()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	res, err := c.CreatePaymentIntent(context.Background(), &cbpay.CreatePaymentIntentParams{Amount: 0, CurrencyCode: "USD"})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Println(res.PaymentIntent.ID)
}
