# A test event listener: reports each envelope on stderr as one JSON line, answers per the mode.
import json
import os
import sys

from supervisor import childutils

mode = sys.argv[1]
marker = sys.argv[2] if len(sys.argv) > 2 else ''
rejected = set()

while True:
    childutils.listener.ready(sys.stdout)
    line = sys.stdin.readline()
    headers = childutils.get_headers(line)
    payload = sys.stdin.read(int(headers['len']))
    sys.stderr.write(json.dumps({'header': line, 'payload': payload}) + '\n')
    sys.stderr.flush()
    if mode == 'fail-once' and headers['serial'] not in rejected:
        rejected.add(headers['serial'])
        childutils.listener.fail(sys.stdout)
    elif mode == 'die-once' and not os.path.exists(marker):
        open(marker, 'w').close()
        sys.exit(1)
    else:
        childutils.listener.ok(sys.stdout)
