"""Calls every supervisor.* and system.* method of a daemon serving the compat
fixture (plus `talker`) through Python's xmlrpc.client, the way supervisorctl
talks, and prints one JSON document describing what came back.

Usage: /usr/bin/python3 rpc_probe.py SOCKET_PATH TEMP_DIR

Each entry is {"method", "args"} plus one of:
  "shape": field names and value types of the result,
  "value": the exact result (for results that do not vary between runs),
  "fault": {"code", "string"}.
The temp dir is written as {dir} so two daemons' documents compare equal.
"""
import http.client
import json
import sys
import time
import xmlrpc.client

from supervisor.xmlrpc import SupervisorTransport

SOCKET, TEMP_DIR = sys.argv[1], sys.argv[2]



def connect():
    return xmlrpc.client.ServerProxy(
        'http://127.0.0.1', transport=SupervisorTransport(None, None, 'unix://' + SOCKET)
    )


proxy = connect()


def normalized(value):
    if isinstance(value, str):
        return value.replace(TEMP_DIR, '{dir}')
    if isinstance(value, list):
        return [normalized(v) for v in value]
    if isinstance(value, dict):
        return {k: normalized(v) for k, v in value.items()}
    return value


def shape(value):
    if isinstance(value, dict):
        return {k: shape(v) for k, v in sorted(value.items())}
    if isinstance(value, list):
        distinct = {json.dumps(shape(v), sort_keys=True) for v in value}
        return {'list of': [json.loads(s) for s in sorted(distinct)]}
    return type(value).__name__


def by_name(results):
    return sorted(results, key=lambda r: (r.get('group', ''), r.get('name', '')))


entries = []


def call(method, *args, exact=False, sort=False):
    """Calls `method`; records the exact value when `exact`, else its shape."""
    global proxy
    entry = {'method': method, 'args': normalized(list(args))}
    try:
        result = getattr(proxy, method)(*args)
    except xmlrpc.client.Fault as fault:
        entry['fault'] = {'code': fault.faultCode, 'string': normalized(fault.faultString)}
    except (OSError, http.client.HTTPException, xmlrpc.client.ProtocolError) as err:
        entry['error'] = type(err).__name__
        proxy = connect()
    else:
        if sort:
            result = by_name(result)
        if exact:
            entry['value'] = normalized(result)
        else:
            entry['shape'] = shape(result)
    entries.append(entry)
    return entry


def wait_for_state(namespec, statename, timeout=15.0):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proxy.supervisor.getProcessInfo(namespec)['statename'] == statename:
            return
        time.sleep(0.1)
    raise SystemExit('%s never reached %s' % (namespec, statename))


# --- system.* -----------------------------------------------------------------
# fleetvisord adds its own fleetvisor.* namespace by design: only the two
# namespaces supervisord has are compared.
listed = call('system.listMethods', exact=True)
methods = [m for m in listed.get('value', []) if m.startswith(('supervisor.', 'system.'))]
if 'value' in listed:
    listed['value'] = methods
for name in methods:
    call('system.methodSignature', name, exact=True)
    call('system.methodHelp', name)
call('system.methodHelp', 'x', exact=True)
call('system.methodSignature', 'x', exact=True)
call(
    'system.multicall',
    [
        {'methodName': 'supervisor.getState', 'params': []},
        {'methodName': 'system.multicall', 'params': []},
        {'params': []},
        {'methodName': 'supervisor.nosuch', 'params': []},
        {'methodName': 'supervisor.getProcessInfo', 'params': ['nosuch']},
        {'methodName': 'supervisor.getAPIVersion', 'params': []},
    ],
    exact=True,
)

# --- identity and daemon state -------------------------------------------------
for name in ('getAPIVersion', 'getVersion', 'getSupervisorVersion', 'getIdentification', 'getState'):
    call('supervisor.' + name, exact=True)
call('supervisor.getState', 1, exact=True)
call('supervisor.getPID')
call('a.b.c', exact=True)
call('supervisor._update', exact=True)
call('supervisor.nosuch', exact=True)
call('nosuch', exact=True)

# --- process info ----------------------------------------------------------------
call('supervisor.getProcessInfo', 'sleeper')
call('supervisor.getProcessInfo', 'grp:manual')
call('supervisor.getProcessInfo', 'multi:multi_00')
for bad in ('multi', 'multi:*', 'manual', 'nosuch', 'grp:'):
    call('supervisor.getProcessInfo', bad, exact=True)
call('supervisor.getAllProcessInfo')
call('supervisor.getAllConfigInfo')

# --- logs ------------------------------------------------------------------------
call('supervisor.readLog', 0, 0)
call('supervisor.readMainLog', -100, 0)
call('supervisor.readLog', -1, 5, exact=True)
call('supervisor.tailProcessStdoutLog', 'talker', 0, 3, exact=True)
call('supervisor.tailProcessLog', 'talker', 5, 3, exact=True)
call('supervisor.tailProcessStdoutLog', 'talker', 8, 100, exact=True)
call('supervisor.tailProcessStdoutLog', 'talker', 0, 100, exact=True)
call('supervisor.readProcessStdoutLog', 'talker', -3, 2, exact=True)
call('supervisor.readProcessStdoutLog', 'talker', 1, 3, exact=True)
call('supervisor.readProcessLog', 'talker', -3, 0, exact=True)
call('supervisor.readProcessStdoutLog', 'talker', 100, 0, exact=True)
call('supervisor.readProcessStdoutLog', 'talker', 0, -1, exact=True)
call('supervisor.readProcessStderrLog', 'exit1', 0, 0, exact=True)
call('supervisor.tailProcessStderrLog', 'exit1', 0, 100, exact=True)
call('supervisor.readProcessStdoutLog', 'nosuch', 0, 0, exact=True)
call('supervisor.tailProcessStderrLog', 'multi:*', 0, 10, exact=True)
call('supervisor.clearProcessLogs', 'sleeper', exact=True)
call('supervisor.clearProcessLog', 'exit1', exact=True)
call('supervisor.clearProcessLogs', 'multi:*', exact=True)
call('supervisor.clearProcessLogs', 'nosuch', exact=True)
call('supervisor.clearAllProcessLogs', exact=True, sort=True)
call('supervisor.clearLog', exact=True)

# --- start / stop / signal ---------------------------------------------------------
call('supervisor.startProcess', 'sleeper', exact=True)
call('supervisor.startProcess', 'notfound', exact=True)
call('supervisor.startProcess', 'noexec', exact=True)
call('supervisor.startProcess', 'nosuch', exact=True)
call('supervisor.startProcessGroup', 'multi', exact=True)
call('supervisor.startProcessGroup', 'nosuch', exact=True)
call('supervisor.stopProcess', 'notfound', exact=True)
call('supervisor.stopProcess', 'nosuch', exact=True)
call('supervisor.stopProcessGroup', 'grp', exact=True)
call('supervisor.startProcess', 'grp:manual', exact=True)
call('supervisor.signalProcess', 'grp:manual', 'FOO', exact=True)
call('supervisor.signalProcessGroup', 'grp', 'FOO', exact=True)
call('supervisor.signalProcess', 'grp:manual', 'CONT', exact=True)
call('supervisor.signalProcess', 'grp:manual', 18, exact=True)
call('supervisor.signalProcessGroup', 'grp', 'CONT', exact=True)
call('supervisor.signalProcess', 'notfound', 'HUP', exact=True)
call('supervisor.signalAllProcesses', 'CONT', exact=True, sort=True)
call('supervisor.stopProcess', 'grp:manual', exact=True)
call('supervisor.stopProcess', 'grp:manual', exact=True)
call('supervisor.startProcess', 'grp:manual', False, exact=True)
wait_for_state('grp:manual', 'RUNNING')
call('supervisor.stopProcessGroup', 'grp', False, exact=True)
wait_for_state('grp:manual', 'STOPPED')

# --- stdin and remote events ---------------------------------------------------------
call('supervisor.sendProcessStdin', 'notfound', 'x', exact=True)
call('supervisor.sendProcessStdin', 'talker', 5, exact=True)
call('supervisor.sendProcessStdin', 'talker', 'hello\n', exact=True)
call('supervisor.sendProcessStdin', 'nosuch', 'x', exact=True)
call('supervisor.sendRemoteCommEvent', 'mytype', 'hello world', exact=True)

# --- config changes ---------------------------------------------------------------
call('supervisor.reloadConfig', exact=True)
call('supervisor.addProcessGroup', 'sleeper', exact=True)
call('supervisor.addProcessGroup', 'nosuch', exact=True)
call('supervisor.removeProcessGroup', 'sleeper', exact=True)
call('supervisor.removeProcessGroup', 'nosuch', exact=True)
call('supervisor.removeProcessGroup', 'notfound', exact=True)
call('supervisor.addProcessGroup', 'notfound', exact=True)
call('supervisor.getProcessInfo', 'notfound')

# --- all processes ------------------------------------------------------------------
call('supervisor.stopAllProcesses', exact=True, sort=True)
call('supervisor.startAllProcesses', False, exact=True, sort=True)

# --- daemon lifecycle (last) ------------------------------------------------------------
def wait_until_answering(timeout=20.0):
    global proxy
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            proxy.supervisor.getState()
            return
        except xmlrpc.client.Fault:
            time.sleep(0.1)
        except (OSError, http.client.HTTPException, xmlrpc.client.ProtocolError):
            proxy = connect()
            time.sleep(0.1)
    raise SystemExit('daemon did not come back after restart')


call('supervisor.restart', exact=True)
wait_until_answering()
call('supervisor.getState', exact=True)
call('supervisor.startProcess', 'stubborn', exact=True)
call('supervisor.shutdown', exact=True)
call('supervisor.getState', exact=True)
call('supervisor.sendRemoteCommEvent', 'late', 'during shutdown', exact=True)

json.dump(entries, sys.stdout, indent=1, sort_keys=True)
sys.stdout.write('\n')
