//go:build unix

package main

import "syscall"

// cpuNs is the CPU time the process has used, user and system, in
// nanoseconds; -1 where it cannot be read.
func cpuNs() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return -1
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}
