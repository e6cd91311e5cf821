#!/bin/sh
# A kernel route, as a setup script adds one: zebra shows it as "K", ripd takes it with "redistribute kernel".
# The route needs its gateway's subnet first (frr.conf gives eth1 the same address again when zebra starts).
ip addr add 10.0.0.1/24 dev eth1
ip link set eth1 up
ip route add 10.3.0.0/16 via 10.0.0.2
