# One hand-made RIPv2 response to 10.0.12.1:520 (FRR 8.4 under test), sent from the frr13b namespace
# from SRC_ADDR: 10.70.0.0/24, metric 1.
# usage: inject.py SRC_ADDR
import socket, struct, sys
src = sys.argv[1]
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind((src, 520))
msg = struct.pack('!BBH', 2, 2, 0) + struct.pack('!HH4s4s4sI', 2, 0, socket.inet_aton('10.70.0.0'), socket.inet_aton('255.255.255.0'), socket.inet_aton('0.0.0.0'), 1)
s.sendto(msg, ('10.0.12.1', 520))
print(f'sent {len(msg)} bytes from {src}:520')
