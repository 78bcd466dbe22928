// Package loopback says whether a host is this machine: the client allows
// plain http only to it, and the command gives it the fake's key, never a
// live one.
package loopback

import "net"

// Host reports whether host (a name or an IP address, no port) is
// "localhost" or a loopback address.
func Host(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
