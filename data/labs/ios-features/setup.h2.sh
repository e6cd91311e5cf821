#!/bin/bash
ifconfig eth1 10.1.20.2 netmask 255.255.255.0
route add default gw 10.1.20.1
hostname h2
