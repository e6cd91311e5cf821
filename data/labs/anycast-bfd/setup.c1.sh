#!/bin/sh
# anycast-bfd c1: the client, on r1's third port.
ip addr add 10.14.3.2/24 dev eth1
ip link set eth1 up
ip route add 10.14.0.0/16 via 10.14.3.1
