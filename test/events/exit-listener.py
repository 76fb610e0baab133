# A listener that handles one event and exits at once (the pool restarts it).
# Mode `answer`: it records the event in a JSON-lines file, then answers
# `RESULT 2\nOK` and exits; except the very first instance (no marker file
# yet), which exits without answering, so the test also sees the re-delivery
# of an event whose listener died BUSY.
# Mode `grandchild`: the first instance leaves a grandchild holding its stdout
# that writes a line once the listener was restarted, then exits; later
# instances answer like `answer`.
import json
import os
import subprocess
import sys

from supervisor import childutils

mode, record, marker = sys.argv[1], sys.argv[2], sys.argv[3]
childutils.listener.ready(sys.stdout)
if mode == 'grandchild' and not os.path.exists(marker):
    open(marker, 'w').close()
    # The subshell may die of SIGPIPE (the pipe is closed by then); the touch still runs.
    subprocess.Popen(['sh', '-c', '(sleep 0.4; echo junk); touch "$0"', marker + '.written'])
    os._exit(0)
line = sys.stdin.readline()
headers = childutils.get_headers(line)
payload = sys.stdin.read(int(headers['len']))
with open(record, 'a') as f:
    f.write(json.dumps({'pid': os.getpid(), 'header': line.strip(), 'data': payload.split('\n', 1)[1]}) + '\n')
if mode == 'answer' and not os.path.exists(marker):
    open(marker, 'w').close()
    os._exit(1)
childutils.listener.ok(sys.stdout)
os._exit(0)
