# An event listener built on supervisor.childutils: appends each envelope it
# receives (the raw header line, the parsed headers and the payload) as one
# JSON line to the file named by argv[1], then acknowledges it.
import json
import sys

from supervisor import childutils

record_path = sys.argv[1]

while True:
    childutils.listener.ready(sys.stdout)
    line = sys.stdin.readline()
    headers = childutils.get_headers(line)
    payload = sys.stdin.read(int(headers['len']))
    entry = {'line': line, 'headers': headers, 'payload': payload}
    with open(record_path, 'a', encoding='utf-8') as record:
        record.write(json.dumps(entry) + '\n')
    childutils.listener.ok(sys.stdout)
