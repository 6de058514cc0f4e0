#!/usr/bin/env python3
"""Hostile clients for a sockscope server: escapes, invalid UTF-8, empty
and huge sends, abrupt closes, a client that never reads, too many idle
connections, datagrams from unbound senders. Runs for a bounded time.
Usage: hostile.py stream|dgram SERVER_PATH SCRATCH_DIR SECONDS [IDLE]
(IDLE: how many idle stream connections to hold, 10 by default.)"""
import os, signal, socket, sys, time

mode, path, scratch, seconds = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
idle = int(sys.argv[5]) if len(sys.argv) > 5 else 10
NASTY = b"\x1b]0;pwned\x07\x1b[2J\x1b[31mred\x9b1;1H\xff\xfe\xc0\xaf\x00tail\r\n\x7f"
keep = []  # sockets held open until the end
signal.alarm(int(seconds) + 20)  # whatever happens, the script ends


def stream_attacks():
    def conn():
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.connect(path)  # blocking: a full backlog waits (the alarm bounds it)
        return s

    s = conn(); s.sendall(NASTY.ljust(1024, b"\0")); keep.append(s)      # escapes, one whole message
    s = conn(); s.close()                                                 # 0 bytes, closed at once
    s = conn(); s.sendall(b"half a message"); s.close()                   # a part, then gone
    s = conn(); s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\1\0\0\0\0\0\0\0")
    s.sendall(b"x" * 3000); s.close()                                     # abrupt
    hog = conn(); hog.setblocking(False)                                  # 1 MB, never reads
    data, sent, until = b"\0" * (1 << 20), 0, time.time() + 3
    while sent < len(data) and time.time() < until:
        try:
            sent += hog.send(data[sent:sent + 65536])
        except BlockingIOError:
            time.sleep(0.01)
        except OSError:
            break
    keep.append(hog)
    for _ in range(idle):                                                 # idle connections
        try:
            keep.append(conn())
        except OSError:
            break


def dgram_attacks():
    def bound(name):
        s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        s.bind(os.path.join(scratch, name))
        return s

    s = bound("nasty.sock"); s.sendto(NASTY, path); keep.append(s)       # escapes
    s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    s.sendto(b"from nobody", path); s.close()                            # unbound sender
    s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    s.sendto(b"", path); s.close()                                       # 0 bytes
    s = bound("big.sock")
    try:
        s.sendto(b"B" * 200000, path)                                    # 200,000 bytes
    except OSError as e:
        print("200000-byte datagram:", e.strerror)
    keep.append(s)
    hog = bound("hog.sock"); keep.append(hog)                            # sends, never reads
    until = time.time() + seconds
    while time.time() < until:
        try:
            hog.sendto(b"hog", path)
        except OSError:
            pass
        time.sleep(0.01)


(stream_attacks if mode == "stream" else dgram_attacks)()
time.sleep(max(0.0, seconds - 3))
for s in keep:
    s.close()
print("hostile: done")
