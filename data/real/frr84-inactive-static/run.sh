#!/bin/bash
# Real FRR 8.4.4 (Debian 12 package) in two network namespaces: frr13a runs zebra, staticd and ripd,
# frr13b is a bare host that captures and sends one hand-made RIP response (inject.py).
#   link 1: a-1 10.0.12.1/24 <-> b-1 10.0.12.2/24 and 10.7.0.9/24 (a source on no subnet of frr13a's)
#   d-3 (veth, peer unaddressed: a stub) 10.0.33.1/24 in frr13a, covered by no network statement
# staticd: 10.9.0.0/16 via 10.5.5.5 (on no connected subnet: inactive), 10.8.0.0/16 via 10.0.12.2.
# ripd: network 10.0.12.0/24, redistribute static, redistribute connected metric 3.
# usage: run.sh   (as root; creates and deletes the namespaces frr13a and frr13b)
set -u
D=/tmp/frr13r; A=frr13a; B=frr13b; HERE=$(cd "$(dirname "$0")" && pwd)
mkdir -p $D && chown frr:frr $D && chmod 755 $D
cleanup() {
  for f in $D/zebra.pid $D/staticd.pid $D/ripd.pid $D/cap1.pid; do [ -f $f ] && kill $(cat $f) 2>/dev/null; rm -f $f; done
  sleep 1; ip netns del $A 2>/dev/null; ip netns del $B 2>/dev/null
}
cleanup
ip netns add $A; ip netns add $B
ip link add a-1 netns $A type veth peer name b-1 netns $B
ip -n $A addr add 10.0.12.1/24 dev a-1
ip -n $B addr add 10.0.12.2/24 dev b-1; ip -n $B addr add 10.7.0.9/24 dev b-1
ip -n $A link add d-3 type veth peer name d-3p; ip -n $A addr add 10.0.33.1/24 dev d-3; ip -n $A link set d-3p up; ip -n $A link set d-3 up
for n in $A $B; do ip -n $n link set lo up; done
ip -n $A link set a-1 up; ip -n $B link set b-1 up
# No reverse-path filter: the off-link source's datagram must reach ripd's socket for ripd to judge it.
ip netns exec $A sysctl -q -w net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.a-1.rp_filter=0
echo "hostname frr13a" > $D/zebra.conf
printf 'hostname frr13a\nip route 10.9.0.0/16 10.5.5.5\nip route 10.8.0.0/16 10.0.12.2\n' > $D/staticd.conf
printf 'hostname frr13a\nlog file %s/ripd.log debugging\ndebug rip events\ndebug rip packet\nrouter rip\n network 10.0.12.0/24\n redistribute static\n redistribute connected metric 3\n' $D > $D/ripd.conf
cp $HERE/inject.py $D/inject.py
chown frr:frr $D/*.conf
mkdir -p /var/run/frr/$A && chown frr:frr /var/run/frr/$A
ip netns exec $B dumpcap -q -i b-1 -f 'udp port 520' -w $D/b1.pcap >/dev/null 2>&1 & echo $! > $D/cap1.pid
sleep 2
ip netns exec $A /usr/lib/frr/zebra -N $A -d -f $D/zebra.conf -i $D/zebra.pid
sleep 1
ip netns exec $A /usr/lib/frr/staticd -N $A -d -f $D/staticd.conf -i $D/staticd.pid
ip netns exec $A /usr/lib/frr/ripd -N $A -d -f $D/ripd.conf -i $D/ripd.pid
sleep 6
ip netns exec $B python3 $D/inject.py 10.7.0.9 > $D/inject.txt 2>&1
sleep 35
for c in 'show ip route' 'show ip route json' 'show ip rip' 'show ip rip status'; do
  echo "# $c"; ip netns exec $A vtysh -N $A -c "$c"
done > $D/show.txt
cleanup
tshark -r $D/b1.pcap -V -Y rip 2>/dev/null | grep -E '^Frame|Internet Protocol|Command|Version|IP Address|Netmask|Next Hop|Metric' > $D/b1.txt
cp $D/show.txt $D/b1.txt $D/ripd.log $D/ripd.conf $D/staticd.conf $HERE/
