// Ingests batches of 50 events forever, printing "batch" after each commit, until killed.
import { HubStore } from '../../hub/store/index.js';
import { stateEvent, T0 } from './helpers.js';

const store = HubStore.open(process.argv[2]);
let serial = 0;
function batch(): void {
  const events = Array.from({ length: 50 }, () => {
    serial++;
    return stateEvent('web1', `p${serial % 7}`, 'RUNNING', T0 + serial, serial);
  });
  store.events.ingest('web1', events, `boot-1:${serial}`);
  process.stdout.write('batch\n');
  setImmediate(batch);
}
batch();
