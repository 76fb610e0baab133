import type { Logger } from '../logs/types.js';
import type { Supervisor } from '../supervisor/supervisor.js';

type Reopenable = { reopen(): void } | (() => void);

/**
 * supervisord's signal handling (compat spec §8): TERM/INT/QUIT shut down,
 * HUP reloads, USR2 reopens the logs. Returns a function that removes the handlers.
 */
export function installSignalHandlers(sup: Supervisor, logger: Logger, reopen: Reopenable[]): () => void {
  const exit = (name: NodeJS.Signals) => () => {
    logger.warn(`received ${name} indicating exit request`);
    sup.setState('SHUTDOWN');
  };
  const handlers: Array<[NodeJS.Signals, () => void]> = [
    ['SIGTERM', exit('SIGTERM')],
    ['SIGINT', exit('SIGINT')],
    ['SIGQUIT', exit('SIGQUIT')],
    [
      'SIGHUP',
      () => {
        if (sup.state !== 'RUNNING') {
          logger.warn('ignored SIGHUP indicating restart request (shutdown in progress)');
          return;
        }
        logger.warn('received SIGHUP indicating restart request');
        sup.setState('RESTARTING');
      },
    ],
    [
      'SIGUSR2',
      () => {
        logger.info('received SIGUSR2 indicating log reopen request');
        for (const r of reopen) typeof r === 'function' ? r() : r.reopen();
        logger.info('supervisord logreopen');
      },
    ],
  ];
  for (const [sig, fn] of handlers) process.on(sig, fn);
  return () => {
    for (const [sig, fn] of handlers) process.off(sig, fn);
  };
}
