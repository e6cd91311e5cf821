# Hand-made RIPv2 messages to 10.0.12.1:520 (FRR 8.4 under test), sent from the rr13b namespace.
# usage: inject.py SRC_ADDR KIND [SRC_PORT]
import socket, struct, sys
def rte(addr, mask, nh, metric, tag=0, afi=2):
    a = socket.inet_aton
    return struct.pack('!HH4s4s4sI', afi, tag, a(addr), a(mask), a(nh), metric)
src, kind = sys.argv[1], sys.argv[2]
port = int(sys.argv[3]) if len(sys.argv) > 3 else 520
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((src, port))
resp = struct.pack('!BBH', 2, 2, 0)
if kind == 'empty':
    msg = resp
elif kind == 'entries':
    msg = (resp + rte('10.50.0.0', '255.255.255.0', '10.0.99.5', 1)   # next hop on no connected subnet
               + rte('10.51.0.0', '255.255.255.0', '10.0.12.7', 1)    # next hop on the receiving subnet
               + rte('10.52.0.0', '255.255.255.0', '10.0.22.9', 1)    # next hop on the other interface's subnet
               + rte('127.1.0.0', '255.255.0.0', '0.0.0.0', 1)
               + rte('0.1.0.0', '255.255.0.0', '0.0.0.0', 1)
               + rte('224.1.0.0', '255.255.0.0', '0.0.0.0', 1)
               + rte('240.1.0.0', '255.255.0.0', '0.0.0.0', 1))
elif kind == 'ecmp':
    msg = resp + rte('10.60.0.0', '255.255.255.0', '0.0.0.0', 1)
elif kind == 'request':
    msg = struct.pack('!BBH', 1, 2, 0) + rte('0.0.0.0', '0.0.0.0', '0.0.0.0', 16, afi=0)
s.sendto(msg, ('10.0.12.1', 520))
if kind == 'request':
    s.settimeout(3)
    try:
        data, peer = s.recvfrom(2000)
        print(f'reply from {peer}: {len(data)} bytes')
    except socket.timeout:
        print('no reply')
