/**
 * For iterating on the web view by hand: the browser tests' fixture (two
 * real fleetvisord agents and a real hub) kept running until Ctrl-C.
 *
 *   node web/build.mjs --dev && node --import tsx web/dev/real-fleet.ts
 */
import { ADMIN_PASSWORD, OPERATOR, startWebFixture, VIEWER } from '../../test/browser/hub-fixture.js';

const fixture = await startWebFixture();
console.log(`hub at ${fixture.url}/  (admin / ${ADMIN_PASSWORD}, ${OPERATOR.name} / ${OPERATOR.password}, ${VIEWER.name} / ${VIEWER.password})`);
const stop = () => void fixture.stop().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
