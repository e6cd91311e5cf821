#!/bin/sh
# feature-redistribute r1 setup: a kernel route added outside FRR (zebra shows it as K, ripd's
# `redistribute kernel` takes it). The address its gateway needs is set first, as zebra.conf sets it too.
ip addr add 10.13.12.1/24 dev eth1
ip link set eth1 up
ip route add 10.80.0.0/16 via 10.13.12.2
