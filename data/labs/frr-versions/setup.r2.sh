#!/bin/sh
# containerlab hands the interfaces over down; FRR (zebra) does not bring them up.
ip link set eth1 up
ip link set eth2 up
