/**
 * `login [-u USER] [-p PASSWORD]`: signs in to the hub, makes an API token
 * for this machine (a login session would end when the hub restarts), and
 * stores the hub URL and the token in the user's fleetvisorctl.ini (0600).
 * Whatever is missing is asked for; the password is not echoed.
 */
import { hostname, userInfo } from 'node:os';
import { FleetvisorError } from '../../../node-agent/api/errors.js';
import { saveFleetLogin } from '../config-files.js';
import { parseCommandArgs } from '../command-args.js';
import { Exit, jsonLine, lines, wantsJson, type FleetCommand } from '../context.js';
import { HubClient, HubError } from '../hub-client.js';
import { checkHubUrl } from '../settings.js';
import type { LoginAnswer, NewToken } from '../types.js';

export const loginCommand: FleetCommand = {
  name: 'login',
  usage: 'login [-u USER] [-p PASSWORD] [HUB_URL]',
  async run(ctx) {
    const args = parseCommandArgs('login', [
      { long: 'username', short: 'u', takesValue: true },
      { long: 'password', short: 'p', takesValue: true },
    ], ctx.argv);
    if (args.positional.length > 1) throw new FleetvisorError('FV_USAGE', 'login: expected at most a HUB_URL');
    let hubUrl = args.positional[0] ?? ctx.settings.hub;
    if (hubUrl === undefined || hubUrl === '') hubUrl = (await ctx.io.prompt('Hub URL: ', false)).trim();
    checkHubUrl(hubUrl);
    hubUrl = hubUrl.replace(/\/+$/, '');
    const username = args.last('username') ?? (await ctx.io.prompt('Username: ', false)).trim();
    const password = args.last('password') ?? (await ctx.io.prompt('Password: ', true));
    if (username === '') throw new FleetvisorError('FV_USAGE', 'login: no username given');

    const anonymous = new HubClient(hubUrl);
    let session: LoginAnswer;
    try {
      session = await anonymous.post<LoginAnswer>('/api/v1/auth/login', { username, password });
    } catch (err) {
      if (err instanceof HubError && err.status === 401) throw new HubError(err.code, `login to ${hubUrl} failed: wrong username or password`, 401);
      throw err;
    }
    const asUser = new HubClient(hubUrl, session.token);
    let token = session.token;
    let kind: 'api' | 'session' = 'session';
    try {
      const made = await asUser.post<NewToken>('/api/v1/tokens', { name: `fleetvisorctl ${userInfo().username}@${hostname()}` });
      token = made.token;
      kind = 'api';
      await asUser.post('/api/v1/auth/logout').catch(() => undefined);
    } catch {
      // A hub that makes no tokens for this user: keep the session (it ends after 12 h unused or a hub restart).
    }
    saveFleetLogin(ctx.settings.userConfig, hubUrl, token);
    const result = { hub: hubUrl, user: session.user.name, role: session.user.role, token: kind, config: ctx.settings.userConfig };
    if (wantsJson(ctx, args)) jsonLine(ctx.io, result);
    else lines(ctx.io, [`logged in to ${hubUrl} as ${result.user} (${result.role}); ${kind === 'api' ? 'API token' : 'session token'} stored in ${result.config}`]);
    return Exit.OK;
  },
};
