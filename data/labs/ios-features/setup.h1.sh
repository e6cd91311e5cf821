#!/bin/bash
ifconfig eth1 10.1.10.2 netmask 255.255.255.0
route add -net 10.0.0.0 netmask 255.0.0.0 gw 10.1.10.1
hostname h1
