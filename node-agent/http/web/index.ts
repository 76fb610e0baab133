import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { logtail, mainlogtail } from './logtail-routes.js';
import { TailRegistry } from './logtail-stream.js';
import { guardPage, okPage, statusPage, tailPage } from './pages.js';
import { serveStatic } from './static-routes.js';
import type { WebDeps, WebRoutes } from './types.js';

export type { WebDeps, WebLogFile, WebProcess, WebRoutes, WebSupervisor } from './types.js';

/**
 * supervisord's web interface (compat spec §6): the status page and its
 * actions, tail.html, ok.html, /logtail and /mainlogtail streams, and the
 * page's stylesheet and images. Routes live in their own encapsulated plugin
 * so the urlencoded body parser they need does not touch /RPC2; hooks of
 * `app` (auth, common headers) still apply to them.
 */
export function registerWebRoutes(app: FastifyInstance, deps: WebDeps): WebRoutes {
  const tails = new TailRegistry();

  app.register(async (scope) => {
    // supervisord reads any POST body to its pages as urlencoded, whatever the Content-Type.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => done(null, body));
    // Open tails would keep server.close() waiting for ever.
    scope.addHook('preClose', (done) => {
      tails.finishAll();
      done();
    });

    const status = guardPage(deps, (request, reply) => statusPage(deps, request, reply));
    scope.all('/', status);
    scope.all('/index.html', status);
    scope.all('/tail.html', guardPage(deps, (request, reply) => tailPage(deps, request, reply)));
    scope.all('/ok.html', guardPage(deps, okPage));

    const followProcess = (request: FastifyRequest, reply: FastifyReply) => logtail(deps, tails, request, reply);
    scope.all('/logtail', followProcess);
    scope.all('/logtail/*', followProcess);
    const followMain = (request: FastifyRequest, reply: FastifyReply) => mainlogtail(deps, tails, request, reply);
    scope.all('/mainlogtail', followMain);
    scope.all('/mainlogtail/*', followMain);

    scope.all('/stylesheets/*', serveStatic);
    scope.all('/images/*', serveStatic);
  });

  return {
    activeTails: () => tails.size,
    closeTails: () => tails.finishAll(),
  };
}
