#!/bin/bash

ETH1=$(dmesg | grep -i 'renamed from eth1' | sed -n 's/: renamed from eth1//;s/.*/p')

ifconfig $ETH1 10.128.11.2 netmask 255.255.255.0
ifconfig -a
route add -net 10.128.0.0 netmask 255.255.0.0 gw 10.128.11.1
netstat -rn
hostname xenial6
domainname home
apt-get update
apt-get install sysvbanner

banner hosts
cat >/etc/hosts <<EOF
127.0.0.1      localhost
10.128.11.2    xenial6.home      xenial6
EOF

banner resolv
cat > /etc/resolv.conf <<EOF
domain home
search home
nameserver 10.128.10.2
nameserver 10.128.5.2
nameserver 10.128.6.2
EOF

banner result
hostname
domainname
netstat -rn
echo "/etc/hosts:"
cat /etc/hosts
echo "/etc/resolv.conf:"
cat /etc/resolv.conf

ping -c1 10.128.11.1
