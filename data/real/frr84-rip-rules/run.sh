#!/bin/bash
# Real FRR 8.4.4 (Debian 12 package) in two network namespaces: rr13a runs zebra+ripd, rr13b is a
# bare host that captures and sends hand-made RIP messages (inject.py).
#   link 1: a-1 10.0.12.1/24 <-> b-1 10.0.12.2/24 (+ .3 .4 .5 .9)   covered by "network 10.0.12.0/24"
#   link 2: a-2 10.0.22.1/24 <-> b-2 10.0.22.2/24                    covered by no network statement
#   d-3 (veth, peer d-3p unaddressed: a stub) 10.0.33.1/24 in rr13a                         "network 10.0.33.0/24": a route to advertise
# usage: run.sh SCENARIO   (s1 ecmp/next hops/neighbour, s2 allow-reserved-ranges, s3 passive,
#                           s4 ip rip send version 1 2 / receive version none on a-1)
set -u
S=$1; D=/tmp/rr13; C=/tmp/rr13cap; A=rr13a; B=rr13b
cleanup() {
  for f in $D/zebra.pid $D/ripd.pid $D/cap1.pid $D/cap2.pid; do [ -f $f ] && kill $(cat $f) 2>/dev/null; rm -f $f; done
  sleep 1; ip netns del $A 2>/dev/null; ip netns del $B 2>/dev/null
}
cleanup
ip netns add $A; ip netns add $B
ip link add a-1 netns $A type veth peer name b-1 netns $B
ip link add a-2 netns $A type veth peer name b-2 netns $B
ip -n $A addr add 10.0.12.1/24 dev a-1; ip -n $A addr add 10.0.22.1/24 dev a-2
for x in 2 3 4 5 9; do ip -n $B addr add 10.0.12.$x/24 dev b-1; done
ip -n $B addr add 10.0.22.2/24 dev b-2
ip -n $A link add d-3 type veth peer name d-3p; ip -n $A addr add 10.0.33.1/24 dev d-3; ip -n $A link set d-3p up; ip -n $A link set d-3 up
for n in $A $B; do ip -n $n link set lo up; done
ip -n $A link set a-1 up; ip -n $A link set a-2 up; ip -n $B link set b-1 up; ip -n $B link set b-2 up
echo "hostname rr13a" > $D/zebra.conf
{
  echo "hostname rr13a"
  echo "log file $D/$S-ripd.log debugging"
  echo "debug rip events"
  echo "debug rip packet"
  if [ $S = s4 ]; then echo "interface a-1"; echo " ip rip send version 1 2"; echo " ip rip receive version none"; fi
  echo "router rip"
  echo " network 10.0.12.0/24"
  echo " network 10.0.33.0/24"
  case $S in
    s1) echo " neighbor 10.0.12.2"; echo " neighbor 10.0.22.2"; echo " allow-ecmp" ;;
    s2) echo " allow-reserved-ranges" ;;
    s3) echo " passive-interface a-1"; echo " neighbor 10.0.12.2" ;;
  esac
} > $D/ripd.conf
chown frr:frr $D/*.conf
mkdir -p /var/run/frr/$A && chown frr:frr /var/run/frr/$A
ip netns exec $B dumpcap -q -i b-1 -f 'udp port 520 or udp port 5000' -w $C/$S-b1.pcap >/dev/null 2>&1 & echo $! > $D/cap1.pid
ip netns exec $B dumpcap -q -i b-2 -f 'udp port 520' -w $C/$S-b2.pcap >/dev/null 2>&1 & echo $! > $D/cap2.pid
sleep 2
ip netns exec $A /usr/lib/frr/zebra -N $A -d -f $D/zebra.conf -i $D/zebra.pid
sleep 1
ip netns exec $A /usr/lib/frr/ripd -N $A -d -f $D/ripd.conf -i $D/ripd.pid
sleep 6
case $S in
  s1)
    ip netns exec $B python3 $D/inject.py 10.0.12.9 empty
    ip netns exec $B python3 $D/inject.py 10.0.12.2 entries
    for x in 5 3 4 2; do ip netns exec $B python3 $D/inject.py 10.0.12.$x ecmp; sleep 1; done ;;
  s2|s4) ip netns exec $B python3 $D/inject.py 10.0.12.2 entries ;;
  s3)
    ip netns exec $B python3 $D/inject.py 10.0.12.2 request 520
    ip netns exec $B python3 $D/inject.py 10.0.12.3 request 5000 ;;
esac > $D/$S-inject.txt 2>&1
sleep 35
for c in 'show ip rip' 'show ip rip status' 'show ip route' 'show running-config'; do
  echo "# $c"; ip netns exec $A vtysh -N $A -c "$c"
done > $D/$S-show.txt
cp $D/ripd.conf $D/$S-ripd.conf
cleanup
tshark -r $C/$S-b1.pcap 2>/dev/null > $D/$S-b1.txt
tshark -r $C/$S-b2.pcap 2>/dev/null > $D/$S-b2.txt
