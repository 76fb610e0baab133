"""Event listener for the event-latency benchmark.

Subscribed to PROCESS_STATE; for every event it receives it sends
"<eventname> <processname> <time.time()>" as one line to the unix socket
given as argv[1], then acknowledges the event.
"""
import socket
import sys
import time

from supervisor import childutils


def connect(path):
    for _ in range(200):
        try:
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            sock.connect(path)
            return sock
        except OSError:
            time.sleep(0.05)
    raise SystemExit("cannot connect to " + path)


def main():
    sock = connect(sys.argv[1])
    while True:
        headers, payload = childutils.listener.wait(sys.stdin, sys.stdout)
        received = time.time()
        fields = childutils.get_headers(payload.split("\n", 1)[0])
        line = "%s %s %.6f\n" % (headers["eventname"], fields.get("processname", "?"), received)
        sock.sendall(line.encode())
        childutils.listener.ok(sys.stdout)


if __name__ == "__main__":
    main()
