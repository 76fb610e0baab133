import type { FastifyReply, FastifyRequest } from 'fastify';
import { httpDate } from './html.js';
import { LogFollower, type TailRegistry } from './logtail-stream.js';
import { requestPath, sendMedusaError } from './replies.js';
import type { WebDeps } from './types.js';
import { pyUnquote } from './url-encoding.js';

/** `/logtail/<namespec>[/<channel>]` → which process and channel (channel defaults to stdout). */
export function parseLogtailPath(rawPath: string): { namespec: string; channel: string } | undefined {
  const path = pyUnquote(rawPath).replace(/^\/+/, '');
  const slash = path.indexOf('/');
  if (slash < 0) return undefined;
  const rest = path.slice(slash + 1);
  const channelSlash = rest.indexOf('/');
  if (channelSlash < 0) return { namespec: rest, channel: 'stdout' };
  return { namespec: rest.slice(0, channelSlash), channel: rest.slice(channelSlash + 1) };
}

async function streamFile(
  tails: TailRegistry,
  path: string | undefined,
  reply: FastifyReply,
  noProxyBuffering: boolean,
): Promise<FastifyReply> {
  const follower = path === undefined ? undefined : await LogFollower.open(path);
  // A missing file is a passing condition (never started, NONE until a reload): 404, as supervisord says.
  if (!follower) return sendMedusaError(reply, 404);
  tails.add(follower);
  // Whatever happens to the response (sent, aborted, failed in a hook), the file and its watch go with it.
  reply.raw.once('close', () => follower.destroy());
  // Send the headers even when there is nothing to send yet, so a client knows the tail is open.
  follower.once('following', () => {
    if (!reply.raw.headersSent && !reply.raw.destroyed) reply.raw.flushHeaders();
  });
  reply
    .code(200)
    .header('Content-Type', 'text/plain;charset=utf-8')
    .header('Last-Modified', httpDate(follower.startedMtime));
  if (noProxyBuffering) reply.header('X-Accel-Buffering', 'no');
  return reply.send(follower);
}

/** `/logtail/...`: follow a process's stdout or stderr log (what `supervisorctl tail -f` reads). */
export async function logtail(deps: WebDeps, tails: TailRegistry, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  if (request.method !== 'GET') return sendMedusaError(reply, 400);
  const target = parseLogtailPath(requestPath(request));
  if (!target || (target.channel !== 'stdout' && target.channel !== 'stderr')) return sendMedusaError(reply, 404);
  const proc = deps.supervisor.lookup(target.namespec).process;
  if (!proc) return sendMedusaError(reply, 404);
  const log = deps.supervisor.logsOf(proc)[target.channel];
  return streamFile(tails, log?.path, reply, true);
}

/** `/mainlogtail`: follow supervisord.log (what `supervisorctl maintail -f` reads). */
export async function mainlogtail(deps: WebDeps, tails: TailRegistry, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  if (request.method !== 'GET') return sendMedusaError(reply, 400);
  return streamFile(tails, deps.mainLogPath(), reply, false);
}
