/**
 * The web view: files of the built single-page app (dist/web), any other
 * path that is not an API route answered with index.html so the app's own
 * router takes it. Without a build, a short page says how to make one.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ApiContext } from './context.js';
import { ApiError } from './errors.js';
import { errorResponses, object } from './schemas.js';

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

const NOT_BUILT = `<!doctype html>
<html><head><meta charset="utf-8"><title>fleetvisor-hub</title></head>
<body style="font-family: sans-serif; max-width: 40em; margin: 3em auto">
<h1>fleetvisor-hub</h1>
<p>The web view is not built. Run <code>npm run build</code> (it writes <code>dist/web</code>) and reload.</p>
<p>The API answers under <a href="/api/v1/openapi.json"><code>/api/v1</code></a>.</p>
</body></html>
`;

export async function staticRoutes(app: FastifyInstance, ctx: ApiContext): Promise<void> {
  const root = resolve(ctx.webDir);
  app.get<{ Params: { '*': string } }>(
    '/*',
    {
      config: { access: 'public' },
      schema: { summary: 'The web view (index.html for any path the app routes itself)', tags: ['web'], params: object({ '*': { type: 'string' } }), response: { 200: { type: 'string' }, ...errorResponses } },
    },
    async (request, reply) => {
      const path = `/${request.params['*'] ?? ''}`;
      if (path.startsWith('/api/')) throw new ApiError('FV_API_NOT_FOUND', `no route ${request.method} ${path}`);
      let file: string;
      try {
        file = resolve(root, `.${decodeURIComponent(path)}`);
      } catch {
        throw new ApiError('FV_API_BAD_REQUEST', 'the path is not URI-encoded');
      }
      if (file !== root && !file.startsWith(root + sep)) throw new ApiError('FV_API_NOT_FOUND', 'outside the web view');
      if (file !== root && (await isFile(file))) return sendFile(reply, file);
      // A missing asset is a 404; any other path is a page of the app.
      if (extname(path) !== '' && extname(path) !== '.html') throw new ApiError('FV_API_NOT_FOUND', `no file ${path}`);
      const index = join(root, 'index.html');
      if (await isFile(index)) return sendFile(reply, index);
      return reply.code(200).type('text/html; charset=utf-8').header('Cache-Control', 'no-cache').send(NOT_BUILT);
    },
  );
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

function sendFile(reply: FastifyReply, file: string): FastifyReply {
  const type = TYPES[extname(file)] ?? 'application/octet-stream';
  // index.html names the current assets, so it is always asked again; the assets may be kept a while.
  reply.header('Cache-Control', type.startsWith('text/html') ? 'no-cache' : 'public, max-age=3600');
  reply.header('X-Content-Type-Options', 'nosniff');
  return reply.code(200).type(type).send(createReadStream(file));
}
